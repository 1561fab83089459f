// Label reprints at the bench: every reprint leaves an audit event saying who
// asked (packer, supervisor, or the station after a restart), for which
// parcel, tracking number and print attempt, and why when a reason was
// scanned; a reprinted label is scanned back again before the parcel
// confirms, and the confirmation counts the prints and reprints.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "station_scene.h"

namespace packline::station {
namespace {

using nlohmann::json;

class ReprintTest : public testing::StationScene {
  protected:
    void SetUp() override {
        StationScene::SetUp();
        if (HasFatalFailure()) return;
        start_station();
    }

    std::vector<json> reprint_audits() {
        std::vector<json> audits;
        for (const EventRecord& event :
             events_of(station_->parcel()->id, "label.reprint_requested"))
            audits.push_back(json::parse(event.payload));
        return audits;
    }
};

TEST_F(ReprintTest, APackerReprintIsAuditedAndTheNewLabelMustBeScannedBack) {
    scan("PL-PACKER:ana");
    pack_a1_to_scan_back();
    const std::string first_job = station_->parcel()->label_job_id;
    const std::string earlier_label = label_scan();

    scan("PL-CMD:REPRINT");
    EXPECT_EQ(state(), ParcelState::Printing) << screen_.last().message;
    auto audits = reprint_audits();
    ASSERT_EQ(audits.size(), 1u);
    EXPECT_EQ(audits[0]["requested_by"], "ana");
    EXPECT_EQ(audits[0]["role"], "packer");
    EXPECT_EQ(audits[0]["tracking_number"], "1Z5R89390357567127");
    EXPECT_EQ(audits[0]["attempt"], 2);
    EXPECT_EQ(audits[0]["previous_job"], first_job);
    EXPECT_FALSE(audits[0].contains("reason"));
    EXPECT_FALSE(audits[0].contains("supervisor"));

    // The earlier label, scanned before the reprint has come out, confirms nothing.
    scan(earlier_label);
    EXPECT_EQ(screen_.last().code, "label.printing");
    EXPECT_EQ(state(), ParcelState::Printing);
    // Nor does a late report that the first job completed.
    station_->handle(
        hardware::PrintJobUpdate{"printer", first_job, hardware::PrintJobState::Completed, "", 0});
    EXPECT_EQ(state(), ParcelState::Printing);
    EXPECT_EQ(store_->count_confirmations().value(), 0);

    pump_printer();
    ASSERT_EQ(state(), ParcelState::AwaitingScanBack) << screen_.last().message;
    EXPECT_NE(station_->parcel()->label_job_id, first_job);
    EXPECT_EQ(station_->parcel()->label_attempts, 2);
    EXPECT_EQ(printer_.jobs().size(), 2u);
    scan(label_scan());
    ASSERT_EQ(screen_.last().kind, VerdictKind::Confirmed) << screen_.last().message;
    const json shipment = json::parse(outbox_payload());
    EXPECT_EQ(shipment["evidence"]["label_attempts"], 2);
    EXPECT_EQ(shipment["evidence"]["label_reprints"], 1);
}

TEST_F(ReprintTest, ASupervisorReprintWithAReasonIsAuditedAsTheSupervisors) {
    pack_a1_to_scan_back();
    scan("PL-SUP:SUP-0001");
    EXPECT_EQ(screen_.last().code, "reprint.supervisor");
    scan("PL-REASON:label-damaged");
    EXPECT_EQ(screen_.last().code, "reprint.reason");
    EXPECT_EQ(state(), ParcelState::AwaitingScanBack);
    scan("PL-CMD:REPRINT");
    EXPECT_EQ(state(), ParcelState::Printing);
    auto audits = reprint_audits();
    ASSERT_EQ(audits.size(), 1u);
    EXPECT_EQ(audits[0]["requested_by"], "SUP-0001");
    EXPECT_EQ(audits[0]["role"], "supervisor");
    EXPECT_EQ(audits[0]["supervisor_name"], "Demo Supervisor");
    EXPECT_EQ(audits[0]["packer"], "packer");
    EXPECT_EQ(audits[0]["reason"], "label-damaged");
    EXPECT_EQ(audits[0]["attempt"], 2);

    // The badge is used up: the next reprint is the packer's own.
    pump_printer();
    scan("PL-CMD:REPRINT");
    audits = reprint_audits();
    ASSERT_EQ(audits.size(), 2u);
    EXPECT_EQ(audits[1]["role"], "packer");
    EXPECT_EQ(audits[1]["attempt"], 3);
    pump_printer();
    scan(label_scan());
    ASSERT_EQ(screen_.last().kind, VerdictKind::Confirmed) << screen_.last().message;
    const json shipment = json::parse(outbox_payload());
    EXPECT_EQ(shipment["evidence"]["label_attempts"], 3);
    EXPECT_EQ(shipment["evidence"]["label_reprints"], 2);
}

TEST_F(ReprintTest, AnUnknownReasonIsRefusedAndTheReprintWaits) {
    pack_a1_to_scan_back();
    scan("PL-SUP:SUP-0001");
    scan("PL-REASON:coffee-spilt");
    EXPECT_EQ(screen_.last().code, "override.unknown_reason");
    EXPECT_TRUE(reprint_audits().empty());
    EXPECT_EQ(state(), ParcelState::AwaitingScanBack);
}

TEST_F(ReprintTest, ASupervisorReprintsFromAScanBackException) {
    pack_a1_to_scan_back();
    scan("]Q1" + labels::label_code_payload("A-9", "1Z5R89390357567127"));
    ASSERT_EQ(screen_.last().code, "express.label_other_order");
    scan("PL-SUP:SUP-0001");
    EXPECT_EQ(screen_.last().code, "override.choose_reason");
    scan("PL-CMD:REPRINT");
    EXPECT_EQ(state(), ParcelState::Printing);
    auto audits = reprint_audits();
    ASSERT_EQ(audits.size(), 1u);
    EXPECT_EQ(audits[0]["role"], "supervisor");
    EXPECT_EQ(audits[0]["state"], "exception");
    EXPECT_FALSE(audits[0].contains("reason"));
    pump_printer();
    scan(label_scan());
    EXPECT_EQ(screen_.last().kind, VerdictKind::Confirmed) << screen_.last().message;
}

TEST_F(ReprintTest, AReasonScannedForAReprintNeverBecomesAnOverride) {
    pack_a1_to_scan_back();
    scan("PL-SUP:SUP-0001");
    // Meanwhile the packer scans a wrong label: the parcel is in exception.
    scan("]Q1" + labels::label_code_payload("A-9", "1Z5R89390357567127"));
    ASSERT_EQ(state(), ParcelState::Exception);
    scan("PL-REASON:label-verified");
    EXPECT_EQ(screen_.last().kind, VerdictKind::Rejected);
    EXPECT_EQ(screen_.last().code, "override.no_supervisor");
    EXPECT_EQ(state(), ParcelState::Exception);
    EXPECT_EQ(station_->parcel()->express, CheckStatus::Failed);
    EXPECT_EQ(store_->count_confirmations().value(), 0);
}

TEST_F(ReprintTest, NothingIsReprintedBeforeTheFirstLabel) {
    scan("A-1");
    scan("PL-CMD:REPRINT");
    EXPECT_EQ(screen_.last().code, "command.ignored");
    EXPECT_TRUE(printer_.jobs().empty());
    EXPECT_TRUE(reprint_audits().empty());
}

TEST_F(ReprintTest, TheReprintAfterARestartWhilePrintingIsAuditedAsTheStations) {
    pack_a1_to_printing();
    start_station();  // the process died while the label printed
    ASSERT_EQ(state(), ParcelState::Printing);
    auto audits = reprint_audits();
    ASSERT_EQ(audits.size(), 1u);
    EXPECT_EQ(audits[0]["role"], "station");
    EXPECT_EQ(audits[0]["requested_by"], config_.station_id);
    EXPECT_EQ(audits[0]["attempt"], 2);
    pump_printer();
    ASSERT_EQ(state(), ParcelState::AwaitingScanBack) << screen_.last().message;
    scan(label_scan());
    ASSERT_EQ(screen_.last().kind, VerdictKind::Confirmed) << screen_.last().message;
    EXPECT_EQ(json::parse(outbox_payload())["evidence"]["label_reprints"], 1);
}

}  // namespace
}  // namespace packline::station
