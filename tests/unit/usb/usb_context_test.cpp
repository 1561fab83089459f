// The process's libusb context and its event thread (drivers/usb/io): work
// handed to it runs there, and a call made from the event thread itself
// returns instead of waiting for the thread that is making it.
#include "../../../drivers/usb/io/usb_context.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

namespace packline::drivers {
namespace {

using namespace std::chrono_literals;

TEST(UsbContext, CallRunsTheTaskOnTheEventThread) {
    auto context = UsbContext::acquire();
    if (!context) GTEST_SKIP() << context.error().to_string();
    bool on_event_thread = false;
    (*context)->call([&] { on_event_thread = (*context)->on_event_thread(); });
    EXPECT_TRUE(on_event_thread);
    EXPECT_FALSE((*context)->on_event_thread());
}

TEST(UsbContext, ACallFromTheEventThreadReturnsInsteadOfWaitingOnItself) {
    auto context = UsbContext::acquire();
    if (!context) GTEST_SKIP() << context.error().to_string();
    std::promise<int> outcome;
    auto result = outcome.get_future();
    (*context)->post([&] {
        int ran = 0;
        (*context)->call([&] { ++ran; });  // from the event thread
        outcome.set_value(ran);
    });
    // A generous bound that only catches the hang this test is about.
    ASSERT_EQ(result.wait_for(60s), std::future_status::ready)
        << "call() from the event thread waited on itself";
    EXPECT_EQ(result.get(), 1);
}

}  // namespace
}  // namespace packline::drivers
