#include "usb_match.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace packline::drivers {
namespace {

constexpr std::uint8_t kHidClass = 3;
constexpr std::uint8_t kHidDescriptorType = 0x21;
constexpr std::uint8_t kReportDescriptorType = 0x22;
// bmRequestType: device-to-host, standard, interface (USB 2.0 §9.3).
constexpr std::uint8_t kGetInterfaceDescriptor = 0x81;

std::string hex2(unsigned value) {
    char text[8];
    std::snprintf(text, sizeof text, "%02X", value);
    return text;
}

std::uint16_t role_usage_page(UsbDeviceRole role) {
    return role == UsbDeviceRole::Scale ? kHidUsagePageScale : kHidUsagePageScanner;
}

// Length of the report descriptor from the HID descriptor in the interface's
// extra bytes (HID 1.11 §6.2.1: bDescriptorType 0x21, then per class
// descriptor: type byte and 16-bit length from offset 6).
std::uint16_t report_descriptor_length(const libusb_interface_descriptor& interface) {
    const std::span<const unsigned char> extra(interface.extra,
                                               static_cast<std::size_t>(interface.extra_length));
    std::size_t at = 0;
    while (at + 2 <= extra.size() && extra[at] >= 2) {
        const std::size_t length = extra[at];
        if (extra[at + 1] == kHidDescriptorType && length >= 9 && at + 9 <= extra.size() &&
            extra[at + 6] == kReportDescriptorType) {
            return static_cast<std::uint16_t>(extra[at + 7] | (extra[at + 8] << 8));
        }
        at += length;
    }
    return 0;
}

std::optional<std::vector<std::uint8_t>> sysfs_report_descriptor(libusb_device* device,
                                                                 int interface) {
    libusb_config_descriptor* config = nullptr;
    if (libusb_get_active_config_descriptor(device, &config) != LIBUSB_SUCCESS) {
        return std::nullopt;
    }
    const unsigned value = config->bConfigurationValue;
    libusb_free_config_descriptor(config);
    const std::filesystem::path interface_dir = "/sys/bus/usb/devices/" + usb_port_path(device) +
                                                ":" + std::to_string(value) + "." +
                                                std::to_string(interface);
    std::error_code error;
    for (std::filesystem::directory_iterator it(interface_dir, error), end; !error && it != end;
         it.increment(error)) {
        const auto file = it->path() / "report_descriptor";
        std::ifstream in(file, std::ios::binary);
        if (!in) continue;
        std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                        std::istreambuf_iterator<char>());
        if (!bytes.empty()) return bytes;
    }
    return std::nullopt;
}

std::optional<std::vector<std::uint8_t>> control_report_descriptor(
    libusb_device_handle* handle, const UsbHidInterface& interface) {
    std::vector<std::uint8_t> bytes(
        interface.report_descriptor_length > 0 ? interface.report_descriptor_length : 1024);
    // GET_DESCRIPTOR(Report) to the interface (HID 1.11 §7.1.1).
    const int got =
        libusb_control_transfer(handle, kGetInterfaceDescriptor, LIBUSB_REQUEST_GET_DESCRIPTOR,
                                static_cast<std::uint16_t>(kReportDescriptorType << 8),
                                static_cast<std::uint16_t>(interface.number), bytes.data(),
                                static_cast<std::uint16_t>(bytes.size()), 1000);
    if (got <= 0) return std::nullopt;
    bytes.resize(static_cast<std::size_t>(got));
    return bytes;
}

}  // namespace

bool UsbMatch::has_quirk(std::string_view quirk) const {
    return std::find(quirks.begin(), quirks.end(), quirk) != quirks.end();
}

std::vector<std::uint16_t> hid_usage_pages(std::span<const std::uint8_t> descriptor) {
    std::vector<std::uint16_t> pages;
    std::size_t at = 0;
    while (at < descriptor.size()) {
        const std::uint8_t prefix = descriptor[at];
        if (prefix == 0xFE) {  // long item: size byte, tag byte, data
            if (at + 1 >= descriptor.size()) break;
            at += 3 + std::size_t{descriptor[at + 1]};
            continue;
        }
        const std::size_t size = (prefix & 3) == 3 ? 4 : (prefix & 3);
        if (at + 1 + size > descriptor.size()) break;
        // Global item (type 1), tag 0 = Usage Page (HID 1.11 §6.2.2.7).
        if ((prefix & 0xFC) == 0x04 && size > 0) {
            std::uint32_t value = 0;
            for (std::size_t i = 0; i < size; ++i) {
                value |= std::uint32_t{descriptor[at + 1 + i]} << (8 * i);
            }
            const auto page = static_cast<std::uint16_t>(value & 0xFFFF);
            if (std::find(pages.begin(), pages.end(), page) == pages.end()) pages.push_back(page);
        }
        at += 1 + size;
    }
    return pages;
}

UsbVidPid usb_vid_pid(libusb_device* device) {
    libusb_device_descriptor descriptor{};
    libusb_get_device_descriptor(device, &descriptor);
    return {descriptor.idVendor, descriptor.idProduct};
}

UsbBusAddress usb_bus_address(libusb_device* device) {
    return {libusb_get_bus_number(device), libusb_get_device_address(device)};
}

std::string usb_port_path(libusb_device* device) {
    std::uint8_t ports[8];
    const int count = libusb_get_port_numbers(device, ports, sizeof ports);
    std::string path = std::to_string(libusb_get_bus_number(device));
    for (int i = 0; i < count; ++i) {
        path += (i == 0 ? "-" : ".") + std::to_string(ports[i]);
    }
    return path;
}

std::string usb_device_node(libusb_device* device) {
    return "/dev/bus/usb/" + to_string(usb_bus_address(device));
}

std::vector<UsbHidInterface> usb_hid_interfaces(libusb_device* device) {
    std::vector<UsbHidInterface> found;
    libusb_config_descriptor* config = nullptr;
    if (libusb_get_active_config_descriptor(device, &config) != LIBUSB_SUCCESS &&
        libusb_get_config_descriptor(device, 0, &config) != LIBUSB_SUCCESS) {
        return found;
    }
    for (int i = 0; i < config->bNumInterfaces; ++i) {
        const auto& interface = config->interface[i];
        for (int alt = 0; alt < interface.num_altsetting; ++alt) {
            const auto& setting = interface.altsetting[alt];
            if (setting.bInterfaceClass != kHidClass) continue;
            UsbHidInterface hid;
            hid.number = setting.bInterfaceNumber;
            hid.alternate = setting.bAlternateSetting;
            hid.report_descriptor_length = report_descriptor_length(setting);
            for (int e = 0; e < setting.bNumEndpoints; ++e) {
                const auto& endpoint = setting.endpoint[e];
                if ((endpoint.bmAttributes & 3) != LIBUSB_TRANSFER_TYPE_INTERRUPT) continue;
                if ((endpoint.bEndpointAddress & LIBUSB_ENDPOINT_IN) != 0) {
                    if (hid.in_endpoint == 0) {
                        hid.in_endpoint = endpoint.bEndpointAddress;
                        hid.in_packet_size = endpoint.wMaxPacketSize;
                    }
                } else if (!hid.out_endpoint) {
                    hid.out_endpoint = endpoint.bEndpointAddress;
                }
            }
            if (hid.in_endpoint != 0) found.push_back(hid);
            break;  // first alternate setting with the HID class is enough
        }
    }
    libusb_free_config_descriptor(config);
    return found;
}

namespace {
UsbMatch base_match(libusb_device* device, const UsbHidInterface& hid) {
    UsbMatch match;
    match.id = usb_vid_pid(device);
    match.address = usb_bus_address(device);
    match.port = usb_port_path(device);
    match.hid = hid;
    return match;
}
}  // namespace

std::optional<UsbMatch> match_by_table(libusb_device* device, const UsbDeviceTable& table) {
    const auto* entry = table.find(usb_vid_pid(device));
    if (entry == nullptr) return std::nullopt;
    const auto interfaces = usb_hid_interfaces(device);
    auto match = base_match(device, interfaces.empty() ? UsbHidInterface{} : interfaces.front());
    match.role = entry->role;
    match.name = entry->name;
    match.quirks = entry->quirks;
    match.matched_by = "vid:pid " + to_string(entry->id) + " (" + table.source + ")";
    return match;
}

std::optional<UsbMatch> match_by_usage_page(libusb_device* device, libusb_device_handle* handle,
                                            UsbDeviceRole role) {
    const auto page = role_usage_page(role);
    for (const auto& hid : usb_hid_interfaces(device)) {
        auto descriptor = sysfs_report_descriptor(device, hid.number);
        if (!descriptor && handle != nullptr) descriptor = control_report_descriptor(handle, hid);
        if (!descriptor) continue;
        const auto pages = hid_usage_pages(*descriptor);
        if (std::find(pages.begin(), pages.end(), page) == pages.end()) continue;
        auto match = base_match(device, hid);
        match.role = role;
        match.name =
            std::string(role == UsbDeviceRole::Scale ? "HID POS scale" : "HID POS scanner") + " " +
            to_string(match.id);
        match.matched_by = "HID usage page 0x" + hex2(page);
        return match;
    }
    return std::nullopt;
}

std::string usb_error_text(int status) {
    return libusb_strerror(status);
}

}  // namespace packline::drivers
