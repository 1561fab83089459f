// The evidence photo of a packed parcel, at the bench: taken when the parcel
// confirms, its hash in the store and in the shipment confirmation; a camera
// that is away or cannot write never holds a confirmation up; retention
// deletes old photos inside the evidence directory only and keeps their
// record and hash.
#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../unit/store/store_fixtures.h"
#include "packline/station/messages.h"
#include "sha256sum.h"
#include "station_scene.h"

namespace packline::station {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using packline::testing::sha256sum;

void write_file(const fs::path& path, const std::string& bytes) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string utc_date(std::int64_t at_ms) {
    const std::time_t seconds = static_cast<std::time_t>(at_ms / 1000);
    std::tm parts{};
    gmtime_r(&seconds, &parts);
    char text[16];
    std::strftime(text, sizeof text, "%Y-%m-%d", &parts);
    return text;
}

// A camera on the bench that writes a small JPEG-framed file per photo. It
// can fail like a real one: with nothing written, or after writing half a
// file (a full disk).
class BenchCamera final : public hardware::Camera {
  public:
    std::string id() const override { return "camera"; }
    Status open(hardware::EventSink&) override { return {}; }
    void close() override {}

    Result<hardware::Photo> take_photo(const std::string& path) override {
        ++taken;
        requested.push_back(path);
        const std::string bytes = std::string("\xFF\xD8\xFF\xE0", 4) + "parcel photo " +
                                  std::to_string(taken) + std::string("\xFF\xD9", 2);
        if (failure) {
            if (write_half_before_failing) write_file(path, bytes.substr(0, bytes.size() / 2));
            return *failure;
        }
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        if (!out) return Error("camera.photo", "camera camera: photo: cannot create " + path);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.close();
        if (!out) return Error("camera.photo", "camera camera: photo: cannot write " + path);
        return hardware::Photo{path, sha256sum(path), 640, 480};
    }

    std::optional<Error> failure;
    bool write_half_before_failing = false;
    int taken = 0;
    std::vector<std::string> requested;
};

constexpr std::int64_t kDayMs = 24LL * 60 * 60 * 1000;

class EvidenceTest : public testing::StationScene {
  protected:
    fs::path evidence_dir() const { return dir_ / "evidence"; }

    std::int64_t confirm_a1() {
        pack_a1_to_scan_back();
        scan(label_scan());
        EXPECT_EQ(screen_.last().kind, VerdictKind::Confirmed) << screen_.last().message;
        return station_->parcel()->id;
    }

    std::vector<json> events_payloads(std::int64_t parcel_id, std::string_view type) {
        std::vector<json> payloads;
        for (const EventRecord& event : events_of(parcel_id, type))
            payloads.push_back(json::parse(event.payload));
        return payloads;
    }

    // A parcel confirmed on an earlier day, with its photo record; the file
    // is written when `bytes` is given.
    std::int64_t earlier_parcel(const std::string& order_id, const fs::path& photo,
                                std::int64_t taken_at_ms, std::optional<std::string> bytes) {
        EXPECT_TRUE(store_->upsert_order(testing::scene_order(order_id, {{"MUG", 1}}, "")).ok());
        std::string hash(64, 'a');
        if (bytes) {
            write_file(photo, *bytes);
            hash = sha256sum(photo);
        }
        Transition confirmed;
        confirmed.parcel.order_id = order_id;
        confirmed.parcel.station = config_.station_id;
        confirmed.parcel.packer = "packer";
        confirmed.parcel.state = ParcelState::Confirmed;
        confirmed.parcel.created_at_ms = taken_at_ms;
        confirmed.parcel.confirmed_at_ms = taken_at_ms;
        confirmed.parcel.photo = EvidencePhoto{photo.string(), hash, taken_at_ms, 0};
        confirmed.event.event_id = new_event_id();
        confirmed.event.at_ms = taken_at_ms;
        confirmed.event.station = config_.station_id;
        confirmed.event.type = "parcel.confirmed";
        auto id = store_->commit(confirmed);
        EXPECT_TRUE(id.ok()) << id.error().message;
        return id.value_or(0);
    }

    EvidencePhoto photo_record(std::int64_t parcel_id) {
        auto parcel = store_->find_parcel(parcel_id);
        EXPECT_TRUE(parcel.ok() && parcel.value() && parcel.value()->photo);
        if (!parcel.ok() || !parcel.value() || !parcel.value()->photo) return {};
        return *parcel.value()->photo;
    }

    std::int64_t count(const std::string& sql) {
        return testing::RawConnection(config_.database).integer(sql);
    }

    BenchCamera camera_;
};

TEST_F(EvidenceTest, ThePhotoIsTakenBeforeTheConfirmationAndItsHashGoesWithIt) {
    start_station(&camera_);
    const std::int64_t id = confirm_a1();
    EXPECT_EQ(camera_.taken, 1);
    const Parcel& parcel = *station_->parcel();
    ASSERT_TRUE(parcel.photo.has_value());
    const fs::path expected = fs::absolute(evidence_dir()) / utc_date(parcel.confirmed_at_ms) /
                              ("A-1-p1-" + std::to_string(id) + ".jpg");
    EXPECT_EQ(parcel.photo->path, expected.string());
    ASSERT_TRUE(fs::is_regular_file(expected));
    EXPECT_EQ(parcel.photo->sha256, sha256sum(expected));
    EXPECT_EQ(parcel.photo->taken_at_ms, parcel.confirmed_at_ms);
    EXPECT_EQ(parcel.photo->pruned_at_ms, 0);

    // In the store, with the parcel...
    EXPECT_EQ(photo_record(id), *parcel.photo);
    // ...in the confirmation committed with it...
    const json shipment = json::parse(outbox_payload());
    EXPECT_EQ(shipment["evidence"]["photo"]["sha256"], parcel.photo->sha256);
    EXPECT_EQ(shipment["evidence"]["photo"]["path"], expected.string());
    EXPECT_EQ(shipment["evidence"]["photo"]["taken_at_ms"], parcel.confirmed_at_ms);
    EXPECT_EQ(shipment["evidence"]["label_attempts"], 1);
    EXPECT_EQ(shipment["evidence"]["label_reprints"], 0);
    // ...and in the confirmation's event.
    auto confirmed = events_payloads(id, "parcel.confirmed");
    ASSERT_EQ(confirmed.size(), 1u);
    EXPECT_EQ(confirmed[0]["photo_sha256"], parcel.photo->sha256);
    EXPECT_FALSE(screen_.said("evidence.photo_failed"));
}

TEST_F(EvidenceTest, WithoutACameraOrWithPhotosOffNothingIsTakenAndNothingComplains) {
    start_station();  // no camera configured
    const std::int64_t id = confirm_a1();
    EXPECT_FALSE(station_->parcel()->photo.has_value());
    EXPECT_FALSE(json::parse(outbox_payload())["evidence"].contains("photo"));
    EXPECT_TRUE(events_of(id, "evidence.photo_failed").empty());
    EXPECT_FALSE(screen_.said("evidence.photo_failed"));
    EXPECT_FALSE(fs::exists(evidence_dir()));

    ASSERT_TRUE(store_->upsert_order(testing::scene_order("A-2", {{"MUG", 1}}, "")).ok());
    ASSERT_TRUE(store_->add_pool_numbers("ups", {"1Z879E930346834440"}).ok());
    config_.evidence.photo = false;
    start_station(&camera_);
    scan("A-2");
    scan("036000291452");
    weigh(350 + 100);
    pump_printer();
    scan(label_scan());
    ASSERT_EQ(screen_.last().kind, VerdictKind::Confirmed) << screen_.last().message;
    EXPECT_EQ(camera_.taken, 0);
    EXPECT_FALSE(station_->parcel()->photo.has_value());
    EXPECT_FALSE(screen_.said("evidence.photo_failed"));
}

TEST_F(EvidenceTest, AnUnpluggedCameraNeverHoldsTheConfirmationUp) {
    start_station(&camera_);
    device("camera", hardware::DeviceKind::Camera, hardware::DeviceHealth::Absent,
           "camera unplugged: no frames from /dev/video0");
    const std::int64_t id = confirm_a1();
    EXPECT_EQ(camera_.taken, 0);
    EXPECT_FALSE(station_->parcel()->photo.has_value());
    EXPECT_EQ(store_->count_confirmations().value(), 1);
    EXPECT_TRUE(screen_.said("evidence.photo_failed"));
    auto failed = events_payloads(id, "evidence.photo_failed");
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0]["reason"], "camera.unavailable");
    EXPECT_NE(failed[0]["message"].get<std::string>().find("camera unplugged"), std::string::npos)
        << failed[0];
    EXPECT_FALSE(json::parse(outbox_payload())["evidence"].contains("photo"));
    EXPECT_EQ(events_payloads(id, "parcel.confirmed").at(0)["photo_failed"], "camera.unavailable");
}

TEST_F(EvidenceTest, AFileWhereTheEvidenceDirectoryShouldBeIsRecordedAndTheParcelConfirms) {
    write_file(evidence_dir(), "not a directory");
    start_station(&camera_);
    const std::int64_t id = confirm_a1();
    EXPECT_EQ(store_->count_confirmations().value(), 1);
    EXPECT_FALSE(station_->parcel()->photo.has_value());
    auto failed = events_payloads(id, "evidence.photo_failed");
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0]["reason"], "evidence.io");
    EXPECT_NE(failed[0]["message"].get<std::string>().find(evidence_dir().string()),
              std::string::npos)
        << failed[0];
    // The Info verdict comes first; the packer's last word is the confirmation.
    EXPECT_TRUE(screen_.said("evidence.photo_failed"));
    EXPECT_EQ(screen_.last().code, "parcel.confirmed");
    EXPECT_EQ(read_text(evidence_dir()), "not a directory");  // left as it was
}

TEST_F(EvidenceTest, ACameraThatRunsOutOfDiskLeavesNoHalfPhotoAndTheParcelConfirms) {
    camera_.failure = Error("camera.photo", "camera camera: photo: cannot write: disk full");
    camera_.write_half_before_failing = true;
    start_station(&camera_);
    const std::int64_t id = confirm_a1();
    EXPECT_EQ(camera_.taken, 1);
    EXPECT_EQ(store_->count_confirmations().value(), 1);
    EXPECT_FALSE(station_->parcel()->photo.has_value());
    ASSERT_EQ(camera_.requested.size(), 1u);
    EXPECT_FALSE(fs::exists(camera_.requested[0])) << "half-written photo left behind";
    auto failed = events_payloads(id, "evidence.photo_failed");
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0]["reason"], "camera.photo");
    EXPECT_FALSE(json::parse(outbox_payload())["evidence"].contains("photo"));
}

TEST_F(EvidenceTest, RetentionDeletesOnlyOldPhotosInsideTheEvidenceDirectoryAndKeepsTheirRecord) {
    config_.evidence.retention_days = 30;
    start_station(&camera_);
    const std::int64_t today_id = confirm_a1();
    const EvidencePhoto today = *station_->parcel()->photo;

    const std::int64_t now = hardware::now_ms();
    const std::int64_t old = now - 40 * kDayMs;
    const fs::path old_day = evidence_dir() / "2024-01-01";
    const std::int64_t deleted_id = earlier_parcel("O-1", old_day / "O-1.jpg", old, "old photo");
    const std::int64_t gone_id = earlier_parcel("O-2", old_day / "O-2.jpg", old, std::nullopt);
    const std::int64_t lone_id =
        earlier_parcel("O-3", evidence_dir() / "2024-01-02" / "O-3.jpg", old, "alone in its day");
    // Records that name files the evidence directory does not hold: an old
    // directory, and a link inside the directory that points out of it.
    const fs::path outside = dir_ / "elsewhere" / "O-4.jpg";
    const std::int64_t outside_id = earlier_parcel("O-4", outside, old, "outside");
    fs::create_directories(dir_ / "linked-away");
    fs::create_directory_symlink(dir_ / "linked-away", evidence_dir() / "linked");
    const std::int64_t linked_id =
        earlier_parcel("O-5", evidence_dir() / "linked" / "O-5.jpg", old, "behind a link");
    // A file the station never recorded, next to an old photo.
    write_file(old_day / "notes.txt", "kept by a person");

    station_->tick(now);  // the first tick: the daemon has started

    EXPECT_FALSE(fs::exists(old_day / "O-1.jpg"));
    EXPECT_FALSE(fs::exists(evidence_dir() / "2024-01-02")) << "an emptied day stays behind";
    EXPECT_TRUE(fs::exists(old_day / "notes.txt"));
    EXPECT_TRUE(fs::exists(outside));
    EXPECT_TRUE(fs::exists(dir_ / "linked-away" / "O-5.jpg"));
    EXPECT_TRUE(fs::exists(today.path));

    for (std::int64_t id : {deleted_id, gone_id, lone_id}) {
        const EvidencePhoto record = photo_record(id);
        EXPECT_EQ(record.pruned_at_ms, now) << "parcel " << id;
        EXPECT_EQ(record.sha256.size(), 64u) << "the hash is kept";
        auto pruned = events_payloads(id, "evidence.pruned");
        ASSERT_EQ(pruned.size(), 1u) << "parcel " << id;
        EXPECT_EQ(pruned[0]["sha256"], record.sha256);
        EXPECT_EQ(pruned[0]["file"], id == gone_id ? "already gone" : "deleted");
    }
    EXPECT_EQ(photo_record(outside_id).pruned_at_ms, 0);
    EXPECT_EQ(photo_record(linked_id).pruned_at_ms, 0);
    EXPECT_EQ(photo_record(today_id).pruned_at_ms, 0);
    EXPECT_EQ(count("SELECT count(*) FROM events WHERE type = 'evidence.prune_incomplete' "
                    "AND json_extract(payload, '$.skipped') = 2"),
              1);

    // Not due again within the hour; then the next run finds what became old.
    const std::int64_t later_id =
        earlier_parcel("O-6", old_day / "O-6.jpg", old, "old, recorded late");
    station_->tick(now + 60 * 1000);
    EXPECT_EQ(photo_record(later_id).pruned_at_ms, 0);
    station_->tick(now + 61 * 60 * 1000);
    EXPECT_NE(photo_record(later_id).pruned_at_ms, 0);
    EXPECT_TRUE(fs::exists(today.path));

    // 31 days on, today's photo is old too.
    station_->tick(now + 31 * kDayMs);
    EXPECT_FALSE(fs::exists(today.path));
    EXPECT_EQ(photo_record(today_id).sha256, today.sha256);
    EXPECT_NE(photo_record(today_id).pruned_at_ms, 0);
    EXPECT_TRUE(fs::exists(outside));
    EXPECT_TRUE(fs::exists(old_day / "notes.txt"));
}

TEST_F(EvidenceTest, ALargeBacklogIsPrunedOverSeveralTicks) {
    config_.evidence.retention_days = 1;
    start_station();
    const std::int64_t now = hardware::now_ms();
    constexpr int kPhotos = 150;
    for (int index = 0; index < kPhotos; ++index)
        earlier_parcel("B-" + std::to_string(index),
                       evidence_dir() / "2024-02-02" / ("B-" + std::to_string(index) + ".jpg"),
                       now - 2 * kDayMs, "photo " + std::to_string(index));
    const std::string pruned_sql =
        "SELECT count(*) FROM parcels WHERE photo_pruned_at_ms IS NOT NULL";
    station_->tick(now);
    const std::int64_t first = count(pruned_sql);
    EXPECT_GT(first, 0);
    EXPECT_LT(first, kPhotos) << "one tick should not stall the loop on the whole backlog";
    for (int tick = 1; tick < 10 && count(pruned_sql) < kPhotos; ++tick)
        station_->tick(now + tick * 50);
    EXPECT_EQ(count(pruned_sql), kPhotos);
    EXPECT_FALSE(fs::exists(evidence_dir() / "2024-02-02"));
}

TEST_F(EvidenceTest, RetentionZeroKeepsEveryPhoto) {
    config_.evidence.retention_days = 0;
    start_station(&camera_);
    const std::int64_t id = confirm_a1();
    const std::string path = station_->parcel()->photo->path;
    station_->tick(hardware::now_ms() + 3650 * kDayMs);
    EXPECT_TRUE(fs::exists(path));
    EXPECT_EQ(photo_record(id).pruned_at_ms, 0);
}

}  // namespace
}  // namespace packline::station
