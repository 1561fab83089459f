// A HID POS scale sends 6-byte Scale Data Reports (devices.md §1.1); these
// tests feed the bytes a postal scale sends and check the grams and statuses
// the station gets.
#include "packline/drivers/hid_scale_report.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace packline::drivers {
namespace {

using hardware::WeightStatus;
using Bytes = std::vector<std::uint8_t>;

hardware::WeightReading decode(const Bytes& bytes) {
    auto report = parse_hid_scale_report(bytes);
    EXPECT_TRUE(report.ok()) << report.error().to_string();
    auto reading = to_weight_reading(*report, "scale-1");
    EXPECT_TRUE(reading.ok()) << reading.error().to_string();
    return *reading;
}

std::string error_code(const Bytes& bytes) {
    auto report = parse_hid_scale_report(bytes);
    return report.ok() ? "ok" : report.error().code;
}

TEST(HidScaleReport, DecodesTheReferenceExamples) {
    // 03 04 0B FF 98 00: stable, ounces, exponent -1, raw 152 -> 15.2 oz.
    auto dymo = decode({0x03, 0x04, 0x0B, 0xFF, 0x98, 0x00});
    EXPECT_NEAR(dymo.grams, 430.9127515, 1e-9);
    EXPECT_EQ(dymo.status, WeightStatus::Stable);
    EXPECT_EQ(dymo.device, "scale-1");
    EXPECT_EQ(dymo.at_ms, 0);

    auto grams = decode({0x03, 0x04, 0x02, 0x00, 0xF4, 0x01});
    EXPECT_DOUBLE_EQ(grams.grams, 500.0);
    EXPECT_EQ(grams.status, WeightStatus::Stable);

    auto zero = decode({0x03, 0x02, 0x0B, 0xFF, 0x00, 0x00});
    EXPECT_DOUBLE_EQ(zero.grams, 0.0);
    EXPECT_EQ(zero.status, WeightStatus::AtZero);
}

TEST(HidScaleReport, ParsesEveryField) {
    auto report = parse_hid_scale_report(Bytes{0x04, 0x03, 0x0C, 0xFE, 0x34, 0x12});
    ASSERT_TRUE(report.ok());
    EXPECT_EQ(*report, (HidScaleReport{0x04, 0x03, 0x0C, -2, 0x1234}));
}

TEST(HidScaleReport, AcceptsLongerReadsAndIgnoresTheRest) {
    auto reading = decode({0x03, 0x04, 0x02, 0x00, 0x0A, 0x00, 0xFF, 0xFF});
    EXPECT_DOUBLE_EQ(reading.grams, 10.0);
}

TEST(HidScaleReport, MapsEveryStatus) {
    struct Case {
        std::uint8_t status;
        WeightStatus expected;
        std::string_view text;
    };
    const Case cases[] = {
        {1, WeightStatus::Fault, "fault"},
        {2, WeightStatus::AtZero, "stable at centre of zero"},
        {3, WeightStatus::InMotion, "in motion"},
        {4, WeightStatus::Stable, "weight stable"},
        {5, WeightStatus::UnderZero, "under zero"},
        {6, WeightStatus::Overload, "over weight limit"},
        {7, WeightStatus::Fault, "requires calibration"},
        {8, WeightStatus::Fault, "requires re-zeroing"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(static_cast<int>(c.status));
        auto reading = decode({0x03, c.status, 0x02, 0x00, 0x64, 0x00});
        EXPECT_EQ(reading.status, c.expected);
        EXPECT_DOUBLE_EQ(reading.grams, c.status == 5 ? -100.0 : 100.0);
        EXPECT_EQ(hid_scale_status_text(c.status), c.text);
    }
    EXPECT_EQ(hid_scale_status_text(0), "unknown status");
    EXPECT_EQ(hid_scale_status_text(9), "unknown status");
}

TEST(HidScaleReport, ConvertsEveryUnitToGrams) {
    struct Case {
        std::uint8_t unit;
        std::string_view symbol;
        double grams_for_1000;  // legal definitions, written out by hand
    };
    const Case cases[] = {
        {1, "mg", 1.0},           {2, "g", 1000.0},           {3, "kg", 1'000'000.0},
        {4, "ct", 200.0},         {5, "tael", 37'799.364167}, {6, "gr", 64.79891},
        {7, "dwt", 1'555.17384},  {8, "t", 1'000'000'000.0},  {9, "ton", 907'184'740.0},
        {10, "ozt", 31'103.4768}, {11, "oz", 28'349.523125},  {12, "lb", 453'592.37},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(c.symbol));
        // raw 1000 = 0x03E8, exponent 0
        auto reading = decode({0x03, 0x04, c.unit, 0x00, 0xE8, 0x03});
        EXPECT_DOUBLE_EQ(reading.grams, c.grams_for_1000);
        EXPECT_EQ(hid_scale_unit_symbol(c.unit), c.symbol);
        ASSERT_TRUE(hid_scale_grams_per_unit(c.unit).has_value());
        EXPECT_DOUBLE_EQ(*hid_scale_grams_per_unit(c.unit) * 1000.0, c.grams_for_1000);
    }
    EXPECT_FALSE(hid_scale_grams_per_unit(0).has_value());
    EXPECT_FALSE(hid_scale_grams_per_unit(13).has_value());
    EXPECT_EQ(hid_scale_unit_symbol(13), "unknown");
}

TEST(HidScaleReport, AppliesTheExponent) {
    struct Case {
        std::uint8_t exponent_byte;
        double grams;
    };
    // raw 12345 grams at several exponents
    const Case cases[] = {
        {0x00, 12345.0},  {0xFF, 1234.5},    {0xFE, 123.45},   {0xFD, 12.345},
        {0x01, 123450.0}, {0x02, 1234500.0}, {0xFA, 0.012345},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(static_cast<int>(c.exponent_byte));
        auto reading = decode({0x03, 0x04, 0x02, c.exponent_byte, 0x39, 0x30});
        EXPECT_DOUBLE_EQ(reading.grams, c.grams);
    }
}

TEST(HidScaleReport, DymoHundredthsOfAnOunce) {
    // exponent 0xFE = -2 (devices.md §1.2): 1520 -> 15.20 oz
    auto reading = decode({0x03, 0x04, 0x0B, 0xFE, 0xF0, 0x05});
    EXPECT_NEAR(reading.grams, 430.9127515, 1e-9);
}

TEST(HidScaleReport, ExtremeExponentsStayFinite) {
    // Largest weight: 65535 metric tons x 10^127; smallest: 1 mg x 10^-127,
    // and -128, outside the descriptor's -127..127 but still an int8.
    auto largest = decode({0x03, 0x04, 0x08, 0x7F, 0xFF, 0xFF});
    EXPECT_TRUE(std::isfinite(largest.grams));
    EXPECT_NEAR(largest.grams / 6.5535e137, 1.0, 1e-12);  // 65535 x 1e6 x 1e127

    auto smallest = decode({0x03, 0x04, 0x01, 0x81, 0x01, 0x00});
    EXPECT_TRUE(std::isfinite(smallest.grams));
    EXPECT_GT(smallest.grams, 0.0);
    EXPECT_NEAR(smallest.grams / 1e-130, 1.0, 1e-12);

    auto below_range = decode({0x03, 0x05, 0x0C, 0x80, 0xFF, 0xFF});
    EXPECT_TRUE(std::isfinite(below_range.grams));
    EXPECT_LT(below_range.grams, 0.0);
}

TEST(HidScaleReport, RefusesBadReports) {
    struct Case {
        Bytes bytes;
        std::string code;
    };
    const Case cases[] = {
        {{}, "hid_scale.short_report"},
        {{0x03}, "hid_scale.short_report"},
        {{0x03, 0x04, 0x02, 0x00, 0xF4}, "hid_scale.short_report"},
        {{0x02, 0x04, 0x02, 0x00, 0xF4, 0x01}, "hid_scale.bad_report_id"},
        {{0x05, 0x04, 0x02, 0x00, 0xF4, 0x01}, "hid_scale.bad_report_id"},
        {{0x00, 0x00, 0x00, 0x00, 0x00, 0x00}, "hid_scale.bad_report_id"},
        {{0x03, 0x00, 0x02, 0x00, 0xF4, 0x01}, "hid_scale.bad_status"},
        {{0x03, 0x09, 0x02, 0x00, 0xF4, 0x01}, "hid_scale.bad_status"},
        {{0x03, 0xFF, 0x02, 0x00, 0xF4, 0x01}, "hid_scale.bad_status"},
        {{0x03, 0x04, 0x00, 0x00, 0xF4, 0x01}, "hid_scale.bad_unit"},
        {{0x03, 0x04, 0x0D, 0x00, 0xF4, 0x01}, "hid_scale.bad_unit"},
        {{0x03, 0x04, 0xFF, 0x00, 0xF4, 0x01}, "hid_scale.bad_unit"},
        {{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}, "hid_scale.bad_report_id"},
        {{0x04, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}, "hid_scale.bad_status"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.code);
        EXPECT_EQ(error_code(c.bytes), c.code);
    }
}

TEST(HidScaleReport, ConversionRefusesHandBuiltNonsense) {
    auto bad_status = to_weight_reading(HidScaleReport{0x03, 0, 2, 0, 1}, "s");
    ASSERT_FALSE(bad_status.ok());
    EXPECT_EQ(bad_status.error().code, "hid_scale.bad_status");
    auto bad_unit = to_weight_reading(HidScaleReport{0x03, 4, 42, 0, 1}, "s");
    ASSERT_FALSE(bad_unit.ok());
    EXPECT_EQ(bad_unit.error().code, "hid_scale.bad_unit");
}

TEST(HidScaleReport, ZeroReportIsTheZeroScaleControlReport) {
    EXPECT_EQ(hid_scale_zero_report(), (Bytes{0x02, 0x02}));
}

TEST(HidScaleStream, DiscardsTheStaleFirstReportAfterOpen) {
    HidScaleStream stream("dymo-m10");
    const Bytes stale{0x03, 0x04, 0x02, 0x00, 0xE8, 0x03};  // 1000 g from the last parcel
    const Bytes fresh{0x03, 0x04, 0x02, 0x00, 0xF4, 0x01};  // 500 g

    EXPECT_FALSE(stream.feed(stale).has_value());
    EXPECT_FALSE(stream.last_error().has_value());

    auto first = stream.feed(fresh);
    ASSERT_TRUE(first.has_value());
    EXPECT_DOUBLE_EQ(first->grams, 500.0);
    EXPECT_EQ(first->device, "dymo-m10");
    auto second = stream.feed(fresh);
    ASSERT_TRUE(second.has_value());
    EXPECT_DOUBLE_EQ(second->grams, 500.0);

    stream.reset();
    EXPECT_FALSE(stream.feed(stale).has_value());
    ASSERT_TRUE(stream.feed(stale).has_value());
}

TEST(HidScaleStream, DiscardsTheFirstReportEvenWhenItIsGarbage) {
    HidScaleStream stream("s");
    EXPECT_FALSE(stream.feed(Bytes{0xFF}).has_value());
    EXPECT_FALSE(stream.last_error().has_value());
    EXPECT_TRUE(stream.feed(Bytes{0x03, 0x04, 0x02, 0x00, 0x01, 0x00}).has_value());
}

TEST(HidScaleStream, ReportsBadReportsAndRecovers) {
    HidScaleStream stream("scale-2");
    (void)stream.feed(Bytes{0x03, 0x04, 0x02, 0x00, 0x01, 0x00});
    EXPECT_FALSE(stream.feed(Bytes{0x03, 0x04}).has_value());
    ASSERT_TRUE(stream.last_error().has_value());
    EXPECT_EQ(stream.last_error()->code, "hid_scale.short_report");
    EXPECT_NE(stream.last_error()->message.find("scale-2"), std::string::npos);

    EXPECT_FALSE(stream.feed(Bytes{0x03, 0x04, 0x20, 0x00, 0x01, 0x00}).has_value());
    EXPECT_EQ(stream.last_error()->code, "hid_scale.bad_unit");

    // Unit flips from g to oz when the user presses the button (§1.2).
    auto ounces = stream.feed(Bytes{0x03, 0x04, 0x0B, 0xFF, 0x98, 0x00});
    ASSERT_TRUE(ounces.has_value());
    EXPECT_FALSE(stream.last_error().has_value());
    EXPECT_NEAR(ounces->grams, 430.9127515, 1e-9);
}

}  // namespace
}  // namespace packline::drivers
