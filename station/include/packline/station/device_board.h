// Device health as the devices last reported it, by device id: whether a
// step that needs a kind of device can go on, and why not. A kind no device
// has reported on is assumed usable (simulated benches, tests). Pure data;
// thread-bound like the station that keeps it.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "packline/hardware/events.h"

namespace packline::station {

// "scanner", "scale", "printer", "camera", "light": the word the packer reads.
std::string_view device_word(hardware::DeviceKind kind);

class DeviceBoard {
  public:
    struct State {
        hardware::DeviceKind kind = hardware::DeviceKind::Scanner;
        hardware::DeviceHealth health = hardware::DeviceHealth::Present;
        std::string detail;
    };
    // What a report changed, for the kind of step it concerns (a camera
    // counts as a scanner where there are scanners: it is a scan source).
    struct Change {
        hardware::DeviceKind kind = hardware::DeviceKind::Scanner;
        bool changed = false;  // health or detail differ from the last report
        bool lost = false;     // the kind was usable and is not any more
        bool back = false;     // the kind was unusable and is usable again
    };

    Change record(const hardware::DeviceStatusEvent& event);

    // Whether a step that needs `kind` can go on. Scans come from scanners
    // and cameras alike.
    bool usable(hardware::DeviceKind kind) const;
    // Why not, for the packer ("scale unplugged").
    std::string unusable_reason(hardware::DeviceKind kind) const;
    const std::map<std::string, State, std::less<>>& states() const { return states_; }

  private:
    bool has_kind(hardware::DeviceKind kind) const;

    std::map<std::string, State, std::less<>> states_;
};

}  // namespace packline::station
