// The VID:PID table: which USB devices Packline treats as HID POS scales or
// scanners without looking at their report descriptors, and their quirks.
// The table is data (drivers/usb/data/usb-devices.tsv, embedded into
// packline_usb at build time, so zero configuration works); a deployment may
// point at its own copy instead.
//
// Format (one device per line, TAB-separated; '#' lines and blank lines are
// ignored): vid  pid  kind  name  quirks
//   vid, pid  1..4 hex digits ("0922", "8003")
//   kind      scale | scanner
//   name      what a person calls it ("DYMO M10"), not empty
//   quirks    comma-separated quirk names, or "-" for none
// Known quirks: honeywell-feature-0xfe (devices.md §2.1). Unknown quirks,
// duplicate vid:pid pairs and malformed lines are errors naming file:line.
//
// Pure code, no I/O except load_usb_device_table(); thread-safe (values only).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "packline/error.h"

namespace packline::drivers {

struct UsbVidPid {
    std::uint16_t vendor = 0;
    std::uint16_t product = 0;
    friend bool operator==(const UsbVidPid&, const UsbVidPid&) = default;
};

// "0922:8003" (4 lower-case hex digits each).
std::string to_string(UsbVidPid id);
// "0922:8003" -> {0x0922, 0x8003}; nullopt unless two 1..4-digit hex numbers.
std::optional<UsbVidPid> parse_usb_vid_pid(std::string_view text);

// Where a device sits right now: bus number and device address, as in
// /dev/bus/usb/BBB/AAA. Changes on every replug; good for "this one of two".
struct UsbBusAddress {
    std::uint8_t bus = 0;
    std::uint8_t address = 0;
    friend bool operator==(const UsbBusAddress&, const UsbBusAddress&) = default;
};
// "001/004" (the address column of `packline devices`, "usb " prefix allowed).
std::optional<UsbBusAddress> parse_usb_bus_address(std::string_view text);
// "001/004"
std::string to_string(UsbBusAddress address);

enum class UsbDeviceRole { Scale, Scanner };
std::string_view to_string(UsbDeviceRole role);

inline constexpr std::string_view kUsbQuirkHoneywellFeature = "honeywell-feature-0xfe";

struct UsbDeviceEntry {
    UsbVidPid id;
    UsbDeviceRole role = UsbDeviceRole::Scale;
    std::string name;
    std::vector<std::string> quirks;
    bool has_quirk(std::string_view quirk) const;
};

struct UsbDeviceTable {
    std::string source;  // "usb-devices.tsv" (built in) or the file path
    std::vector<UsbDeviceEntry> entries;
    const UsbDeviceEntry* find(UsbVidPid id) const;
};

// Errors: usb_table.bad_line with "<source>:<line>: ..." in the message.
Result<UsbDeviceTable> parse_usb_device_table(std::string_view text, std::string_view source);
// Errors: usb_table.unreadable, or those of parse_usb_device_table.
Result<UsbDeviceTable> load_usb_device_table(const std::string& path);
// The table compiled into the library (source "usb-devices.tsv").
const UsbDeviceTable& builtin_usb_device_table();
std::string_view builtin_usb_device_table_text();
// The file at `path`, or the built-in table when `path` is empty.
Result<UsbDeviceTable> usb_device_table(const std::string& path);

}  // namespace packline::drivers
