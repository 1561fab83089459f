#include "packline/hardware/simulated_scale.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <functional>
#include <thread>
#include <vector>

#include "packline/hardware/queue_sink.h"

namespace packline::hardware {
namespace {

using namespace std::chrono_literals;

SimulatedScaleOptions fast_options(std::uint64_t seed = 1) {
    SimulatedScaleOptions options;
    options.seed = seed;
    options.period = 200us;
    options.heartbeat = 30ms;
    return options;
}

// The timeout only catches a scale that stopped reporting; a loaded machine
// may take long.
std::optional<WeightReading> next_reading(BoundedQueue<DeviceEvent>& queue,
                                          std::chrono::milliseconds timeout = 20s) {
    auto event = queue.pop_for(timeout);
    if (!event || !std::holds_alternative<WeightReading>(*event)) return std::nullopt;
    return std::get<WeightReading>(*event);
}

// Readings up to and including the first that matches, or all that came
// within 20 s (a bound that only catches a scale that never gets there).
std::vector<WeightReading> readings_until(BoundedQueue<DeviceEvent>& queue,
                                          const std::function<bool(const WeightReading&)>& done) {
    std::vector<WeightReading> readings;
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (std::chrono::steady_clock::now() < deadline) {
        auto reading = next_reading(queue, 100ms);
        if (!reading) continue;
        readings.push_back(*reading);
        if (done(*reading)) break;
    }
    return readings;
}

bool is(const WeightReading& reading, WeightStatus status) {
    return reading.status == status;
}

class SimulatedScaleTest : public ::testing::Test {
  protected:
    void open(SimulatedScaleOptions options = fast_options()) {
        scale_.emplace("scale-1", options);
        ASSERT_TRUE(scale_->open(sink_).ok());
        // Power-up: the empty platform reports AtZero twice, then goes quiet.
        auto first = next_reading(queue_);
        auto second = next_reading(queue_);
        ASSERT_TRUE(first && second);
        EXPECT_EQ(first->status, WeightStatus::AtZero);
        EXPECT_EQ(second->status, WeightStatus::AtZero);
        EXPECT_EQ(first->grams, 0.0);
        settled_ = *second;
    }

    // The next settled (not in motion) reading after a change. A settled
    // scale repeats its value (twice, then on each heartbeat), and on a
    // loaded machine a repeat may be queued before the change's first
    // reading: repeats of the last settled reading are skipped, so the
    // result is caused by the change however late the test thread ran.
    WeightReading settle() {
        auto readings = readings_until(queue_, [this](const WeightReading& r) {
            const bool repeat = r.status == settled_.status && r.grams == settled_.grams;
            return r.status != WeightStatus::InMotion && !repeat;
        });
        EXPECT_FALSE(readings.empty());
        if (readings.empty()) return WeightReading{};
        settled_ = readings.back();
        return settled_;
    }

    WeightReading settled_;

    BoundedQueue<DeviceEvent> queue_{1024};
    QueueSink sink_{queue_};
    std::optional<SimulatedScale> scale_;
};

TEST_F(SimulatedScaleTest, ReportsInMotionThenStableAtTheTarget) {
    open();
    scale_->place(1234.4);
    std::vector<WeightReading> readings;
    while (readings.size() < 6) {
        auto reading = next_reading(queue_, 20s);
        ASSERT_TRUE(reading);
        // An empty platform's heartbeat queued before the load came.
        if (readings.empty() && reading->status == WeightStatus::AtZero) continue;
        readings.push_back(*reading);
    }
    // settle_readings (4) in motion, wandering less and less around the target...
    bool wandered = false;
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(readings[static_cast<std::size_t>(i)].status, WeightStatus::InMotion) << i;
        const double error = std::abs(readings[static_cast<std::size_t>(i)].grams - 1234.4);
        EXPECT_LE(error, 3.0 * (4 - i) / 4.0 + 0.5) << i;
        if (readings[static_cast<std::size_t>(i)].grams != 1234.0) wandered = true;
    }
    EXPECT_TRUE(wandered);
    // ...then stable at the target rounded to the resolution, twice.
    for (int i = 4; i < 6; ++i) {
        EXPECT_EQ(readings[static_cast<std::size_t>(i)].status, WeightStatus::Stable);
        EXPECT_EQ(readings[static_cast<std::size_t>(i)].grams, 1234.0);
        EXPECT_EQ(readings[static_cast<std::size_t>(i)].device, "scale-1");
    }
    ASSERT_TRUE(scale_->last());
    EXPECT_EQ(scale_->last()->grams, 1234.0);
}

TEST_F(SimulatedScaleTest, RoundsToItsResolution) {
    SimulatedScaleOptions options = fast_options();
    options.resolution_g = 5.0;
    open(options);
    scale_->place(1233.0);
    WeightReading reading = settle();
    EXPECT_EQ(reading.status, WeightStatus::Stable);
    EXPECT_EQ(reading.grams, 1235.0);
}

TEST_F(SimulatedScaleTest, TheSameSeedGivesTheSameReadings) {
    auto in_motion_values = [](std::uint64_t seed) {
        BoundedQueue<DeviceEvent> queue(64);
        QueueSink sink(queue);
        SimulatedScale scale("scale-1", fast_options(seed));
        scale.place(800.0);  // before open: the first change after power-up
        EXPECT_TRUE(scale.open(sink).ok());
        next_reading(queue);
        next_reading(queue);
        scale.place(2500.0);
        // The first four in-motion readings (a heartbeat of the 800 g may
        // come first on a loaded machine).
        std::vector<double> values;
        while (values.size() < 4) {
            const auto reading = next_reading(queue);
            if (!reading) break;
            if (reading->status == WeightStatus::InMotion) values.push_back(reading->grams);
        }
        scale.close();
        return values;
    };
    EXPECT_EQ(in_motion_values(7), in_motion_values(7));
    EXPECT_NE(in_motion_values(7), in_motion_values(8));
}

TEST_F(SimulatedScaleTest, OverloadAboveCapacityIsNeverStable) {
    open();
    scale_->place(30001.0);
    auto readings = readings_until(
        queue_, [](const WeightReading& r) { return r.status != WeightStatus::InMotion; });
    ASSERT_FALSE(readings.empty());
    EXPECT_EQ(readings.back().status, WeightStatus::Overload);
    for (const auto& reading : readings)
        EXPECT_NE(reading.status, WeightStatus::Stable);
    // At capacity is still a weight.
    scale_->place(30000.0);
    EXPECT_EQ(settle().status, WeightStatus::Stable);
}

TEST_F(SimulatedScaleTest, AWobblingScaleNeverSettles) {
    open();
    scale_->wobble(true);
    scale_->place(500.0);
    std::vector<WeightReading> readings;
    while (readings.size() < 200) {
        auto reading = next_reading(queue_);
        ASSERT_TRUE(reading);
        readings.push_back(*reading);
    }
    for (const auto& reading : readings)
        EXPECT_EQ(reading.status, WeightStatus::InMotion);
    EXPECT_EQ(scale_->zero().error().code, "scale.in_motion");

    scale_->wobble(false);
    WeightReading settled = settle();
    EXPECT_EQ(settled.status, WeightStatus::Stable);
    EXPECT_EQ(settled.grams, 500.0);
}

TEST_F(SimulatedScaleTest, NegativeReadsUnderZero) {
    open();
    scale_->set_negative(12.0);
    WeightReading reading = settle();
    EXPECT_EQ(reading.status, WeightStatus::UnderZero);
    EXPECT_EQ(reading.grams, -12.0);
}

TEST_F(SimulatedScaleTest, AFaultIsReportedAtOnceAndBlocksZero) {
    open();
    scale_->place(700.0);
    EXPECT_EQ(settle().status, WeightStatus::Stable);
    scale_->set_fault(true);
    // Repeats of the settled reading may still be queued (a loaded machine);
    // after them the fault comes at once, with no in-motion readings first.
    auto to_fault =
        readings_until(queue_, [](const WeightReading& r) { return is(r, WeightStatus::Fault); });
    ASSERT_FALSE(to_fault.empty());
    EXPECT_EQ(to_fault.back().status, WeightStatus::Fault);
    for (const auto& reading : to_fault)
        EXPECT_NE(reading.status, WeightStatus::InMotion);
    Status zeroed = scale_->zero();
    ASSERT_FALSE(zeroed.ok());
    EXPECT_EQ(zeroed.error().code, "scale.fault");

    scale_->set_fault(false);
    auto recovered =
        readings_until(queue_, [](const WeightReading& r) { return is(r, WeightStatus::Stable); });
    ASSERT_FALSE(recovered.empty());
    EXPECT_EQ(recovered.back().status, WeightStatus::Stable);
    EXPECT_EQ(recovered.back().grams, 700.0);
}

TEST_F(SimulatedScaleTest, ZeroMakesTheCurrentLoadReadZero) {
    open();
    scale_->place(500.0);
    WeightReading box = settle();
    EXPECT_EQ(box.grams, 500.0);

    ASSERT_TRUE(scale_->zero().ok());
    WeightReading zeroed = settle();
    EXPECT_EQ(zeroed.status, WeightStatus::AtZero);
    EXPECT_EQ(zeroed.grams, 0.0);

    scale_->place(800.0);  // the box plus 300 g
    WeightReading net = settle();
    EXPECT_EQ(net.status, WeightStatus::Stable);
    EXPECT_EQ(net.grams, 300.0);

    scale_->remove();  // like a real scale: the zeroed-out box is missing now
    WeightReading empty = settle();
    EXPECT_EQ(empty.status, WeightStatus::UnderZero);
    EXPECT_EQ(empty.grams, -500.0);
}

TEST_F(SimulatedScaleTest, RemoveReturnsToZero) {
    open();
    scale_->place(250.0);
    EXPECT_EQ(settle().status, WeightStatus::Stable);
    scale_->remove();
    WeightReading empty = settle();
    EXPECT_EQ(empty.status, WeightStatus::AtZero);
    EXPECT_EQ(empty.grams, 0.0);
}

TEST_F(SimulatedScaleTest, QuietOnceSettledApartFromTheHeartbeat) {
    open();
    scale_->place(900.0);
    readings_until(queue_, [](const WeightReading& r) { return is(r, WeightStatus::Stable); });
    auto second_stable = next_reading(queue_);
    auto heartbeat = next_reading(queue_);
    ASSERT_TRUE(second_stable && heartbeat);
    EXPECT_EQ(second_stable->status, WeightStatus::Stable);
    EXPECT_EQ(heartbeat->status, WeightStatus::Stable);
    EXPECT_EQ(heartbeat->grams, 900.0);
    // Nothing in between (heartbeat is 30 ms here): the thread waits, it does not spin.
    EXPECT_GE(heartbeat->at_ms - second_stable->at_ms, 25);
}

TEST_F(SimulatedScaleTest, NothingIsPostedAfterClose) {
    open();
    scale_->wobble(true);  // a reading every period
    scale_->place(100.0);
    ASSERT_TRUE(next_reading(queue_));
    scale_->close();
    const std::size_t after_close = queue_.size();
    std::this_thread::sleep_for(20ms);
    EXPECT_EQ(queue_.size(), after_close);
}

TEST(SimulatedScale, CloseDoesNotHangOnAFullSink) {
    BoundedQueue<DeviceEvent> queue(1);  // nobody drains it
    QueueSink sink(queue);
    SimulatedScale scale("scale-1", fast_options());
    ASSERT_TRUE(scale.open(sink).ok());
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (queue.size() < 1 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(1ms);
    // The power-up reading filled the queue; the second one is waiting for room.
    scale.close();
    EXPECT_EQ(queue.size(), 1u);
}

TEST(SimulatedScale, RefusesASecondOpen) {
    BoundedQueue<DeviceEvent> queue(16);
    QueueSink sink(queue);
    SimulatedScale scale("scale-1", fast_options());
    EXPECT_EQ(scale.kind(), DeviceKind::Scale);
    ASSERT_TRUE(scale.open(sink).ok());
    Status again = scale.open(sink);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, "device.already_open");
}

}  // namespace
}  // namespace packline::hardware
