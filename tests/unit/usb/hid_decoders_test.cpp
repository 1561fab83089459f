#include <gtest/gtest.h>

#include <cstdint>
#include <variant>
#include <vector>

#include "packline/drivers/hid_scale_decoder.h"
#include "packline/drivers/hid_scanner_decoder.h"

namespace packline::drivers {
namespace {

using Bytes = std::vector<std::uint8_t>;
using hardware::WeightStatus;

std::vector<hardware::DeviceEvent> feed(StreamDecoder& decoder, const Bytes& bytes,
                                        std::int64_t at_ms) {
    std::vector<hardware::DeviceEvent> out;
    decoder.feed(bytes, at_ms, out);
    return out;
}

TEST(HidScaleDecoder, DropsTheStaleFirstReportAgainAfterReset) {
    HidScaleDecoder decoder("scale-a");
    EXPECT_TRUE(feed(decoder, {0x03, 0x04, 0x02, 0x00, 0xF4, 0x01}, 1).empty());
    auto events = feed(decoder, {0x03, 0x04, 0x0B, 0xFF, 0x98, 0x00}, 42);
    ASSERT_EQ(events.size(), 1u);
    const auto& reading = std::get<hardware::WeightReading>(events[0]);
    EXPECT_EQ(reading.device, "scale-a");
    EXPECT_NEAR(reading.grams, 15.2 * 28.349523125, 1e-9);
    EXPECT_EQ(reading.status, WeightStatus::Stable);
    EXPECT_EQ(reading.at_ms, 42);
    // Unit flips to grams on the next report: decoded per report.
    events = feed(decoder, {0x03, 0x04, 0x02, 0x00, 0xF4, 0x01}, 43);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_DOUBLE_EQ(std::get<hardware::WeightReading>(events[0]).grams, 500.0);
    decoder.reset();
    EXPECT_TRUE(feed(decoder, {0x03, 0x04, 0x02, 0x00, 0xF4, 0x01}, 44).empty());
    EXPECT_EQ(feed(decoder, {0x03, 0x04, 0x02, 0x00, 0xF4, 0x01}, 45).size(), 1u);
}

TEST(HidScaleDecoder, BadReportGivesNoReadingAndAnError) {
    HidScaleDecoder decoder("s");
    (void)feed(decoder, {0x03, 0x04, 0x02, 0x00, 0x00, 0x00}, 0);
    EXPECT_TRUE(feed(decoder, {0x03, 0x09, 0x02, 0x00, 0x00, 0x00}, 1).empty());
    ASSERT_TRUE(decoder.last_error().has_value());
    EXPECT_EQ(decoder.last_error()->code, "hid_scale.bad_status");
}

Bytes scanner_packet(std::string_view aim, std::string_view data, bool more) {
    Bytes report(64, 0);
    report[0] = 0x02;
    report[1] = static_cast<std::uint8_t>(data.size());
    for (std::size_t i = 0; i < 3; ++i)
        report[2 + i] = static_cast<std::uint8_t>(aim[i]);
    for (std::size_t i = 0; i < data.size(); ++i)
        report[5 + i] = static_cast<std::uint8_t>(data[i]);
    report[61] = 'j';
    report[63] = more ? 1 : 0;
    return report;
}

TEST(HidScannerDecoder, JoinsPacketsIntoOneScanEvent) {
    HidScannerDecoder decoder("scanner-a");
    EXPECT_TRUE(feed(decoder, scanner_packet("]C1", "0109506000134352", true), 5).empty());
    auto events = feed(decoder,
                       scanner_packet("]C1",
                                      "\x1d"
                                      "10AB",
                                      false),
                       6);
    ASSERT_EQ(events.size(), 1u);
    const auto& scan = std::get<hardware::ScanEvent>(events[0]);
    EXPECT_EQ(scan.device, "scanner-a");
    EXPECT_EQ(scan.data,
              "]C10109506000134352\x1d"
              "10AB");
    EXPECT_EQ(scan.at_ms, 6);
}

TEST(HidScannerDecoder, ResetDropsAPartialScan) {
    HidScannerDecoder decoder("s");
    EXPECT_TRUE(feed(decoder, scanner_packet("]C1", "PART", true), 1).empty());
    decoder.reset();
    auto events = feed(decoder, scanner_packet("]E0", "4006381333931", false), 2);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(std::get<hardware::ScanEvent>(events[0]).data, "]E04006381333931");
}

}  // namespace
}  // namespace packline::drivers
