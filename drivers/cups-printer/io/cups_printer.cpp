#include "packline/drivers/cups_printer.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "cups_ipp.h"
#include "packline/drivers/cups_status.h"
#include "packline/hardware/device_errors.h"
#include "packline/hardware/simulated_post.h"

namespace packline::drivers {

using Clock = std::chrono::steady_clock;

namespace {

struct TrackedJob {
    int id = 0;
    std::string queue;
    Clock::time_point submitted;
    std::optional<hardware::PrintJobState> posted;  // last update posted
    // Set once the outcome is known; kept if close() interrupts its posting,
    // so the same words are posted after the next open().
    std::optional<CupsJobVerdict> outcome;
};

struct HealthReport {
    hardware::DeviceHealth health = hardware::DeviceHealth::Absent;
    std::string detail;
    std::string summary;  // what a change is judged on (see CupsHealthVerdict)

    bool same_as(const HealthReport& other) const {
        return health == other.health && summary == other.summary;
    }
};

// Updates only move forward: Queued, Printing, then Completed or Failed. A job
// that cupsd retries (retry-current-job) goes back to pending, which is no
// news for the station.
int progress_rank(hardware::PrintJobState state) {
    switch (state) {
        case hardware::PrintJobState::Queued:
            return 0;
        case hardware::PrintJobState::Printing:
            return 1;
        case hardware::PrintJobState::Completed:
        case hardware::PrintJobState::Failed:
            return 2;
    }
    return 2;
}

// Zero intervals would spin; a zero timeout would fail every job at once.
CupsPrinterOptions sanitized(CupsPrinterOptions options) {
    using std::chrono::milliseconds;
    options.job_poll_interval = std::max(options.job_poll_interval, milliseconds(10));
    options.status_poll_interval = std::max(options.status_poll_interval, milliseconds(10));
    options.job_timeout = std::max(options.job_timeout, milliseconds(100));
    options.connect_timeout = std::max(options.connect_timeout, milliseconds(100));
    return options;
}

// The transport's answer to "why did that fail?": what cupsd said, or that it
// did not answer.
bool connection_lost(ipp_status_t status) {
    return status == IPP_STATUS_ERROR_SERVICE_UNAVAILABLE || status == IPP_STATUS_ERROR_INTERNAL;
}

// cupsd answers HTTP 413 when it cannot write the job into its spool
// (RequestRoot): a full disk, or a job over MaxRequestSize. libcups 2.4
// reports it as client-error-request-value-too-long with the words "Request
// Entity Too Large", which tell a packer nothing.
Error submit_failure(http_t* http, ipp_status_t status, const std::string& what,
                     const std::string& why) {
    if (status == IPP_STATUS_ERROR_REQUEST_ENTITY ||
        (http != nullptr && httpGetStatus(http) == HTTP_STATUS_REQUEST_TOO_LARGE))
        return Error(errors::kPrinterSpoolFull,
                     what +
                         ": the print server has no room to spool the label (its disk is "
                         "full, or the job is over its MaxRequestSize): " +
                         why);
    return Error(errors::kPrinterCups, what + ": " + why);
}

}  // namespace

struct CupsPrinter::Impl {
    explicit Impl(CupsPrinterOptions options_) : options(sanitized(std::move(options_))) {}

    const CupsPrinterOptions options;

    std::mutex mutex;
    std::condition_variable wake;
    bool closing = false;
    hardware::EventSink* sink = nullptr;
    std::vector<TrackedJob> jobs;  // submitted, final update not yet posted
    std::thread monitor;
    std::thread follower;

    std::mutex submit_mutex;  // submit() may come from any thread, one at a time
    cups_io::Connection submit_connection;

    std::string label() const { return "printer " + options.id; }

    Result<std::string> resolve_queue(http_t* http) const {
        if (!options.destination.empty()) return options.destination;
        if (std::optional<std::string> name = cups_io::default_destination(http)) return *name;
        return Error(errors::kPrinterCups,
                     "no default destination on cupsd " + cups_io::server_label());
    }

    bool post(hardware::DeviceEvent event, std::unique_lock<std::mutex>& lock) {
        return hardware::post_until_stopped(*sink, event, lock, wake, closing);
    }

    // Makes sure `http` is connected to this printer's server and points the
    // calling thread's libcups at it. Returns false with `error` set if not.
    bool ensure_connection(cups_io::Connection& http, std::string& error) const {
        if (http) {
            cups_io::use_server(options.server);
            return true;
        }
        Result<cups_io::Connection> connected =
            cups_io::connect(options.server, options.connect_timeout);
        if (!connected) {
            error = connected.error().message;
            return false;
        }
        http = std::move(connected.value());
        return true;
    }

    // Monitor thread only. A kept connection that fails may just be stale
    // (cupsd restarted): it is retried once on a fresh one before the
    // printer is called Absent, so a restart causes no false alarm.
    HealthReport observe_health(cups_io::Connection& http) const {
        HealthReport report = observe_health_once(http);
        if (report.health == hardware::DeviceHealth::Absent) report.summary = report.detail;
        return report;
    }

    HealthReport observe_health_once(cups_io::Connection& http) const {
        using hardware::DeviceHealth;
        std::string error;
        for (int attempt = 0; attempt < 2; ++attempt) {
            const bool fresh = !http;
            if (!ensure_connection(http, error)) return {DeviceHealth::Absent, error, {}};
            std::string queue = options.destination;
            if (queue.empty()) {
                std::optional<std::string> name = cups_io::default_destination(http.get());
                if (!name && !connection_lost(cupsLastError()))
                    return {DeviceHealth::Absent,
                            "no default destination on cupsd " + cups_io::server_label(),
                            {}};
                if (name) queue = *name;
            }
            cups_io::PrinterAnswer answer;
            if (!queue.empty()) answer = cups_io::get_printer(http.get(), queue);
            if (queue.empty() || answer.outcome == cups_io::Outcome::Unreachable) {
                error = "cupsd " + cups_io::server_label() +
                        " unreachable: " + (queue.empty() ? cupsLastErrorString() : answer.error);
                http.reset();
                if (!fresh) continue;
                return {DeviceHealth::Absent, error, {}};
            }
            if (answer.outcome == cups_io::Outcome::NotFound)
                return {DeviceHealth::Absent,
                        "queue " + queue + " not found on cupsd " + cups_io::server_label(),
                        {}};
            const CupsHealthVerdict verdict = judge_cups_printer(answer.printer);
            return {verdict.health, verdict.detail, verdict.summary};
        }
        return {DeviceHealth::Absent, error, {}};
    }

    void run_monitor() {
        cups_io::Connection http;
        std::optional<HealthReport> last;
        std::unique_lock lock(mutex);
        while (!closing) {
            lock.unlock();
            HealthReport report = observe_health(http);
            lock.lock();
            if (closing) break;
            if (!last || !last->same_as(report)) {
                hardware::DeviceStatusEvent event{options.id, hardware::DeviceKind::LabelPrinter,
                                                  report.health, report.detail, hardware::now_ms()};
                if (!post(event, lock)) break;
                last = std::move(report);
            }
            wake.wait_for(lock, options.status_poll_interval, [&] { return closing; });
        }
    }

    // Follower thread only. nullopt: nothing new to report yet.
    std::optional<CupsJobVerdict> follow(cups_io::Connection& http, const TrackedJob& job) const {
        using hardware::PrintJobState;
        const bool timed_out = Clock::now() - job.submitted >= options.job_timeout;
        const int timeout_seconds = static_cast<int>(
            std::chrono::duration_cast<std::chrono::seconds>(options.job_timeout).count());
        std::string unreachable;
        cups_io::JobAnswer answer;
        for (int attempt = 0; attempt < 2; ++attempt) {
            const bool fresh = !http;
            unreachable.clear();
            if (!ensure_connection(http, unreachable)) break;
            answer = cups_io::get_job(http.get(), job.queue, job.id);
            if (answer.outcome != cups_io::Outcome::Unreachable) break;
            http.reset();
            unreachable = "cupsd " + cups_io::server_label() + " unreachable: " + answer.error;
            if (fresh) break;
        }
        if (!unreachable.empty()) {
            if (!timed_out) return std::nullopt;
            return CupsJobVerdict{
                PrintJobState::Failed, true, false,
                "not printed within " + std::to_string(timeout_seconds) + " s: " + unreachable};
        }
        if (answer.outcome == cups_io::Outcome::NotFound)
            return CupsJobVerdict{PrintJobState::Failed, true, false,
                                  "job " + std::to_string(job.id) + " no longer known to cupsd"};

        // The printer's reasons explain a job that is not moving; a printing
        // or finished job needs no second request.
        CupsPrinterObservation printer;
        if (timed_out ||
            (answer.job.state != kCupsJobProcessing && answer.job.state != kCupsJobCompleted)) {
            const cups_io::PrinterAnswer printer_answer =
                cups_io::get_printer(http.get(), job.queue);
            if (printer_answer.outcome == cups_io::Outcome::Ok) printer = printer_answer.printer;
        }
        CupsJobVerdict verdict = judge_cups_job(answer.job, printer);
        if (!verdict.finished && timed_out)
            verdict = {PrintJobState::Failed, true, true,
                       describe_cups_job_timeout(timeout_seconds, printer)};
        // A job given up on must not print later (a duplicate label on the
        // next parcel); cancel it. Best effort: the outcome is reported anyway.
        if (verdict.cancel) cupsCancelJob2(http.get(), job.queue.c_str(), job.id, 0);
        return verdict;
    }

    bool has_unannounced() const {
        for (const TrackedJob& job : jobs)
            if (!job.posted) return true;
        return false;
    }

    TrackedJob* find_job(int id) {
        for (TrackedJob& job : jobs)
            if (job.id == id) return &job;
        return nullptr;
    }

    bool post_job(int id, hardware::PrintJobState state, std::string detail,
                  std::unique_lock<std::mutex>& lock) {
        hardware::PrintJobUpdate update{options.id, std::to_string(id), state, std::move(detail),
                                        hardware::now_ms()};
        return post(update, lock);
    }

    void run_follower() {
        cups_io::Connection http;
        std::unique_lock lock(mutex);
        while (!closing) {
            // Every job is announced as Queued before anything else is said about it.
            for (std::size_t index = 0; index < jobs.size(); ++index) {
                if (jobs[index].posted) continue;
                const int id = jobs[index].id;
                if (!post_job(id, hardware::PrintJobState::Queued, {}, lock)) return;
                if (TrackedJob* job = find_job(id)) job->posted = hardware::PrintJobState::Queued;
            }
            const std::vector<TrackedJob> snapshot = jobs;
            lock.unlock();
            std::vector<std::pair<int, CupsJobVerdict>> verdicts;
            for (const TrackedJob& job : snapshot) {
                if (job.outcome)
                    verdicts.emplace_back(job.id, *job.outcome);
                else if (std::optional<CupsJobVerdict> verdict = follow(http, job))
                    verdicts.emplace_back(job.id, std::move(*verdict));
            }
            lock.lock();
            for (auto& [id, verdict] : verdicts) {
                TrackedJob* job = find_job(id);
                if (job == nullptr) continue;
                if (verdict.finished) job->outcome = verdict;
                if (closing) break;
                if (!job->posted || progress_rank(verdict.state) > progress_rank(*job->posted)) {
                    if (!post_job(id, verdict.state, verdict.detail, lock)) return;
                    job = find_job(id);
                    if (job == nullptr) continue;
                    job->posted = verdict.state;
                }
                if (verdict.finished)
                    std::erase_if(jobs, [&](const TrackedJob& j) { return j.id == id; });
            }
            wake.wait_for(lock, options.job_poll_interval,
                          [&] { return closing || has_unannounced(); });
        }
    }
};

CupsPrinter::CupsPrinter(CupsPrinterOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

CupsPrinter::~CupsPrinter() {
    close();
}

std::string CupsPrinter::id() const {
    return impl_->options.id;
}

Status CupsPrinter::open(hardware::EventSink& sink) {
    std::lock_guard lock(impl_->mutex);
    if (impl_->sink != nullptr)
        return Error(errors::kDeviceAlreadyOpen, impl_->label() + " is already open");
    impl_->sink = &sink;
    impl_->closing = false;
    impl_->monitor = std::thread([this] { impl_->run_monitor(); });
    impl_->follower = std::thread([this] { impl_->run_follower(); });
    return {};
}

void CupsPrinter::close() {
    {
        std::lock_guard lock(impl_->mutex);
        if (impl_->sink == nullptr) return;
        impl_->closing = true;
        impl_->wake.notify_all();
    }
    if (impl_->monitor.joinable()) impl_->monitor.join();
    if (impl_->follower.joinable()) impl_->follower.join();
    std::lock_guard lock(impl_->mutex);
    impl_->sink = nullptr;
}

Result<std::string> CupsPrinter::submit(const hardware::PrintJob& job) {
    Impl& impl = *impl_;
    std::lock_guard submit_lock(impl.submit_mutex);
    {
        std::lock_guard lock(impl.mutex);
        if (impl.sink == nullptr || impl.closing)
            return Error(errors::kPrinterNotOpen, impl.label() + " is not open");
    }
    Result<std::string> format = cups_document_format(job.content_type);
    if (!format) return format.error().context(impl.label());

    // A kept connection may have died with a cupsd restart: one fresh retry.
    for (int attempt = 0; attempt < 2; ++attempt) {
        const bool fresh = !impl.submit_connection;
        if (fresh) {
            Result<cups_io::Connection> connected =
                cups_io::connect(impl.options.server, impl.options.connect_timeout);
            if (!connected) return connected.error().context(impl.label() + ": submit");
            impl.submit_connection = std::move(connected.value());
        } else {
            cups_io::use_server(impl.options.server);
        }
        http_t* http = impl.submit_connection.get();

        Result<std::string> queue = impl.resolve_queue(http);
        if (!queue) {
            impl.submit_connection.reset();
            if (!fresh) continue;
            return queue.error().context(impl.label() + ": submit");
        }
        const std::string title = job.title.empty() ? std::string("label") : job.title;
        const int job_id = cupsCreateJob(http, queue->c_str(), title.c_str(), 0, nullptr);
        if (job_id <= 0) {
            const ipp_status_t status = cupsLastError();
            const std::string why = cupsLastErrorString();
            Error failure =
                submit_failure(http, status, impl.label() + ": create job on queue " + *queue, why);
            impl.submit_connection.reset();
            if (!fresh && connection_lost(status)) continue;
            return failure;
        }
        auto fail = [&](const std::string& step) -> Error {
            Error failure = submit_failure(http, cupsLastError(),
                                           impl.label() + ": " + step + " of job " +
                                               std::to_string(job_id) + " on queue " + *queue,
                                           cupsLastErrorString());
            impl.submit_connection.reset();
            // Leave no half-sent job behind to print late.
            if (Result<cups_io::Connection> again =
                    cups_io::connect(impl.options.server, impl.options.connect_timeout))
                cupsCancelJob2(again->get(), queue->c_str(), job_id, 0);
            return failure;
        };
        if (cupsStartDocument(http, queue->c_str(), job_id, title.c_str(), format->c_str(), 1) !=
            HTTP_STATUS_CONTINUE)
            return fail("start document");
        if (cupsWriteRequestData(http, job.data.data(), job.data.size()) != HTTP_STATUS_CONTINUE)
            return fail("write data");
        if (cupsFinishDocument(http, queue->c_str()) > IPP_STATUS_OK_EVENTS_COMPLETE)
            return fail("finish document");

        std::lock_guard lock(impl.mutex);
        impl.jobs.push_back({job_id, *queue, Clock::now(), std::nullopt, std::nullopt});
        impl.wake.notify_all();
        return std::to_string(job_id);
    }
    return Error(errors::kPrinterCups,
                 impl.label() + ": submit: cupsd " + cups_io::server_label() + " does not answer");
}

}  // namespace packline::drivers
