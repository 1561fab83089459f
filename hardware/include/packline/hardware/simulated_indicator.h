// A light tower that remembers what it showed, for tests and the demo.
//
// Thread-safety: every member may be called from any thread. It runs no thread
// of its own and posts no events.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "packline/hardware/devices.h"

namespace packline::hardware {

class SimulatedIndicator final : public Indicator {
  public:
    explicit SimulatedIndicator(std::string id);

    std::string id() const override;
    Status open(EventSink& sink) override;
    void close() override;
    // Recorded whether or not the indicator is open: a test may check what
    // the station asked for even after shutdown.
    void show(Signal signal) override;

    // Idle until something is shown.
    Signal current() const;
    // Every signal shown, oldest first.
    std::vector<Signal> history() const;
    bool is_open() const;

  private:
    const std::string id_;
    mutable std::mutex mutex_;
    std::vector<Signal> history_;
    bool open_ = false;
};

}  // namespace packline::hardware
