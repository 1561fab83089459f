#include "packline/hardware/simulated_scanner.h"

#include <utility>

#include "packline/hardware/device_errors.h"
#include "packline/hardware/simulated_post.h"

namespace packline::hardware {

SimulatedScanner::SimulatedScanner(std::string id) : id_(std::move(id)) {}

SimulatedScanner::~SimulatedScanner() {
    close();
}

std::string SimulatedScanner::id() const {
    return id_;
}

Status SimulatedScanner::open(EventSink& sink) {
    std::lock_guard lock(mutex_);
    if (sink_ != nullptr)
        return Error(errors::kDeviceAlreadyOpen, "scanner " + id_ + " is already open");
    sink_ = &sink;
    closing_ = false;
    return {};
}

void SimulatedScanner::close() {
    std::unique_lock lock(mutex_);
    if (sink_ == nullptr) return;
    closing_ = true;
    wake_.notify_all();
    wake_.wait(lock, [&] { return in_flight_ == 0; });
    sink_ = nullptr;
}

bool SimulatedScanner::scan(std::string data) {
    std::unique_lock lock(mutex_);
    if (sink_ == nullptr || closing_) return false;
    ++in_flight_;
    const bool delivered = post_until_stopped(*sink_, ScanEvent{id_, std::move(data), now_ms()},
                                              lock, wake_, closing_);
    --in_flight_;
    wake_.notify_all();
    return delivered;
}

}  // namespace packline::hardware
