// An EventSink for device tests: keeps every event a device posts and lets
// the test wait (generously) for the ones it expects. Family tests derive
// from it to add their own questions (job updates, scans by index...).
//
// Thread-safety: post()/try_post() from any device thread; the rest from the
// test thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <variant>
#include <vector>

#include "packline/hardware/events.h"

namespace packline::testing {

class CollectingSink : public hardware::EventSink {
  public:
    bool post(hardware::DeviceEvent event) override {
        {
            std::lock_guard lock(mutex_);
            events_.push_back(std::move(event));
        }
        changed_.notify_all();
        return true;
    }
    bool try_post(hardware::DeviceEvent event) override { return post(std::move(event)); }

    std::vector<hardware::DeviceEvent> events() const {
        std::lock_guard lock(mutex_);
        return events_;
    }

    std::size_t size() const {
        std::lock_guard lock(mutex_);
        return events_.size();
    }

    // Every event of type T so far, in order.
    template <typename T>
    std::vector<T> all() const {
        std::lock_guard lock(mutex_);
        std::vector<T> typed;
        for (const auto& event : events_)
            if (const T* found = std::get_if<T>(&event)) typed.push_back(*found);
        return typed;
    }

    // Waits until `done(events)` holds; false on timeout.
    template <typename Predicate>
    bool wait_until_all(Predicate done,
                        std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, timeout, [&] { return done(events_); });
    }

  protected:
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<hardware::DeviceEvent> events_;
};

}  // namespace packline::testing
