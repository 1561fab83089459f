// Pure code, kept in io/ because the family owns no src/ folder; it uses no
// CUPS header and is unit-tested on values (tests/unit/cups).
#include "packline/drivers/cups_status.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "packline/hardware/device_errors.h"

namespace packline::drivers {
namespace {

// IPP printer-state-reasons keywords (RFC 8011 §5.4.12, PWG 5100.9) and the
// CUPS additions, without their -error/-warning/-report suffix. The only table
// of plain words: health details and job failures both read it.
struct ReasonWords {
    std::string_view keyword;
    std::string_view words;
    bool fault;  // stops printing even without an "-error" suffix
};

constexpr std::array kReasonWords = {
    ReasonWords{"media-empty", "out of labels (media-empty)", true},
    ReasonWords{"media-needed", "load labels (media-needed)", true},
    ReasonWords{"media-jam", "label jam (media-jam)", true},
    ReasonWords{"media-low", "labels running low (media-low)", false},
    ReasonWords{"marker-supply-empty", "ribbon out (marker-supply-empty)", true},
    ReasonWords{"marker-supply-low", "ribbon running low (marker-supply-low)", false},
    ReasonWords{"toner-empty", "ribbon out (toner-empty)", true},
    ReasonWords{"paused", "paused", true},
    ReasonWords{"moving-to-paused", "pausing", true},
    ReasonWords{"offline", "offline", true},
    ReasonWords{"shutdown", "shut down", true},
    ReasonWords{"door-open", "cover open (door-open)", true},
    ReasonWords{"cover-open", "cover open (cover-open)", true},
    ReasonWords{"interlock-open", "cover open (interlock-open)", true},
    ReasonWords{"output-area-full", "output full (output-area-full)", true},
    ReasonWords{"timed-out", "not responding (timed-out)", true},
    ReasonWords{"spool-area-full", "spool full (spool-area-full)", true},
    ReasonWords{"stopped-partly", "partly stopped", false},
    ReasonWords{"stopping", "stopping", false},
    ReasonWords{"connecting-to-device", "connecting", false},
    ReasonWords{"cups-missing-filter", "printer driver missing (cups-missing-filter)", true},
    ReasonWords{"cups-insecure-filter", "printer driver unsafe (cups-insecure-filter)", true},
    ReasonWords{"cups-waiting-for-job-completed", "finishing a job", false},
    ReasonWords{"other", "printer error", false},
};

// Keywords that carry no news; an unsuffixed keyword not in the table counts
// as an error (RFC 8011 §5.4.12: no suffix means "error"), except these.
constexpr std::array<std::string_view, 3> kBenignKeywords = {"none", "connecting-to-device",
                                                             "cups-waiting-for-job-completed"};

enum class Suffix { None, Error, Warning, Report };

std::pair<std::string_view, Suffix> split_suffix(std::string_view keyword) {
    constexpr std::array<std::pair<std::string_view, Suffix>, 3> suffixes = {
        std::pair{std::string_view("-error"), Suffix::Error},
        std::pair{std::string_view("-warning"), Suffix::Warning},
        std::pair{std::string_view("-report"), Suffix::Report}};
    for (const auto& [text, suffix] : suffixes)
        if (keyword.size() > text.size() && keyword.ends_with(text))
            return {keyword.substr(0, keyword.size() - text.size()), suffix};
    return {keyword, Suffix::None};
}

const ReasonWords* find_words(std::string_view base) {
    for (const ReasonWords& entry : kReasonWords)
        if (entry.keyword == base) return &entry;
    return nullptr;
}

std::string lower(std::string_view text) {
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return result;
}

void append_unique(std::vector<std::string>& list, std::string item) {
    if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(std::move(item));
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string result;
    for (const std::string& part : parts) {
        if (!result.empty()) result += separator;
        result += part;
    }
    return result;
}

// Joins the words and appends ": message" unless the message only repeats
// one of them (cupsd says "Paused" for the "paused" reason).
std::string with_message(const std::vector<std::string>& words, std::string_view message) {
    std::string text = join(words, ", ");
    if (message.empty()) return text;
    const std::string message_lower = lower(message);
    for (const std::string& word : words)
        if (lower(word) == message_lower) return text;
    if (text.empty()) return std::string(message);
    return text + ": " + std::string(message);
}

// "job-canceled-by-user" -> "canceled by user".
std::vector<std::string> describe_job_reasons(const std::vector<std::string>& reasons) {
    std::vector<std::string> words;
    for (const std::string& reason : reasons) {
        if (reason == "none" || reason == "job-printing" || reason == "job-incoming" ||
            reason == "job-queued" || reason == "processing-to-stop-point")
            continue;
        std::string text = reason.starts_with("job-") ? reason.substr(4) : reason;
        std::replace(text.begin(), text.end(), '-', ' ');
        append_unique(words, std::move(text));
    }
    return words;
}

// Why a job did not print: the printer's faults first (they name the cause,
// "out of labels (media-empty): Out of labels"), else what the job says.
std::string failure_reason(const CupsJobObservation& job, const CupsPrinterObservation& printer) {
    std::string faults = describe_cups_faults(printer.reasons, printer.message);
    if (!faults.empty()) return faults;
    std::string job_words = with_message(describe_job_reasons(job.reasons), job.message);
    if (!job_words.empty()) return job_words;
    return printer.message;
}

}  // namespace

std::string describe_cups_reason(std::string_view keyword) {
    const auto [base, suffix] = split_suffix(keyword);
    if (const ReasonWords* entry = find_words(base)) return std::string(entry->words);
    return std::string(base);
}

bool is_cups_fault_reason(std::string_view keyword) {
    const auto [base, suffix] = split_suffix(keyword);
    if (suffix == Suffix::Error) return true;
    if (suffix == Suffix::Warning) return false;
    const ReasonWords* entry = find_words(base);
    if (suffix == Suffix::Report) return entry != nullptr && entry->fault && base == "offline";
    if (entry != nullptr) return entry->fault;
    return std::find(kBenignKeywords.begin(), kBenignKeywords.end(), keyword) ==
           kBenignKeywords.end();
}

std::string describe_cups_faults(const std::vector<std::string>& reasons,
                                 std::string_view message) {
    std::vector<std::string> words;
    for (const std::string& reason : reasons)
        if (is_cups_fault_reason(reason)) append_unique(words, describe_cups_reason(reason));
    if (words.empty()) return {};
    return with_message(words, message);
}

CupsHealthVerdict judge_cups_printer(const CupsPrinterObservation& printer) {
    std::vector<std::string> faults;
    if (printer.state == kCupsPrinterStopped &&
        std::find(printer.reasons.begin(), printer.reasons.end(), "paused") ==
            printer.reasons.end())
        faults.emplace_back("stopped");
    for (const std::string& reason : printer.reasons)
        if (is_cups_fault_reason(reason)) append_unique(faults, describe_cups_reason(reason));
    if (!printer.accepting) faults.emplace_back("not accepting jobs");
    if (!faults.empty())
        return {hardware::DeviceHealth::Faulty, with_message(faults, printer.message),
                join(faults, ", ")};

    std::vector<std::string> warnings;
    for (const std::string& reason : printer.reasons)
        if (reason != "none" && split_suffix(reason).second == Suffix::Warning)
            append_unique(warnings, describe_cups_reason(reason));
    return {hardware::DeviceHealth::Present, join(warnings, ", "), join(warnings, ", ")};
}

CupsJobVerdict judge_cups_job(const CupsJobObservation& job,
                              const CupsPrinterObservation& printer) {
    using hardware::PrintJobState;
    switch (job.state) {
        case kCupsJobPending:
            if (printer.state == kCupsPrinterStopped) {
                const CupsHealthVerdict health = judge_cups_printer(printer);
                return {PrintJobState::Failed, true, true,
                        "printer stopped before printing: " + health.detail};
            }
            return {PrintJobState::Queued, false, false, {}};
        case kCupsJobProcessing:
            return {PrintJobState::Printing, false, false, {}};
        case kCupsJobCompleted:
            return {PrintJobState::Completed, true, false, {}};
        case kCupsJobHeld:
            // Held by the retry-job policy after a backend failure, or by an
            // operator: either way nothing prints now (see header).
            return {PrintJobState::Failed, true, true, "job held: " + failure_reason(job, printer)};
        case kCupsJobStopped:
            return {PrintJobState::Failed, true, true,
                    "job stopped: " + failure_reason(job, printer)};
        case kCupsJobCanceled:
            return {PrintJobState::Failed, true, false,
                    "job canceled: " + failure_reason(job, printer)};
        case kCupsJobAborted:
            return {PrintJobState::Failed, true, false,
                    "job aborted: " + failure_reason(job, printer)};
        default:
            return {PrintJobState::Failed, true, true,
                    "unknown job-state " + std::to_string(job.state)};
    }
}

std::string describe_cups_job_timeout(int timeout_seconds, const CupsPrinterObservation& printer) {
    std::string text = "not printed within " + std::to_string(timeout_seconds) + " s";
    const CupsHealthVerdict health = judge_cups_printer(printer);
    if (!health.detail.empty()) return text + ": " + health.detail;
    if (!printer.message.empty()) return text + ": " + printer.message;
    return text;
}

Result<std::string> cups_document_format(std::string_view content_type) {
    // Printer languages go to a raw queue untouched (devices.md §4.3).
    constexpr std::array<std::string_view, 8> raw_types = {
        "application/vnd.zebra.zpl",  "application/vnd.zebra-zpl",   "text/x-zpl",
        "application/vnd.eltron-epl", "application/vnd.datamax-dpl", "application/vnd.cups-raw",
        "application/octet-stream",   "application/vnd.sato-sbpl"};
    // Documents a CUPS driver renders to raster (Dymo, Brother QL: §4.5).
    constexpr std::array<std::string_view, 7> document_types = {
        "application/pdf",        "image/png", "image/jpeg", "image/pwg-raster", "image/urf",
        "application/postscript", "text/plain"};
    if (content_type.empty())
        return Error(errors::kPrinterBadJob, "job has no content type (ZPL, PDF or PNG)");
    for (std::string_view type : raw_types)
        if (type == content_type) return std::string("application/vnd.cups-raw");
    for (std::string_view type : document_types)
        if (type == content_type) return std::string(content_type);
    return Error(errors::kPrinterBadJob,
                 "content type " + std::string(content_type) + " cannot be printed through CUPS");
}

bool looks_like_label_printer(std::string_view queue_name, std::string_view make_and_model) {
    const std::string text = lower(queue_name) + " " + lower(make_and_model);
    constexpr std::array<std::string_view, 8> hints = {"zpl",        "zebra", "dymo", "labelwriter",
                                                       "brother ql", "ql-",   "4x6",  "label"};
    return std::any_of(hints.begin(), hints.end(),
                       [&](std::string_view hint) { return text.find(hint) != std::string::npos; });
}

}  // namespace packline::drivers
