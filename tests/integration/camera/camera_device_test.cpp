// CameraDevice against fake cameras: an MJPG .avi and a PNG image sequence
// written by the test (test-harnesses.md §5). A label held in view gives one
// ScanEvent; health follows the source; photos are the latest frame.
#include "packline/drivers/camera_device.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "camera_images.h"
#include "collecting_sink.h"

namespace packline::drivers {
namespace {

using namespace std::chrono_literals;
namespace zx = ZXing;
using hardware::DeviceHealth;
using hardware::DeviceStatusEvent;
using hardware::ScanEvent;
using testing::encode_barcode;

// Collects what the device posts; any thread may post.
class CollectingSink final : public testing::CollectingSink {
  public:
    template <typename Predicate>
    bool wait_for(Predicate done, std::chrono::milliseconds timeout = 20s) {
        return wait_until_all(done, timeout);
    }
    std::vector<ScanEvent> scans() const { return all<ScanEvent>(); }
    std::vector<DeviceStatusEvent> statuses() const { return all<DeviceStatusEvent>(); }
};

bool has_status(const std::vector<hardware::DeviceEvent>& events, DeviceHealth health,
                const std::string& detail_part) {
    for (const auto& event : events)
        if (const auto* status = std::get_if<DeviceStatusEvent>(&event))
            if (status->health == health && status->detail.find(detail_part) != std::string::npos)
                return true;
    return false;
}

std::vector<std::string> data_of(const std::vector<ScanEvent>& scans) {
    std::vector<std::string> out;
    for (const auto& scan : scans)
        out.push_back(scan.data);
    return out;
}

const std::string kLabelA = "]C0PKG-000123";
const std::string kLabelB = "]Q1ORDER-4711";

cv::Mat blank_frame() {
    return testing::scene({}, {0, 0}, {640, 480});
}
cv::Mat frame_a() {
    return testing::scene(encode_barcode(zx::BarcodeFormat::Code128, L"PKG-000123", 500, 120),
                          {70, 180}, {640, 480});
}
cv::Mat frame_b() {
    return testing::scene(encode_barcode(zx::BarcodeFormat::QRCode, L"ORDER-4711", 200, 200),
                          {220, 140}, {640, 480});
}
std::unique_ptr<CameraDevice> make_camera(CameraOptions options) {
    auto made = CameraDevice::create(std::move(options));
    EXPECT_TRUE(made.ok()) << (made.ok() ? "" : made.error().message);
    return made.ok() ? std::move(made).value() : nullptr;
}

void write_sequence(const testing::TempDir& dir, const std::vector<cv::Mat>& frames) {
    char name[32];
    for (std::size_t i = 0; i < frames.size(); ++i) {
        std::snprintf(name, sizeof name, "frame_%03zu.png", i);
        ASSERT_TRUE(cv::imwrite(dir.file(name), frames[i]));
    }
}

TEST(CameraDevice, VideoFilePostsEachLabelOnce) {
    testing::TempDir dir;
    std::vector<cv::Mat> frames;
    for (int i = 0; i < 2; ++i)
        frames.push_back(blank_frame());
    for (int i = 0; i < 6; ++i)
        frames.push_back(frame_a());
    for (int i = 0; i < 2; ++i)
        frames.push_back(blank_frame());
    for (int i = 0; i < 6; ++i)
        frames.push_back(frame_b());
    frames.push_back(blank_frame());
    const std::string video = dir.file("cam.avi");
    ASSERT_TRUE(testing::write_mjpg(video, frames));

    CameraOptions options;
    options.id = "dock";
    options.source = video;
    options.frame_interval = 30ms;
    auto camera = make_camera(options);
    ASSERT_NE(camera, nullptr);
    EXPECT_EQ(camera->id(), "dock");
    EXPECT_EQ(camera->kind(), hardware::DeviceKind::Camera);
    CollectingSink sink;
    ASSERT_TRUE(camera->open(sink).ok());
    ASSERT_TRUE(sink.wait_for([](const auto& events) {
        return has_status(events, DeviceHealth::Absent, "camera source ended");
    })) << "the video never ended";
    camera->close();

    const auto statuses = sink.statuses();
    ASSERT_GE(statuses.size(), 2u);
    EXPECT_EQ(statuses.front().health, DeviceHealth::Present);
    EXPECT_EQ(statuses.front().device, "dock");
    EXPECT_EQ(statuses.front().kind, hardware::DeviceKind::Camera);
    EXPECT_NE(statuses.front().detail.find("cam.avi"), std::string::npos);
    EXPECT_NE(statuses.front().detail.find("640x480"), std::string::npos);
    EXPECT_EQ(statuses.back().detail, "camera source ended: " + video);

    const auto scans = sink.scans();
    EXPECT_EQ(data_of(scans), (std::vector<std::string>{kLabelA, kLabelB}));
    for (const auto& scan : scans) {
        EXPECT_EQ(scan.device, "dock");
        EXPECT_GT(scan.at_ms, 0);
    }
}

TEST(CameraDevice, ImageSequenceSuppressesALabelBackWithinTheWindow) {
    testing::TempDir dir;
    // A, A, gone for one frame, A again, then B.
    write_sequence(dir, {frame_a(), frame_a(), blank_frame(), frame_a(), frame_b()});
    CameraOptions options;
    options.source = dir.file("frame_%03d.png");
    options.frame_interval = 100ms;
    options.repeat_window = 1500ms;
    auto camera = make_camera(options);
    ASSERT_NE(camera, nullptr);
    CollectingSink sink;
    ASSERT_TRUE(camera->open(sink).ok());
    ASSERT_TRUE(sink.wait_for([](const auto& events) {
        return has_status(events, DeviceHealth::Absent, "camera source ended");
    }));
    camera->close();
    EXPECT_EQ(sink.statuses().front().health, DeviceHealth::Present);
    EXPECT_EQ(data_of(sink.scans()), (std::vector<std::string>{kLabelA, kLabelB}));
}

TEST(CameraDevice, ALabelOutOfViewLongerThanTheWindowScansAgain) {
    testing::TempDir dir;
    write_sequence(dir, {frame_a(), frame_a(), blank_frame(), frame_a(), frame_b()});
    CameraOptions options;
    options.source = dir.file("frame_%03d.png");
    options.frame_interval = 100ms;  // frames >= 100 ms apart: A is out of view >= 200 ms
    options.repeat_window = 150ms;   // ... but consecutive A frames are within it
    auto camera = make_camera(options);
    ASSERT_NE(camera, nullptr);
    CollectingSink sink;
    ASSERT_TRUE(camera->open(sink).ok());
    ASSERT_TRUE(sink.wait_for([](const auto& events) {
        return has_status(events, DeviceHealth::Absent, "camera source ended");
    }));
    camera->close();
    EXPECT_EQ(data_of(sink.scans()), (std::vector<std::string>{kLabelA, kLabelA, kLabelB}));
}

TEST(CameraDevice, LoopingSourceHeldInViewScansOnceAndStaysPresent) {
    testing::TempDir dir;
    write_sequence(dir, {frame_a(), frame_a(), frame_a()});
    CameraOptions options;
    options.source = dir.file("frame_%03d.png");
    options.frame_interval = 20ms;
    options.loop = true;
    auto camera = make_camera(options);
    ASSERT_NE(camera, nullptr);
    CollectingSink sink;
    ASSERT_TRUE(camera->open(sink).ok());
    ASSERT_TRUE(sink.wait_for([](const auto& events) {
        return std::any_of(events.begin(), events.end(), [](const auto& event) {
            return std::holds_alternative<ScanEvent>(event);
        });
    }));
    std::this_thread::sleep_for(800ms);  // many loops of the 3 frames
    camera->close();
    EXPECT_EQ(data_of(sink.scans()), std::vector<std::string>{kLabelA});
    const auto statuses = sink.statuses();
    ASSERT_EQ(statuses.size(), 1u) << statuses.back().detail;
    EXPECT_EQ(statuses.front().health, DeviceHealth::Present);
}

TEST(CameraDevice, MissingSourceIsAbsentWithTheReasonAndOpenSucceeds) {
    testing::TempDir dir;
    for (const std::string& source : {dir.file("nothing.avi"), std::string("/dev/video97")}) {
        CameraOptions options;
        options.source = source;
        options.retry_initial = 20ms;
        options.retry_max = 40ms;
        auto camera = make_camera(options);
        ASSERT_NE(camera, nullptr);
        CollectingSink sink;
        ASSERT_TRUE(camera->open(sink).ok());
        ASSERT_TRUE(sink.wait_for([](const auto& events) { return !events.empty(); }));
        std::this_thread::sleep_for(150ms);  // a few retries: still one status, no repeats
        camera->close();
        const auto statuses = sink.statuses();
        ASSERT_EQ(statuses.size(), 1u);
        EXPECT_EQ(statuses[0].health, DeviceHealth::Absent);
        EXPECT_NE(statuses[0].detail.find("not found"), std::string::npos) << statuses[0].detail;
        EXPECT_NE(statuses[0].detail.find(source), std::string::npos) << statuses[0].detail;
        EXPECT_TRUE(sink.scans().empty());
    }
}

TEST(CameraDevice, AFileThatIsNotAVideoIsAbsent) {
    testing::TempDir dir;
    std::ofstream(dir.file("cam.avi")) << "not a video at all\n";
    CameraOptions options;
    options.source = dir.file("cam.avi");
    options.retry_initial = 20ms;
    options.retry_max = 40ms;
    auto camera = make_camera(options);
    ASSERT_NE(camera, nullptr);
    CollectingSink sink;
    ASSERT_TRUE(camera->open(sink).ok());
    ASSERT_TRUE(sink.wait_for([](const auto& events) { return !events.empty(); }));
    camera->close();
    const auto statuses = sink.statuses();
    ASSERT_FALSE(statuses.empty());
    EXPECT_EQ(statuses[0].health, DeviceHealth::Absent);
    EXPECT_NE(statuses[0].detail.find("cam.avi"), std::string::npos) << statuses[0].detail;
}

TEST(CameraDevice, TakesAPhotoOfTheLatestFrame) {
    testing::TempDir dir;
    write_sequence(dir, {frame_a(), frame_b()});
    CameraOptions options;
    options.source = dir.file("frame_%03d.png");
    options.frame_interval = 20ms;
    options.loop = true;
    options.photo_directory = dir.file("photos");
    auto camera = make_camera(options);
    ASSERT_NE(camera, nullptr);

    auto before = camera->take_photo("early.jpg");
    ASSERT_FALSE(before.ok());
    EXPECT_EQ(before.error().code, "camera.no_frame");

    CollectingSink sink;
    ASSERT_TRUE(camera->open(sink).ok());
    ASSERT_TRUE(sink.wait_for([](const auto& events) {
        return has_status(events, DeviceHealth::Present, "camera streaming");
    }));
    // take_photo() from several threads while frames keep coming.
    std::vector<std::thread> takers;
    std::vector<Result<CameraPhoto>> photos(3, Error("test", "not taken"));
    for (std::size_t i = 0; i < photos.size(); ++i)
        takers.emplace_back(
            [&, i] { photos[i] = camera->take_photo("parcel-" + std::to_string(i) + ".jpg"); });
    for (auto& taker : takers)
        taker.join();
    camera->close();

    for (std::size_t i = 0; i < photos.size(); ++i) {
        ASSERT_TRUE(photos[i].ok()) << photos[i].error().message;
        const CameraPhoto& photo = photos[i].value();
        EXPECT_EQ(photo.path, dir.file("photos/parcel-" + std::to_string(i) + ".jpg"));
        EXPECT_EQ(photo.width, 640);
        EXPECT_EQ(photo.height, 480);
        std::ifstream in(photo.path, std::ios::binary);
        const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in), {}};
        ASSERT_GT(bytes.size(), 1000u);
        EXPECT_EQ(bytes[0], 0xFF);  // JPEG SOI
        EXPECT_EQ(bytes[1], 0xD8);
        EXPECT_EQ(photo.sha256, sha256_hex(bytes));
        const cv::Mat read_back = cv::imread(photo.path);
        EXPECT_EQ(read_back.cols, 640);
        EXPECT_EQ(read_back.rows, 480);
    }
    auto after = camera->take_photo("late.jpg");
    ASSERT_FALSE(after.ok());
    EXPECT_EQ(after.error().code, "camera.no_frame");
}

TEST(CameraDevice, NothingIsPostedAfterCloseAndItCanReopen) {
    testing::TempDir dir;
    write_sequence(dir, {frame_a(), blank_frame(), frame_b(), blank_frame()});
    CameraOptions options;
    options.source = dir.file("frame_%03d.png");
    options.frame_interval = 10ms;
    options.repeat_window = 5ms;  // lots of scans
    options.loop = true;
    auto camera = make_camera(options);
    ASSERT_NE(camera, nullptr);
    CollectingSink sink;
    ASSERT_TRUE(camera->open(sink).ok());
    EXPECT_FALSE(camera->open(sink).ok());  // already open
    ASSERT_TRUE(sink.wait_for([](const auto& events) { return events.size() >= 5; }));
    camera->close();
    const std::size_t count = sink.events().size();
    std::this_thread::sleep_for(200ms);
    EXPECT_EQ(sink.events().size(), count);

    CollectingSink again;
    ASSERT_TRUE(camera->open(again).ok());
    ASSERT_TRUE(again.wait_for([](const auto& events) { return events.size() >= 2; }));
    camera->close();
    EXPECT_EQ(again.statuses().front().health, DeviceHealth::Present);
}

TEST(CameraDevice, CreateChecksTheSettings) {
    CameraOptions options;
    options.id = "dock";
    options.frame_interval = 0ms;
    auto made = CameraDevice::create(options);
    ASSERT_FALSE(made.ok());
    EXPECT_EQ(made.error().code, "config.invalid");
    EXPECT_NE(made.error().message.find("camera dock"), std::string::npos);
    options.frame_interval = 100ms;
    options.source.clear();
    EXPECT_FALSE(CameraDevice::create(options).ok());
    options.source = "/dev/video0";
    options.photo_quality = 0;
    EXPECT_FALSE(CameraDevice::create(options).ok());
}

}  // namespace
}  // namespace packline::drivers
