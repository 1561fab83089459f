// Evidence photos from the real camera driver through the real station when
// the disk fails: on a real full disk (a small tmpfs of the test's own) and
// with an I/O error or a full disk injected at every system call of the
// photo's write. Each time the parcel confirms without a photo and the
// packer is told why, no photo or half a photo is left in the evidence
// directory, the confirmation names no photo, and the next parcel has its
// photo once the disk is well again: the file whole, its hash the one
// recorded.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "camera_images.h"
#include "collecting_sink.h"
#include "file_faults.h"
#include "packline/drivers/camera_device.h"
#include "packline/durable_file.h"
#include "sha256sum.h"
#include "small_filesystem.h"
#include "station_scene.h"

namespace packline::station {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

using packline::testing::sha256sum;

class CameraEvidenceDiskTest : public testing::StationScene {
  protected:
    void SetUp() override {
        StationScene::SetUp();
        if (HasFatalFailure()) return;
        ASSERT_TRUE(
            store_->upsert_order(testing::scene_order("B-1", {{"MUG", 1}}, "1Z879E930346834440"))
                .ok());
        // The bench camera films the packing table: a still scene, looped.
        const fs::path frames = dir_ / "frames";
        fs::create_directories(frames);
        ASSERT_TRUE(cv::imwrite((frames / "frame_000.png").string(),
                                packline::testing::scene({}, {0, 0}, {640, 480})));
        drivers::CameraOptions options;
        options.source = (frames / "frame_%03d.png").string();
        options.frame_interval = 20ms;
        options.loop = true;
        auto camera = drivers::CameraDevice::create(options);
        ASSERT_TRUE(camera.ok()) << camera.error().message;
        camera_ = std::move(camera).value();
        ASSERT_TRUE(camera_->open(camera_sink_).ok());
        // A photo can be taken once the camera is Present (its first frame).
        ASSERT_TRUE(camera_sink_.wait_until_all([](const auto& events) {
            for (const auto& event : events)
                if (const auto* status = std::get_if<hardware::DeviceStatusEvent>(&event))
                    if (status->health == hardware::DeviceHealth::Present) return true;
            return false;
        })) << "the camera never streamed";
    }

    void TearDown() override {
        if (camera_) camera_->close();
        StationScene::TearDown();
    }

    // Packs and confirms an order of the scene; returns the parcel id.
    std::int64_t confirm(const std::string& order) {
        scan(order);
        if (order == "A-1") {
            scan("]E04006381333931");
            scan("036000291452");
            weigh(200 + 350 + 100 + 4);
        } else {
            scan("036000291452");
            weigh(350 + 100 + 2);
        }
        EXPECT_EQ(state(), ParcelState::Printing) << screen_.last().message;
        pump_printer();
        EXPECT_EQ(state(), ParcelState::AwaitingScanBack) << screen_.last().message;
        scan(label_scan());
        EXPECT_EQ(screen_.last().kind, VerdictKind::Confirmed) << screen_.last().message;
        return station_->parcel()->id;
    }

    std::string photo_failure_reason(std::int64_t parcel_id) {
        const auto failed = events_of(parcel_id, "evidence.photo_failed");
        if (failed.size() != 1) return "(" + std::to_string(failed.size()) + " failures)";
        return json::parse(failed[0].payload).value("reason", "?");
    }

    // Checks the parcel was confirmed without a photo, and nothing claims one.
    void expect_confirmed_without_photo(std::int64_t parcel_id) {
        auto parcel = store_->find_parcel(parcel_id);
        ASSERT_TRUE(parcel.ok() && parcel.value());
        EXPECT_EQ(parcel.value()->state, ParcelState::Confirmed);
        EXPECT_FALSE(parcel.value()->photo.has_value());
        const auto shipments = outbox_rows("shipments");
        ASSERT_FALSE(shipments.empty());
        EXPECT_FALSE(json::parse(shipments.back().payload)["evidence"].contains("photo"));
        EXPECT_TRUE(screen_.said("evidence.photo_failed"));
    }

    // Checks the parcel's photo: recorded, whole on disk, hash as recorded.
    void expect_photo(std::int64_t parcel_id) {
        auto parcel = store_->find_parcel(parcel_id);
        ASSERT_TRUE(parcel.ok() && parcel.value() && parcel.value()->photo);
        const EvidencePhoto& photo = *parcel.value()->photo;
        ASSERT_TRUE(fs::is_regular_file(photo.path)) << photo.path;
        EXPECT_EQ(sha256sum(photo.path), photo.sha256);
        const cv::Mat read_back = cv::imread(photo.path);
        EXPECT_EQ(read_back.cols, 640);
        EXPECT_EQ(read_back.rows, 480);
    }

    // The files in the evidence directory (directories left out).
    std::vector<std::string> evidence_files() const {
        std::vector<std::string> files;
        std::error_code error;
        for (auto it = fs::recursive_directory_iterator(config_.evidence.dir, error);
             !error && it != fs::recursive_directory_iterator(); it.increment(error))
            if (it->is_regular_file() && it->path().filename() != ".filler")
                files.push_back(it->path().filename().string());
        return files;
    }

    packline::testing::CollectingSink camera_sink_;
    std::unique_ptr<drivers::CameraDevice> camera_;
};

TEST_F(CameraEvidenceDiskTest, OnARealFullDiskTheParcelConfirmsWithoutAPhotoUntilThereIsRoom) {
    packline::testing::SmallFilesystem disk(dir_ / "small", 4 * 1024 * 1024);
    if (!disk.ready()) GTEST_SKIP() << disk.error();
    config_.evidence.dir = disk.path().string();
    disk.fill();
    start_station(camera_.get());

    const std::int64_t first = confirm("A-1");
    expect_confirmed_without_photo(first);
    EXPECT_EQ(photo_failure_reason(first), file_errors::kFull);
    EXPECT_NE(screen_.verdicts.at(screen_.verdicts.size() - 2).message.find("disk"),
              std::string::npos)
        << "the packer is not told the disk is full";
    EXPECT_TRUE(evidence_files().empty()) << "left behind: " << evidence_files().front();

    disk.make_room();
    const std::int64_t second = confirm("B-1");
    expect_photo(second);
    EXPECT_EQ(evidence_files().size(), 1u);
    EXPECT_EQ(store_->count_confirmations().value(), 2);
}

struct Fault {
    int call;
    int error_number;
};

class CameraEvidenceFaultTest : public CameraEvidenceDiskTest,
                                public ::testing::WithParamInterface<Fault> {};

TEST_P(CameraEvidenceFaultTest, AFailedPhotoWriteLeavesNoFileAndTheNextParcelHasItsPhoto) {
    config_.evidence.dir = (dir_ / "evidence").string();
    start_station(camera_.get());
    const Fault fault = GetParam();
    packline::testing::FileFaults faults(fault.call, fault.error_number);

    const std::int64_t first = confirm("A-1");
    expect_confirmed_without_photo(first);
    EXPECT_EQ(photo_failure_reason(first),
              fault.error_number == ENOSPC ? file_errors::kFull : file_errors::kIo);
    EXPECT_TRUE(evidence_files().empty()) << "left behind: " << evidence_files().front();

    faults.heal();
    const std::int64_t second = confirm("B-1");
    expect_photo(second);
    EXPECT_EQ(evidence_files().size(), 1u);
}

std::vector<Fault> every_call() {
    std::vector<Fault> faults;
    // create, write, sync, close, rename, open directory, sync directory
    for (int error_number : {EIO, ENOSPC})
        for (int call = 1; call <= 7; ++call)
            faults.push_back({call, error_number});
    return faults;
}

INSTANTIATE_TEST_SUITE_P(EveryCall, CameraEvidenceFaultTest, ::testing::ValuesIn(every_call()),
                         [](const ::testing::TestParamInfo<Fault>& param_info) {
                             return std::string(param_info.param.error_number == EIO ? "EIO"
                                                                                     : "ENOSPC") +
                                    "_at_call_" + std::to_string(param_info.param.call);
                         });

}  // namespace
}  // namespace packline::station
