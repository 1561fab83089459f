// The pure half of the CUPS driver: printer-state-reasons in plain words,
// printer health, job-state -> PrintJobUpdate, document formats.
#include "packline/drivers/cups_status.h"

#include <gtest/gtest.h>

namespace packline::drivers {
namespace {

using hardware::DeviceHealth;
using hardware::PrintJobState;

CupsPrinterObservation printer(int state, std::vector<std::string> reasons,
                               std::string message = {}, bool accepting = true) {
    return {state, std::move(reasons), std::move(message), accepting};
}

TEST(CupsReasonWords, KnownKeywordsReadAsPlainWordsWhateverTheirSuffix) {
    EXPECT_EQ(describe_cups_reason("media-empty-error"), "out of labels (media-empty)");
    EXPECT_EQ(describe_cups_reason("media-empty-warning"), "out of labels (media-empty)");
    EXPECT_EQ(describe_cups_reason("media-empty"), "out of labels (media-empty)");
    EXPECT_EQ(describe_cups_reason("paused"), "paused");
    EXPECT_EQ(describe_cups_reason("offline-report"), "offline");
    EXPECT_EQ(describe_cups_reason("door-open-error"), "cover open (door-open)");
    EXPECT_EQ(describe_cups_reason("media-jam-error"), "label jam (media-jam)");
    EXPECT_EQ(describe_cups_reason("marker-supply-empty-error"),
              "ribbon out (marker-supply-empty)");
}

TEST(CupsReasonWords, UnknownKeywordLosesOnlyItsSuffix) {
    EXPECT_EQ(describe_cups_reason("fuser-over-temp-error"), "fuser-over-temp");
    EXPECT_EQ(describe_cups_reason("-error"), "-error");  // too short to have a suffix
}

TEST(CupsReasonWords, FaultsAreErrorsAndKnownStoppersButNotWarnings) {
    EXPECT_TRUE(is_cups_fault_reason("media-empty-error"));
    EXPECT_TRUE(is_cups_fault_reason("some-vendor-thing-error"));
    EXPECT_TRUE(is_cups_fault_reason("paused"));
    EXPECT_TRUE(is_cups_fault_reason("offline-report"));
    EXPECT_TRUE(is_cups_fault_reason("door-open"));
    EXPECT_TRUE(is_cups_fault_reason("vendor-unsuffixed"));  // RFC 8011: no suffix = error
    EXPECT_FALSE(is_cups_fault_reason("none"));
    EXPECT_FALSE(is_cups_fault_reason("media-low-warning"));
    EXPECT_FALSE(is_cups_fault_reason("media-empty-warning"));
    EXPECT_FALSE(is_cups_fault_reason("connecting-to-device"));
    EXPECT_FALSE(is_cups_fault_reason("cups-waiting-for-job-completed"));
    EXPECT_FALSE(is_cups_fault_reason("other-report"));
}

TEST(CupsReasonWords, FaultListAddsTheBackendMessageUnlessItRepeatsTheWords) {
    EXPECT_EQ(describe_cups_faults({"media-empty-error"}, "Out of labels"),
              "out of labels (media-empty): Out of labels");
    EXPECT_EQ(describe_cups_faults({"paused"}, "Paused"), "paused");
    EXPECT_EQ(describe_cups_faults({"paused", "media-empty-error", "media-low-warning"}, ""),
              "paused, out of labels (media-empty)");
    EXPECT_EQ(describe_cups_faults({"none"}, "Ready"), "");
}

TEST(CupsPrinterHealth, IdleOrPrintingWithoutFaultsIsPresent) {
    EXPECT_EQ(judge_cups_printer(printer(kCupsPrinterIdle, {"none"})).health,
              DeviceHealth::Present);
    const CupsHealthVerdict printing = judge_cups_printer(
        printer(kCupsPrinterProcessing, {"connecting-to-device", "media-low-warning"}));
    EXPECT_EQ(printing.health, DeviceHealth::Present);
    EXPECT_EQ(printing.detail, "labels running low (media-low)");
}

TEST(CupsPrinterHealth, StoppedPausedOrRefusingIsFaulty) {
    const CupsHealthVerdict paused =
        judge_cups_printer(printer(kCupsPrinterStopped, {"paused"}, "Paused"));
    EXPECT_EQ(paused.health, DeviceHealth::Faulty);
    EXPECT_EQ(paused.detail, "paused");

    const CupsHealthVerdict stopped = judge_cups_printer(printer(kCupsPrinterStopped, {"none"}));
    EXPECT_EQ(stopped.health, DeviceHealth::Faulty);
    EXPECT_EQ(stopped.detail, "stopped");

    const CupsHealthVerdict refusing =
        judge_cups_printer(printer(kCupsPrinterIdle, {"none"}, "", false));
    EXPECT_EQ(refusing.health, DeviceHealth::Faulty);
    EXPECT_EQ(refusing.detail, "not accepting jobs");
}

TEST(CupsPrinterHealth, ErrorReasonOnAnIdlePrinterIsFaulty) {
    const CupsHealthVerdict empty =
        judge_cups_printer(printer(kCupsPrinterIdle, {"media-empty-error"}, "Out of labels"));
    EXPECT_EQ(empty.health, DeviceHealth::Faulty);
    EXPECT_EQ(empty.detail, "out of labels (media-empty): Out of labels");
    // Backends rewrite the message on each retry; the summary stays put.
    EXPECT_EQ(empty.summary, "out of labels (media-empty)");
    EXPECT_EQ(judge_cups_printer(printer(kCupsPrinterIdle, {"media-empty-error"})).summary,
              empty.summary);
    const CupsHealthVerdict offline =
        judge_cups_printer(printer(kCupsPrinterIdle, {"offline-report"}));
    EXPECT_EQ(offline.health, DeviceHealth::Faulty);
    EXPECT_EQ(offline.detail, "offline");
}

TEST(CupsJobState, RunningStatesAreNotFinal) {
    const CupsPrinterObservation idle = printer(kCupsPrinterIdle, {"none"});
    const CupsJobVerdict pending = judge_cups_job({kCupsJobPending, {}, {}}, idle);
    EXPECT_EQ(pending.state, PrintJobState::Queued);
    EXPECT_FALSE(pending.finished);
    const CupsJobVerdict processing = judge_cups_job({kCupsJobProcessing, {}, {}}, idle);
    EXPECT_EQ(processing.state, PrintJobState::Printing);
    EXPECT_FALSE(processing.finished);
}

TEST(CupsJobState, CompletedIsFinalAndNeedsNoCancel) {
    const CupsJobVerdict done =
        judge_cups_job({kCupsJobCompleted, {}, {}}, printer(kCupsPrinterIdle, {"none"}));
    EXPECT_EQ(done.state, PrintJobState::Completed);
    EXPECT_TRUE(done.finished);
    EXPECT_FALSE(done.cancel);
    EXPECT_EQ(done.detail, "");
}

TEST(CupsJobState, AbortedJobNamesThePrinterFault) {
    const CupsJobVerdict aborted =
        judge_cups_job({kCupsJobAborted, {"job-aborted-by-system"}, "Out of labels"},
                       printer(kCupsPrinterIdle, {"media-empty-error"}, "Out of labels"));
    EXPECT_EQ(aborted.state, PrintJobState::Failed);
    EXPECT_TRUE(aborted.finished);
    EXPECT_FALSE(aborted.cancel);
    EXPECT_EQ(aborted.detail, "job aborted: out of labels (media-empty): Out of labels");
}

TEST(CupsJobState, HeldAndStoppedJobsFailAndAreCanceled) {
    const CupsPrinterObservation empty =
        printer(kCupsPrinterIdle, {"media-empty-error"}, "Out of labels");
    const CupsJobVerdict held =
        judge_cups_job({kCupsJobHeld, {"job-hold-until-specified"}, {}}, empty);
    EXPECT_EQ(held.state, PrintJobState::Failed);
    EXPECT_TRUE(held.finished);
    EXPECT_TRUE(held.cancel);
    EXPECT_NE(held.detail.find("media-empty"), std::string::npos) << held.detail;

    const CupsJobVerdict stopped = judge_cups_job({kCupsJobStopped, {}, {}}, empty);
    EXPECT_EQ(stopped.state, PrintJobState::Failed);
    EXPECT_TRUE(stopped.cancel);
}

TEST(CupsJobState, CanceledJobSaysWhoCanceledIt) {
    const CupsJobVerdict canceled = judge_cups_job({kCupsJobCanceled, {"job-canceled-by-user"}, {}},
                                                   printer(kCupsPrinterIdle, {"none"}));
    EXPECT_EQ(canceled.state, PrintJobState::Failed);
    EXPECT_EQ(canceled.detail, "job canceled: canceled by user");
}

TEST(CupsJobState, PendingJobOnAStoppedPrinterFailsAtOnce) {
    const CupsJobVerdict verdict = judge_cups_job({kCupsJobPending, {"printer-stopped"}, {}},
                                                  printer(kCupsPrinterStopped, {"paused"}));
    EXPECT_EQ(verdict.state, PrintJobState::Failed);
    EXPECT_TRUE(verdict.finished);
    EXPECT_TRUE(verdict.cancel);
    EXPECT_EQ(verdict.detail, "printer stopped before printing: paused");
}

TEST(CupsJobState, TimeoutNamesThePrinterState) {
    EXPECT_EQ(describe_cups_job_timeout(
                  30, printer(kCupsPrinterIdle, {"media-empty-error"}, "Out of labels")),
              "not printed within 30 s: out of labels (media-empty): Out of labels");
    EXPECT_EQ(describe_cups_job_timeout(5, printer(kCupsPrinterProcessing, {"none"})),
              "not printed within 5 s");
}

TEST(CupsDocumentFormat, PrinterLanguagesGoRawDocumentsKeepTheirType) {
    EXPECT_EQ(cups_document_format("application/vnd.zebra.zpl").value(),
              "application/vnd.cups-raw");
    EXPECT_EQ(cups_document_format("application/octet-stream").value(), "application/vnd.cups-raw");
    EXPECT_EQ(cups_document_format("application/pdf").value(), "application/pdf");
    EXPECT_EQ(cups_document_format("image/png").value(), "image/png");
    const Result<std::string> unknown = cups_document_format("text/html");
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, "printer.bad_job");
    EXPECT_FALSE(cups_document_format("").ok());
}

TEST(CupsLabelPrinterGuess, NamesAndModelsOfLabelPrinters) {
    EXPECT_TRUE(looks_like_label_printer("zebra", "Local Raw Printer"));
    EXPECT_TRUE(looks_like_label_printer("shipping", "DYMO LabelWriter 450"));
    EXPECT_TRUE(looks_like_label_printer("q1", "Brother QL-820NWB"));
    EXPECT_TRUE(looks_like_label_printer("zd420_4x6", ""));
    EXPECT_FALSE(looks_like_label_printer("office", "HP LaserJet 4000 Series"));
}

}  // namespace
}  // namespace packline::drivers
