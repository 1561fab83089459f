// MT-SICS replies as a Mettler Toledo balance sends them (devices.md §3.1),
// read into readings in grams; and the commands we send.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "packline/drivers/sics_parser.h"

namespace packline::drivers {
namespace {

using hardware::WeightStatus;

struct ReadingCase {
    const char* name;
    const char* line;
    double grams;
    WeightStatus status;
};

class SicsReadingTest : public ::testing::TestWithParam<ReadingCase> {};

TEST_P(SicsReadingTest, ReadsWeight) {
    const auto reply = parse_sics(GetParam().line);
    ASSERT_TRUE(reply.ok()) << reply.error().to_string();
    const auto reading = sics_to_reading(*reply, "balance-1");
    ASSERT_TRUE(reading.ok()) << reading.error().to_string();
    EXPECT_EQ(reading->grams, GetParam().grams);
    EXPECT_EQ(reading->status, GetParam().status);
    EXPECT_EQ(reading->device, "balance-1");
}

INSTANTIATE_TEST_SUITE_P(
    Replies, SicsReadingTest,
    ::testing::Values(
        ReadingCase{"stable_grams", "S S     100.00 g\r\n", 100.0, WeightStatus::Stable},
        ReadingCase{"without_line_end", "S S     100.00 g", 100.0, WeightStatus::Stable},
        ReadingCase{"dynamic_from_si", "S D      12.34 g\r\n", 12.34, WeightStatus::InMotion},
        ReadingCase{"kilograms", "S S   1.2345 kg\r\n", 1234.5, WeightStatus::Stable},
        ReadingCase{"milligrams", "S S  250 mg\r\n", 0.25, WeightStatus::Stable},
        ReadingCase{"pound_exact", "S S 1.000 lb\r\n", 453.59237, WeightStatus::Stable},
        ReadingCase{"ounce_exact", "S S 1.0 oz\r\n", 28.349523125, WeightStatus::Stable},
        ReadingCase{"two_pounds", "S S 2 lb\r\n", 907.18474, WeightStatus::Stable},
        ReadingCase{"carat", "S S 5.00 ct\r\n", 1.0, WeightStatus::Stable},
        ReadingCase{"negative_is_under_zero", "S S -0.50 g\r\n", -0.5, WeightStatus::UnderZero},
        ReadingCase{"overload", "S +\r\n", 0.0, WeightStatus::Overload},
        ReadingCase{"underload", "S -\r\n", 0.0, WeightStatus::UnderZero}),
    [](const auto& test_case) { return std::string(test_case.param.name); });

struct ErrorCase {
    const char* name;
    const char* line;
    const char* code;
};

class SicsErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(SicsErrorTest, GivesErrorCode) {
    const auto reply = parse_sics(GetParam().line);
    std::string code;
    if (!reply.ok()) {
        code = reply.error().code;
    } else {
        const auto reading = sics_to_reading(*reply, "balance-1");
        ASSERT_FALSE(reading.ok());
        code = reading.error().code;
    }
    EXPECT_EQ(code, GetParam().code);
}

INSTANTIATE_TEST_SUITE_P(
    Replies, SicsErrorTest,
    ::testing::Values(ErrorCase{"busy", "S I\r\n", "sics.busy"},
                      ErrorCase{"syntax", "ES\r\n", "sics.syntax"},
                      ErrorCase{"transmission", "ET\r\n", "sics.transmission"},
                      ErrorCase{"logical", "EL\r\n", "sics.logical"},
                      ErrorCase{"command_logical", "S L\r\n", "sics.logical"},
                      ErrorCase{"empty", "\r\n", "sics.empty"},
                      ErrorCase{"blanks", "   ", "sics.empty"},
                      ErrorCase{"unknown_unit", "S S 1.00 st\r\n", "sics.unknown_unit"},
                      ErrorCase{"missing_unit", "S S 1.00\r\n", "sics.unknown_unit"},
                      ErrorCase{"missing_value", "S S\r\n", "sics.bad_reply"},
                      ErrorCase{"value_not_a_number", "S S 1.0.0 g\r\n", "sics.bad_value"},
                      ErrorCase{"too_many_fields", "S S 1 g extra\r\n", "sics.bad_reply"},
                      ErrorCase{"lowercase_command", "s s 1 g\r\n", "sics.bad_reply"},
                      ErrorCase{"binary", "S S \x01\xff g\r\n", "sics.bad_reply"},
                      ErrorCase{"unknown_status", "S X 1 g\r\n", "sics.unexpected_reply"},
                      ErrorCase{"not_a_weight_reply", "Z A\r\n", "sics.unexpected_reply"},
                      ErrorCase{"huge_number", "S S 12345678901234567 g\r\n", "sics.bad_value"},
                      ErrorCase{"unbalanced_quote", "@ A \"B1234\r\n", "sics.bad_reply"}),
    [](const auto& test_case) { return std::string(test_case.param.name); });

TEST(Sics, SplitsFields) {
    const auto reply = parse_sics("TA A      0.000 g\r\n");
    ASSERT_TRUE(reply.ok());
    EXPECT_EQ(reply->command, "TA");
    EXPECT_EQ(reply->status, "A");
    EXPECT_EQ(reply->value, 0.0);
    EXPECT_EQ(reply->unit, "g");
}

TEST(Sics, ReadsQuotedSerialNumber) {
    const auto reply = parse_sics("@ A \"B123456789\"\r\n");
    ASSERT_TRUE(reply.ok()) << reply.error().to_string();
    EXPECT_EQ(reply->command, "@");
    EXPECT_EQ(reply->status, "A");
    EXPECT_EQ(reply->text, "B123456789");
    EXPECT_FALSE(reply->value.has_value());
}

TEST(Sics, Acknowledgements) {
    EXPECT_TRUE(sics_acknowledged(*parse_sics("Z A\r\n")).ok());
    EXPECT_TRUE(sics_acknowledged(*parse_sics("ZI A\r\n")).ok());
    EXPECT_TRUE(sics_acknowledged(*parse_sics("T S 2.486 g\r\n")).ok());
    EXPECT_TRUE(sics_acknowledged(*parse_sics("T A 2.486 g\r\n")).ok());
    EXPECT_EQ(sics_acknowledged(*parse_sics("Z I\r\n")).error().code, "sics.busy");
    EXPECT_EQ(sics_acknowledged(*parse_sics("Z +\r\n")).error().code, "sics.overload");
    EXPECT_EQ(sics_acknowledged(*parse_sics("Z -\r\n")).error().code, "sics.underload");
    EXPECT_EQ(sics_acknowledged(*parse_sics("ES\r\n")).error().code, "sics.syntax");
    EXPECT_EQ(sics_acknowledged(*parse_sics("S S 1 g\r\n")).error().code, "sics.unexpected_reply");
}

TEST(Sics, Commands) {
    EXPECT_EQ(sics_command(SicsCommand::StableWeight), "S\r\n");
    EXPECT_EQ(sics_command(SicsCommand::ImmediateWeight), "SI\r\n");
    EXPECT_EQ(sics_command(SicsCommand::Zero), "Z\r\n");
    EXPECT_EQ(sics_command(SicsCommand::ZeroImmediately), "ZI\r\n");
    EXPECT_EQ(sics_command(SicsCommand::Tare), "T\r\n");
    EXPECT_EQ(sics_command(SicsCommand::TareWeight), "TA\r\n");
    EXPECT_EQ(sics_command(SicsCommand::Reset), "@\r\n");
}

TEST(Sics, ReplyBuiltInCodeUsesItsDouble) {
    SicsReply reply;
    reply.command = "S";
    reply.status = "S";
    reply.value = 2.5;
    reply.unit = "kg";
    const auto reading = sics_to_reading(reply, "balance-1");
    ASSERT_TRUE(reading.ok());
    EXPECT_EQ(reading->grams, 2500.0);
}

TEST(Sics, HugeLineIsAnErrorNotACrash) {
    const std::string line(100'000, '9');
    EXPECT_FALSE(parse_sics(line).ok());
}

}  // namespace
}  // namespace packline::drivers
