// The one thread that owns station state. Devices post into its bounded
// queue from their own threads; the loop applies events to PackingStation in
// order and ticks it for timeouts.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <variant>

#include "packline/hardware/bounded_queue.h"
#include "packline/hardware/events.h"
#include "packline/station/packing_station.h"

namespace packline::station {

class StationLoop final : public hardware::EventSink {
  public:
    explicit StationLoop(PackingStation& station, std::size_t capacity = 1024,
                         std::chrono::milliseconds tick = std::chrono::milliseconds(50));

    // EventSink: thread-safe, called by device threads.
    bool post(hardware::DeviceEvent event) override;
    bool try_post(hardware::DeviceEvent event) override;

    // Runs `task` on the loop thread (queries from other threads, tests).
    bool post_task(std::function<void(PackingStation&)> task);

    // Processes events on the calling thread until stop().
    void run();
    // Thread-safe; events already queued are still processed.
    void stop();

  private:
    struct StopRequest {};
    using Item =
        std::variant<hardware::DeviceEvent, std::function<void(PackingStation&)>, StopRequest>;

    PackingStation& station_;
    hardware::BoundedQueue<Item> queue_;
    std::chrono::milliseconds tick_;
};

}  // namespace packline::station
