// Polling for tests that wait on other threads or processes (a broker, a
// hub, a daemon): the condition is checked every 10 ms until it holds or the
// timeout passes, and checked once more at the end.
#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace packline::testing {

inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return condition();
}

}  // namespace packline::testing
