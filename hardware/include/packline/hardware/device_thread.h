// The open/close choreography of a simulated device that runs a thread of its
// own. open() refuses a second open; close() sets the device's closing flag,
// wakes the thread, joins it and only then forgets the sink, so nothing is
// posted after close() returns. The device keeps its own lock, wake-up and
// flag (its thread waits on them); this class only drives them.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "packline/error.h"
#include "packline/hardware/device_errors.h"
#include "packline/hardware/events.h"

namespace packline::hardware {

class DeviceThread {
  public:
    DeviceThread(std::mutex& mutex, std::condition_variable& wake, bool& closing, EventSink*& sink)
        : mutex_(mutex), wake_(wake), closing_(closing), sink_(sink) {}
    DeviceThread(const DeviceThread&) = delete;
    DeviceThread& operator=(const DeviceThread&) = delete;
    ~DeviceThread() { stop(); }

    // `device` names the device in the error ("scale sim-scale").
    Status start(EventSink& sink, const std::string& device, std::function<void()> body) {
        std::lock_guard lock(mutex_);
        if (sink_ != nullptr) return Error(errors::kDeviceAlreadyOpen, device + " is already open");
        sink_ = &sink;
        closing_ = false;
        thread_ = std::thread(std::move(body));
        return {};
    }

    void stop() {
        {
            std::lock_guard lock(mutex_);
            if (sink_ == nullptr) return;
            closing_ = true;
            wake_.notify_all();
        }
        if (thread_.joinable()) thread_.join();
        std::lock_guard lock(mutex_);
        sink_ = nullptr;
    }

  private:
    std::mutex& mutex_;
    std::condition_variable& wake_;
    bool& closing_;
    EventSink*& sink_;
    std::thread thread_;
};

}  // namespace packline::hardware
