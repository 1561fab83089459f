// Which USB device is which: HID interfaces from the cached descriptors, HID
// report descriptors (sysfs or GET_DESCRIPTOR), usage pages, and the match
// rule shared by the devices and detect_usb_devices(): a VID:PID table hit
// wins; otherwise a HID interface whose report descriptor uses usage page
// 0x8D (scale) or 0x8C (scanner).
//
// Functions taking libusb objects run on the USB event thread (or in
// detect_usb_devices(), which owns its own libusb context).
#pragma once

#include <libusb.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "packline/drivers/usb_device_table.h"

namespace packline::drivers {

inline constexpr std::uint16_t kHidUsagePageScale = 0x8D;    // devices.md §1
inline constexpr std::uint16_t kHidUsagePageScanner = 0x8C;  // devices.md §2.1

struct UsbHidInterface {
    int number = 0;
    int alternate = 0;
    std::uint8_t in_endpoint = 0;
    std::uint16_t in_packet_size = 0;
    std::optional<std::uint8_t> out_endpoint;    // interrupt OUT, when the interface has one
    std::uint16_t report_descriptor_length = 0;  // from the HID class descriptor, 0 unknown
};

struct UsbMatch {
    UsbDeviceRole role = UsbDeviceRole::Scale;
    UsbVidPid id;
    UsbBusAddress address;
    std::string port;  // "1-1.2"
    std::string name;
    std::string matched_by;
    std::vector<std::string> quirks;
    UsbHidInterface hid;
    bool has_quirk(std::string_view quirk) const;
};

// Usage pages named by Usage Page items of a HID report descriptor (pure).
std::vector<std::uint16_t> hid_usage_pages(std::span<const std::uint8_t> descriptor);

UsbVidPid usb_vid_pid(libusb_device* device);
UsbBusAddress usb_bus_address(libusb_device* device);
std::string usb_port_path(libusb_device* device);
std::string usb_device_node(libusb_device* device);  // "/dev/bus/usb/001/004"

// HID interfaces (class 3) with an interrupt IN endpoint; no I/O.
std::vector<UsbHidInterface> usb_hid_interfaces(libusb_device* device);

// The table decides alone when it lists the device (role may be the other
// kind: then the caller skips it); nullopt when not listed.
std::optional<UsbMatch> match_by_table(libusb_device* device, const UsbDeviceTable& table);

// Reads report descriptors of the HID interfaces (sysfs, else GET_DESCRIPTOR
// on `handle` when given; a sync control transfer, so not inside libusb
// callbacks) and returns the first interface using `usage_page`.
std::optional<UsbMatch> match_by_usage_page(libusb_device* device, libusb_device_handle* handle,
                                            UsbDeviceRole role);

std::string usb_error_text(int status);

}  // namespace packline::drivers
