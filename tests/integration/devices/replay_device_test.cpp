// Recordings played back through the registry's decoders: what comes out is
// what the real transport would have posted for the same bytes.
#include "packline/drivers/replay_device.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "packline/drivers/registry.h"
#include "packline/hardware/queue_sink.h"

namespace packline::drivers {
namespace {

using namespace std::chrono_literals;

class ReplayTest : public ::testing::Test {
  protected:
    void TearDown() override {
        if (device_) device_->close();
        std::filesystem::remove_all(dir_);
    }

    std::string write(const std::string& name, const std::string& text) {
        std::filesystem::create_directories(dir_);
        const auto path = dir_ / name;
        std::ofstream(path) << text;
        return path.string();
    }

    // Opens the recording and collects events until `count` arrived or 5 s.
    std::vector<hardware::DeviceEvent> play(const std::string& path, std::size_t count,
                                            ReplayOptions options = {}) {
        auto device = open_replay(path, options);
        EXPECT_TRUE(device.ok()) << (device.ok() ? "" : device.error().message);
        if (!device.ok()) return {};
        device_ = std::move(device.value());
        EXPECT_TRUE(device_->open(sink_).ok());
        std::vector<hardware::DeviceEvent> events;
        const auto deadline = std::chrono::steady_clock::now() + 5s;
        while (events.size() < count && std::chrono::steady_clock::now() < deadline)
            if (auto event = queue_.pop_for(20ms)) events.push_back(std::move(*event));
        return events;
    }

    template <typename T>
    static std::vector<T> only(const std::vector<hardware::DeviceEvent>& events) {
        std::vector<T> typed;
        for (const auto& event : events)
            if (const T* found = std::get_if<T>(&event)) typed.push_back(*found);
        return typed;
    }

    std::filesystem::path dir_ =
        std::filesystem::temp_directory_path() / ("packline-replay-" + std::to_string(::getpid()));
    hardware::BoundedQueue<hardware::DeviceEvent> queue_{256};
    hardware::QueueSink sink_{queue_};
    std::unique_ptr<ReplayDevice> device_;
};

TEST_F(ReplayTest, HidScaleRecordingGivesReadingsAndHealthInOrder) {
    const std::string path =
        std::string(PACKLINE_SOURCE_DIR) + "/tests/fixtures/replay/hid-scale-replug.rec";
    ReplayOptions options;
    options.speed = 10;  // 3 s of recording in 0.3 s
    // Present at open, 1 at-zero (first is stale), Absent, Present, 3 readings.
    auto events = play(path, 7, options);
    ASSERT_EQ(events.size(), 7u);
    auto health = only<hardware::DeviceStatusEvent>(events);
    ASSERT_EQ(health.size(), 3u);
    EXPECT_EQ(health[0].health, hardware::DeviceHealth::Present);
    EXPECT_EQ(health[1].health, hardware::DeviceHealth::Absent);
    EXPECT_NE(health[1].detail.find("unplugged"), std::string::npos);
    EXPECT_EQ(health[2].health, hardware::DeviceHealth::Present);
    EXPECT_EQ(health[0].kind, hardware::DeviceKind::Scale);
    EXPECT_EQ(health[0].device, "scale");
    auto readings = only<hardware::WeightReading>(events);
    ASSERT_EQ(readings.size(), 4u);
    EXPECT_EQ(readings[0].status, hardware::WeightStatus::AtZero);
    EXPECT_EQ(readings[1].status, hardware::WeightStatus::InMotion);
    EXPECT_DOUBLE_EQ(readings[1].grams, 240.0);
    EXPECT_EQ(readings[2].status, hardware::WeightStatus::Stable);
    EXPECT_DOUBLE_EQ(readings[2].grams, 301.0);
    EXPECT_EQ(device_->kind(), hardware::DeviceKind::Scale);
}

TEST_F(ReplayTest, EvdevRecordingWithGermanLayoutTypesZWhereUsHasY) {
    // KEY_Y (21) pressed and released, then ENTER (28): a German keyboard
    // (QWERTZ) types 'z' on that key.
    auto event = [](std::uint16_t type, std::uint16_t code, std::int32_t value) {
        std::string hex(32, '0');  // 16-byte timeval of zeros
        auto put = [&](std::uint32_t number, int bytes) {
            static const char* digits = "0123456789abcdef";
            for (int i = 0; i < bytes; ++i) {
                std::uint8_t byte = static_cast<std::uint8_t>(number >> (8 * i));
                hex += digits[byte >> 4];
                hex += digits[byte & 15];
            }
        };
        put(type, 2);
        put(code, 2);
        put(static_cast<std::uint32_t>(value), 4);
        return hex;
    };
    std::string body = "0 data " + event(1, 21, 1) + event(0, 0, 0) + "\n" + "5 data " +
                       event(1, 21, 0) + event(0, 0, 0) + "\n" + "10 data " + event(1, 28, 1) +
                       "\n";
    auto path = write("wedge.rec",
                      "# packline device recording v1\nfamily: evdev\nlayout: de\n---\n" + body);
    auto events = play(path, 2);
    auto scans = only<hardware::ScanEvent>(events);
    ASSERT_EQ(scans.size(), 1u);
    EXPECT_EQ(scans[0].data, "z");
    EXPECT_EQ(device_->kind(), hardware::DeviceKind::Scanner);
}

TEST_F(ReplayTest, SerialRecordingSplitAnywhereStillReads) {
    // "S S     100.00 g\r\n" arriving in three pieces.
    auto path = write("sics.rec",
                      "# packline device recording v1\nfamily: mt-sics\n---\n"
                      "0 data 5320532020\n3 data 202020203130302e\n6 data 303020670d0a\n");
    auto events = play(path, 2);
    auto readings = only<hardware::WeightReading>(events);
    ASSERT_EQ(readings.size(), 1u);
    EXPECT_DOUBLE_EQ(readings[0].grams, 100.0);
    EXPECT_EQ(readings[0].status, hardware::WeightStatus::Stable);
}

TEST_F(ReplayTest, CloseStopsALongRecordingAtOnce) {
    auto path = write("long.rec",
                      "# packline device recording v1\nfamily: hid-scale\n---\n"
                      "0 data 030202000000\n600000 data 030402002d01\n");
    auto device = open_replay(path, {});
    ASSERT_TRUE(device.ok());
    ASSERT_TRUE(device.value()->open(sink_).ok());
    const auto start = std::chrono::steady_clock::now();
    device.value()->close();
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
    EXPECT_FALSE(device.value()->finished());
    EXPECT_FALSE(device.value()->zero().ok());
}

TEST_F(ReplayTest, BadRecordingsAreClearErrors) {
    auto unknown =
        open_replay(write("x.rec", "# packline device recording v1\nfamily: toaster\n---\n"), {});
    ASSERT_FALSE(unknown.ok());
    EXPECT_NE(unknown.error().message.find("unknown recording family 'toaster'"), std::string::npos)
        << unknown.error().message;
    auto missing = open_replay(dir_.string() + "/nothing.rec", {});
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.error().message.find("nothing.rec"), std::string::npos);
}

}  // namespace
}  // namespace packline::drivers
