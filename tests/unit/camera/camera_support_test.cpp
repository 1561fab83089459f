// The camera's small parts: the repeat filter (one scan per label held in
// view), SHA-256 of evidence photos, and V4L2 node detection from sysfs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "camera_images.h"
#include "packline/drivers/camera_device.h"
#include "packline/drivers/camera_repeat_filter.h"

namespace packline::drivers {
namespace {

using Scans = std::vector<std::string>;

TEST(RepeatFilter, ALabelHeldInViewScansOnce) {
    RepeatFilter filter(std::chrono::milliseconds(1500));
    EXPECT_EQ(filter.admit({"]C0A"}, 1000), Scans{"]C0A"});
    // Seen in every frame for ten seconds: no new scan.
    for (std::int64_t t = 1100; t <= 11000; t += 100)
        EXPECT_TRUE(filter.admit({"]C0A"}, t).empty()) << t;
}

TEST(RepeatFilter, ALabelScansAgainAfterLeavingViewForTheWindow) {
    RepeatFilter filter(std::chrono::milliseconds(1500));
    EXPECT_EQ(filter.admit({"]C0A"}, 0), Scans{"]C0A"});
    EXPECT_TRUE(filter.admit({}, 500).empty());
    EXPECT_TRUE(filter.admit({"]C0A"}, 1400).empty());  // back within the window
    EXPECT_TRUE(filter.admit({}, 2000).empty());
    EXPECT_EQ(filter.admit({"]C0A"}, 2900), Scans{"]C0A"});  // 1500 ms out of view
}

TEST(RepeatFilter, DifferentLabelsAreIndependentAndFrameDuplicatesCountOnce) {
    RepeatFilter filter(std::chrono::milliseconds(1500));
    EXPECT_EQ(filter.admit({"]C0A", "]Q1B", "]C0A"}, 0), (Scans{"]C0A", "]Q1B"}));
    EXPECT_EQ(filter.admit({"]Q1B", "]E04006381333931"}, 100), Scans{"]E04006381333931"});
    filter.reset();
    EXPECT_EQ(filter.admit({"]Q1B"}, 200), Scans{"]Q1B"});
}

TEST(RepeatFilter, ZeroWindowPassesEverySighting) {
    RepeatFilter filter(std::chrono::milliseconds(0));
    EXPECT_EQ(filter.admit({"]C0A"}, 0), Scans{"]C0A"});
    EXPECT_EQ(filter.admit({"]C0A"}, 0), Scans{"]C0A"});
}

std::string sha_of(std::string_view text) {
    return sha256_hex(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

TEST(Sha256, MatchesFips180Vectors) {
    EXPECT_EQ(sha_of(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha_of("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(sha_of(std::string(1'000'000, 'a')),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    // Lengths around the padding boundary (55, 56, 63, 64 bytes) against each other.
    EXPECT_NE(sha_of(std::string(55, 'x')), sha_of(std::string(56, 'x')));
    EXPECT_EQ(sha_of(std::string(64, 'a')),
              "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

TEST(DetectCameras, ListsNodesFromSysfsWithTheirHealth) {
    testing::TempDir dir;
    const std::filesystem::path sysfs = dir.file("sys");
    const std::filesystem::path dev = dir.file("dev");
    std::filesystem::create_directories(sysfs / "video0");
    std::filesystem::create_directories(sysfs / "video10");
    std::filesystem::create_directories(sysfs / "video2");
    std::filesystem::create_directories(dev);
    std::ofstream(sysfs / "video0" / "name") << "Dock Cam: Dock Cam\n";
    std::ofstream(sysfs / "video2" / "name") << "Second Cam\n";
    std::ofstream(sysfs / "video10" / "name") << "Unplugged Cam\n";
    // Stand-ins for device nodes: openable, but not V4L2 (QUERYCAP fails).
    std::ofstream(dev / "video0") << "";
    std::ofstream(dev / "video2") << "";

    const auto found = detect_cameras({sysfs.string(), dev.string()});
    ASSERT_EQ(found.size(), 3u);
    EXPECT_EQ(found[0].id, "camera-video0");
    EXPECT_EQ(found[0].name, "Dock Cam: Dock Cam");
    EXPECT_EQ(found[0].address, (dev / "video0").string());
    EXPECT_EQ(found[0].driver, "camera");
    EXPECT_EQ(found[0].kind, hardware::DeviceKind::Camera);
    EXPECT_EQ(found[0].health, hardware::DeviceHealth::Present);
    EXPECT_EQ(found[0].extra.at("capabilities"), "unknown");
    EXPECT_EQ(found[1].id, "camera-video2");
    EXPECT_EQ(found[2].id, "camera-video10");
    EXPECT_EQ(found[2].health, hardware::DeviceHealth::Absent);
    EXPECT_NE(found[2].detail.find("video10"), std::string::npos);
}

TEST(DetectCameras, NoVideo4LinuxMeansNoCameras) {
    testing::TempDir dir;
    EXPECT_TRUE(detect_cameras({dir.file("no-such-dir"), dir.file("dev")}).empty());
}

}  // namespace
}  // namespace packline::drivers
