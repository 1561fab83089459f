#include "packline/hardware/events.h"

#include "packline/clock.h"
#include "packline/hardware/devices.h"

namespace packline::hardware {

std::int64_t now_ms() {
    return wall_clock_ms();
}

std::string_view to_string(DeviceKind kind) {
    switch (kind) {
        case DeviceKind::Scanner:
            return "scanner";
        case DeviceKind::Scale:
            return "scale";
        case DeviceKind::LabelPrinter:
            return "label-printer";
        case DeviceKind::Camera:
            return "camera";
        case DeviceKind::Indicator:
            return "indicator";
    }
    return "unknown";
}

std::string_view to_string(WeightStatus status) {
    switch (status) {
        case WeightStatus::Stable:
            return "stable";
        case WeightStatus::InMotion:
            return "in_motion";
        case WeightStatus::AtZero:
            return "at_zero";
        case WeightStatus::UnderZero:
            return "under_zero";
        case WeightStatus::Overload:
            return "overload";
        case WeightStatus::Fault:
            return "fault";
    }
    return "unknown";
}

std::string_view to_string(PrintJobState state) {
    switch (state) {
        case PrintJobState::Queued:
            return "queued";
        case PrintJobState::Printing:
            return "printing";
        case PrintJobState::Completed:
            return "completed";
        case PrintJobState::Failed:
            return "failed";
    }
    return "unknown";
}

std::string_view to_string(DeviceHealth health) {
    switch (health) {
        case DeviceHealth::Present:
            return "present";
        case DeviceHealth::Absent:
            return "absent";
        case DeviceHealth::Faulty:
            return "faulty";
    }
    return "unknown";
}

std::string_view to_string(Signal signal) {
    switch (signal) {
        case Signal::Idle:
            return "idle";
        case Signal::Working:
            return "working";
        case Signal::Ok:
            return "ok";
        case Signal::Attention:
            return "attention";
        case Signal::Error:
            return "error";
    }
    return "unknown";
}

}  // namespace packline::hardware
