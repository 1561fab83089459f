// Pure interpretation of what cupsd reports over IPP: printer-state-reasons
// keywords in plain words, printer health, job-state -> PrintJobUpdate, and the
// document format a PrintJob is sent as. No CUPS headers, no I/O: unit-tested
// on plain values. The CUPS transport (cups_printer.h) feeds these.
//
// Thread-safety: free functions over values; callable from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "packline/error.h"
#include "packline/hardware/events.h"

namespace packline::drivers {

// IPP printer-state values (RFC 8011 §5.4.11).
inline constexpr int kCupsPrinterIdle = 3;
inline constexpr int kCupsPrinterProcessing = 4;
inline constexpr int kCupsPrinterStopped = 5;

// IPP job-state values (devices.md §4.3).
inline constexpr int kCupsJobPending = 3;
inline constexpr int kCupsJobHeld = 4;
inline constexpr int kCupsJobProcessing = 5;
inline constexpr int kCupsJobStopped = 6;
inline constexpr int kCupsJobCanceled = 7;
inline constexpr int kCupsJobAborted = 8;
inline constexpr int kCupsJobCompleted = 9;

// One Get-Printer-Attributes answer.
struct CupsPrinterObservation {
    int state = kCupsPrinterIdle;      // printer-state
    std::vector<std::string> reasons;  // printer-state-reasons ("none" when fine)
    std::string message;               // printer-state-message, free text from the backend
    bool accepting = true;             // printer-is-accepting-jobs
};

// One Get-Job-Attributes answer.
struct CupsJobObservation {
    int state = kCupsJobPending;       // job-state
    std::vector<std::string> reasons;  // job-state-reasons
    std::string message;               // job-printer-state-message (what the backend said)
};

// "media-empty-error" -> "out of labels (media-empty)"; "paused" -> "paused";
// an unknown keyword comes back without its suffix ("foo-bar-error" -> "foo-bar").
std::string describe_cups_reason(std::string_view keyword);

// True when the keyword keeps labels from printing: an "-error" suffix, or a
// known fault keyword whatever its suffix ("paused", "offline-report",
// "door-open"). "-warning" and other "-report" keywords are not faults.
bool is_cups_fault_reason(std::string_view keyword);

// The fault reasons in plain words, joined with ", ", followed by ": message"
// when the backend's message adds anything. Empty when there is no fault.
std::string describe_cups_faults(const std::vector<std::string>& reasons, std::string_view message);

struct CupsHealthVerdict {
    hardware::DeviceHealth health = hardware::DeviceHealth::Present;
    std::string detail;  // the fault in plain words; warnings ("labels running low") when Present
    // `detail` without the backend's free-text message. Backends rewrite the
    // message on every retry, so a change of health is judged on this.
    std::string summary;
};

// idle/processing without faults -> Present; stopped, not accepting jobs or
// any fault reason -> Faulty ("paused", "out of labels (media-empty): Out of labels").
CupsHealthVerdict judge_cups_printer(const CupsPrinterObservation& printer);

struct CupsJobVerdict {
    hardware::PrintJobState state = hardware::PrintJobState::Queued;
    bool finished = false;  // no further updates will follow
    bool cancel = false;    // the job must be canceled so it cannot print late
    std::string detail;     // why it failed, in plain words
};

// Maps a job's state onto PrintJobUpdate. `printer` is the queue as seen in
// the same poll (used for the reason). Held, stopped, aborted and canceled
// jobs fail at once; a pending job fails at once when its printer is stopped
// (nobody will print it until an operator acts, and the packer is waiting).
// Held and stopped jobs are canceled so that a retry cannot print a duplicate
// label after the station has given up on it.
CupsJobVerdict judge_cups_job(const CupsJobObservation& job, const CupsPrinterObservation& printer);

// The detail for a job that did not finish within `timeout_seconds`.
std::string describe_cups_job_timeout(int timeout_seconds, const CupsPrinterObservation& printer);

// "application/vnd.zebra.zpl" and other printer languages -> "application/vnd.cups-raw";
// documents a CUPS driver can render (PDF, PNG, ...) keep their MIME type.
// Errors: "printer.bad_job" for an empty or unknown content type.
Result<std::string> cups_document_format(std::string_view content_type);

// ZPL, Zebra, Dymo, Brother QL or "4x6" in the queue name or make-and-model.
bool looks_like_label_printer(std::string_view queue_name, std::string_view make_and_model);

}  // namespace packline::drivers
