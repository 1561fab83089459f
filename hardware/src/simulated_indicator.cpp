#include "packline/hardware/simulated_indicator.h"

#include <utility>

#include "packline/hardware/device_errors.h"

namespace packline::hardware {

SimulatedIndicator::SimulatedIndicator(std::string id) : id_(std::move(id)) {}

std::string SimulatedIndicator::id() const {
    return id_;
}

Status SimulatedIndicator::open(EventSink& /*sink*/) {
    std::lock_guard lock(mutex_);
    if (open_) return Error(errors::kDeviceAlreadyOpen, "indicator " + id_ + " is already open");
    open_ = true;
    return {};
}

void SimulatedIndicator::close() {
    std::lock_guard lock(mutex_);
    open_ = false;
}

void SimulatedIndicator::show(Signal signal) {
    std::lock_guard lock(mutex_);
    history_.push_back(signal);
}

Signal SimulatedIndicator::current() const {
    std::lock_guard lock(mutex_);
    return history_.empty() ? Signal::Idle : history_.back();
}

std::vector<Signal> SimulatedIndicator::history() const {
    std::lock_guard lock(mutex_);
    return history_;
}

bool SimulatedIndicator::is_open() const {
    std::lock_guard lock(mutex_);
    return open_;
}

}  // namespace packline::hardware
