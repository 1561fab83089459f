// The lifecycle every USB HID POS device shares: find a matching device on
// the process-wide UsbContext, open and claim it, keep one async interrupt-IN
// transfer going, post Present / Absent / Faulty, follow hotplug, and send
// output / feature reports. HidScaleDevice and HidScannerDevice own one each
// and only add their decoder.
//
// Thread-safety: open(), close(), send_report() from one non-event thread (the
// station loop). Everything else, including the Handlers, runs on the USB
// event thread. Nothing is posted and no handler runs after close() returns.
#pragma once

#include <libusb.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "packline/drivers/recording.h"
#include "packline/drivers/usb_device_table.h"
#include "packline/hardware/events.h"
#include "usb_context.h"
#include "usb_match.h"

namespace packline::drivers {

struct UsbHidLinkOptions {
    std::string id;
    UsbDeviceRole role = UsbDeviceRole::Scale;
    std::optional<UsbVidPid> vid_pid;
    std::optional<UsbBusAddress> bus_address;
    UsbDeviceTable table;
    bool detach_kernel_driver = true;
    Recorder* recorder = nullptr;
};

// HID report types for SET_REPORT (HID 1.11 §7.2.2).
enum class HidReportType : std::uint8_t { Output = 2, Feature = 3 };

class UsbHidLink final : public UsbContext::Client {
  public:
    struct Handlers {
        // One input report as read, with the time it was read (event thread).
        std::function<void(std::span<const std::uint8_t>, std::int64_t)> report;
        // Bound to a device and reading; the decoder should reset (event thread).
        std::function<void(const UsbMatch&)> connected;
        // The bound device went away (event thread).
        std::function<void()> disconnected;
    };

    UsbHidLink(UsbHidLinkOptions options, Handlers handlers);
    ~UsbHidLink() override;
    UsbHidLink(const UsbHidLink&) = delete;
    UsbHidLink& operator=(const UsbHidLink&) = delete;

    Status open(hardware::EventSink& sink);
    void close();

    // Sends `report` (report id first) and waits up to `timeout`: on the
    // interrupt OUT endpoint when `use_out_endpoint` and the interface has
    // one, else as SET_REPORT(type). Errors: usb.not_connected, usb.stall
    // (device refused), usb.transfer (other failure or timeout).
    Status send_report(std::vector<std::uint8_t> report, HidReportType type, bool use_out_endpoint,
                       std::chrono::milliseconds timeout);

    // Event thread: the same without waiting; `done` gets the outcome.
    void send_report_async(std::vector<std::uint8_t> report, HidReportType type,
                           bool use_out_endpoint, std::function<void(Status)> done);

    // Event thread: post to the sink unless closing.
    void post(hardware::DeviceEvent event);
    void try_post(hardware::DeviceEvent event);
    void post_status(hardware::DeviceHealth health, std::string detail);

  private:
    struct Transfer;
    void arrived(libusb_device* device) override;
    void left(libusb_device* device) override;
    void bind(libusb_device* device);
    void drop(hardware::DeviceHealth health, const std::string& detail);
    void release();
    bool submit_in();
    void finished(Transfer* transfer);
    static void LIBUSB_CALL on_transfer(libusb_transfer* transfer);
    void in_done(libusb_transfer* transfer);
    std::string what() const;

    UsbHidLinkOptions options_;
    Handlers handlers_;
    std::shared_ptr<UsbContext> context_;

    std::mutex mutex_;  // guards in_flight_, released_, sink_ with the cv below
    std::condition_variable changed_;
    int in_flight_ = 0;
    bool released_ = true;
    hardware::EventSink* sink_ = nullptr;

    // Event thread only.
    bool closing_ = false;
    bool release_pending_ = false;
    bool ever_connected_ = false;
    libusb_device* device_ = nullptr;         // bound device, one reference
    libusb_device* faulty_device_ = nullptr;  // found but unusable, one reference
    libusb_device* gone_device_ = nullptr;    // said NO_DEVICE, LEFT not seen yet
    bool detached_ = false;                   // we detached the kernel driver
    std::vector<libusb_device*> not_ours_;    // HID devices probed and rejected, one ref each
    libusb_device_handle* handle_ = nullptr;
    bool claimed_ = false;
    UsbMatch match_;
    std::vector<std::unique_ptr<Transfer>> transfers_;  // in flight, owned
    Transfer* in_ = nullptr;                            // the one of transfers_ reading
    int in_errors_ = 0;
};

}  // namespace packline::drivers
