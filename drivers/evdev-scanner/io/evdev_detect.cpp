// detect_evdev_scanners(): which keyboards on this machine are barcode
// scanners. A wedge scanner is a keyboard to the kernel, so we can only go by
// its name and USB vendor; both hints are listed in matched_by.
#include <unistd.h>

#include <array>
#include <string_view>

#include "evdev_sysfs.h"
#include "packline/drivers/evdev_scanner_device.h"

namespace packline::drivers {

namespace {

// Words that scanner makers put in the USB product string (lower case).
constexpr std::array<std::string_view, 16> kNameHints = {
    "scanner",     "barcode",   "bar code", "honeywell", "zebra",
    "symbol",      "datalogic", "newland",  "netum",     "metrologic",
    "opticon",     "inateck",   "eyoyo",    "tera",      "hand held products",
    "code reader",
};

struct VendorHint {
    std::uint16_t vendor;
    std::string_view maker;
};

// USB vendor ids that only make scanners (or whose keyboards are scanners).
constexpr std::array<VendorHint, 5> kVendorHints = {{
    {0x05e0, "Symbol/Zebra"},
    {0x0c2e, "Honeywell/Metrologic"},
    {0x05f9, "Datalogic"},
    {0x1eab, "Newland"},
    {0x065a, "Opticon"},
}};

std::string hex4(std::uint16_t value) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string text(4, '0');
    for (int i = 3; i >= 0; --i) {
        text[static_cast<std::size_t>(i)] = kDigits[value & 0xF];
        value = static_cast<std::uint16_t>(value >> 4);
    }
    return text;
}

std::string why_scanner(const evdev_internal::InputNode& node, const EvdevDetectOptions& options) {
    if (node.usb_id) {
        for (const UsbId& wanted : options.usb_ids)
            if (wanted == *node.usb_id)
                return "vid:pid " + hex4(wanted.vendor) + ":" + hex4(wanted.product) + " (config)";
    }
    if (!node.keyboard_like) return "";
    const std::string name = evdev_internal::lower_case(node.name);
    for (const std::string& hint : options.name_hints)
        if (!hint.empty() && name.find(evdev_internal::lower_case(hint)) != std::string::npos)
            return "name contains '" + hint + "' (config)";
    for (std::string_view hint : kNameHints)
        if (name.find(hint) != std::string::npos)
            return "keyboard named like a scanner ('" + std::string(hint) + "')";
    if (node.usb_id)
        for (const VendorHint& hint : kVendorHints)
            if (hint.vendor == node.usb_id->vendor)
                return "keyboard from scanner maker " + std::string(hint.maker) + " (vendor " +
                       hex4(hint.vendor) + ")";
    return "";
}

}  // namespace

std::vector<DetectedDevice> detect_evdev_scanners(const EvdevDetectOptions& options) {
    std::vector<DetectedDevice> found;
    for (const auto& node : evdev_internal::list_input_nodes()) {
        std::string why = why_scanner(node, options);
        if (why.empty()) continue;
        DetectedDevice device;
        device.kind = hardware::DeviceKind::Scanner;
        device.driver = "evdev";  // the registry's driver name
        device.id = "evdev-";
        if (node.usb_id)
            device.id += hex4(node.usb_id->vendor) + ":" + hex4(node.usb_id->product) + "-";
        device.id += node.event_name;
        device.name = node.name.empty() ? node.event_name : node.name;
        device.address = node.by_id.empty() ? node.device_path : node.by_id;
        device.matched_by = std::move(why);
        device.extra["event"] = node.device_path;
        if (!node.by_id.empty()) device.extra["by-id"] = node.by_id;
        if (node.usb_id) {
            device.extra["vendor"] = hex4(node.usb_id->vendor);
            device.extra["product"] = hex4(node.usb_id->product);
        }
        if (::access(node.device_path.c_str(), R_OK) != 0) {
            device.health = hardware::DeviceHealth::Faulty;
            device.detail = "no permission: install the udev rules";
        }
        found.push_back(std::move(device));
    }
    return found;
}

}  // namespace packline::drivers
