// The EventSink the station loop hands to its devices: a thin adapter over the
// bounded event queue that the loop thread pops from.
//
// Thread-safety: post() and try_post() may be called from any thread at any
// time; the queue does the locking. The queue must outlive the sink.
#pragma once

#include <utility>

#include "packline/hardware/bounded_queue.h"
#include "packline/hardware/events.h"

namespace packline::hardware {

class QueueSink final : public EventSink {
  public:
    explicit QueueSink(BoundedQueue<DeviceEvent>& queue) : queue_(queue) {}

    bool post(DeviceEvent event) override { return queue_.push(std::move(event)); }
    bool try_post(DeviceEvent event) override { return queue_.try_push(std::move(event)); }

    BoundedQueue<DeviceEvent>& queue() { return queue_; }

  private:
    BoundedQueue<DeviceEvent>& queue_;
};

}  // namespace packline::hardware
