#include "packline/clock.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace packline {
namespace {

TEST(ManualClock, MovesOnlyWhenTold) {
    ManualClock clock(1'700'000'000'000);
    EXPECT_EQ(clock.now_ms(), 1'700'000'000'000);
    EXPECT_EQ(clock.now_ms(), 1'700'000'000'000);
    clock.advance(250);
    EXPECT_EQ(clock.now_ms(), 1'700'000'000'250);
    clock.set(5);
    EXPECT_EQ(clock.now_ms(), 5);
}

TEST(ManualClock, AdvancesFromManyThreadsWithoutLosingAStep) {
    ManualClock clock;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&clock] {
            for (int i = 0; i < 1000; ++i)
                clock.advance(1);
        });
    for (std::thread& thread : threads)
        thread.join();
    EXPECT_EQ(clock.now_ms(), 4000);
}

TEST(SystemClock, IsTheWallClockInMilliseconds) {
    const std::int64_t before = wall_clock_ms();
    const std::int64_t now = system_clock().now_ms();
    const std::int64_t after = wall_clock_ms();
    EXPECT_LE(before, now);
    EXPECT_LE(now, after);
    // 2020-01-01 in milliseconds: a clock in seconds or microseconds fails.
    EXPECT_GT(now, 1'577'836'800'000);
    EXPECT_LT(now, 1'577'836'800'000 * 10);
}

}  // namespace
}  // namespace packline
