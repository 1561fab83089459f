#include "packline/drivers/usb_device_table.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace packline::drivers {
namespace {

TEST(UsbDeviceTable, BuiltInTableHasTheKnownScalesAndTheHoneywellScanner) {
    const auto& table = builtin_usb_device_table();
    EXPECT_EQ(table.source, "usb-devices.tsv");
    EXPECT_EQ(table.entries.size(), 15u);  // 14 scales (devices.md §1.3) + 1400g
    const auto* dymo = table.find({0x0922, 0x8003});
    ASSERT_NE(dymo, nullptr);
    EXPECT_EQ(dymo->name, "DYMO M10");
    EXPECT_EQ(dymo->role, UsbDeviceRole::Scale);
    EXPECT_TRUE(dymo->quirks.empty());
    const auto* honeywell = table.find({0x0c2e, 0x0b8f});
    ASSERT_NE(honeywell, nullptr);
    EXPECT_EQ(honeywell->role, UsbDeviceRole::Scanner);
    EXPECT_TRUE(honeywell->has_quirk(kUsbQuirkHoneywellFeature));
    EXPECT_NE(table.find({0x2233, 0x6323}), nullptr);
    EXPECT_EQ(table.find({0x1234, 0x5678}), nullptr);
}

TEST(UsbDeviceTable, BuiltInTextParsesWithoutError) {
    auto table = parse_usb_device_table(builtin_usb_device_table_text(), "usb-devices.tsv");
    ASSERT_TRUE(table.ok()) << table.error().message;
}

TEST(UsbDeviceTable, ParsesCommentsBlankLinesCrlfAndQuirks) {
    auto table = parse_usb_device_table(
        "# comment\n\n1a2b\tC\tscanner\tMy Scanner 2000\thoneywell-feature-0xfe\r\n"
        "0922\t8003\tscale\tDYMO M10\t-\n",
        "t.tsv");
    ASSERT_TRUE(table.ok()) << table.error().message;
    ASSERT_EQ(table->entries.size(), 2u);
    EXPECT_EQ(table->entries[0].id, (UsbVidPid{0x1a2b, 0x000c}));
    EXPECT_EQ(table->entries[0].name, "My Scanner 2000");
    EXPECT_TRUE(table->entries[0].has_quirk("honeywell-feature-0xfe"));
}

void expect_bad(std::string_view text, std::string_view message) {
    auto table = parse_usb_device_table(text, "my.tsv");
    ASSERT_FALSE(table.ok()) << text;
    EXPECT_EQ(table.error().code, "usb_table.bad_line");
    EXPECT_EQ(table.error().message, message);
}

TEST(UsbDeviceTable, RejectsBadLinesWithFileAndLine) {
    expect_bad("# x\n0922 8003 scale DYMO -\n",
               "my.tsv:2: expected 5 TAB-separated columns (vid pid kind name quirks), got 1");
    expect_bad("0922\t8003\tscale\tDYMO\n",
               "my.tsv:1: expected 5 TAB-separated columns (vid pid kind name quirks), got 4");
    expect_bad("\n\n09x2\t8003\tscale\tDYMO\t-\n", "my.tsv:3: vid '09x2' is not 1..4 hex digits");
    expect_bad("0922\t18003\tscale\tDYMO\t-\n", "my.tsv:1: pid '18003' is not 1..4 hex digits");
    expect_bad("0922\t\tscale\tDYMO\t-\n", "my.tsv:1: pid '' is not 1..4 hex digits");
    expect_bad("0922\t8003\tprinter\tDYMO\t-\n",
               "my.tsv:1: kind 'printer' is not scale or scanner");
    expect_bad("0922\t8003\tscale\t \t-\n", "my.tsv:1: empty name");
    expect_bad("0922\t8003\tscale\tDYMO\tfast\n", "my.tsv:1: unknown quirk 'fast'");
    expect_bad("0922\t8003\tscale\tDYMO\t\n", "my.tsv:1: unknown quirk ''");
    expect_bad("0922\t8003\tscale\tA\t-\n0922\t8003\tscanner\tB\t-\n",
               "my.tsv:2: vid:pid 0922:8003 is listed twice");
}

TEST(UsbDeviceTable, LoadsAFileAndNamesItInErrors) {
    const auto path = std::filesystem::temp_directory_path() / "packline_usb_table_test.tsv";
    {
        std::ofstream out(path);
        out << "0922\t8003\tscale\tDYMO M10\t-\n0922\tzz\tscale\tX\t-\n";
    }
    auto table = usb_device_table(path.string());
    ASSERT_FALSE(table.ok());
    EXPECT_EQ(table.error().message, path.string() + ":2: pid 'zz' is not 1..4 hex digits");
    std::filesystem::remove(path);
    auto missing = usb_device_table(path.string());
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, "usb_table.unreadable");
    auto builtin = usb_device_table("");
    ASSERT_TRUE(builtin.ok());
    EXPECT_EQ(builtin->source, "usb-devices.tsv");
}

TEST(UsbIds, ParseAndFormat) {
    EXPECT_EQ(parse_usb_vid_pid("0922:8003"), (UsbVidPid{0x0922, 0x8003}));
    EXPECT_EQ(parse_usb_vid_pid("c2e:B8F"), (UsbVidPid{0x0c2e, 0x0b8f}));
    EXPECT_FALSE(parse_usb_vid_pid("0922"));
    EXPECT_FALSE(parse_usb_vid_pid("0922:"));
    EXPECT_FALSE(parse_usb_vid_pid("10922:8003"));
    EXPECT_EQ(to_string(UsbVidPid{0x0c2e, 0x0b8f}), "0c2e:0b8f");
    EXPECT_EQ(parse_usb_bus_address("001/004"), (UsbBusAddress{1, 4}));
    EXPECT_EQ(parse_usb_bus_address("usb 3/127"), (UsbBusAddress{3, 127}));
    EXPECT_FALSE(parse_usb_bus_address("1/256"));
    EXPECT_FALSE(parse_usb_bus_address("1-4"));
    EXPECT_EQ(to_string(UsbBusAddress{1, 4}), "001/004");
}

}  // namespace
}  // namespace packline::drivers
