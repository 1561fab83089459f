// A USB HID POS scale (usage page 0x8D) read through libusb.
//
// Which device: the first USB device that is a scale by the VID:PID table
// (usb-devices.tsv) or, when not listed, has a HID interface whose report
// descriptor uses usage page 0x8D; narrowed by `vid_pid` and/or
// `bus_address` when set. All USB work runs on the process-wide USB event
// thread (UsbContext, see drivers/usb/io/usb_context.h): the interface is
// claimed (kernel driver detached first; a failed detach or claim is noted,
// not fatal) and an async interrupt-IN transfer is resubmitted for every
// report. Each report goes to the optional Recorder, then through a
// HidScaleDecoder (first report after every (re)connect dropped as stale);
// readings are posted with try_post.
//
// Health: Present when bound to a scale; Absent at open() when none is
// connected (open() still succeeds) and "scale unplugged" when it leaves; the
// device keeps waiting (hotplug, plus a 2 s re-scan) and resumes readings when
// a matching scale comes back. Faulty when a scale is found but cannot be
// opened ("no permission on /dev/bus/usb/...: install the udev rules").
//
// Thread-safety: open()/close()/zero() from one thread (the station loop).
// close() cancels the transfers, waits for their callbacks, and nothing is
// posted after it returns.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "packline/drivers/usb_device_table.h"
#include "packline/hardware/devices.h"

namespace packline::drivers {

class Recorder;

struct HidScaleOptions {
    std::string id = "scale";                  // device id in events and logs
    std::optional<UsbVidPid> vid_pid;          // only this VID:PID ("0922:8003")
    std::optional<UsbBusAddress> bus_address;  // only the device at "001/004"
    std::string usb_table_path;                // empty: the built-in usb-devices.tsv
    bool detach_kernel_driver = true;          // detach usbhid before claiming
    Recorder* recorder = nullptr;              // not owned; outlives the open period
};

class HidScaleDevice final : public hardware::Scale {
  public:
    // Loads the table (errors name file:line). No USB I/O happens here.
    static Result<std::unique_ptr<HidScaleDevice>> create(HidScaleOptions options);
    ~HidScaleDevice() override;
    HidScaleDevice(const HidScaleDevice&) = delete;
    HidScaleDevice& operator=(const HidScaleDevice&) = delete;

    std::string id() const override;
    Status open(hardware::EventSink& sink) override;
    void close() override;
    // Sends the Zero Scale control report (02 02, devices.md §1.1) on the
    // interrupt OUT endpoint when the interface has one, else as a HID
    // SET_REPORT(Output) control transfer; waits up to 2 s. Errors:
    // hid_scale.not_connected, hid_scale.zero_refused (stall),
    // hid_scale.zero_failed (I/O error or timeout).
    Status zero() override;

  private:
    struct State;
    explicit HidScaleDevice(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

}  // namespace packline::drivers
