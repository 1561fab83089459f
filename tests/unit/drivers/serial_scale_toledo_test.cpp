// Toledo continuous output frames (devices.md §3.3): status words, decimal
// position, tare, the 7-bit checksum, and the short format.
#include <gtest/gtest.h>

#include <string>

#include "packline/drivers/toledo_parser.h"

namespace packline::drivers {
namespace {

using namespace std::string_literals;
using hardware::WeightStatus;

// Builds a frame the way an indicator does: the checksum is the two's
// complement of the 7-bit sum of everything before it.
std::string frame(char swa, char swb, const std::string& weight, const std::string& tare,
                  bool checksum = true) {
    std::string bytes = "\x02"s + swa + swb + ' ' + weight + tare + '\r';
    if (checksum) {
        unsigned sum = 0;
        for (const char c : bytes)
            sum += static_cast<unsigned char>(c);
        bytes += static_cast<char>((0x80u - (sum & 0x7Fu)) & 0x7Fu);
    }
    return bytes;
}

// SWA: bit 5 always set, bits 0-2 the decimal code. SWB: bit 5 always set.
constexpr char kSwaCode0 = 0x20;
constexpr char kSwaCode2 = 0x22;
constexpr char kSwaCode3 = 0x23;
constexpr char kSwaCode5 = 0x25;
constexpr char kSwbPounds = 0x20;
constexpr char kSwbKilograms = 0x30;
constexpr char kSwbNet = 0x01;
constexpr char kSwbNegative = 0x02;
constexpr char kSwbOutOfRange = 0x04;
constexpr char kSwbMotion = 0x08;

TEST(Toledo, ReadsAHandComputedFrame) {
    const auto parsed = parse_toledo("\x02#0 001234000000\r4"s);  // checksum computed by hand
    ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
    EXPECT_EQ(parsed->decimal_code, 3);
    EXPECT_EQ(parsed->weight, 123.4);
    EXPECT_EQ(parsed->tare, 0.0);
    EXPECT_TRUE(parsed->kilograms);
    EXPECT_TRUE(parsed->checksum_present);
    EXPECT_EQ(parsed->grams, 123400.0);
    const auto reading = toledo_to_reading(*parsed, "toledo-1");
    EXPECT_EQ(reading.status, WeightStatus::Stable);
    EXPECT_EQ(reading.device, "toledo-1");
}

struct ReadingCase {
    const char* name;
    std::string frame;
    double grams;
    WeightStatus status;
};

class ToledoReadingTest : public ::testing::TestWithParam<ReadingCase> {};

TEST_P(ToledoReadingTest, ReadsWeight) {
    const auto parsed = parse_toledo(GetParam().frame);
    ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
    const auto reading = toledo_to_reading(*parsed, "toledo-1");
    EXPECT_EQ(reading.grams, GetParam().grams);
    EXPECT_EQ(reading.status, GetParam().status);
}

INSTANTIATE_TEST_SUITE_P(
    Frames, ToledoReadingTest,
    ::testing::Values(
        ReadingCase{"code2_whole_kg", frame(kSwaCode2, kSwbKilograms, "000012", "000000"), 12000.0,
                    WeightStatus::Stable},
        ReadingCase{"code0_hundreds", frame(kSwaCode0, kSwbKilograms, "000012", "000000"),
                    1'200'000.0, WeightStatus::Stable},
        ReadingCase{"code5_three_places", frame(kSwaCode5, kSwbKilograms, "001500", "000000"),
                    1500.0, WeightStatus::Stable},
        ReadingCase{"pounds_exact", frame(kSwaCode3, kSwbPounds, "000010", "000000"), 453.59237,
                    WeightStatus::Stable},
        ReadingCase{"leading_blanks", frame(kSwaCode3, kSwbKilograms, "    12", "     0"), 1200.0,
                    WeightStatus::Stable},
        ReadingCase{"net", frame(kSwaCode3, kSwbKilograms | kSwbNet, "000012", "000005"), 1200.0,
                    WeightStatus::Stable},
        ReadingCase{"negative", frame(kSwaCode3, kSwbKilograms | kSwbNegative, "000012", "000000"),
                    -1200.0, WeightStatus::UnderZero},
        ReadingCase{"in_motion", frame(kSwaCode3, kSwbKilograms | kSwbMotion, "000012", "000000"),
                    1200.0, WeightStatus::InMotion},
        ReadingCase{
            "out_of_range",
            frame(kSwaCode3, kSwbKilograms | kSwbOutOfRange | kSwbMotion, "999999", "000000"),
            99'999'900.0, WeightStatus::Overload},
        ReadingCase{"full_without_checksum",
                    frame(kSwaCode3, kSwbKilograms, "000012", "000000", false), 1200.0,
                    WeightStatus::Stable},
        ReadingCase{"short_with_checksum", frame(kSwaCode3, kSwbKilograms, "000012", ""), 1200.0,
                    WeightStatus::Stable},
        ReadingCase{"short_without_checksum", frame(kSwaCode3, kSwbKilograms, "000012", "", false),
                    1200.0, WeightStatus::Stable}),
    [](const auto& test_case) { return std::string(test_case.param.name); });

TEST(Toledo, ReadsTareAndFlags) {
    const auto parsed =
        parse_toledo(frame(kSwaCode3, kSwbKilograms | kSwbNet | 0x40, "000120", "000025"));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed->tare, 2.5);
    EXPECT_TRUE(parsed->net);
    EXPECT_TRUE(parsed->power_up);
    EXPECT_FALSE(parsed->in_motion);
    EXPECT_FALSE(parse_toledo(frame(kSwaCode3, kSwbKilograms, "000012", ""))->tare.has_value());
}

TEST(Toledo, MasksParityBits) {
    std::string bytes = frame(kSwaCode3, kSwbKilograms, "000012", "000000");
    for (char& c : bytes)
        c = static_cast<char>(static_cast<unsigned char>(c) | 0x80u);
    const auto parsed = parse_toledo(bytes);
    ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
    EXPECT_EQ(parsed->grams, 1200.0);
}

struct ErrorCase {
    const char* name;
    std::string frame;
    const char* code;
};

class ToledoErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ToledoErrorTest, GivesErrorCode) {
    const auto parsed = parse_toledo(GetParam().frame);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().code, GetParam().code);
}

std::string with_last_byte_off_by_one(std::string bytes) {
    bytes.back() = static_cast<char>(bytes.back() + 1);
    return bytes;
}

std::string with_digit_changed(std::string bytes) {
    bytes[9] = bytes[9] == '0' ? '1' : '0';
    return bytes;
}

INSTANTIATE_TEST_SUITE_P(
    Frames, ToledoErrorTest,
    ::testing::Values(
        ErrorCase{"checksum_off_by_one",
                  with_last_byte_off_by_one(frame(kSwaCode3, kSwbKilograms, "000012", "000000")),
                  "toledo.bad_checksum"},
        ErrorCase{"digit_changed",
                  with_digit_changed(frame(kSwaCode3, kSwbKilograms, "000012", "000000")),
                  "toledo.bad_checksum"},
        ErrorCase{"short_checksum_off",
                  with_last_byte_off_by_one(frame(kSwaCode3, kSwbKilograms, "000012", "")),
                  "toledo.bad_checksum"},
        ErrorCase{"empty", "", "toledo.bad_frame"},
        ErrorCase{"wrong_length", "\x02#0 00001200000\r"s, "toledo.bad_frame"},
        ErrorCase{"no_stx", "X#0 000012000000\rA"s, "toledo.bad_frame"},
        ErrorCase{"no_cr", "\x02#0 000012000000XA"s, "toledo.bad_frame"},
        ErrorCase{"letter_in_weight", frame(kSwaCode3, kSwbKilograms, "00A012", "000000"),
                  "toledo.bad_weight"},
        ErrorCase{"blank_inside_weight", frame(kSwaCode3, kSwbKilograms, "00 012", "000000"),
                  "toledo.bad_weight"},
        ErrorCase{"letter_in_tare", frame(kSwaCode3, kSwbKilograms, "000012", "0000-1"),
                  "toledo.bad_weight"}),
    [](const auto& test_case) { return std::string(test_case.param.name); });

}  // namespace
}  // namespace packline::drivers
