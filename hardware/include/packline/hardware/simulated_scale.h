// A scale that behaves like a USB HID POS scale on a packing bench: after each
// change of load it reports a few in-motion readings wandering around the new
// weight (the wobble dying down), then the settled reading twice, then goes
// quiet apart from a heartbeat that repeats the last state. Deterministic for a
// given seed and sequence of calls.
//
// Thread-safety: every member may be called from any thread (the scripted
// packer moves parcels while the station loop reads). The reporting thread
// runs between open() and close(); it only calls EventSink::post/try_post.
// close() stops and joins it; no reading is posted after close() returns.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>

#include "packline/hardware/device_thread.h"
#include "packline/hardware/devices.h"

namespace packline::hardware {

struct SimulatedScaleOptions {
    std::uint64_t seed = 1;
    // Time between readings while the load settles (real HID scales: ~100 ms;
    // kept short so a demo shift of 50 parcels takes seconds).
    std::chrono::microseconds period{2000};
    // In-motion readings after each change before the weight is stable.
    int settle_readings = 4;
    // Amplitude of the first in-motion reading; it decays to 0 over the settle.
    double noise_g = 3.0;
    // Displayed weights are multiples of this (a 30 kg scale shows whole grams).
    double resolution_g = 1.0;
    double capacity_g = 30000;
    // Once settled the scale repeats its last state this often, so a station
    // that connects late still learns the weight.
    std::chrono::milliseconds heartbeat{200};
};

class SimulatedScale final : public Scale {
  public:
    explicit SimulatedScale(std::string id, SimulatedScaleOptions options = {});
    ~SimulatedScale() override;

    SimulatedScale(const SimulatedScale&) = delete;
    SimulatedScale& operator=(const SimulatedScale&) = delete;

    std::string id() const override;
    // Reports the current state (twice, stable) and starts the reporting thread.
    Status open(EventSink& sink) override;
    void close() override;
    // Re-zero: the current load reads 0 from now on. Refused while the scale
    // is faulted, in motion or overloaded, as real scales do.
    Status zero() override;

    // The total load on the platform becomes `grams`. Above capacity the scale
    // reports Overload. The displayed weight is load minus the zero offset, so
    // after zero() with a box on it, removing the box reads negative.
    void place(double grams);
    // Empties the platform (AtZero, or UnderZero if zeroed with a load on it).
    void remove();
    // While on, the scale never settles: in-motion readings forever (a
    // vibrating bench, a hand on the box).
    void wobble(bool on);
    // The reading drifts below zero by `grams` (magnitude; sign is ignored).
    void set_negative(double grams);
    // A faulted scale reports Fault (calibration / hardware error) until cleared.
    void set_fault(bool on);

    // The last reading the scale produced (delivered or dropped), for tests.
    std::optional<WeightReading> last() const;

  private:
    enum class Phase { Settling, Settled, Quiet };

    void run();
    WeightReading in_motion_reading_locked(double amplitude);
    WeightReading settled_reading_locked() const;
    double displayed_locked() const;
    double round_to_resolution(double grams) const;
    void change_locked();

    const std::string id_;
    const SimulatedScaleOptions options_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::mt19937_64 random_;
    EventSink* sink_ = nullptr;
    bool closing_ = false;
    DeviceThread worker_{mutex_, wake_, closing_, sink_};  // after the members it drives

    double load_g_ = 0.0;
    double zero_offset_g_ = 0.0;
    bool wobbling_ = false;
    bool faulted_ = false;
    std::uint64_t changes_ = 0;
    std::optional<WeightReading> last_;
};

}  // namespace packline::hardware
