// A USB barcode scanner in HID POS mode (usage page 0x8C) read through libusb.
//
// Same lifecycle as HidScaleDevice (see hid_scale_device.h): matched by the
// VID:PID table or by usage page 0x8C, claimed on the process-wide USB event
// thread, one async interrupt-IN transfer resubmitted per report, reports ->
// Recorder -> HidScannerDecoder, one ScanEvent (post) per complete code,
// multi-packet codes joined. When the table lists the quirk
// honeywell-feature-0xfe, Feature report 0xFE with data 01 is sent after every
// (re)connect (devices.md §2.1); a refusal is noted in the Present detail.
//
// Health: Present / Absent ("scanner unplugged") / Faulty (no permission),
// hotplug as for the scale.
//
// Thread-safety: open()/close() from one thread (the station loop); nothing is
// posted after close() returns.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "packline/drivers/usb_device_table.h"
#include "packline/hardware/devices.h"

namespace packline::drivers {

class Recorder;

struct HidScannerOptions {
    std::string id = "scanner";
    std::optional<UsbVidPid> vid_pid;
    std::optional<UsbBusAddress> bus_address;
    std::string usb_table_path;
    bool detach_kernel_driver = true;
    Recorder* recorder = nullptr;
};

class HidScannerDevice final : public hardware::Scanner {
  public:
    static Result<std::unique_ptr<HidScannerDevice>> create(HidScannerOptions options);
    ~HidScannerDevice() override;
    HidScannerDevice(const HidScannerDevice&) = delete;
    HidScannerDevice& operator=(const HidScannerDevice&) = delete;

    std::string id() const override;
    Status open(hardware::EventSink& sink) override;
    void close() override;

  private:
    struct State;
    explicit HidScannerDevice(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

}  // namespace packline::drivers
