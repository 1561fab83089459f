// What the packer screen is fed: PackingStation::packer_view() at each step,
// manual entry (recorded as manual, refused for badges and the scan-back),
// sign-in by badge and the idle lock.
#include "packline/station/packer_view.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "station_scene.h"

namespace packline::station {
namespace {

using testing::StationScene;

class PackerViewTest : public StationScene {
  protected:
    void type(const std::string& data) {
        hardware::ScanEvent event{"screen", data, 0};
        event.manual = true;
        station_->handle(event);
    }
    PackerView view() const { return station_->packer_view(); }
};

TEST_F(PackerViewTest, LinesCountsWeightBandAndCommandsFollowTheParcel) {
    start_station();
    EXPECT_FALSE(view().parcel);
    EXPECT_EQ(view().station.state, "idle");

    scan("A-1");
    PackerView started = view();
    ASSERT_TRUE(started.order);
    EXPECT_EQ(started.order->recipient.name, "Jane Doe");
    ASSERT_EQ(started.lines.size(), 2u);
    EXPECT_EQ(started.lines[0].sku, "TEE-RED-L");
    EXPECT_EQ(started.lines[0].colour, "Red");
    EXPECT_EQ(started.lines[0].required, 1);
    EXPECT_EQ(started.lines[0].scanned, 0);
    EXPECT_FALSE(started.weight);
    EXPECT_TRUE(started.commands.close);
    EXPECT_FALSE(started.commands.split);  // nothing scanned yet
    EXPECT_FALSE(started.commands.retry);
    EXPECT_TRUE(started.commands.abandon);

    scan("]E04006381333931");
    EXPECT_EQ(view().lines[0].scanned, 1);
    EXPECT_TRUE(view().commands.split);

    // A wrong item: an exception the supervisor may not override.
    scan("]E04006381333931");
    EXPECT_EQ(screen_.last().code, "contents.over_quantity");
    EXPECT_TRUE(view().commands.retry);
    EXPECT_FALSE(view().overridable);
    scan("PL-CMD:RETRY");

    scan("036000291452");
    PackerView weighing = view();
    ASSERT_TRUE(weighing.weight);
    EXPECT_DOUBLE_EQ(weighing.weight->expected_g, 650.0);  // 200 + 350 + 100 box
    EXPECT_DOUBLE_EQ(weighing.weight->tolerance_g, 32.5);  // 5 % beats 20 g
    EXPECT_FALSE(weighing.commands.split);

    weigh(900);
    EXPECT_EQ(screen_.last().code, "weight.too_heavy");
    EXPECT_TRUE(view().overridable);  // a weight failure may be overridden
    scan("PL-CMD:RETRY");
    weigh(654);
    pump_printer();
    EXPECT_TRUE(view().commands.reprint);
    scan(label_scan());
    PackerView done = view();
    ASSERT_TRUE(done.parcel);  // the confirmed parcel stays on screen
    EXPECT_EQ(done.parcel->state, ParcelState::Confirmed);
    EXPECT_EQ(done.station.state, "idle");
    EXPECT_FALSE(done.commands.abandon);
}

TEST_F(PackerViewTest, TypedItemIsRecordedAsManualAndToldToTheHub) {
    start_station();
    type("A-1");  // the pick list's barcode was torn
    ASSERT_EQ(screen_.last().code, "parcel.started");
    type("4006381333931");
    ASSERT_EQ(screen_.last().code, "item.accepted");
    scan("036000291452");
    EXPECT_EQ(view().lines[0].manual, 1);
    EXPECT_EQ(view().lines[1].manual, 0);
    ASSERT_EQ(station_->parcel()->items.size(), 2u);
    EXPECT_TRUE(station_->parcel()->items[0].manual);
    EXPECT_FALSE(station_->parcel()->items[1].manual);

    // Both manual entries went to the hub as manual_entry events.
    const auto kinds = outbox_event_kinds();
    EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "manual_entry"), 2)
        << ::testing::PrintToString(kinds);

    weigh(654);
    pump_printer();
    scan(label_scan());
    ASSERT_EQ(state(), ParcelState::Confirmed);
    const auto confirmation = nlohmann::json::parse(outbox_payload());
    EXPECT_EQ(confirmation["items"][0].value("manual", false), true);
    EXPECT_FALSE(confirmation["items"][1].contains("manual"));

    // The mark is in the store, not only in memory.
    const std::int64_t id = station_->parcel()->id;
    start_station();
    auto reloaded = store_->find_parcel(id);
    ASSERT_TRUE(reloaded.ok());
    ASSERT_TRUE(reloaded.value());
    EXPECT_TRUE(reloaded.value()->items[0].manual);
    EXPECT_FALSE(reloaded.value()->items[1].manual);
}

TEST_F(PackerViewTest, BadgesAndTheScanBackCannotBeTyped) {
    start_station();
    type("PL-PACKER:mallory");
    EXPECT_EQ(screen_.last().code, "scan.badge_typed");
    EXPECT_EQ(view().station.packer, "packer");

    pack_a1_to_scan_back();
    type(label_scan());
    EXPECT_EQ(screen_.last().code, "scan.manual_not_allowed");
    EXPECT_EQ(state(), ParcelState::AwaitingScanBack);

    // At the scan-back a supervisor badge means a reprint; typed, it means nothing.
    type("PL-SUP:SUP-0001");
    EXPECT_EQ(screen_.last().code, "scan.badge_typed");
    EXPECT_FALSE(view().supervisor);

    scan(label_scan());
    EXPECT_EQ(state(), ParcelState::Confirmed);
}

TEST_F(PackerViewTest, SignInIsRequiredWhenConfigured) {
    config_.packers.sign_in_required = true;
    start_station();
    EXPECT_TRUE(view().station.locked);
    EXPECT_EQ(view().lock_reason, "sign_in");
    EXPECT_EQ(view().station.packer, "");
    scan("A-1");
    EXPECT_EQ(screen_.last().code, "station.locked");
    EXPECT_FALSE(station_->parcel());

    scan("PL-PACKER:alice");
    EXPECT_FALSE(view().station.locked);
    EXPECT_EQ(view().station.packer, "alice");
    scan("A-1");
    EXPECT_EQ(screen_.last().code, "parcel.started");
    EXPECT_EQ(station_->parcel()->packer, "alice");
}

TEST_F(PackerViewTest, IdleStationLocksAndTheNextBadgeGoesOn) {
    config_.packers.idle_lock_ms = 60000;
    start_station();
    scan("A-1");
    scan("]E04006381333931");
    station_->tick(hardware::now_ms() + 30000);
    EXPECT_FALSE(view().station.locked);
    station_->tick(hardware::now_ms() + 61000);
    EXPECT_EQ(screen_.last().code, "station.locked");
    EXPECT_TRUE(view().station.locked);
    EXPECT_EQ(view().lock_reason, "idle");
    EXPECT_EQ(view().station.packer, "");
    // The parcel waits; nothing is accepted but a badge.
    scan("036000291452");
    EXPECT_EQ(screen_.last().code, "station.locked");
    EXPECT_EQ(station_->parcel()->items.size(), 1u);

    scan("PL-PACKER:bob");
    EXPECT_FALSE(view().station.locked);
    scan("036000291452");
    EXPECT_EQ(screen_.last().code, "contents.complete");
}

TEST_F(PackerViewTest, SupervisorWaitingForAReasonIsShownUntilItTimesOut) {
    start_station();
    Order bad_phone = testing::scene_order("A-4", {{"MUG", 1}}, "");
    bad_phone.recipient.phone = "12";
    ASSERT_TRUE(store_->upsert_order(bad_phone).ok());
    scan("A-4");
    ASSERT_EQ(screen_.last().code, "customer.phone_invalid");
    EXPECT_TRUE(view().overridable);
    scan("PL-SUP:SUP-0001");
    ASSERT_TRUE(view().supervisor);
    EXPECT_EQ(view().supervisor->name, "Demo Supervisor");
    EXPECT_FALSE(view().supervisor->for_reprint);
    EXPECT_GT(view().supervisor->expires_at_ms, hardware::now_ms());

    station_->tick(hardware::now_ms() + config_.supervisor_timeout_ms + 1000);
    EXPECT_EQ(screen_.last().code, "override.timeout");
    EXPECT_FALSE(view().supervisor);

    scan("PL-SUP:SUP-0001");
    scan("PL-REASON:verified-by-phone");
    EXPECT_EQ(screen_.last().code, "parcel.override");
    EXPECT_EQ(station_->parcel()->customer, CheckStatus::Overridden);
}

}  // namespace
}  // namespace packline::station
