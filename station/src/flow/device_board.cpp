#include "packline/station/device_board.h"

#include <algorithm>

namespace packline::station {

std::string_view device_word(hardware::DeviceKind kind) {
    switch (kind) {
        case hardware::DeviceKind::Scanner:
            return "scanner";
        case hardware::DeviceKind::Scale:
            return "scale";
        case hardware::DeviceKind::LabelPrinter:
            return "printer";
        case hardware::DeviceKind::Camera:
            return "camera";
        case hardware::DeviceKind::Indicator:
            return "light";
    }
    return "device";
}

DeviceBoard::Change DeviceBoard::record(const hardware::DeviceStatusEvent& event) {
    Change change;
    // A camera is also a scan source: losing it may stop scanning.
    change.kind =
        event.kind == hardware::DeviceKind::Camera && has_kind(hardware::DeviceKind::Scanner)
            ? hardware::DeviceKind::Scanner
            : event.kind;
    const bool was_usable = usable(change.kind);
    auto found = states_.find(event.device);
    change.changed = found == states_.end() || found->second.health != event.health ||
                     found->second.detail != event.detail;
    states_[event.device] = {event.kind, event.health, event.detail};
    if (!change.changed) return change;
    const bool now_usable = usable(change.kind);
    change.lost = was_usable && !now_usable;
    change.back = !was_usable && now_usable;
    return change;
}

bool DeviceBoard::usable(hardware::DeviceKind kind) const {
    bool reported = false;
    for (const auto& [id, state] : states_) {
        const bool counts = state.kind == kind || (kind == hardware::DeviceKind::Scanner &&
                                                   state.kind == hardware::DeviceKind::Camera);
        if (!counts) continue;
        if (state.kind == kind) reported = true;
        if (state.health == hardware::DeviceHealth::Present) return true;
    }
    return !reported;
}

bool DeviceBoard::has_kind(hardware::DeviceKind kind) const {
    return std::any_of(states_.begin(), states_.end(),
                       [&](const auto& entry) { return entry.second.kind == kind; });
}

std::string DeviceBoard::unusable_reason(hardware::DeviceKind kind) const {
    for (const auto& [id, state] : states_)
        if (state.kind == kind && state.health != hardware::DeviceHealth::Present)
            return state.detail.empty() ? std::string(device_word(kind)) + " " +
                                              std::string(hardware::to_string(state.health))
                                        : state.detail;
    return std::string(device_word(kind)) + " unavailable";
}

}  // namespace packline::station
