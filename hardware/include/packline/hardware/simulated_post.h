// A blocking post that a device's close() can interrupt. Shared by the
// simulated devices.
//
// Why not EventSink::post(): close() is called from the station loop thread,
// which is also the thread that drains the sink. A device thread parked in a
// plain blocking post() on a full sink could then never be woken, and close()
// would wait for it forever. Instead we retry try_post() and sleep on the
// device's own condition variable between attempts, so close() can wake us.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "packline/hardware/events.h"

namespace packline::hardware {

// Delivers `event` unless `stopping` turns true first (then returns false).
// `lock` must hold the mutex that guards `stopping` and that `wake` is
// notified under; it is released while the sink is called and while waiting.
inline bool post_until_stopped(EventSink& sink, const DeviceEvent& event,
                               std::unique_lock<std::mutex>& lock, std::condition_variable& wake,
                               const bool& stopping) {
    // Backs off from 1 ms to 16 ms: a full queue drains quickly in practice, and
    // a closed sink (daemon shutting down) must not cost CPU while we wait.
    std::chrono::milliseconds backoff{1};
    while (!stopping) {
        lock.unlock();
        const bool delivered = sink.try_post(event);
        lock.lock();
        if (delivered) return true;
        wake.wait_for(lock, backoff, [&] { return stopping; });
        backoff = std::min(backoff * 2, std::chrono::milliseconds{16});
    }
    return false;
}

}  // namespace packline::hardware
