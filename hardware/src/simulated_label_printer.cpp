#include "packline/hardware/simulated_label_printer.h"

#include <string_view>
#include <utility>

#include "packline/hardware/device_errors.h"
#include "packline/hardware/simulated_post.h"

namespace packline::hardware {
namespace {

constexpr std::string_view kZplContentType = "application/vnd.zebra.zpl";

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// A raw Zebra queue prints whatever it gets; a job that is not one ZPL format
// (^XA ... ^XZ) would print garbage or nothing, so the station must hear of it
// at submit time rather than when the packer finds a blank label.
bool looks_like_zpl(std::string_view data) {
    while (!data.empty() && is_space(data.front()))
        data.remove_prefix(1);
    while (!data.empty() && is_space(data.back()))
        data.remove_suffix(1);
    return data.size() >= 6 && data.starts_with("^XA") && data.ends_with("^XZ");
}

}  // namespace

SimulatedLabelPrinter::SimulatedLabelPrinter(std::string id) : id_(std::move(id)) {}

SimulatedLabelPrinter::~SimulatedLabelPrinter() {
    close();
}

std::string SimulatedLabelPrinter::id() const {
    return id_;
}

Status SimulatedLabelPrinter::open(EventSink& sink) {
    return worker_.start(sink, "printer " + id_, [this] { run(); });
}

void SimulatedLabelPrinter::close() {
    worker_.stop();
}

Result<std::string> SimulatedLabelPrinter::submit(const PrintJob& job) {
    std::lock_guard lock(mutex_);
    if (sink_ == nullptr || closing_)
        return Error(errors::kPrinterNotOpen, "printer " + id_ + " is not open");
    if (offline_) return Error(errors::kPrinterOffline, "printer " + id_ + " is offline");
    if (!job.content_type.empty() && job.content_type != kZplContentType)
        return Error(errors::kPrinterBadJob,
                     "printer " + id_ + " takes ZPL only, not " + job.content_type);
    if (!looks_like_zpl(job.data))
        return Error(errors::kPrinterBadJob,
                     "job \"" + job.title + "\" is not a ZPL format (^XA ... ^XZ)");

    Entry entry;
    entry.job.id = "sim-" + std::to_string(entries_.size() + 1);
    entry.job.title = job.title;
    entry.job.data = job.data;
    entry.failure = std::exchange(fail_next_, std::nullopt);
    std::string job_id = entry.job.id;
    entries_.push_back(std::move(entry));
    pending_.push_back(entries_.size() - 1);
    wake_.notify_all();
    return job_id;
}

void SimulatedLabelPrinter::fail_next(std::string reason) {
    std::lock_guard lock(mutex_);
    fail_next_ = std::move(reason);
}

void SimulatedLabelPrinter::set_offline(bool offline) {
    std::lock_guard lock(mutex_);
    offline_ = offline;
}

std::vector<StoredJob> SimulatedLabelPrinter::jobs() const {
    std::lock_guard lock(mutex_);
    std::vector<StoredJob> result;
    result.reserve(entries_.size());
    for (const auto& entry : entries_)
        result.push_back(entry.job);
    return result;
}

std::optional<std::string> SimulatedLabelPrinter::job_data(std::string_view job_id) const {
    std::lock_guard lock(mutex_);
    for (const auto& entry : entries_)
        if (entry.job.id == job_id) return entry.job.data;
    return std::nullopt;
}

bool SimulatedLabelPrinter::post_update_locked(std::unique_lock<std::mutex>& lock,
                                               const StoredJob& job) {
    PrintJobUpdate update{id_, job.id, job.state, job.detail, now_ms()};
    return post_until_stopped(*sink_, update, lock, wake_, closing_);
}

void SimulatedLabelPrinter::run() {
    std::unique_lock lock(mutex_);
    // Outcomes that close() kept from being reported are reported first, as a
    // CUPS driver learns job states on reconnect by polling.
    while (!unreported_.empty()) {
        if (!post_update_locked(lock, entries_[unreported_.front()].job)) return;
        unreported_.pop_front();
    }
    while (true) {
        wake_.wait(lock, [&] { return closing_ || !pending_.empty(); });
        if (closing_) return;
        const std::size_t index = pending_.front();
        pending_.pop_front();

        // The state is updated before the event is posted so that whoever
        // handles the event sees the same state in jobs().
        entries_[index].job.state = PrintJobState::Printing;
        if (!post_update_locked(lock, entries_[index].job)) {
            // Interrupted by close(): the job was never started; print it after reopening.
            entries_[index].job.state = PrintJobState::Queued;
            pending_.push_front(index);
            return;
        }
        if (entries_[index].failure) {
            entries_[index].job.state = PrintJobState::Failed;
            entries_[index].job.detail = *entries_[index].failure;
        } else {
            entries_[index].job.state = PrintJobState::Completed;
        }
        if (!post_update_locked(lock, entries_[index].job)) {
            unreported_.push_back(index);
            return;
        }
    }
}

}  // namespace packline::hardware
