// NCI / Weigh-Tronix SCP replies (devices.md §3.2), both the documented form
// and the PS-USB variant without the second LF, read into readings in grams.
#include <gtest/gtest.h>

#include <string>

#include "packline/drivers/nci_parser.h"

namespace packline::drivers {
namespace {

using namespace std::string_literals;
using hardware::WeightStatus;

struct ReadingCase {
    const char* name;
    std::string frame;
    double grams;
    WeightStatus status;
};

class NciReadingTest : public ::testing::TestWithParam<ReadingCase> {};

TEST_P(NciReadingTest, ReadsWeight) {
    const auto reply = parse_nci(GetParam().frame);
    ASSERT_TRUE(reply.ok()) << reply.error().to_string();
    const auto reading = nci_to_reading(*reply, "nci-1");
    ASSERT_TRUE(reading.ok()) << reading.error().to_string();
    EXPECT_EQ(reading->grams, GetParam().grams);
    EXPECT_EQ(reading->status, GetParam().status);
}

INSTANTIATE_TEST_SUITE_P(
    Replies, NciReadingTest,
    ::testing::Values(
        ReadingCase{"scp01_pounds", "\n0001.00LB\r\n00\r\x03"s, 453.59237, WeightStatus::Stable},
        ReadingCase{"ps_usb_variant", "\n0001.00LB\r00\x03"s, 453.59237, WeightStatus::Stable},
        ReadingCase{"scp02_status_prefix", "\n00.000LB\r\nS00\r\x03"s, 0.0, WeightStatus::Stable},
        ReadingCase{"kilograms", "\n0002.50KG\r\n00\r\x03"s, 2500.0, WeightStatus::Stable},
        ReadingCase{"ounces", "\n0016.0OZ\r\n00\r\x03"s, 453.59237, WeightStatus::Stable},
        ReadingCase{"pounds_and_ounces", "\n 1lb  8.0oz\r\n00\r\x03"s, 680.388555,
                    WeightStatus::Stable},
        ReadingCase{"in_motion", "\n0001.00LB\r\n10\r\x03"s, 453.59237, WeightStatus::InMotion},
        ReadingCase{"at_zero", "\n0000.00LB\r\n20\r\x03"s, 0.0, WeightStatus::AtZero},
        ReadingCase{"under_capacity", "\n-001.00LB\r\n01\r\x03"s, -453.59237,
                    WeightStatus::UnderZero},
        ReadingCase{"over_capacity_dashes", "\n------LB\r\n02\r\x03"s, 0.0, WeightStatus::Overload},
        ReadingCase{"ram_error", "\n0001.00LB\r\n40\r\x03"s, 453.59237, WeightStatus::Fault},
        ReadingCase{"eeprom_error", "\n0001.00LB\r\n80\r\x03"s, 453.59237, WeightStatus::Fault},
        ReadingCase{"rom_error", "\n0001.00LB\r\n04\r\x03"s, 453.59237, WeightStatus::Fault},
        ReadingCase{"faulty_calibration", "\n0001.00LB\r\n08\r\x03"s, 453.59237,
                    WeightStatus::Fault},
        ReadingCase{"initial_zero_error", "\n0001.00LB\r\n008\r\x03"s, 453.59237,
                    WeightStatus::Fault},
        ReadingCase{"parity_bits_set", "\x8A\xB0\xB0\xB0\xB1.\xB0\xB0LB\x8D\x8A\xB0\xB0\x8D\x83"s,
                    453.59237, WeightStatus::Stable}),
    [](const auto& test_case) { return std::string(test_case.param.name); });

// '0'..'?' carry the bits in the low nibble: '4' = 0x34 = bit 2, '8' = 0x38 = bit 3.
TEST(Nci, StatusBits) {
    const auto status = parse_nci_status("3;6");
    ASSERT_TRUE(status.ok());
    EXPECT_TRUE(status->in_motion);
    EXPECT_TRUE(status->at_zero);
    EXPECT_FALSE(status->ram_error);
    EXPECT_TRUE(status->under_capacity);
    EXPECT_TRUE(status->over_capacity);
    EXPECT_FALSE(status->rom_error);
    EXPECT_TRUE(status->faulty_calibration);
    EXPECT_EQ(status->range, 2);
    EXPECT_TRUE(status->net);
    EXPECT_FALSE(status->initial_zero_error);
}

TEST(Nci, StatusOnlyReply) {
    const auto reply = parse_nci("\n00\r\x03"s);
    ASSERT_TRUE(reply.ok());
    EXPECT_FALSE(reply->grams.has_value());
    EXPECT_EQ(nci_to_reading(*reply, "nci-1").error().code, "nci.no_weight");
    const auto overloaded = parse_nci("\n02\r\x03"s);
    ASSERT_TRUE(overloaded.ok());
    EXPECT_EQ(nci_to_reading(*overloaded, "nci-1")->status, WeightStatus::Overload);
}

struct ErrorCase {
    const char* name;
    std::string frame;
    const char* code;
};

class NciErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(NciErrorTest, GivesErrorCode) {
    const auto reply = parse_nci(GetParam().frame);
    ASSERT_FALSE(reply.ok());
    EXPECT_EQ(reply.error().code, GetParam().code);
}

INSTANTIATE_TEST_SUITE_P(
    Replies, NciErrorTest,
    ::testing::Values(
        ErrorCase{"unknown_command", "\n?\r\x03"s, "nci.unknown_command"},
        ErrorCase{"empty", "", "nci.bad_frame"},
        ErrorCase{"no_leading_lf", "0001.00LB\r\n00\r\x03"s, "nci.bad_frame"},
        ErrorCase{"bytes_after_etx", "\n0001.00LB\r\n00\r\x03x"s, "nci.bad_frame"},
        ErrorCase{"three_fields", "\n1LB\r\n00\r\n00\r\x03"s, "nci.bad_frame"},
        ErrorCase{"status_not_ascii_digit", "\n0001.00LB\r\nAB\r\x03"s, "nci.bad_status"},
        ErrorCase{"status_too_long", "\n0001.00LB\r\n0000\r\x03"s, "nci.bad_status"},
        ErrorCase{"unknown_unit", "\n0001.00ST\r\n00\r\x03"s, "nci.unknown_unit"},
        ErrorCase{"no_unit", "\n0001.00\r\n00\r\x03"s, "nci.unknown_unit"},
        ErrorCase{"bad_number_when_stable", "\n00x1.00LB\r\n00\r\x03"s, "nci.bad_weight"},
        ErrorCase{"dashes_when_stable", "\n------LB\r\n00\r\x03"s, "nci.bad_weight"},
        ErrorCase{"bad_pounds_ounces", "\n1.5lb 8.0oz\r\n00\r\x03"s, "nci.bad_weight"}),
    [](const auto& test_case) { return std::string(test_case.param.name); });

TEST(Nci, Commands) {
    EXPECT_EQ(nci_command(NciCommand::Weight), "W\r");
    EXPECT_EQ(nci_command(NciCommand::Status), "S\r");
    EXPECT_EQ(nci_command(NciCommand::Zero), "Z\r");
    EXPECT_EQ(nci_command(NciCommand::ChangeUnits), "U\r");
}

}  // namespace
}  // namespace packline::drivers
