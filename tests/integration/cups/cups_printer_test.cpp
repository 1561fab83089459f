// CupsPrinter against a private cupsd (tests/support/cups_test_server.h):
// bytes through a capture backend, job outcomes, printer health, detection.
#include "packline/drivers/cups_printer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <variant>
#include <vector>

#include "collecting_sink.h"
#include "cups_test_server.h"

namespace packline::drivers {
namespace {

using hardware::DeviceHealth;
using hardware::DeviceStatusEvent;
using hardware::PrintJobState;
using hardware::PrintJobUpdate;
using namespace std::chrono_literals;

// Keeps every event; tests wait for the one they expect.
class RecordingSink final : public testing::CollectingSink {
  public:
    std::vector<PrintJobUpdate> job_updates(const std::string& job_id) const {
        std::lock_guard lock(mutex_);
        std::vector<PrintJobUpdate> updates;
        for (const auto& event : events_)
            if (const auto* update = std::get_if<PrintJobUpdate>(&event))
                if (update->job_id == job_id) updates.push_back(*update);
        return updates;
    }

    // The final update (Completed or Failed) of a job, waiting up to `timeout`.
    std::optional<PrintJobUpdate> wait_for_final(const std::string& job_id,
                                                 std::chrono::milliseconds timeout = 20s) {
        std::optional<PrintJobUpdate> found;
        wait_until(timeout, [&](const hardware::DeviceEvent& event) {
            const auto* update = std::get_if<PrintJobUpdate>(&event);
            if (update == nullptr || update->job_id != job_id) return false;
            if (update->state != PrintJobState::Completed && update->state != PrintJobState::Failed)
                return false;
            found = *update;
            return true;
        });
        return found;
    }

    // The first status event after `from` (an index into all events) that matches.
    std::optional<DeviceStatusEvent> wait_for_status(
        std::size_t from, std::function<bool(const DeviceStatusEvent&)> match,
        std::chrono::milliseconds timeout = 15s) {
        std::optional<DeviceStatusEvent> found;
        wait_until(
            timeout,
            [&](const hardware::DeviceEvent& event) {
                const auto* status = std::get_if<DeviceStatusEvent>(&event);
                if (status == nullptr || !match(*status)) return false;
                found = *status;
                return true;
            },
            from);
        return found;
    }

    std::optional<DeviceStatusEvent> wait_for_health(std::size_t from, DeviceHealth health) {
        return wait_for_status(from,
                               [&](const DeviceStatusEvent& s) { return s.health == health; });
    }

    std::string dump() const {
        std::lock_guard lock(mutex_);
        std::string text;
        for (const auto& event : events_) {
            if (const auto* update = std::get_if<PrintJobUpdate>(&event))
                text += "job " + update->job_id + " " + std::string(to_string(update->state)) +
                        " " + update->detail + "\n";
            if (const auto* status = std::get_if<DeviceStatusEvent>(&event))
                text += "status " + std::string(to_string(status->health)) + " " + status->detail +
                        "\n";
        }
        return text;
    }

  private:
    void wait_until(std::chrono::milliseconds timeout,
                    const std::function<bool(const hardware::DeviceEvent&)>& match,
                    std::size_t from = 0) {
        std::unique_lock lock(mutex_);
        std::size_t next = from;
        changed_.wait_for(lock, timeout, [&] {
            for (; next < events_.size(); ++next)
                if (match(events_[next])) return true;
            return false;
        });
    }
};

const std::string kZpl =
    "^XA\n^PW812^LL1218^LH0,0\n^FO40,40^A0N,40,40^FDSHIP TO: J DOE^FS\n"
    "^FO40,450^BY3^BCN,120,Y,N,N^FD1Z5R89390357567127^FS\n^XZ\n";

class CupsPrinterTest : public ::testing::Test {
  protected:
    void SetUp() override {
        if (auto missing = testing::CupsTestServer::missing_tool()) GTEST_SKIP() << *missing;
        cups_.emplace();
        ASSERT_TRUE(cups_->running()) << cups_->error();
    }

    CupsPrinterOptions options_for(const std::string& queue) const {
        CupsPrinterOptions options;
        options.id = "label-" + queue;
        options.destination = queue;
        options.server = cups_->address();
        options.job_poll_interval = 100ms;
        options.status_poll_interval = 100ms;
        options.job_timeout = 8s;
        return options;
    }

    std::optional<testing::CupsTestServer> cups_;
    RecordingSink sink_;
};

TEST_F(CupsPrinterTest, ZplArrivesByteIdenticalAndTheJobCompletes) {
    ASSERT_TRUE(cups_->add_capture_queue("zebra")) << cups_->log_tail();
    CupsPrinter printer(options_for("zebra"));
    ASSERT_TRUE(printer.open(sink_).ok());

    const auto started = std::chrono::steady_clock::now();
    Result<std::string> job = printer.submit({"order 1001", "application/vnd.zebra.zpl", kZpl});
    // Informative only (no timing assertions): how long the loop thread waits.
    RecordProperty("submit_microseconds",
                   static_cast<int>(std::chrono::duration_cast<std::chrono::microseconds>(
                                        std::chrono::steady_clock::now() - started)
                                        .count()));
    ASSERT_TRUE(job.ok()) << job.error().to_string();
    std::optional<std::string> bytes = cups_->wait_for_capture("zebra", *job);
    ASSERT_TRUE(bytes.has_value()) << cups_->log_tail();
    EXPECT_EQ(*bytes, kZpl);

    std::optional<PrintJobUpdate> final_update = sink_.wait_for_final(*job);
    ASSERT_TRUE(final_update.has_value()) << sink_.dump();
    EXPECT_EQ(final_update->state, PrintJobState::Completed) << final_update->detail;
    const std::vector<PrintJobUpdate> updates = sink_.job_updates(*job);
    ASSERT_FALSE(updates.empty());
    EXPECT_EQ(updates.front().state, PrintJobState::Queued);
    EXPECT_EQ(updates.front().device, "label-zebra");
    printer.close();
}

TEST_F(CupsPrinterTest, JobsSubmittedBeforeCloseAreFollowedAfterReopen) {
    ASSERT_TRUE(cups_->add_capture_queue("zebra"));
    CupsPrinter printer(options_for("zebra"));
    ASSERT_TRUE(printer.open(sink_).ok());
    Result<std::string> job = printer.submit({"order 1012", "application/vnd.zebra.zpl", kZpl});
    ASSERT_TRUE(job.ok()) << job.error().to_string();
    printer.close();
    const std::size_t after_close = sink_.size();
    ASSERT_TRUE(cups_->wait_for_capture("zebra", *job).has_value());
    EXPECT_EQ(sink_.size(), after_close);  // nothing posted while closed

    ASSERT_TRUE(printer.open(sink_).ok());
    std::optional<PrintJobUpdate> final_update = sink_.wait_for_final(*job);
    ASSERT_TRUE(final_update.has_value()) << sink_.dump();
    EXPECT_EQ(final_update->state, PrintJobState::Completed) << final_update->detail;
    EXPECT_EQ(sink_.job_updates(*job).front().state, PrintJobState::Queued);
}

TEST_F(CupsPrinterTest, DefaultDestinationIsUsedWhenNoneIsConfigured) {
    ASSERT_TRUE(cups_->add_capture_queue("other"));
    ASSERT_TRUE(cups_->add_capture_queue("zebra"));
    ASSERT_TRUE(cups_->set_default("zebra"));
    CupsPrinterOptions options = options_for("");
    CupsPrinter printer(options);
    ASSERT_TRUE(printer.open(sink_).ok());
    Result<std::string> job = printer.submit({"order 1002", "application/vnd.zebra.zpl", kZpl});
    ASSERT_TRUE(job.ok()) << job.error().to_string();
    EXPECT_EQ(cups_->wait_for_capture("zebra", *job).value_or("<nothing>"), kZpl);
    std::optional<PrintJobUpdate> final_update = sink_.wait_for_final(*job);
    ASSERT_TRUE(final_update.has_value()) << sink_.dump();
    EXPECT_EQ(final_update->state, PrintJobState::Completed) << final_update->detail;
}

TEST_F(CupsPrinterTest, PdfAndPngThroughADriverQueueComplete) {
    ASSERT_TRUE(cups_->add_driver_queue("dymo")) << cups_->log_tail();
    CupsPrinter printer(options_for("dymo"));
    ASSERT_TRUE(printer.open(sink_).ok());

    const std::string pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
    const std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
    for (const auto& [type, data] :
         {std::pair<std::string, std::string>{"application/pdf", pdf}, {"image/png", png}}) {
        Result<std::string> job = printer.submit({"label", type, data});
        ASSERT_TRUE(job.ok()) << job.error().to_string();
        std::optional<std::string> bytes = cups_->wait_for_capture("dymo", *job);
        ASSERT_TRUE(bytes.has_value()) << cups_->log_tail();
        // The stand-in filter names the type cupsd detected, then the document.
        EXPECT_EQ(*bytes, "FAKE-RASTER " + type + "\n" + data);
        std::optional<PrintJobUpdate> final_update = sink_.wait_for_final(*job);
        ASSERT_TRUE(final_update.has_value()) << sink_.dump();
        EXPECT_EQ(final_update->state, PrintJobState::Completed) << final_update->detail;
    }
}

TEST_F(CupsPrinterTest, FailingBackendWithAbortPolicyFailsTheJobNamingTheMedia) {
    ASSERT_TRUE(cups_->add_failing_queue("zebra", "media-empty-error", "Out of labels",
                                         {"-o", "printer-error-policy=abort-job"}));
    CupsPrinter printer(options_for("zebra"));
    ASSERT_TRUE(printer.open(sink_).ok());
    Result<std::string> job = printer.submit({"order 1003", "application/vnd.zebra.zpl", kZpl});
    ASSERT_TRUE(job.ok()) << job.error().to_string();
    std::optional<PrintJobUpdate> final_update = sink_.wait_for_final(*job);
    ASSERT_TRUE(final_update.has_value()) << sink_.dump();
    EXPECT_EQ(final_update->state, PrintJobState::Failed);
    EXPECT_NE(final_update->detail.find("media-empty"), std::string::npos) << final_update->detail;
    EXPECT_NE(final_update->detail.find("Out of labels"), std::string::npos)
        << final_update->detail;
    // The reason stays on the queue: the printer is reported Faulty.
    std::optional<DeviceStatusEvent> faulty = sink_.wait_for_health(0, DeviceHealth::Faulty);
    ASSERT_TRUE(faulty.has_value()) << sink_.dump();
    EXPECT_NE(faulty->detail.find("out of labels"), std::string::npos) << faulty->detail;
}

TEST_F(CupsPrinterTest, FailingBackendWithTheDefaultPolicyStillFailsWithinTheTimeout) {
    ASSERT_TRUE(cups_->add_failing_queue("zebra", "media-empty-error", "Out of labels"));
    CupsPrinter printer(options_for("zebra"));
    ASSERT_TRUE(printer.open(sink_).ok());
    Result<std::string> job = printer.submit({"order 1004", "application/vnd.zebra.zpl", kZpl});
    ASSERT_TRUE(job.ok()) << job.error().to_string();
    // job_timeout is 8 s; the wait is longer so that only the driver's own
    // deadline (or an earlier held/stopped verdict) can end the job.
    std::optional<PrintJobUpdate> final_update = sink_.wait_for_final(*job, 20s);
    ASSERT_TRUE(final_update.has_value()) << sink_.dump() << cups_->log_tail();
    EXPECT_EQ(final_update->state, PrintJobState::Failed);
    EXPECT_NE(final_update->detail.find("media-empty"), std::string::npos) << final_update->detail;
}

// Every error policy a queue may carry ends the job as Failed, with the media
// named, within the job timeout (3 s here).
class CupsErrorPolicyTest : public CupsPrinterTest,
                            public ::testing::WithParamInterface<std::string> {};

TEST_P(CupsErrorPolicyTest, FailingBackendEndsTheJobAsFailed) {
    ASSERT_TRUE(cups_->add_failing_queue("zebra", "media-empty-error", "Out of labels",
                                         {"-o", "printer-error-policy=" + GetParam()}));
    CupsPrinterOptions options = options_for("zebra");
    options.job_timeout = 3s;
    CupsPrinter printer(options);
    ASSERT_TRUE(printer.open(sink_).ok());
    Result<std::string> job = printer.submit({"order 1010", "application/vnd.zebra.zpl", kZpl});
    ASSERT_TRUE(job.ok()) << job.error().to_string();
    std::optional<PrintJobUpdate> final_update = sink_.wait_for_final(*job, 20s);
    ASSERT_TRUE(final_update.has_value()) << sink_.dump() << cups_->log_tail();
    EXPECT_EQ(final_update->state, PrintJobState::Failed);
    EXPECT_NE(final_update->detail.find("media-empty"), std::string::npos) << final_update->detail;
}

INSTANTIATE_TEST_SUITE_P(Policies, CupsErrorPolicyTest,
                         ::testing::Values("retry-job", "retry-current-job", "stop-printer"),
                         [](const auto& param_info) {
                             std::string name = param_info.param;
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

TEST_F(CupsPrinterTest, JobThatNeverFinishesFailsAfterTheJobTimeout) {
    ASSERT_TRUE(cups_->add_stalled_queue("zebra"));
    CupsPrinterOptions options = options_for("zebra");
    options.job_timeout = 2s;
    CupsPrinter printer(options);
    ASSERT_TRUE(printer.open(sink_).ok());
    Result<std::string> job = printer.submit({"order 1009", "application/vnd.zebra.zpl", kZpl});
    ASSERT_TRUE(job.ok()) << job.error().to_string();
    std::optional<PrintJobUpdate> final_update = sink_.wait_for_final(*job, 20s);
    ASSERT_TRUE(final_update.has_value()) << sink_.dump();
    EXPECT_EQ(final_update->state, PrintJobState::Failed);
    EXPECT_NE(final_update->detail.find("not printed within 2 s"), std::string::npos)
        << final_update->detail;
    // Nothing more is said about the job once it has failed.
    printer.close();
    EXPECT_EQ(sink_.job_updates(*job).back().state, PrintJobState::Failed);
}

TEST_F(CupsPrinterTest, StoppedPrinterIsFaultyUntilEnabledAgain) {
    ASSERT_TRUE(cups_->add_capture_queue("zebra"));
    CupsPrinter printer(options_for("zebra"));
    ASSERT_TRUE(printer.open(sink_).ok());
    ASSERT_TRUE(sink_.wait_for_health(0, DeviceHealth::Present).has_value()) << sink_.dump();

    std::size_t mark = sink_.size();
    ASSERT_TRUE(cups_->disable("zebra"));
    std::optional<DeviceStatusEvent> faulty = sink_.wait_for_health(mark, DeviceHealth::Faulty);
    ASSERT_TRUE(faulty.has_value()) << sink_.dump();
    EXPECT_NE(faulty->detail.find("paused"), std::string::npos) << faulty->detail;
    EXPECT_EQ(faulty->kind, hardware::DeviceKind::LabelPrinter);

    // A job sent to the stopped printer fails instead of waiting forever.
    Result<std::string> job = printer.submit({"order 1005", "application/vnd.zebra.zpl", kZpl});
    ASSERT_TRUE(job.ok()) << job.error().to_string();
    std::optional<PrintJobUpdate> final_update = sink_.wait_for_final(*job);
    ASSERT_TRUE(final_update.has_value()) << sink_.dump();
    EXPECT_EQ(final_update->state, PrintJobState::Failed);
    EXPECT_NE(final_update->detail.find("paused"), std::string::npos) << final_update->detail;

    mark = sink_.size();
    ASSERT_TRUE(cups_->enable("zebra"));
    EXPECT_TRUE(sink_.wait_for_health(mark, DeviceHealth::Present).has_value()) << sink_.dump();
    // The failed job was canceled: it must not print once the printer resumes.
    EXPECT_FALSE(cups_->wait_for_capture("zebra", *job, 1500ms).has_value());
}

TEST_F(CupsPrinterTest, QueueRejectingJobsIsFaultyAndSubmitFails) {
    ASSERT_TRUE(cups_->add_capture_queue("zebra"));
    CupsPrinter printer(options_for("zebra"));
    ASSERT_TRUE(printer.open(sink_).ok());
    ASSERT_TRUE(sink_.wait_for_health(0, DeviceHealth::Present).has_value()) << sink_.dump();
    std::size_t mark = sink_.size();
    ASSERT_TRUE(cups_->reject("zebra"));
    std::optional<DeviceStatusEvent> faulty = sink_.wait_for_health(mark, DeviceHealth::Faulty);
    ASSERT_TRUE(faulty.has_value()) << sink_.dump();
    EXPECT_NE(faulty->detail.find("not accepting jobs"), std::string::npos) << faulty->detail;
    Result<std::string> job = printer.submit({"order 1011", "application/vnd.zebra.zpl", kZpl});
    ASSERT_FALSE(job.ok());
    EXPECT_NE(job.error().message.find("create job on queue zebra"), std::string::npos)
        << job.error().message;
    mark = sink_.size();
    ASSERT_TRUE(cups_->accept("zebra"));
    EXPECT_TRUE(sink_.wait_for_health(mark, DeviceHealth::Present).has_value()) << sink_.dump();
}

TEST_F(CupsPrinterTest, MissingQueueIsAbsentAndSubmitSaysWhy) {
    CupsPrinter printer(options_for("nosuchqueue"));
    ASSERT_TRUE(printer.open(sink_).ok());
    std::optional<DeviceStatusEvent> absent = sink_.wait_for_health(0, DeviceHealth::Absent);
    ASSERT_TRUE(absent.has_value()) << sink_.dump();
    EXPECT_NE(absent->detail.find("nosuchqueue"), std::string::npos) << absent->detail;

    Result<std::string> job = printer.submit({"order 1006", "application/vnd.zebra.zpl", kZpl});
    ASSERT_FALSE(job.ok());
    EXPECT_EQ(job.error().code, "printer.cups");
    EXPECT_NE(job.error().message.find("printer label-nosuchqueue: create job"), std::string::npos)
        << job.error().message;
}

TEST_F(CupsPrinterTest, CupsdStoppedIsAbsentAndRestartedIsPresent) {
    ASSERT_TRUE(cups_->add_capture_queue("zebra"));
    CupsPrinter printer(options_for("zebra"));
    ASSERT_TRUE(printer.open(sink_).ok());
    ASSERT_TRUE(sink_.wait_for_health(0, DeviceHealth::Present).has_value()) << sink_.dump();

    std::size_t mark = sink_.size();
    cups_->stop();
    std::optional<DeviceStatusEvent> absent = sink_.wait_for_health(mark, DeviceHealth::Absent);
    ASSERT_TRUE(absent.has_value()) << sink_.dump();
    EXPECT_NE(absent->detail.find("unreachable"), std::string::npos) << absent->detail;
    Result<std::string> refused = printer.submit({"order", "application/vnd.zebra.zpl", kZpl});
    EXPECT_FALSE(refused.ok());

    mark = sink_.size();
    ASSERT_TRUE(cups_->start()) << cups_->error();
    ASSERT_TRUE(sink_.wait_for_health(mark, DeviceHealth::Present).has_value()) << sink_.dump();
    // And it prints again over fresh connections.
    Result<std::string> job = printer.submit({"order 1007", "application/vnd.zebra.zpl", kZpl});
    ASSERT_TRUE(job.ok()) << job.error().to_string();
    std::optional<PrintJobUpdate> final_update = sink_.wait_for_final(*job);
    ASSERT_TRUE(final_update.has_value()) << sink_.dump();
    EXPECT_EQ(final_update->state, PrintJobState::Completed) << final_update->detail;
}

TEST_F(CupsPrinterTest, CupsServerEnvironmentIsUsedWhenNoServerIsConfigured) {
    ASSERT_TRUE(cups_->add_capture_queue("zebra"));
    cups_->export_server();
    CupsPrinterOptions options = options_for("zebra");
    options.server.clear();
    CupsPrinter printer(options);
    ASSERT_TRUE(printer.open(sink_).ok());
    Result<std::string> job = printer.submit({"order 1008", "application/vnd.zebra.zpl", kZpl});
    ::unsetenv("CUPS_SERVER");
    ASSERT_TRUE(job.ok()) << job.error().to_string();
    EXPECT_EQ(cups_->wait_for_capture("zebra", *job).value_or("<nothing>"), kZpl);
}

TEST_F(CupsPrinterTest, UnknownContentTypeIsRefusedAtSubmit) {
    ASSERT_TRUE(cups_->add_capture_queue("zebra"));
    CupsPrinter printer(options_for("zebra"));
    ASSERT_TRUE(printer.open(sink_).ok());
    Result<std::string> job = printer.submit({"x", "text/html", "<p>"});
    ASSERT_FALSE(job.ok());
    EXPECT_EQ(job.error().code, "printer.bad_job");
    printer.close();
    Result<std::string> closed = printer.submit({"x", "application/vnd.zebra.zpl", kZpl});
    ASSERT_FALSE(closed.ok());
    EXPECT_EQ(closed.error().code, "printer.not_open");
}

TEST_F(CupsPrinterTest, DetectListsTheQueuesWithTheirFacts) {
    ASSERT_TRUE(cups_->add_capture_queue("zebra"));
    ASSERT_TRUE(cups_->add_driver_queue("dymo"));
    ASSERT_TRUE(cups_->add_capture_queue("office"));
    ASSERT_TRUE(cups_->set_default("zebra"));
    ASSERT_TRUE(cups_->disable("office"));

    const std::vector<DetectedDevice> devices = detect_cups_printers(cups_->address());
    ASSERT_EQ(devices.size(), 3u);
    auto find = [&](const std::string& queue) -> const DetectedDevice& {
        auto it = std::find_if(devices.begin(), devices.end(), [&](const DetectedDevice& d) {
            return d.extra.at("queue") == queue;
        });
        EXPECT_NE(it, devices.end()) << queue;
        return *it;
    };
    const DetectedDevice& zebra = find("zebra");
    EXPECT_EQ(zebra.driver, "cups");
    EXPECT_EQ(zebra.kind, hardware::DeviceKind::LabelPrinter);
    EXPECT_EQ(zebra.extra.at("default"), "yes");
    EXPECT_EQ(zebra.extra.at("queue_type"), "raw");
    EXPECT_EQ(zebra.extra.at("label_printer"), "yes");
    EXPECT_EQ(zebra.address.rfind("capture:", 0), 0u) << zebra.address;
    EXPECT_EQ(zebra.health, DeviceHealth::Present);

    const DetectedDevice& dymo = find("dymo");
    EXPECT_EQ(dymo.extra.at("queue_type"), "driver");
    EXPECT_EQ(dymo.extra.at("make_and_model"), "Packline Test LabelWriter 4x6");
    EXPECT_EQ(dymo.extra.at("label_printer"), "yes");
    EXPECT_EQ(dymo.extra.at("default"), "no");

    const DetectedDevice& office = find("office");
    EXPECT_EQ(office.extra.at("label_printer"), "no");
    EXPECT_EQ(office.health, DeviceHealth::Faulty);
    EXPECT_NE(office.detail.find("paused"), std::string::npos) << office.detail;
}

TEST_F(CupsPrinterTest, DetectOnAStoppedCupsdFindsNothing) {
    cups_->stop();
    EXPECT_TRUE(detect_cups_printers(cups_->address()).empty());
    EXPECT_FALSE(list_cups_destinations(cups_->address()).ok());
}

}  // namespace
}  // namespace packline::drivers
