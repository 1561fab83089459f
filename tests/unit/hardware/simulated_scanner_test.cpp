#include "packline/hardware/simulated_scanner.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "packline/hardware/queue_sink.h"

namespace packline::hardware {
namespace {

using namespace std::chrono_literals;

ScanEvent pop_scan(BoundedQueue<DeviceEvent>& queue) {
    auto event = queue.pop_for(1s);
    if (!event || !std::holds_alternative<ScanEvent>(*event)) return {};
    return std::get<ScanEvent>(*event);
}

TEST(SimulatedScanner, DeliversScansInOrderWithItsId) {
    BoundedQueue<DeviceEvent> queue(8);
    QueueSink sink(queue);
    SimulatedScanner scanner("scanner-1");
    EXPECT_EQ(scanner.kind(), DeviceKind::Scanner);
    ASSERT_TRUE(scanner.open(sink).ok());

    EXPECT_TRUE(scanner.scan("ORD-1001"));
    EXPECT_TRUE(
        scanner.scan("]C1"
                     "0104006381333931"
                     "21SER1\x1d"
                     "10LOT7"));

    ScanEvent first = pop_scan(queue);
    EXPECT_EQ(first.device, "scanner-1");
    EXPECT_EQ(first.data, "ORD-1001");
    EXPECT_GT(first.at_ms, 0);
    // The bytes arrive untouched, AIM prefix and GS separator included.
    EXPECT_EQ(pop_scan(queue).data,
              "]C10104006381333931"
              "21SER1\x1d"
              "10LOT7");
    scanner.close();
}

TEST(SimulatedScanner, IgnoresScansWhileClosed) {
    BoundedQueue<DeviceEvent> queue(8);
    QueueSink sink(queue);
    SimulatedScanner scanner("scanner-1");
    EXPECT_FALSE(scanner.scan("before open"));
    ASSERT_TRUE(scanner.open(sink).ok());
    scanner.close();
    EXPECT_FALSE(scanner.scan("after close"));
    EXPECT_EQ(queue.size(), 0u);
}

TEST(SimulatedScanner, RefusesASecondOpen) {
    BoundedQueue<DeviceEvent> queue(8);
    QueueSink sink(queue);
    SimulatedScanner scanner("scanner-1");
    ASSERT_TRUE(scanner.open(sink).ok());
    Status again = scanner.open(sink);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, "device.already_open");
    scanner.close();
    EXPECT_TRUE(scanner.open(sink).ok());  // reopening after close is fine
}

TEST(SimulatedScanner, CloseInterruptsAScanBlockedOnAFullSink) {
    BoundedQueue<DeviceEvent> queue(1);
    QueueSink sink(queue);
    SimulatedScanner scanner("scanner-1");
    ASSERT_TRUE(scanner.open(sink).ok());
    ASSERT_TRUE(scanner.scan("fills the queue"));

    std::atomic<int> result{-1};
    std::thread packer([&] { result = scanner.scan("blocked") ? 1 : 0; });
    std::this_thread::sleep_for(20ms);
    EXPECT_EQ(result.load(), -1);  // still waiting for room
    scanner.close();               // the loop thread closes without draining: must not hang
    packer.join();
    EXPECT_EQ(result.load(), 0);
    EXPECT_EQ(queue.size(), 1u);
    EXPECT_EQ(pop_scan(queue).data, "fills the queue");
}

TEST(SimulatedScanner, ABlockedScanCompletesWhenTheLoopDrains) {
    BoundedQueue<DeviceEvent> queue(1);
    QueueSink sink(queue);
    SimulatedScanner scanner("scanner-1");
    ASSERT_TRUE(scanner.open(sink).ok());
    ASSERT_TRUE(scanner.scan("first"));
    std::atomic<int> result{-1};
    std::thread packer([&] { result = scanner.scan("second") ? 1 : 0; });
    EXPECT_EQ(pop_scan(queue).data, "first");
    EXPECT_EQ(pop_scan(queue).data, "second");
    packer.join();
    EXPECT_EQ(result.load(), 1);
    scanner.close();
}

}  // namespace
}  // namespace packline::hardware
