// HidScannerDevice and detect_usb_devices() through the real libusb code path
// against umockdev fake devices (tests/support/usb_testbed.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>

#include "packline/drivers/hid_scanner_device.h"
#include "packline/drivers/usb_detect.h"
#include "usb_event_sink.h"
#include "usb_testbed.h"

namespace packline::drivers {
namespace {

using hardware::DeviceHealth;
using hardware::DeviceStatusEvent;
using hardware::ScanEvent;
using testing::FakeHidDevice;
using testing::FakeHidSpec;
using testing::UsbEventSink;
using testing::UsbTestbed;

const bool under_preload = testing::usb_testbed_reexec_under_preload();

// Honeywell Voyager 1400g in HID POS mode (devices.md §2.1): 64-byte input
// reports, report id 0x02.
FakeHidSpec honeywell() {
    FakeHidSpec spec;
    spec.vendor = 0x0c2e;
    spec.product = 0x0b8f;
    spec.in_packet_size = 64;
    spec.report_descriptor = {0x05, 0x8C, 0x09, 0x02, 0xA1, 0x01, 0xC0};
    return spec;
}

// One 64-byte packet: id, length, AIM id, data, [60] code id, [62] more.
std::vector<std::uint8_t> packet(std::string_view aim, std::string_view data, bool more) {
    std::vector<std::uint8_t> report(64, 0);
    report[0] = 0x02;
    report[1] = static_cast<std::uint8_t>(data.size());
    std::copy(aim.begin(), aim.end(), report.begin() + 2);
    std::copy(data.begin(), data.end(), report.begin() + 5);
    report[61] = 'j';
    report[63] = more ? 1 : 0;
    return report;
}

class HidScannerUmockdev : public ::testing::Test {
  protected:
    void SetUp() override {
        testbed_ = std::make_unique<UsbTestbed>();
        if (!under_preload || !testing::usb_testbed_available()) {
            GTEST_SKIP() << "libumockdev-preload.so.0 is not available";
        }
    }
    void TearDown() override {
        if (scanner_) scanner_->close();
        scanner_.reset();
        testbed_.reset();
    }

    void open(HidScannerOptions options = {}) {
        auto created = HidScannerDevice::create(std::move(options));
        ASSERT_TRUE(created.ok()) << created.error().message;
        scanner_ = std::move(created).value();
        ASSERT_TRUE(scanner_->open(sink_).ok());
    }

    std::optional<DeviceStatusEvent> wait_status(DeviceHealth health, std::size_t from = 0,
                                                 std::size_t* index = nullptr) {
        return sink_.wait_for<DeviceStatusEvent>(
            from, [&](const DeviceStatusEvent& e) { return e.health == health; }, index);
    }

    std::optional<ScanEvent> next_scan(std::size_t from) {
        return sink_.wait_for<ScanEvent>(from, [](const ScanEvent&) { return true; });
    }

    std::unique_ptr<UsbTestbed> testbed_;
    UsbEventSink sink_;
    std::unique_ptr<HidScannerDevice> scanner_;
};

TEST_F(HidScannerUmockdev, HoneywellGetsItsFeatureReportAndMultiPacketCodesAreJoined) {
    auto device = testbed_->add(honeywell());
    HidScannerOptions options;
    options.id = "front-scanner";
    open(options);
    auto present = wait_status(DeviceHealth::Present);
    ASSERT_TRUE(present);
    EXPECT_NE(present->detail.find("Honeywell Voyager 1400g (0c2e:0b8f)"), std::string::npos)
        << present->detail;

    auto from = sink_.size();
    device.send(packet("]C1", "0109506000134352", true));
    device.send(packet("]C1",
                       "\x1d"
                       "10AB",
                       false));
    auto scan = next_scan(from);
    ASSERT_TRUE(scan);
    EXPECT_EQ(scan->device, "front-scanner");
    EXPECT_EQ(scan->data,
              "]C10109506000134352\x1d"
              "10AB");

    from = sink_.size();
    device.send(packet("]E0", "4006381333931", false));
    scan = next_scan(from);
    ASSERT_TRUE(scan);
    EXPECT_EQ(scan->data, "]E04006381333931");

    // SET_REPORT(Feature, id 0xFE) to interface 0 with data FE 01 (§2.1).
    const auto received = device.received();
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0], (std::vector<std::uint8_t>{0x21, 0x09, 0xFE, 0x03, 0x00, 0x00, 0x02,
                                                      0x00, 0xFE, 0x01}));
}

TEST_F(HidScannerUmockdev, UnlistedScannerMatchedByUsagePage8CAndFollowedThroughReplug) {
    FakeHidSpec generic = honeywell();
    generic.vendor = 0x1eab;
    generic.product = 0x1d06;
    open();
    ASSERT_TRUE(wait_status(DeviceHealth::Absent));
    auto device = testbed_->add(generic);
    std::size_t at = 0;
    auto present = wait_status(DeviceHealth::Present, 0, &at);
    ASSERT_TRUE(present);
    EXPECT_NE(present->detail.find("matched by HID usage page 0x8C"), std::string::npos)
        << present->detail;
    EXPECT_TRUE(device.received().empty()) << "feature report sent without the quirk";

    // Unplugged in the middle of a multi-packet code: the part is dropped.
    device.send(packet("]C1", "PARTIAL", true));
    testbed_->unplug(device);
    auto absent = wait_status(DeviceHealth::Absent, at + 1, &at);
    ASSERT_TRUE(absent);
    EXPECT_EQ(absent->detail, "scanner unplugged");

    device = testbed_->add(generic);
    ASSERT_TRUE(wait_status(DeviceHealth::Present, at + 1, &at));
    const auto from = sink_.size();
    device.send(packet("]C1", "AFTER", false));
    auto scan = next_scan(from);
    ASSERT_TRUE(scan);
    EXPECT_EQ(scan->data, "]C1AFTER");
    for (const auto& event : sink_.events()) {
        if (const auto* other = std::get_if<ScanEvent>(&event)) {
            EXPECT_EQ(other->data.find("PARTIAL"), std::string::npos);
        }
    }
}

TEST_F(HidScannerUmockdev, DetectListsScalesAndScannersWithHowTheyMatched) {
    testbed_->add(FakeHidSpec{});  // DYMO M10 at 001/002
    FakeHidSpec scanner = honeywell();
    scanner.vendor = 0x1eab;
    scanner.product = 0x1d06;
    scanner.address = 3;
    testbed_->add(scanner);
    FakeHidSpec keyboard;
    keyboard.vendor = 0x1234;
    keyboard.product = 0x0001;
    keyboard.address = 4;
    keyboard.report_descriptor = {0x05, 0x01, 0x09, 0x06, 0xA1, 0x01, 0xC0};
    testbed_->add(keyboard);

    auto found = detect_usb_devices();
    ASSERT_EQ(found.size(), 2u);
    std::sort(found.begin(), found.end(), [](const DetectedDevice& a, const DetectedDevice& b) {
        return a.address < b.address;
    });
    EXPECT_EQ(found[0].driver, "hid-scale");
    EXPECT_EQ(found[0].kind, hardware::DeviceKind::Scale);
    EXPECT_EQ(found[0].name, "DYMO M10");
    EXPECT_EQ(found[0].address, "usb 001/002");
    EXPECT_EQ(found[0].id, "hid-scale-0922:8003-1-2");
    EXPECT_EQ(found[0].matched_by, "vid:pid 0922:8003 (usb-devices.tsv)");
    EXPECT_EQ(found[0].health, DeviceHealth::Present);
    EXPECT_EQ(found[1].driver, "hid-scanner");
    EXPECT_EQ(found[1].address, "usb 001/003");
    EXPECT_EQ(found[1].matched_by, "HID usage page 0x8C");
    EXPECT_EQ(found[1].extra.at("vid:pid"), "1eab:1d06");
}

}  // namespace
}  // namespace packline::drivers
