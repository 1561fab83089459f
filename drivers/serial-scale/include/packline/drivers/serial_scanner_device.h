// A barcode scanner on a serial line: CDC-ACM ("USB COM" mode, /dev/ttyACM*)
// or a USB-serial adapter (devices.md §2.5). One code per line (CR, LF or
// CR LF), decoded by LineScannerDecoder; scans are posted with post() so none
// is dropped. Health as for SerialScaleDevice, in scanner words:
//   Present "scanner connected (<path>)", Absent "scanner disconnected (<path>)",
//   Faulty "unreadable data; check protocol/baud (...)" or
//   "scanner cannot be opened: ...". A scanner is silent between scans, so
//   silence is never a fault.
//
// Threading: open()/close() from the station loop thread; one device thread
// owns the port.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "packline/drivers/recording.h"
#include "packline/drivers/serial_port.h"
#include "packline/hardware/devices.h"

namespace packline::drivers {

struct SerialScannerOptions {
    std::string id;    // device id on every ScanEvent
    std::string path;  // "/dev/ttyACM0", "/dev/serial/by-id/usb-Honeywell_...-if00"
    int baud = 9600;   // irrelevant for CDC-ACM; matters behind a USB-serial adapter
    std::string framing = "8N1";
    int reconnect_min_ms = 250;
    int reconnect_max_ms = 2000;
    Recorder* recorder = nullptr;  // not owned
};

class SerialScannerDevice final : public hardware::Scanner {
  public:
    static Result<std::unique_ptr<SerialScannerDevice>> create(SerialScannerOptions options);
    ~SerialScannerDevice() override;

    std::string id() const override;
    Status open(hardware::EventSink& sink) override;
    void close() override;

    struct Impl;

  private:
    explicit SerialScannerDevice(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace packline::drivers
