// CAS-style indicator lines (devices.md §3.4): "ST,GS,+  1.500kg" and the
// 22-byte frame with device id and lamp bytes.
#include <gtest/gtest.h>

#include <string>

#include "packline/drivers/cas_parser.h"

namespace packline::drivers {
namespace {

using namespace std::string_literals;
using hardware::WeightStatus;

struct ReadingCase {
    const char* name;
    std::string line;
    double grams;
    WeightStatus status;
};

class CasReadingTest : public ::testing::TestWithParam<ReadingCase> {};

TEST_P(CasReadingTest, ReadsWeight) {
    const auto reply = parse_cas(GetParam().line);
    ASSERT_TRUE(reply.ok()) << reply.error().to_string();
    const auto reading = cas_to_reading(*reply, "cas-1");
    ASSERT_TRUE(reading.ok()) << reading.error().to_string();
    EXPECT_EQ(reading->grams, GetParam().grams);
    EXPECT_EQ(reading->status, GetParam().status);
    EXPECT_EQ(reading->device, "cas-1");
}

INSTANTIATE_TEST_SUITE_P(
    Lines, CasReadingTest,
    ::testing::Values(
        ReadingCase{"stable_kg", "ST,GS,+  1.500kg\r\n", 1500.0, WeightStatus::Stable},
        ReadingCase{"without_line_end", "ST,GS,+  1.500kg", 1500.0, WeightStatus::Stable},
        ReadingCase{"unstable", "US,GS,+  1.520kg\r\n", 1520.0, WeightStatus::InMotion},
        ReadingCase{"overload_with_number", "OL,GS,+ 99.999kg\r\n", 99999.0,
                    WeightStatus::Overload},
        ReadingCase{"overload_without_number", "OL,GS,  ------kg\r\n", 0.0, WeightStatus::Overload},
        ReadingCase{"negative", "ST,GS,-  0.250kg\r\n", -250.0, WeightStatus::UnderZero},
        ReadingCase{"negative_while_unstable", "US,NT,-  0.250kg\r\n", -250.0,
                    WeightStatus::UnderZero},
        ReadingCase{"net_grams", "ST,NT,+   1500 g\r\n", 1500.0, WeightStatus::Stable},
        ReadingCase{"pounds_exact", "ST,GS,+  1.000lb\r\n", 453.59237, WeightStatus::Stable},
        ReadingCase{"ounces_exact", "ST,GS,+  1.000oz\r\n", 28.349523125, WeightStatus::Stable},
        ReadingCase{"uppercase_unit", "ST,GS,+  1.500KG\r\n", 1500.0, WeightStatus::Stable},
        ReadingCase{"cas_22_byte", "ST,GS,\x01\x44,0000013.5 kg\r\n"s, 13500.0,
                    WeightStatus::Stable},
        ReadingCase{"cas_22_byte_comma_lamp", "US,NT,\x01,,0000013.5 kg\r\n"s, 13500.0,
                    WeightStatus::InMotion}),
    [](const auto& test_case) { return std::string(test_case.param.name); });

TEST(Cas, Reads22ByteFields) {
    const auto reply = parse_cas("ST,NT,\x07\x44,0000013.5 kg\r\n"s);
    ASSERT_TRUE(reply.ok()) << reply.error().to_string();
    EXPECT_EQ(reply->state, "ST");
    EXPECT_TRUE(reply->net);
    EXPECT_EQ(reply->device_id, 7);
    EXPECT_EQ(reply->lamp, 0x44);  // bit 6 stable, bit 2 gross
    EXPECT_EQ(reply->unit, "kg");
}

TEST(Cas, ShortFormHasNoIdOrLamp) {
    const auto reply = parse_cas("ST,GS,+  1.500kg\r\n");
    ASSERT_TRUE(reply.ok());
    EXPECT_FALSE(reply->device_id.has_value());
    EXPECT_FALSE(reply->lamp.has_value());
    EXPECT_FALSE(reply->net);
}

struct ErrorCase {
    const char* name;
    std::string line;
    const char* code;
};

class CasErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(CasErrorTest, GivesErrorCode) {
    const auto reply = parse_cas(GetParam().line);
    ASSERT_FALSE(reply.ok());
    EXPECT_EQ(reply.error().code, GetParam().code);
}

INSTANTIATE_TEST_SUITE_P(
    Lines, CasErrorTest,
    ::testing::Values(ErrorCase{"empty", "", "cas.bad_frame"},
                      ErrorCase{"ten_byte_format", "  1.500kg\r\n", "cas.bad_frame"},
                      ErrorCase{"missing_comma", "ST GS,+  1.500kg\r\n", "cas.bad_frame"},
                      ErrorCase{"unknown_state", "XX,GS,+  1.500kg\r\n", "cas.bad_state"},
                      ErrorCase{"lowercase_state", "st,GS,+  1.500kg\r\n", "cas.bad_state"},
                      ErrorCase{"unknown_mode", "ST,TR,+  1.500kg\r\n", "cas.bad_mode"},
                      ErrorCase{"unknown_unit", "ST,GS,+  1.500st\r\n", "cas.unknown_unit"},
                      ErrorCase{"no_unit", "ST,GS,+  1.500\r\n", "cas.unknown_unit"},
                      ErrorCase{"carat_not_a_cas_unit", "ST,GS,+  1.500ct\r\n", "cas.unknown_unit"},
                      ErrorCase{"two_points", "ST,GS,+ 1.5.00kg\r\n", "cas.bad_weight"},
                      ErrorCase{"dashes_when_stable", "ST,GS,  ------kg\r\n", "cas.bad_weight"},
                      ErrorCase{"binary", "ST,GS,\xff\xfe\xfd\xfckg\r\n"s, "cas.bad_weight"}),
    [](const auto& test_case) { return std::string(test_case.param.name); });

TEST(Cas, HugeLineIsAnErrorNotACrash) {
    EXPECT_FALSE(parse_cas("ST,GS," + std::string(100'000, '9') + "kg").ok());
}

}  // namespace
}  // namespace packline::drivers
