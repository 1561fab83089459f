#include "packline/station/station_loop.h"

namespace packline::station {

StationLoop::StationLoop(PackingStation& station, std::size_t capacity,
                         std::chrono::milliseconds tick)
    : station_(station), queue_(capacity), tick_(tick) {}

bool StationLoop::post(hardware::DeviceEvent event) {
    return queue_.push(Item(std::move(event)));
}

bool StationLoop::try_post(hardware::DeviceEvent event) {
    return queue_.try_push(Item(std::move(event)));
}

bool StationLoop::post_task(std::function<void(PackingStation&)> task) {
    return queue_.push(Item(std::move(task)));
}

void StationLoop::run() {
    auto next_tick = std::chrono::steady_clock::now() + tick_;
    for (;;) {
        auto now = std::chrono::steady_clock::now();
        if (now >= next_tick) {
            station_.tick(station_.clock().now_ms());
            next_tick = now + tick_;
        }
        auto item = queue_.pop_for(next_tick - now);
        if (!item) {
            if (queue_.closed()) return;
            continue;
        }
        if (auto* event = std::get_if<hardware::DeviceEvent>(&*item)) {
            station_.handle(*event);
        } else if (auto* task = std::get_if<std::function<void(PackingStation&)>>(&*item)) {
            (*task)(station_);
        } else {
            queue_.close();
            // Drain what was queued before the stop request.
            while (auto rest = queue_.pop_for(std::chrono::milliseconds(0))) {
                if (auto* late = std::get_if<hardware::DeviceEvent>(&*rest))
                    station_.handle(*late);
                else if (auto* late_task =
                             std::get_if<std::function<void(PackingStation&)>>(&*rest))
                    (*late_task)(station_);
            }
            return;
        }
    }
}

void StationLoop::stop() {
    queue_.push(Item(StopRequest{}));
}

}  // namespace packline::station
