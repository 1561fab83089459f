// An EventSink for device tests: keeps every event and lets the test wait for
// one that matches (generous timeouts, no timing assertions).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "packline/hardware/events.h"

namespace packline::testing {

class CollectingSink final : public hardware::EventSink {
  public:
    bool post(hardware::DeviceEvent event) override { return try_post(std::move(event)); }
    bool try_post(hardware::DeviceEvent event) override {
        std::lock_guard lock(mutex_);
        events_.push_back(std::move(event));
        changed_.notify_all();
        return true;
    }

    // Waits for the next event (after those already taken) that matches.
    template <typename T>
    std::optional<T> next(const std::function<bool(const T&)>& wanted = nullptr,
                          std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
        std::unique_lock lock(mutex_);
        std::optional<T> found;
        changed_.wait_for(lock, timeout, [&] {
            for (; taken_ < events_.size(); ++taken_) {
                const T* event = std::get_if<T>(&events_[taken_]);
                if (event != nullptr && (!wanted || wanted(*event))) {
                    found = *event;
                    ++taken_;
                    return true;
                }
            }
            return false;
        });
        return found;
    }

    std::optional<hardware::ScanEvent> next_scan() { return next<hardware::ScanEvent>(); }
    std::optional<hardware::DeviceStatusEvent> next_status(hardware::DeviceHealth health) {
        return next<hardware::DeviceStatusEvent>(
            [health](const hardware::DeviceStatusEvent& status) {
                return status.health == health;
            });
    }

    std::vector<hardware::DeviceEvent> all() {
        std::lock_guard lock(mutex_);
        return events_;
    }

  private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<hardware::DeviceEvent> events_;
    std::size_t taken_ = 0;
};

}  // namespace packline::testing
