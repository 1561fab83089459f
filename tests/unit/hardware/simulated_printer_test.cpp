#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "packline/hardware/queue_sink.h"
#include "packline/hardware/simulated_label_printer.h"

namespace packline::hardware {
namespace {

using namespace std::chrono_literals;

constexpr const char* kLabel = "^XA^FO40,40^A0N,40,40^FDSHIP TO: J DOE^FS^XZ";

PrintJob zpl_job(std::string data, std::string title = "label-1") {
    return PrintJob{std::move(title), "application/vnd.zebra.zpl", std::move(data)};
}

std::optional<PrintJobUpdate> next_update(BoundedQueue<DeviceEvent>& queue) {
    auto event = queue.pop_for(1s);
    if (!event || !std::holds_alternative<PrintJobUpdate>(*event)) return std::nullopt;
    return std::get<PrintJobUpdate>(*event);
}

class SimulatedPrinterTest : public ::testing::Test {
  protected:
    void SetUp() override { ASSERT_TRUE(printer_.open(sink_).ok()); }

    BoundedQueue<DeviceEvent> queue_{64};
    QueueSink sink_{queue_};
    SimulatedLabelPrinter printer_{"printer-1"};
};

TEST_F(SimulatedPrinterTest, PrintsAndCompletes) {
    auto id = printer_.submit(zpl_job(std::string("\r\n") + kLabel + "\r\n"));
    ASSERT_TRUE(id.ok()) << id.error().to_string();
    EXPECT_EQ(*id, "sim-1");

    auto printing = next_update(queue_);
    auto done = next_update(queue_);
    ASSERT_TRUE(printing && done);
    EXPECT_EQ(printing->device, "printer-1");
    EXPECT_EQ(printing->job_id, "sim-1");
    EXPECT_EQ(printing->state, PrintJobState::Printing);
    EXPECT_EQ(done->state, PrintJobState::Completed);
    EXPECT_EQ(done->detail, "");

    // The printed bytes are kept exactly as sent.
    EXPECT_EQ(printer_.job_data("sim-1"), std::string("\r\n") + kLabel + "\r\n");
    auto jobs = printer_.jobs();
    ASSERT_EQ(jobs.size(), 1u);
    EXPECT_EQ(jobs[0].title, "label-1");
    EXPECT_EQ(jobs[0].state, PrintJobState::Completed);
    EXPECT_EQ(printer_.job_data("sim-2"), std::nullopt);
}

TEST_F(SimulatedPrinterTest, NumbersJobsInOrder) {
    EXPECT_EQ(printer_.submit(zpl_job(kLabel)).value_or(""), "sim-1");
    EXPECT_EQ(printer_.submit(zpl_job(kLabel)).value_or(""), "sim-2");
    EXPECT_EQ(printer_.submit(zpl_job(kLabel)).value_or(""), "sim-3");
    std::vector<std::string> completed;
    while (completed.size() < 3) {
        auto update = next_update(queue_);
        ASSERT_TRUE(update);
        if (update->state == PrintJobState::Completed) completed.push_back(update->job_id);
    }
    EXPECT_EQ(completed, (std::vector<std::string>{"sim-1", "sim-2", "sim-3"}));
}

TEST_F(SimulatedPrinterTest, FailsTheNextJobOnDemandOnly) {
    printer_.fail_next("media-empty-error");
    ASSERT_TRUE(printer_.submit(zpl_job(kLabel)).ok());
    ASSERT_TRUE(printer_.submit(zpl_job(kLabel)).ok());

    std::vector<PrintJobUpdate> finals;
    while (finals.size() < 2) {
        auto update = next_update(queue_);
        ASSERT_TRUE(update);
        if (update->state != PrintJobState::Printing) finals.push_back(*update);
    }
    EXPECT_EQ(finals[0].job_id, "sim-1");
    EXPECT_EQ(finals[0].state, PrintJobState::Failed);
    EXPECT_EQ(finals[0].detail, "media-empty-error");
    EXPECT_EQ(finals[1].job_id, "sim-2");
    EXPECT_EQ(finals[1].state, PrintJobState::Completed);
    EXPECT_EQ(printer_.jobs()[0].state, PrintJobState::Failed);
    EXPECT_EQ(printer_.jobs()[0].detail, "media-empty-error");
}

TEST_F(SimulatedPrinterTest, OfflineRefusesJobs) {
    printer_.set_offline(true);
    auto refused = printer_.submit(zpl_job(kLabel));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, "printer.offline");
    EXPECT_TRUE(printer_.jobs().empty());
    printer_.set_offline(false);
    EXPECT_TRUE(printer_.submit(zpl_job(kLabel)).ok());
}

TEST_F(SimulatedPrinterTest, RefusesAnythingButOneZplFormat) {
    const std::vector<PrintJob> bad = {
        zpl_job(""),
        zpl_job("   \n"),
        zpl_job("^XA"),
        zpl_job("^XA^FDno end^FS"),
        zpl_job("^FDno start^FS^XZ"),
        zpl_job("hello ^XA^XZ"),
        zpl_job("^XZ^XA"),
        zpl_job("%PDF-1.7 ..."),
        PrintJob{"label", "application/pdf", kLabel},
    };
    for (const auto& job : bad) {
        auto result = printer_.submit(job);
        ASSERT_FALSE(result.ok()) << job.data;
        EXPECT_EQ(result.error().code, "printer.bad_job") << job.data;
    }
    EXPECT_TRUE(printer_.jobs().empty());
    EXPECT_TRUE(printer_.submit(zpl_job("^XA^XZ")).ok());
    EXPECT_TRUE(printer_.submit(PrintJob{"untyped", "", kLabel}).ok());
}

TEST(SimulatedPrinter, RefusesJobsWhileClosed) {
    SimulatedLabelPrinter printer("printer-1");
    EXPECT_EQ(printer.kind(), DeviceKind::LabelPrinter);
    auto refused = printer.submit(zpl_job(kLabel));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, "printer.not_open");
}

TEST(SimulatedPrinter, CloseJoinsAndNothingIsPostedAfter) {
    BoundedQueue<DeviceEvent> queue(1);  // room for one update; the loop never drains
    QueueSink sink(queue);
    SimulatedLabelPrinter printer("printer-1");
    ASSERT_TRUE(printer.open(sink).ok());
    for (int i = 0; i < 5; ++i)
        ASSERT_TRUE(printer.submit(zpl_job(kLabel)).ok());
    const auto deadline = std::chrono::steady_clock::now() + 1s;
    while (queue.size() < 1 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(1ms);
    std::this_thread::sleep_for(5ms);  // the worker is now waiting for room for "completed"
    printer.close();                   // must not hang on the full queue
    EXPECT_EQ(queue.size(), 1u);
    queue.pop();
    std::this_thread::sleep_for(10ms);
    EXPECT_EQ(queue.size(), 0u);

    // Unprinted jobs are printed after reopening, and the outcome close()
    // interrupted is reported then.
    BoundedQueue<DeviceEvent> fresh(64);
    QueueSink fresh_sink(fresh);
    ASSERT_TRUE(printer.open(fresh_sink).ok());
    int completed = 0;
    while (completed < 5) {
        auto update = next_update(fresh);
        if (!update) break;
        if (update->state == PrintJobState::Completed) ++completed;
    }
    printer.close();
    EXPECT_EQ(completed, 5);
    for (const auto& job : printer.jobs())
        EXPECT_EQ(job.state, PrintJobState::Completed) << job.id;
}

}  // namespace
}  // namespace packline::hardware
