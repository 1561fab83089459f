// Internal: what sysfs and /dev/input/by-id say about the input devices.
// Shared by the device (matching by name or vid:pid) and detection. Under
// umockdev both trees are redirected into the testbed, so tests see theirs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "packline/drivers/evdev_scanner_device.h"

namespace packline::drivers::evdev_internal {

struct InputNode {
    std::string event_name;   // "event5"
    std::string device_path;  // "/dev/input/event5"
    std::string name;         // "Symbol Bar Code Scanner"
    std::optional<UsbId> usb_id;
    bool keyboard_like = false;  // has digit keys and Enter
    std::string by_id;           // "/dev/input/by-id/usb-...-event-kbd" or ""
};

// Every /sys/class/input/event* node, sorted by event number.
std::vector<InputNode> list_input_nodes();

std::string lower_case(std::string_view text);

}  // namespace packline::drivers::evdev_internal
