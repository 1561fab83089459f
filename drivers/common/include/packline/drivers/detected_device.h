// What `packline devices` shows for one device a driver found (or expected
// and did not find), and what the registry opens.
#pragma once

#include <map>
#include <string>

#include "packline/hardware/events.h"

namespace packline::drivers {

struct DetectedDevice {
    hardware::DeviceKind kind = hardware::DeviceKind::Scanner;
    std::string driver;   // registry name: "hid-scale", "evdev-scanner", "cups", ...
    std::string id;       // stable id for logs and the screen: "hid-scale-0922:8003-1-4"
    std::string name;     // what a person calls it: "DYMO M10", "Zebra ZD420 (queue zebra)"
    std::string address;  // where it is: "usb 001/004", "/dev/ttyUSB0", "ipp://..."
    std::string
        matched_by;  // "vid:pid 0922:8003 (data/usb-devices.tsv)", "usage page 0x8D", "config"
    hardware::DeviceHealth health = hardware::DeviceHealth::Present;
    std::string detail;                        // reason when not Present
    std::map<std::string, std::string> extra;  // driver-specific facts (serial number, protocol)
};

}  // namespace packline::drivers
