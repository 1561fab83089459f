// A label printer behind a CUPS queue (devices.md §4.3): ZPL goes to a raw
// queue, PDF/PNG to a driver queue (Dymo LabelWriter, Brother QL; §4.5).
// Progress comes back as PrintJobUpdate and health as DeviceStatusEvent, both
// learned by polling cupsd over IPP.
//
// Thread-safety: open(), close() and submit() are meant for the station loop
// thread; submit() is also safe from any other thread (it takes a lock).
// Between open() and close() two threads of the printer run: a monitor that
// polls printer-state and a follower that polls the submitted jobs. Each
// thread (and submit()) uses its own http_t and sets the CUPS server for its
// own thread only (libcups keeps cupsSetServer and cupsLastError per thread),
// so several CupsPrinters on different servers do not disturb one another.
// The threads only post events; close() joins them and nothing is posted
// after it returns. Jobs still unfinished at close() are followed again after
// the next open().
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "packline/drivers/detected_device.h"
#include "packline/hardware/devices.h"

namespace packline::drivers {

struct CupsPrinterOptions {
    std::string id = "printer";  // device id in events and logs
    std::string destination;     // CUPS queue name; empty: the CUPS default destination
    std::string server;  // "host:port" or a socket path; empty: CUPS_SERVER / client.conf / default
    std::chrono::milliseconds job_poll_interval{250};      // job-state polling
    std::chrono::milliseconds status_poll_interval{1000};  // printer-state polling
    std::chrono::milliseconds job_timeout{30000};          // a job not completed by then is Failed
    std::chrono::milliseconds connect_timeout{3000};       // per connection attempt to cupsd
};

class CupsPrinter final : public hardware::LabelPrinter {
  public:
    explicit CupsPrinter(CupsPrinterOptions options);
    ~CupsPrinter() override;

    CupsPrinter(const CupsPrinter&) = delete;
    CupsPrinter& operator=(const CupsPrinter&) = delete;

    std::string id() const override;
    // Starts the monitor and follower threads; the monitor posts the first
    // DeviceStatusEvent at once. A missing queue or an unreachable cupsd is
    // not an error: the printer is reported Absent and polled further.
    Status open(hardware::EventSink& sink) override;
    void close() override;

    // Sends the job to the queue (cupsCreateJob, cupsStartDocument,
    // cupsWriteRequestData, cupsFinishDocument) and returns the CUPS job id.
    // Blocks for one round of IPP requests: about 20 ms on a local cupsd, at
    // most connect_timeout when cupsd is gone. Errors: "printer.not_open",
    // "printer.bad_job" (content type), "printer.spool_full" (cupsd had no
    // room to spool the job: its disk is full), "printer.cups" (with
    // cupsLastErrorString(): "printer zebra: create job on queue zebra: ...").
    // A job refused half-way is cancelled, so it never prints late.
    Result<std::string> submit(const hardware::PrintJob& job) override;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Every queue on the server (empty: the CUPS default server) as a
// DetectedDevice: make-and-model, device-uri, raw or driver queue, whether it
// looks like a label printer, the default destination, and its health.
// Errors: "printer.cups" when cupsd cannot be reached or asked.
Result<std::vector<DetectedDevice>> list_cups_destinations(const std::string& server = {});

// Same as list_cups_destinations(), but an unreachable cupsd means nothing was
// found (an empty list), as `packline devices` wants it.
std::vector<DetectedDevice> detect_cups_printers(const std::string& server = {});

}  // namespace packline::drivers
