// An EventSink for USB device tests: keeps every event and lets the test wait
// (generously) for one that matches.
// Thread-safety: post()/try_post() from any thread; the rest from the test thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include "collecting_sink.h"
#include "packline/hardware/events.h"

namespace packline::testing {

class UsbEventSink final : public CollectingSink {
  public:
    // The first event of type T at or after index `from` satisfying `match`;
    // waits up to 10 s. Sets `*index` to its position.
    template <typename T>
    std::optional<T> wait_for(std::size_t from, const std::function<bool(const T&)>& match,
                              std::size_t* index = nullptr) {
        std::unique_lock lock(mutex_);
        std::optional<T> found;
        changed_.wait_for(lock, std::chrono::seconds(10), [&] {
            for (std::size_t i = from; i < events_.size(); ++i) {
                if (const auto* event = std::get_if<T>(&events_[i]); event && match(*event)) {
                    found = *event;
                    if (index != nullptr) *index = i;
                    return true;
                }
            }
            return false;
        });
        return found;
    }
};

}  // namespace packline::testing
