// A scanner in HID POS mode sends each barcode as one or more input reports
// (devices.md §2.1). These tests build the reports a Honeywell scanner sends
// (64 bytes: id, length, AIM id, 56 data bytes, code id, more-follows flag)
// and shorter ones, and check the scan strings the station gets.
#include "packline/drivers/hid_scanner_report.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace packline::drivers {
namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr std::size_t kHoneywellDataBytes = 56;

// A 64-byte Honeywell report: after the id, [0] length, [1..3] AIM id,
// [4..59] data, [60] code id, [62] more packets follow.
Bytes honeywell(std::string_view aim, std::string_view data, bool more, char code_id = 'j') {
    Bytes report(64, 0);
    report[0] = 0x02;
    report[1] = static_cast<std::uint8_t>(data.size());
    for (std::size_t i = 0; i < aim.size() && i < 3; ++i)
        report[2 + i] = static_cast<std::uint8_t>(aim[i]);
    for (std::size_t i = 0; i < data.size(); ++i)
        report[5 + i] = static_cast<std::uint8_t>(data[i]);
    report[1 + 60] = static_cast<std::uint8_t>(code_id);
    report[1 + 62] = more ? 1 : 0;
    return report;
}

// A report just long enough for its data: no Honeywell extras, so it is the
// last packet of its scan.
Bytes compact(std::string_view aim, std::string_view data) {
    Bytes report{0x02, static_cast<std::uint8_t>(data.size())};
    for (char c : aim)
        report.push_back(static_cast<std::uint8_t>(c));
    for (char c : data)
        report.push_back(static_cast<std::uint8_t>(c));
    return report;
}

TEST(HidScannerAssembler, SinglePacketScanKeepsAimIdAndGs) {
    HidScannerAssembler assembler;
    const std::string gs1 =
        "0109506000134352\x1d"
        "10AB12";
    auto scan = assembler.feed(honeywell("]C1", gs1, false, 'I'));
    ASSERT_TRUE(scan.has_value());
    EXPECT_EQ(*scan, "]C1" + gs1);
    EXPECT_FALSE(assembler.last_error().has_value());
    EXPECT_EQ(assembler.last_code_id(), 'I');
}

TEST(HidScannerAssembler, CompactReportWithoutHoneywellExtras) {
    HidScannerAssembler assembler;
    auto scan = assembler.feed(compact("]E0", "4006381333931"));
    ASSERT_TRUE(scan.has_value());
    EXPECT_EQ(*scan, "]E04006381333931");
    EXPECT_EQ(assembler.last_code_id(), 0);
}

TEST(HidScannerAssembler, JoinsPacketsUntilTheLastOne) {
    HidScannerAssembler assembler;
    const std::string first(kHoneywellDataBytes, 'A');
    const std::string second(kHoneywellDataBytes, 'B');
    const std::string third =
        "C\x1d"
        "D";
    EXPECT_FALSE(assembler.feed(honeywell("]d2", first, true, 'w')).has_value());
    EXPECT_FALSE(assembler.last_error().has_value());
    EXPECT_FALSE(assembler.feed(honeywell("]d2", second, true, 'w')).has_value());
    auto scan = assembler.feed(honeywell("]d2", third, false, 'w'));
    ASSERT_TRUE(scan.has_value());
    EXPECT_EQ(*scan, "]d2" + first + second + third);

    // The next scan starts clean.
    auto next = assembler.feed(honeywell("]Q1", "HELLO", false, 's'));
    ASSERT_TRUE(next.has_value());
    EXPECT_EQ(*next, "]Q1HELLO");
}

TEST(HidScannerAssembler, ScanWithoutAimIdIsTheDataAlone) {
    const std::string_view not_aim_ids[] = {std::string_view("\0\0\0", 3), "C1]", "]11", "]C ",
                                            "X C"};
    for (auto aim : not_aim_ids) {
        SCOPED_TRACE(std::string(aim));
        HidScannerAssembler assembler;
        auto scan = assembler.feed(compact(aim, "1Z999AA10123456784"));
        ASSERT_TRUE(scan.has_value());
        EXPECT_EQ(*scan, "1Z999AA10123456784");
    }
}

TEST(HidScannerAssembler, RefusesForeignReportIdButKeepsThePartialScan) {
    HidScannerAssembler assembler;
    EXPECT_FALSE(assembler.feed(honeywell("]C0", "PART1-", true)).has_value());

    Bytes foreign = honeywell("]C0", "NOISE", false);
    foreign[0] = 0x03;
    EXPECT_FALSE(assembler.feed(foreign).has_value());
    ASSERT_TRUE(assembler.last_error().has_value());
    EXPECT_EQ(assembler.last_error()->code, "hid_scanner.bad_report_id");

    auto scan = assembler.feed(honeywell("]C0", "PART2", false));
    ASSERT_TRUE(scan.has_value());
    EXPECT_EQ(*scan, "]C0PART1-PART2");
    EXPECT_FALSE(assembler.last_error().has_value());
}

TEST(HidScannerAssembler, RefusesEmptyAndShortReports) {
    HidScannerAssembler assembler;
    EXPECT_FALSE(assembler.feed(Bytes{}).has_value());
    EXPECT_EQ(assembler.last_error()->code, "hid_scanner.bad_report_id");
    EXPECT_FALSE(assembler.feed(Bytes{0x02, 0x00, ']', 'C'}).has_value());
    EXPECT_EQ(assembler.last_error()->code, "hid_scanner.short_report");
}

TEST(HidScannerAssembler, RefusesLengthBeyondTheReportAndDropsThePartial) {
    HidScannerAssembler assembler;
    EXPECT_FALSE(assembler.feed(honeywell("]C0", "OLD", true)).has_value());

    Bytes truncated = compact("]C0", "ABCD");
    truncated[1] = 5;  // one more than it holds
    EXPECT_FALSE(assembler.feed(truncated).has_value());
    EXPECT_EQ(assembler.last_error()->code, "hid_scanner.truncated");

    // On a 64-byte report data may not run into the Honeywell extras.
    Bytes into_trailer = honeywell("]C0", "X", false);
    into_trailer[1] = static_cast<std::uint8_t>(kHoneywellDataBytes + 1);
    EXPECT_FALSE(assembler.feed(into_trailer).has_value());
    EXPECT_EQ(assembler.last_error()->code, "hid_scanner.truncated");

    Bytes full = honeywell("]C0", std::string(kHoneywellDataBytes, 'F'), false);
    auto scan = assembler.feed(full);
    ASSERT_TRUE(scan.has_value());
    EXPECT_EQ(*scan, "]C0" + std::string(kHoneywellDataBytes, 'F'));  // "OLD" was dropped
}

TEST(HidScannerAssembler, DropsAnOverlongScanAndRecovers) {
    HidScannerAssembler assembler;
    const std::string chunk(kHoneywellDataBytes, 'Z');
    // 3 + 73 x 56 = 4091 bytes fit; the 74th packet would make 4147.
    for (int i = 0; i < 73; ++i) {
        ASSERT_FALSE(assembler.feed(honeywell("]C0", chunk, true)).has_value());
        ASSERT_FALSE(assembler.last_error().has_value()) << i;
    }
    EXPECT_FALSE(assembler.feed(honeywell("]C0", chunk, true)).has_value());
    ASSERT_TRUE(assembler.last_error().has_value());
    EXPECT_EQ(assembler.last_error()->code, "hid_scanner.too_long");
    // The tail of the dropped scan arrives as a scan of its own: it has no
    // start, but we cannot tell; it is short and the station rejects it.
    auto tail = assembler.feed(honeywell("]C0", "END", false));
    ASSERT_TRUE(tail.has_value());
    EXPECT_EQ(*tail, "]C0END");
}

TEST(HidScannerAssembler, ScanOfExactlyTheLimitIsAccepted) {
    HidScannerAssembler assembler;
    std::string expected = "]C0";
    while (expected.size() + kHoneywellDataBytes <= kHidScannerMaxScanLength) {
        const std::string chunk(kHoneywellDataBytes, 'L');
        ASSERT_FALSE(assembler.feed(honeywell("]C0", chunk, true)).has_value());
        expected += chunk;
    }
    const std::string rest(kHidScannerMaxScanLength - expected.size(), 'R');
    auto scan = assembler.feed(honeywell("]C0", rest, false));
    ASSERT_TRUE(scan.has_value());
    EXPECT_EQ(scan->size(), kHidScannerMaxScanLength);
    EXPECT_EQ(*scan, expected + rest);
}

TEST(HidScannerAssembler, ZeroLengthPackets) {
    HidScannerAssembler assembler;
    // A lone zero-length packet is not a scan.
    EXPECT_FALSE(assembler.feed(honeywell("]C0", "", false)).has_value());
    ASSERT_TRUE(assembler.last_error().has_value());
    EXPECT_EQ(assembler.last_error()->code, "hid_scanner.empty");
    EXPECT_FALSE(assembler.feed(compact("", "")).has_value());  // id, length 0, no AIM id
    EXPECT_EQ(assembler.last_error()->code, "hid_scanner.short_report");

    // A zero-length packet inside a scan adds nothing.
    EXPECT_FALSE(assembler.feed(honeywell("]C0", "AB", true)).has_value());
    EXPECT_FALSE(assembler.feed(honeywell("]C0", "", true)).has_value());
    auto scan = assembler.feed(honeywell("]C0", "", false));
    ASSERT_TRUE(scan.has_value());
    EXPECT_EQ(*scan, "]C0AB");
}

TEST(HidScannerAssembler, ResetDropsThePartialScan) {
    HidScannerAssembler assembler;
    EXPECT_FALSE(assembler.feed(honeywell("]C0", "STALE", true)).has_value());
    assembler.reset();
    EXPECT_EQ(assembler.last_code_id(), 0);
    auto scan = assembler.feed(compact("]E4", "96385074"));
    ASSERT_TRUE(scan.has_value());
    EXPECT_EQ(*scan, "]E496385074");
}

TEST(HidScannerAssembler, KeepsEveryByteValue) {
    HidScannerAssembler assembler;
    std::string data;
    for (int i = 0; i < 56; ++i)
        data.push_back(static_cast<char>(i * 4 + 3));
    auto scan = assembler.feed(honeywell("]C0", data, false));
    ASSERT_TRUE(scan.has_value());
    EXPECT_EQ(*scan, "]C0" + data);
}

}  // namespace
}  // namespace packline::drivers
