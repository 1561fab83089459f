// EvdevScannerDevice and detect_evdev_scanners() against a fake evdev scanner:
// umockdev replays hand-written evemu files on /dev/input/event5 (see
// tests/fixtures/evdev/README.md). Each test re-runs itself under umockdev-run.
#include <gtest/gtest.h>

#include <string>

#include "evdev_test_sink.h"
#include "evdev_umockdev.h"
#include "packline/drivers/evdev_scanner_device.h"

namespace packline::drivers {
namespace {

using hardware::DeviceHealth;

const std::string kFixtures = std::string(PACKLINE_SOURCE_DIR) + "/tests/fixtures/evdev/";
const std::string kByIdPath = "/dev/input/by-id/usb-Symbol_Bar_Code_Scanner-event-kbd";

// Re-runs the calling test under umockdev with `events` on event5; true in the child.
bool in_testbed(const std::string& events) {
    if (testing::in_umockdev()) return true;
    testing::rerun_under_umockdev(
        {"-d", kFixtures + "scanner.umockdev", "-e", "/dev/input/event5=" + kFixtures + events});
    return false;
}

std::unique_ptr<EvdevScannerDevice> make_device(EvdevScannerOptions options) {
    auto device = EvdevScannerDevice::create(std::move(options));
    EXPECT_TRUE(device.ok()) << (device.ok() ? "" : device.error().message);
    return std::move(device).value();
}

std::vector<std::string> take_scans(testing::CollectingSink& sink, std::size_t count) {
    std::vector<std::string> scans;
    for (std::size_t i = 0; i < count; ++i) {
        const auto scan = sink.next_scan();
        if (!scan) break;
        scans.push_back(scan->data);
    }
    return scans;
}

TEST(EvdevScannerUmockdev, ShiftedCharactersEnterAndKeypadEnterThroughByIdPath) {
    if (!in_testbed("us_enter.events")) return;
    EvdevScannerOptions options;
    options.id = "front";
    options.path = kByIdPath;
    auto device = make_device(options);
    testing::CollectingSink sink;
    ASSERT_TRUE(device->open(sink).ok());
    const auto present = sink.next_status(DeviceHealth::Present);
    ASSERT_TRUE(present);
    EXPECT_EQ(present->device, "front");
    EXPECT_NE(present->detail.find("connected"), std::string::npos) << present->detail;
    // umockdev answers EVIOCGRAB with success.
    EXPECT_EQ(present->detail.find("not grabbed"), std::string::npos) << present->detail;
    EXPECT_EQ(take_scans(sink, 2), (std::vector<std::string>{"Ab1!", "SKU-42_x"}));
    device->close();
}

TEST(EvdevScannerUmockdev, TabEndsAScanAndSilenceEndsTheNext) {
    if (!in_testbed("tab_timeout.events")) return;
    EvdevScannerOptions options;
    options.match_name = "bar code";  // found through sysfs, not a path
    options.decoding.inter_key_timeout_ms = 100;
    auto device = make_device(options);
    testing::CollectingSink sink;
    ASSERT_TRUE(device->open(sink).ok());
    ASSERT_TRUE(sink.next_status(DeviceHealth::Present));
    EXPECT_EQ(take_scans(sink, 3), (std::vector<std::string>{"TAB1", "PART9", "END"}));
    device->close();
}

TEST(EvdevScannerUmockdev, GermanLayoutSwapsYAndZ) {
    if (!in_testbed("de_layout.events")) return;
    EvdevScannerOptions options;
    options.match_usb_id = parse_usb_id("05E0:1200");
    options.decoding.layout = "de";
    auto device = make_device(options);
    testing::CollectingSink sink;
    ASSERT_TRUE(device->open(sink).ok());
    EXPECT_EQ(take_scans(sink, 1), std::vector<std::string>{"Zebra-Y1"});
    device->close();
}

TEST(EvdevScannerUmockdev, FrenchLayoutMovesDigitsAndLetters) {
    if (!in_testbed("fr_layout.events")) return;
    EvdevScannerOptions options;
    options.path = "/dev/input/event5";
    options.decoding.layout = "fr";
    auto device = make_device(options);
    testing::CollectingSink sink;
    ASSERT_TRUE(device->open(sink).ok());
    EXPECT_EQ(take_scans(sink, 1), std::vector<std::string>{"AZ1234qwm"});
    device->close();
}

TEST(EvdevScannerUmockdev, RestoresGsFromSubstitute) {
    if (!in_testbed("gs_substitute.events")) return;
    EvdevScannerOptions options;
    options.path = kByIdPath;
    options.decoding.gs_substitute = "~";
    auto device = make_device(options);
    testing::CollectingSink sink;
    ASSERT_TRUE(device->open(sink).ok());
    EXPECT_EQ(take_scans(sink, 1), std::vector<std::string>{"]d2011231231231233310ABC123\x1d"
                                                            "99TESTING"});
    device->close();
}

TEST(EvdevScannerUmockdev, NoMatchingDeviceIsAbsentNotAnError) {
    if (!in_testbed("us_enter.events")) return;
    EvdevScannerOptions options;
    options.match_name = "no such scanner";
    auto device = make_device(options);
    testing::CollectingSink sink;
    ASSERT_TRUE(device->open(sink).ok());
    const auto absent = sink.next_status(DeviceHealth::Absent);
    ASSERT_TRUE(absent);
    EXPECT_NE(absent->detail.find("no such scanner"), std::string::npos) << absent->detail;
    device->close();
}

TEST(EvdevScannerUmockdev, DetectsTheScannerButNotTheLaptopKeyboard) {
    if (!in_testbed("us_enter.events")) return;
    const auto found = detect_evdev_scanners();
    ASSERT_EQ(found.size(), 1u);
    const DetectedDevice& scanner = found[0];
    EXPECT_EQ(scanner.driver, "evdev");
    EXPECT_EQ(scanner.id, "evdev-05e0:1200-event5");
    EXPECT_EQ(scanner.name, "Symbol Bar Code Scanner");
    EXPECT_EQ(scanner.address, kByIdPath);
    EXPECT_EQ(scanner.extra.at("event"), "/dev/input/event5");
    EXPECT_EQ(scanner.extra.at("vendor"), "05e0");
    EXPECT_NE(scanner.matched_by.find("scanner"), std::string::npos) << scanner.matched_by;
    EXPECT_EQ(scanner.health, DeviceHealth::Present);

    // A configured vid:pid lists a device whatever its name.
    EvdevDetectOptions options;
    options.usb_ids.push_back(UsbId{0x0001, 0x0001});
    const auto with_config = detect_evdev_scanners(options);
    ASSERT_EQ(with_config.size(), 2u);
    EXPECT_EQ(with_config[0].name, "AT Translated Set 2 keyboard");
    EXPECT_NE(with_config[0].matched_by.find("config"), std::string::npos);
}

}  // namespace
}  // namespace packline::drivers
