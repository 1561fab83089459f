// The station keeps time by the clock it is handed: a test sets the time
// instead of sleeping for it, and every stamp the station writes is the
// clock's. (The wall clock would run the same transitions, only slower.)
// Likewise every event id it writes comes from the id source it is handed.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "packline/clock.h"
#include "packline/ids.h"
#include "station_scene.h"

namespace packline::station {
namespace {

constexpr std::int64_t kMorning = 1'800'000'000'000;  // 2027-01-15, 08:00 UTC

class StationClockTest : public testing::StationScene {
  protected:
    void SetUp() override {
        StationScene::SetUp();
        clock_ = &clock;
    }

    void tick() { station_->tick(clock.now_ms()); }

    bool reported(std::string_view code) const {
        for (const Verdict& verdict : screen_.verdicts)
            if (verdict.code == code) return true;
        return false;
    }

    ManualClock clock{kMorning};
};

TEST_F(StationClockTest, AScaleThatNeverSettlesTimesOutAfterTheWeighTimeoutExactly) {
    config_.weigh_timeout_ms = 8000;
    start_station();
    scan("A-1");
    scan("]E04006381333931");
    scan("036000291452");
    ASSERT_EQ(state(), ParcelState::Weighing);
    station_->handle(
        hardware::WeightReading{"scale", 655, hardware::WeightStatus::InMotion, kMorning});
    tick();
    clock.advance(8000);
    tick();
    EXPECT_FALSE(reported("weight.unstable")) << "timed out at the limit, not after it";
    EXPECT_EQ(state(), ParcelState::Weighing);
    clock.advance(1);
    tick();
    EXPECT_TRUE(reported("weight.unstable"));
    EXPECT_EQ(screen_.last().at_ms, kMorning + 8001);
}

TEST_F(StationClockTest, AnIdleStationLocksAfterItsIdleTimeAndNotBefore) {
    config_.packers.idle_lock_ms = 10 * 60 * 1000;
    start_station();
    scan("A-1");
    clock.advance(10 * 60 * 1000);
    tick();
    EXPECT_FALSE(reported("station.locked"));
    clock.advance(1);
    tick();
    EXPECT_TRUE(reported("station.locked"));
    // A scan now is refused until a badge: the lock holds whatever the time.
    clock.advance(60 * 60 * 1000);
    tick();
    scan("]E04006381333931");
    EXPECT_EQ(state(), ParcelState::Scanning);
    EXPECT_TRUE(station_->parcel()->items.empty());
}

TEST_F(StationClockTest, TheConfirmationCarriesTheStationsTime) {
    start_station();
    clock.set(kMorning + 123'000);
    pack_a1_to_scan_back();
    clock.advance(4'000);  // the packer sticks the label on
    scan(label_scan());
    ASSERT_EQ(screen_.last().kind, VerdictKind::Confirmed) << screen_.last().message;
    EXPECT_EQ(screen_.last().at_ms, kMorning + 127'000);
    const auto shipment = nlohmann::json::parse(outbox_payload());
    EXPECT_EQ(shipment.at("confirmed_at_ms").get<std::int64_t>(), kMorning + 127'000)
        << shipment.dump();
}

TEST_F(StationClockTest, EveryEventIdComesFromTheStationsIdSource) {
    CountingIds ids{1};
    ids_ = &ids;
    start_station();
    pack_a1_to_scan_back();
    scan(label_scan());
    ASSERT_EQ(screen_.last().kind, VerdictKind::Confirmed) << screen_.last().message;

    // Counted ids are 00000000-0000-4000-8000-<counter>; the station took
    // every one it wrote from the source, and none twice.
    auto counted = [](const std::string& id) {
        return id.starts_with("00000000-0000-4000-8000-") && id.size() == 36;
    };
    std::set<std::string> seen;
    auto events = store_->events_for_parcel(station_->parcel()->id);
    ASSERT_TRUE(events.ok());
    ASSERT_GE(events.value().size(), 6u);  // started, 3 items, weight, label, printed, confirmed
    for (const EventRecord& event : events.value()) {
        EXPECT_TRUE(counted(event.event_id)) << event.type << " " << event.event_id;
        EXPECT_TRUE(seen.insert(event.event_id).second) << event.event_id;
    }
    auto outbox = store_->pending_outbox(1000);
    ASSERT_TRUE(outbox.ok());
    ASSERT_FALSE(outbox.value().empty());
    for (const OutboxMessage& message : outbox.value()) {
        EXPECT_TRUE(counted(message.event_id)) << message.topic << " " << message.event_id;
        EXPECT_TRUE(seen.insert(message.event_id).second) << message.event_id;
    }
    const auto shipment = nlohmann::json::parse(outbox_payload());
    EXPECT_TRUE(counted(shipment.at("event_id").get<std::string>())) << shipment.dump();
}

}  // namespace
}  // namespace packline::station
