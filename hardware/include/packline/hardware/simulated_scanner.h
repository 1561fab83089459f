// A scanner driven by a script instead of a laser: scan("...") is a packer
// pulling the trigger. Used by the demo and the end-to-end tests, through the
// same Scanner interface as the real drivers.
//
// Thread-safety: every member may be called from any thread. scan() posts from
// the calling thread (the scripted packer), so it blocks while the sink is full;
// close() wakes such a scan (it then returns false) and waits for it, so no
// event is posted after close() returns.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>

#include "packline/hardware/devices.h"

namespace packline::hardware {

class SimulatedScanner final : public Scanner {
  public:
    explicit SimulatedScanner(std::string id);
    ~SimulatedScanner() override;

    SimulatedScanner(const SimulatedScanner&) = delete;
    SimulatedScanner& operator=(const SimulatedScanner&) = delete;

    std::string id() const override;
    Status open(EventSink& sink) override;
    void close() override;

    // Delivers one ScanEvent{id, data, now}. Returns false (and posts nothing)
    // while the scanner is closed, or when close() interrupts a blocked post.
    bool scan(std::string data);

  private:
    const std::string id_;
    std::mutex mutex_;
    std::condition_variable wake_;
    EventSink* sink_ = nullptr;
    bool closing_ = false;
    int in_flight_ = 0;
};

}  // namespace packline::hardware
