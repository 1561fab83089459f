#include "packline/drivers/hid_scanner_device.h"

#include <utility>

#include "packline/drivers/hid_scanner_decoder.h"
#include "usb_hid_link.h"

namespace packline::drivers {

struct HidScannerDevice::State {
    State(HidScannerOptions device_options, UsbDeviceTable table)
        : options(std::move(device_options)),
          decoder(options.id),
          link(
              UsbHidLinkOptions{options.id, UsbDeviceRole::Scanner, options.vid_pid,
                                options.bus_address, std::move(table), options.detach_kernel_driver,
                                options.recorder},
              UsbHidLink::Handlers{[this](std::span<const std::uint8_t> bytes, std::int64_t at_ms) {
                                       events.clear();
                                       decoder.feed(bytes, at_ms, events);
                                       for (auto& event : events)
                                           link.post(std::move(event));
                                   },
                                   [this](const UsbMatch& match) { connected(match); },
                                   [this] { decoder.reset(); }}) {}

    void connected(const UsbMatch& match) {
        decoder.reset();
        if (!match.has_quirk(kUsbQuirkHoneywellFeature)) return;
        // Honeywell scanners send HID POS reports only after Feature report
        // 0xFE with data 01 (devices.md §2.1).
        link.send_report_async({0xFE, 0x01}, HidReportType::Feature, false, [this](Status status) {
            if (status) return;
            link.post_status(hardware::DeviceHealth::Present,
                             "scanner connected, but Honeywell feature "
                             "report 0xFE failed: " +
                                 status.error().message);
        });
    }

    HidScannerOptions options;
    HidScannerDecoder decoder;                  // event thread
    std::vector<hardware::DeviceEvent> events;  // event thread
    UsbHidLink link;
};

Result<std::unique_ptr<HidScannerDevice>> HidScannerDevice::create(HidScannerOptions options) {
    auto table = usb_device_table(options.usb_table_path);
    if (!table) return table.error().context("scanner " + options.id);
    auto state = std::make_unique<State>(std::move(options), std::move(table).value());
    return std::unique_ptr<HidScannerDevice>(new HidScannerDevice(std::move(state)));
}

HidScannerDevice::HidScannerDevice(std::unique_ptr<State> state) : state_(std::move(state)) {}

HidScannerDevice::~HidScannerDevice() {
    close();
}

std::string HidScannerDevice::id() const {
    return state_->options.id;
}

Status HidScannerDevice::open(hardware::EventSink& sink) {
    return state_->link.open(sink);
}

void HidScannerDevice::close() {
    state_->link.close();
}

}  // namespace packline::drivers
