// A label printer that keeps every job it is given, so tests and the simulated
// scan-back can read the printed bytes. It accepts ZPL II only, like a raw
// Zebra queue, and reports progress as PrintJobUpdate events (Printing, then
// Completed or Failed) from its own worker thread, as the CUPS driver does.
//
// Thread-safety: every member may be called from any thread. The worker runs
// between open() and close(); it only calls EventSink::post. close() stops and
// joins it; no update is posted after close() returns. Jobs still queued at
// close(), and final updates close() interrupted, follow after the next open().
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "packline/hardware/device_thread.h"
#include "packline/hardware/devices.h"

namespace packline::hardware {

struct StoredJob {
    std::string id;
    std::string title;
    std::string data;
    PrintJobState state = PrintJobState::Queued;
    std::string detail;  // the failure reason when Failed
};

class SimulatedLabelPrinter final : public LabelPrinter {
  public:
    explicit SimulatedLabelPrinter(std::string id);
    ~SimulatedLabelPrinter() override;

    SimulatedLabelPrinter(const SimulatedLabelPrinter&) = delete;
    SimulatedLabelPrinter& operator=(const SimulatedLabelPrinter&) = delete;

    std::string id() const override;
    Status open(EventSink& sink) override;
    void close() override;

    // Returns "sim-<n>" (n counts from 1). Errors: "printer.not_open",
    // "printer.offline", "printer.bad_job" (not one ^XA ... ^XZ ZPL format, or
    // a content type other than ZPL).
    Result<std::string> submit(const PrintJob& job) override;

    // The next submitted job fails with `reason` as its detail, e.g. a CUPS
    // printer-state-reason such as "media-empty-error".
    void fail_next(std::string reason);
    // An offline printer refuses new jobs.
    void set_offline(bool offline);

    std::vector<StoredJob> jobs() const;
    std::optional<std::string> job_data(std::string_view job_id) const;

  private:
    struct Entry {
        StoredJob job;
        std::optional<std::string> failure;
    };

    void run();
    bool post_update_locked(std::unique_lock<std::mutex>& lock, const StoredJob& job);

    const std::string id_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    EventSink* sink_ = nullptr;
    bool closing_ = false;
    DeviceThread worker_{mutex_, wake_, closing_, sink_};  // after the members it drives
    bool offline_ = false;
    std::optional<std::string> fail_next_;
    std::vector<Entry> entries_;
    std::deque<std::size_t> pending_;     // submitted, not yet printing
    std::deque<std::size_t> unreported_;  // finished, final update not yet posted
};

}  // namespace packline::hardware
