#include "packline/drivers/usb_detect.h"

#include "packline/drivers/usb_device_table.h"
#include "usb_context.h"
#include "usb_match.h"

namespace packline::drivers {
namespace {

DetectedDevice faulty(std::string detail) {
    DetectedDevice device;
    device.driver = "usb";
    device.id = "usb";
    device.name = "USB devices";
    device.health = hardware::DeviceHealth::Faulty;
    device.detail = std::move(detail);
    return device;
}

DetectedDevice describe(const UsbMatch& match) {
    DetectedDevice device;
    const bool scale = match.role == UsbDeviceRole::Scale;
    device.kind = scale ? hardware::DeviceKind::Scale : hardware::DeviceKind::Scanner;
    device.driver = scale ? "hid-scale" : "hid-scanner";
    device.id = device.driver + "-" + to_string(match.id) + "-" +
                std::to_string(match.address.bus) + "-" + std::to_string(match.address.address);
    device.name = match.name;
    device.address = "usb " + to_string(match.address);
    device.matched_by = match.matched_by;
    device.extra["vid:pid"] = to_string(match.id);
    device.extra["port"] = match.port;
    std::string quirks;
    for (const auto& quirk : match.quirks)
        quirks += (quirks.empty() ? "" : ",") + quirk;
    if (!quirks.empty()) device.extra["quirks"] = quirks;
    return device;
}

}  // namespace

std::vector<DetectedDevice> detect_usb_devices(const UsbDetectOptions& options) {
    auto table = usb_device_table(options.usb_table_path);
    if (!table) return {faulty(table.error().message)};
    auto context = UsbContext::acquire();
    if (!context) return {faulty(context.error().message)};
    std::vector<DetectedDevice> found;
    // On the event thread: the device list is the one the devices see, and
    // the GET_DESCRIPTOR fallback is a sync call outside event handling.
    (*context)->call([&] {
        for (auto* usb : (*context)->devices()) {
            auto match = match_by_table(usb, *table);
            libusb_device_handle* handle = nullptr;
            int open_status = LIBUSB_SUCCESS;
            if (!match && !usb_hid_interfaces(usb).empty()) {
                for (auto role : {UsbDeviceRole::Scale, UsbDeviceRole::Scanner}) {
                    match = match_by_usage_page(usb, nullptr, role);
                    if (match) break;
                }
                if (!match) {
                    open_status = libusb_open(usb, &handle);
                    for (auto role : {UsbDeviceRole::Scale, UsbDeviceRole::Scanner}) {
                        if (handle == nullptr || match) break;
                        match = match_by_usage_page(usb, handle, role);
                    }
                }
            }
            if (!match) {
                if (handle != nullptr) libusb_close(handle);
                continue;
            }
            auto device = describe(*match);
            if (handle == nullptr) open_status = libusb_open(usb, &handle);
            if (open_status == LIBUSB_ERROR_ACCESS) {
                device.health = hardware::DeviceHealth::Faulty;
                device.detail =
                    "no permission on " + usb_device_node(usb) + ": install the udev rules";
            } else if (open_status != LIBUSB_SUCCESS) {
                device.health = hardware::DeviceHealth::Faulty;
                device.detail = "open " + usb_device_node(usb) + ": " + usb_error_text(open_status);
            } else if (match->hid.in_endpoint == 0) {
                device.health = hardware::DeviceHealth::Faulty;
                device.detail = "no HID interrupt IN endpoint";
            }
            if (handle != nullptr) libusb_close(handle);
            found.push_back(std::move(device));
        }
    });
    return found;
}

}  // namespace packline::drivers
