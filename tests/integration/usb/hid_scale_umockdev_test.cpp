// HidScaleDevice through the real libusb code path against a umockdev fake
// scale the test drives report by report (tests/support/usb_testbed.h).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "packline/drivers/hid_scale_device.h"
#include "packline/drivers/recording.h"
#include "usb_event_sink.h"
#include "usb_testbed.h"

namespace packline::drivers {
namespace {

using hardware::DeviceHealth;
using hardware::DeviceStatusEvent;
using hardware::WeightReading;
using hardware::WeightStatus;
using testing::FakeHidDevice;
using testing::FakeHidSpec;
using testing::UsbEventSink;
using testing::UsbTestbed;

const bool under_preload = testing::usb_testbed_reexec_under_preload();

HidScaleOptions options(std::string id) {
    HidScaleOptions result;
    result.id = std::move(id);
    return result;
}

constexpr double kOunce = 28.349523125;
constexpr double kPound = 453.59237;

class HidScaleUmockdev : public ::testing::Test {
  protected:
    void SetUp() override {
        testbed_ = std::make_unique<UsbTestbed>();
        if (!under_preload || !testing::usb_testbed_available()) {
            GTEST_SKIP() << "libumockdev-preload.so.0 is not available";
        }
    }
    void TearDown() override {
        if (scale_) scale_->close();
        scale_.reset();
        testbed_.reset();
    }

    void open(HidScaleOptions options = {}) {
        auto created = HidScaleDevice::create(std::move(options));
        ASSERT_TRUE(created.ok()) << created.error().message;
        scale_ = std::move(created).value();
        ASSERT_TRUE(scale_->open(sink_).ok());
    }

    std::optional<DeviceStatusEvent> wait_status(DeviceHealth health, std::size_t from = 0,
                                                 std::size_t* index = nullptr) {
        return sink_.wait_for<DeviceStatusEvent>(
            from, [&](const DeviceStatusEvent& e) { return e.health == health; }, index);
    }

    // Sends `report` and waits for the reading it produces.
    std::optional<WeightReading> reading_for(FakeHidDevice& device,
                                             const std::vector<std::uint8_t>& report) {
        const auto from = sink_.size();
        device.send(report);
        return sink_.wait_for<WeightReading>(from, [](const WeightReading&) { return true; });
    }

    std::unique_ptr<UsbTestbed> testbed_;
    UsbEventSink sink_;
    std::unique_ptr<HidScaleDevice> scale_;
};

TEST_F(HidScaleUmockdev, DecodesUnitsStatusesAndDropsTheStaleFirstReport) {
    std::string error;
    auto device = testbed_->add(FakeHidSpec{}, &error);
    ASSERT_EQ(error, "");
    open(options("front-scale"));
    auto present = wait_status(DeviceHealth::Present);
    ASSERT_TRUE(present);
    EXPECT_EQ(present->device, "front-scale");
    EXPECT_NE(present->detail.find("DYMO M10 (0922:8003) at usb 001/002"), std::string::npos)
        << present->detail;
    EXPECT_NE(present->detail.find("matched by vid:pid 0922:8003 (usb-devices.tsv)"),
              std::string::npos)
        << present->detail;

    // Stale first report: 9999 g from the previous weighing is dropped.
    device.send({0x03, 0x04, 0x02, 0x00, 0x0F, 0x27});
    auto reading = reading_for(device, {0x03, 0x04, 0x02, 0x00, 0xF4, 0x01});
    ASSERT_TRUE(reading);
    EXPECT_EQ(reading->device, "front-scale");
    EXPECT_DOUBLE_EQ(reading->grams, 500.0);
    EXPECT_EQ(reading->status, WeightStatus::Stable);
    EXPECT_GT(reading->at_ms, 0);
    for (const auto& event : sink_.events()) {
        if (const auto* weight = std::get_if<WeightReading>(&event)) {
            EXPECT_NE(weight->grams, 9999.0) << "stale first report was not dropped";
        }
    }

    // Ounces, exponent -1 (devices.md §1.1 example): 15.2 oz; then the unit
    // button flips to grams between reports.
    reading = reading_for(device, {0x03, 0x04, 0x0B, 0xFF, 0x98, 0x00});
    ASSERT_TRUE(reading);
    EXPECT_NEAR(reading->grams, 15.2 * kOunce, 1e-9);
    reading = reading_for(device, {0x03, 0x04, 0x02, 0x00, 0x64, 0x00});
    ASSERT_TRUE(reading);
    EXPECT_DOUBLE_EQ(reading->grams, 100.0);

    reading = reading_for(device, {0x03, 0x04, 0x0C, 0xFE, 0xE8, 0x03});  // 10.00 lb
    ASSERT_TRUE(reading);
    EXPECT_NEAR(reading->grams, 10.0 * kPound, 1e-9);

    reading = reading_for(device, {0x03, 0x03, 0x02, 0x00, 0x25, 0x00});
    ASSERT_TRUE(reading);
    EXPECT_EQ(reading->status, WeightStatus::InMotion);
    EXPECT_DOUBLE_EQ(reading->grams, 37.0);

    reading = reading_for(device, {0x03, 0x05, 0x02, 0x00, 0x0C, 0x00});
    ASSERT_TRUE(reading);
    EXPECT_EQ(reading->status, WeightStatus::UnderZero);
    EXPECT_DOUBLE_EQ(reading->grams, -12.0);

    reading = reading_for(device, {0x03, 0x06, 0x02, 0x00, 0x00, 0x00});
    ASSERT_TRUE(reading);
    EXPECT_EQ(reading->status, WeightStatus::Overload);

    reading = reading_for(device, {0x03, 0x02, 0x0B, 0xFF, 0x00, 0x00});
    ASSERT_TRUE(reading);
    EXPECT_EQ(reading->status, WeightStatus::AtZero);
}

TEST_F(HidScaleUmockdev, ReplaysAHandWrittenIoctlScript) {
    const std::string fixtures = PACKLINE_SOURCE_DIR "/tests/fixtures/usb/";
    ASSERT_EQ(testbed_->add_replay(fixtures + "dymo-m10.umockdev", "/dev/bus/usb/001/002",
                                   fixtures + "dymo-m10.ioctl"),
              "");
    open(options("replayed"));
    ASSERT_TRUE(wait_status(DeviceHealth::Present));
    auto ounces = sink_.wait_for<WeightReading>(
        0, [](const WeightReading& r) { return std::abs(r.grams - 15.2 * kOunce) < 1e-9; });
    ASSERT_TRUE(ounces);
    EXPECT_EQ(ounces->status, WeightStatus::Stable);
    EXPECT_TRUE(
        sink_.wait_for<WeightReading>(0, [](const WeightReading& r) { return r.grams == 500.0; }));
    scale_->close();
    // The first 1000 g report is stale; the script wraps, so 1000 g comes
    // back later as a real reading: the first reading must not be 1000 g.
    for (const auto& event : sink_.events()) {
        if (const auto* weight = std::get_if<WeightReading>(&event)) {
            EXPECT_NEAR(weight->grams, 15.2 * kOunce, 1e-9);
            break;
        }
    }
}

TEST_F(HidScaleUmockdev, AbsentAtOpenThenHotplugInOutAndBackResumesReadings) {
    const auto path = std::filesystem::temp_directory_path() / "packline_usb_scale_recording.txt";
    auto recorder = Recorder::create(path.string(), {{"family", "hid-scale"}});
    ASSERT_TRUE(recorder.ok());
    auto with_recorder = options("scale");
    with_recorder.recorder = recorder->get();
    open(with_recorder);
    auto absent = wait_status(DeviceHealth::Absent);
    ASSERT_TRUE(absent);
    EXPECT_EQ(absent->detail, "no USB scale connected");

    std::size_t at = 0;
    auto device = testbed_->add(FakeHidSpec{});
    ASSERT_TRUE(wait_status(DeviceHealth::Present, 0, &at));
    device.send({0x03, 0x04, 0x02, 0x00, 0x01, 0x00});  // stale
    auto reading = reading_for(device, {0x03, 0x04, 0x02, 0x00, 0x02, 0x00});
    ASSERT_TRUE(reading);
    EXPECT_DOUBLE_EQ(reading->grams, 2.0);

    testbed_->unplug(device);
    auto unplugged = wait_status(DeviceHealth::Absent, at + 1, &at);
    ASSERT_TRUE(unplugged);
    EXPECT_EQ(unplugged->detail, "scale unplugged");

    device = testbed_->add(FakeHidSpec{});
    ASSERT_TRUE(wait_status(DeviceHealth::Present, at + 1, &at));
    // After the replug the first report is stale again.
    device.send({0x03, 0x04, 0x02, 0x00, 0x03, 0x00});
    reading = reading_for(device, {0x03, 0x04, 0x02, 0x00, 0x04, 0x00});
    ASSERT_TRUE(reading);
    EXPECT_DOUBLE_EQ(reading->grams, 4.0);
    for (const auto& event : sink_.events()) {
        if (const auto* weight = std::get_if<WeightReading>(&event)) {
            EXPECT_NE(weight->grams, 3.0) << "stale report after replug was not dropped";
        }
    }
    scale_->close();
    const auto chunks = (*recorder)->chunks();
    EXPECT_EQ(chunks, 6u);  // 2 data, gone, back, 2 data
    recorder->reset();
    auto recording = load_recording(path.string());
    ASSERT_TRUE(recording.ok());
    ASSERT_EQ(recording->chunks.size(), 6u);
    EXPECT_EQ(recording->chunks[2].kind, RecordedChunk::Kind::Gone);
    EXPECT_EQ(recording->chunks[3].kind, RecordedChunk::Kind::Back);
    std::filesystem::remove(path);
}

TEST_F(HidScaleUmockdev, WithoutHotplugThePeriodicRescanFindsTheScale) {
    setenv("PACKLINE_USB_HOTPLUG", "0", 1);
    open(options("rescan"));
    unsetenv("PACKLINE_USB_HOTPLUG");
    ASSERT_TRUE(wait_status(DeviceHealth::Absent));
    auto device = testbed_->add(FakeHidSpec{});
    std::size_t at = 0;
    ASSERT_TRUE(wait_status(DeviceHealth::Present, 0, &at));  // within one 2 s re-scan
    device.send({0x03, 0x04, 0x02, 0x00, 0x01, 0x00});
    auto reading = reading_for(device, {0x03, 0x04, 0x02, 0x00, 0x05, 0x00});
    ASSERT_TRUE(reading);
    EXPECT_DOUBLE_EQ(reading->grams, 5.0);
    testbed_->unplug(device);
    auto absent = wait_status(DeviceHealth::Absent, at + 1);
    ASSERT_TRUE(absent);
    EXPECT_EQ(absent->detail, "scale unplugged");
}

TEST_F(HidScaleUmockdev, ZeroUsesTheInterruptOutEndpointWhenThereIsOne) {
    FakeHidSpec with_out;
    with_out.out_endpoint = 0x02;
    auto device = testbed_->add(with_out);
    open();
    ASSERT_TRUE(wait_status(DeviceHealth::Present));
    auto zero = scale_->zero();
    ASSERT_TRUE(zero.ok()) << zero.error().message;
    auto received = device.received();
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0], (std::vector<std::uint8_t>{0x02, 0x02}));
}

TEST_F(HidScaleUmockdev, ZeroWithoutOutEndpointSendsSetReport) {
    auto device = testbed_->add(FakeHidSpec{});
    open();
    ASSERT_TRUE(wait_status(DeviceHealth::Present));
    auto zero = scale_->zero();
    ASSERT_TRUE(zero.ok()) << zero.error().message;
    auto received = device.received();
    ASSERT_EQ(received.size(), 1u);
    // SET_REPORT(Output, id 2) to interface 0, 2 bytes: 02 02.
    EXPECT_EQ(received[0], (std::vector<std::uint8_t>{0x21, 0x09, 0x02, 0x02, 0x00, 0x00, 0x02,
                                                      0x00, 0x02, 0x02}));
}

TEST_F(HidScaleUmockdev, ZeroRefusedOrNotConnectedIsAClearError) {
    open();
    auto not_connected = scale_->zero();
    ASSERT_FALSE(not_connected.ok());
    EXPECT_EQ(not_connected.error().code, "hid_scale.not_connected");

    FakeHidSpec refusing;
    refusing.stall_output = true;
    testbed_->add(refusing);
    ASSERT_TRUE(wait_status(DeviceHealth::Present));
    auto refused = scale_->zero();
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, "hid_scale.zero_refused");
    EXPECT_EQ(refused.error().message, "scale scale: zero: the scale refused the zero command");
}

TEST_F(HidScaleUmockdev, UnknownDeviceIsMatchedByUsagePage8D) {
    FakeHidSpec unknown;
    unknown.vendor = 0x1234;
    unknown.product = 0x5678;
    unknown.report_descriptor = {0x05, 0x8D, 0x09, 0x01, 0xA1, 0x01, 0xC0};
    auto device = testbed_->add(unknown);
    auto filtered = options("scale");
    filtered.vid_pid = UsbVidPid{0x1234, 0x5678};
    open(filtered);
    auto present = wait_status(DeviceHealth::Present);
    ASSERT_TRUE(present);
    EXPECT_NE(present->detail.find("matched by HID usage page 0x8D"), std::string::npos)
        << present->detail;
    device.send({0x03, 0x04, 0x02, 0x00, 0x01, 0x00});
    auto reading = reading_for(device, {0x03, 0x04, 0x02, 0x00, 0x07, 0x00});
    ASSERT_TRUE(reading);
    EXPECT_DOUBLE_EQ(reading->grams, 7.0);
}

TEST_F(HidScaleUmockdev, DeviceWithOtherUsagePageOrFilteredOutIsNotUsed) {
    FakeHidSpec keyboard;
    keyboard.vendor = 0x1234;
    keyboard.product = 0x0001;
    keyboard.report_descriptor = {0x05, 0x01, 0x09, 0x06, 0xA1, 0x01, 0xC0};
    testbed_->add(keyboard);
    FakeHidSpec dymo;
    dymo.address = 3;
    testbed_->add(dymo);
    auto filtered = options("scale");
    filtered.bus_address = UsbBusAddress{1, 9};
    open(filtered);
    auto absent = wait_status(DeviceHealth::Absent);
    ASSERT_TRUE(absent);
    EXPECT_EQ(absent->detail, "no USB scale connected");
    scale_->close();
    for (const auto& event : sink_.events()) {
        if (const auto* status = std::get_if<DeviceStatusEvent>(&event)) {
            EXPECT_NE(status->health, DeviceHealth::Present) << status->detail;
        }
    }
}

}  // namespace
}  // namespace packline::drivers
