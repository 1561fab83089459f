#include "packline/drivers/hid_scale_device.h"

#include <utility>

#include "packline/drivers/hid_scale_decoder.h"
#include "packline/drivers/hid_scale_errors.h"
#include "packline/drivers/usb_errors.h"
#include "usb_hid_link.h"

namespace packline::drivers {

struct HidScaleDevice::State {
    State(HidScaleOptions device_options, UsbDeviceTable table)
        : options(std::move(device_options)),
          decoder(options.id),
          link(UsbHidLinkOptions{options.id, UsbDeviceRole::Scale, options.vid_pid,
                                 options.bus_address, std::move(table),
                                 options.detach_kernel_driver, options.recorder},
               UsbHidLink::Handlers{
                   [this](std::span<const std::uint8_t> bytes, std::int64_t at_ms) {
                       events.clear();
                       decoder.feed(bytes, at_ms, events);
                       // Readings come several times a second; a newer one follows.
                       for (auto& event : events)
                           link.try_post(std::move(event));
                   },
                   [this](const UsbMatch&) { decoder.reset(); }, [this] { decoder.reset(); }}) {}

    HidScaleOptions options;
    HidScaleDecoder decoder;                    // event thread
    std::vector<hardware::DeviceEvent> events;  // event thread
    UsbHidLink link;
};

Result<std::unique_ptr<HidScaleDevice>> HidScaleDevice::create(HidScaleOptions options) {
    auto table = usb_device_table(options.usb_table_path);
    if (!table) return table.error().context("scale " + options.id);
    auto state = std::make_unique<State>(std::move(options), std::move(table).value());
    return std::unique_ptr<HidScaleDevice>(new HidScaleDevice(std::move(state)));
}

HidScaleDevice::HidScaleDevice(std::unique_ptr<State> state) : state_(std::move(state)) {}

HidScaleDevice::~HidScaleDevice() {
    close();
}

std::string HidScaleDevice::id() const {
    return state_->options.id;
}

Status HidScaleDevice::open(hardware::EventSink& sink) {
    return state_->link.open(sink);
}

void HidScaleDevice::close() {
    state_->link.close();
}

Status HidScaleDevice::zero() {
    const auto status = state_->link.send_report(hid_scale_zero_report(), HidReportType::Output,
                                                 true, std::chrono::milliseconds(2500));
    if (status) return {};
    const auto& error = status.error();
    const std::string where = "scale " + state_->options.id + ": zero";
    if (error.code == errors::kUsbNotConnected) {
        return Error(errors::kHidScaleNotConnected, where + ": scale not connected");
    }
    if (error.code == errors::kUsbStall) {
        return Error(errors::kHidScaleZeroRefused, where + ": the scale refused the zero command");
    }
    return Error(errors::kHidScaleZeroFailed, where + ": " + error.message);
}

}  // namespace packline::drivers
