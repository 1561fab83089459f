// `packline devices` for USB: every HID POS scale and scanner on the bus,
// matched the same way the devices match (VID:PID table first, then HID usage
// page 0x8D / 0x8C). Opens no device for table hits; others are opened only
// to read their report descriptor when sysfs does not have it.
#pragma once

#include <string>
#include <vector>

#include "packline/drivers/detected_device.h"

namespace packline::drivers {

struct UsbDetectOptions {
    std::string usb_table_path;  // empty: the built-in usb-devices.tsv
};

// driver "hid-scale" / "hid-scanner"; id "hid-scale-0922:8003-1-4"; address
// "usb 001/004"; matched_by "vid:pid 0922:8003 (usb-devices.tsv)" or "HID
// usage page 0x8D"; Faulty with "no permission on /dev/bus/usb/001/004:
// install the udev rules" when the node cannot be opened. extra: "vid:pid",
// "port" (stable port path, "1-1.2"), "quirks". Returns one Faulty entry
// (driver "usb") when libusb cannot start or the table does not load.
std::vector<DetectedDevice> detect_usb_devices(const UsbDetectOptions& options = {});

}  // namespace packline::drivers
