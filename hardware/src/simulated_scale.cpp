#include "packline/hardware/simulated_scale.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "packline/hardware/device_errors.h"

namespace packline::hardware {
namespace {

// HID POS scales repeat the settled reading: usbscale discards the first report
// after a change because it may be stale (devices.md 1.2), so a driver that
// waits for two equal stable reports needs at least two.
constexpr int kStableRepeats = 2;

}  // namespace

SimulatedScale::SimulatedScale(std::string id, SimulatedScaleOptions options)
    : id_(std::move(id)), options_(options), random_(options.seed) {}

SimulatedScale::~SimulatedScale() {
    close();
}

std::string SimulatedScale::id() const {
    return id_;
}

Status SimulatedScale::open(EventSink& sink) {
    return worker_.start(sink, "scale " + id_, [this] { run(); });
}

void SimulatedScale::close() {
    worker_.stop();
}

Status SimulatedScale::zero() {
    std::lock_guard lock(mutex_);
    if (faulted_) return Error(errors::kScaleFault, "scale " + id_ + " is faulted and cannot zero");
    if (wobbling_)
        return Error(errors::kScaleInMotion, "scale " + id_ + " is in motion and cannot zero");
    if (load_g_ > options_.capacity_g)
        return Error(errors::kScaleOverload, "scale " + id_ + " is overloaded and cannot zero");
    zero_offset_g_ = load_g_;
    change_locked();
    return {};
}

void SimulatedScale::place(double grams) {
    std::lock_guard lock(mutex_);
    load_g_ = grams;
    change_locked();
}

void SimulatedScale::remove() {
    place(0.0);
}

void SimulatedScale::wobble(bool on) {
    std::lock_guard lock(mutex_);
    wobbling_ = on;
    change_locked();
}

void SimulatedScale::set_negative(double grams) {
    std::lock_guard lock(mutex_);
    load_g_ = zero_offset_g_ - std::abs(grams);
    change_locked();
}

void SimulatedScale::set_fault(bool on) {
    std::lock_guard lock(mutex_);
    faulted_ = on;
    change_locked();
}

std::optional<WeightReading> SimulatedScale::last() const {
    std::lock_guard lock(mutex_);
    return last_;
}

void SimulatedScale::change_locked() {
    ++changes_;
    wake_.notify_all();
}

double SimulatedScale::round_to_resolution(double grams) const {
    double rounded = grams;
    if (options_.resolution_g > 0.0)
        rounded = std::round(grams / options_.resolution_g) * options_.resolution_g;
    return rounded == 0.0 ? 0.0 : rounded;  // no "-0 g" on the screen
}

double SimulatedScale::displayed_locked() const {
    return round_to_resolution(load_g_ - zero_offset_g_);
}

WeightReading SimulatedScale::in_motion_reading_locked(double amplitude) {
    // Uniform in [-1, 1) from the raw generator bits: std::uniform_real_distribution
    // is not specified bit-for-bit, and the readings must repeat for a seed.
    const double unit = static_cast<double>(random_() >> 11) * 0x1.0p-53;
    const double noise = (unit * 2.0 - 1.0) * amplitude;
    return WeightReading{id_, round_to_resolution(load_g_ - zero_offset_g_ + noise),
                         WeightStatus::InMotion, now_ms()};
}

WeightReading SimulatedScale::settled_reading_locked() const {
    WeightReading reading{id_, displayed_locked(), WeightStatus::Stable, now_ms()};
    if (faulted_) {
        reading.grams = 0.0;
        reading.status = WeightStatus::Fault;
    } else if (load_g_ > options_.capacity_g) {
        reading.status = WeightStatus::Overload;
    } else if (reading.grams < 0.0) {
        reading.status = WeightStatus::UnderZero;
    } else if (reading.grams == 0.0) {
        reading.status = WeightStatus::AtZero;
    }
    return reading;
}

void SimulatedScale::run() {
    using Clock = std::chrono::steady_clock;
    std::unique_lock lock(mutex_);
    // Power-up: a scale reports its current state straight away, settled.
    Phase phase = Phase::Settled;
    int step = 0;
    std::uint64_t seen = changes_;
    Clock::time_point next = Clock::now();

    while (true) {
        wake_.wait_until(lock, next, [&] { return closing_ || changes_ != seen; });
        if (closing_) return;
        const Clock::time_point now = Clock::now();
        if (changes_ != seen) {
            // A new load restarts the settle; a faulted scale reports Fault at once.
            seen = changes_;
            phase = faulted_ ? Phase::Settled : Phase::Settling;
            step = 0;
            next = now;
            continue;
        }
        if (now < next) continue;

        WeightReading reading;
        bool must_deliver = false;
        switch (phase) {
            case Phase::Settling:
                if (wobbling_) {
                    reading = in_motion_reading_locked(options_.noise_g);
                } else if (step < options_.settle_readings) {
                    const double remaining = static_cast<double>(options_.settle_readings - step) /
                                             static_cast<double>(options_.settle_readings);
                    reading = in_motion_reading_locked(options_.noise_g * remaining);
                    ++step;
                } else {
                    phase = Phase::Settled;
                    step = 0;
                    continue;  // report the settled reading now
                }
                next = now + options_.period;
                break;
            case Phase::Settled:
                reading = settled_reading_locked();
                must_deliver = true;
                if (++step >= kStableRepeats) {
                    phase = Phase::Quiet;
                    next = now + options_.heartbeat;
                } else {
                    next = now + options_.period;
                }
                break;
            case Phase::Quiet:
                reading = last_.value_or(settled_reading_locked());
                reading.at_ms = now_ms();
                next = now + options_.heartbeat;
                break;
        }

        last_ = reading;
        // Posting under the lock: once place()/remove()/... return, no reading
        // computed for the old load can still be on its way.
        if (sink_->try_post(reading) || !must_deliver) continue;
        // The settled reading is the one the weight check waits for: never drop
        // it while it is true. A full queue drains quickly; back off from 1 to
        // 16 ms, and stop trying once the load changed (the reading is stale).
        std::chrono::milliseconds backoff{1};
        while (!closing_ && changes_ == seen && !sink_->try_post(reading)) {
            wake_.wait_for(lock, backoff, [&] { return closing_ || changes_ != seen; });
            backoff = std::min(backoff * 2, std::chrono::milliseconds{16});
        }
        if (closing_) return;
    }
}

}  // namespace packline::hardware
