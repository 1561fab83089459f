// GS1 check digits and element strings, as a scanner delivers them after the
// AIM id. Test vectors from ../shared/reference/devices.md "GS1".
#include "packline/station/gs1.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace packline::station {
namespace {

const std::string GS(1, kGroupSeparator);

// ---- check digits ------------------------------------------------------------

struct CheckDigitCase {
    const char* digits;
    bool valid;
};

class Gs1CheckDigit : public testing::TestWithParam<CheckDigitCase> {};

TEST_P(Gs1CheckDigit, VerifiesEveryKeyLength) {
    EXPECT_EQ(gs1_check_digit_valid(GetParam().digits), GetParam().valid) << GetParam().digits;
}

INSTANTIATE_TEST_SUITE_P(
    Vectors, Gs1CheckDigit,
    testing::Values(CheckDigitCase{"02345673", true},            // GTIN-8
                    CheckDigitCase{"416000336108", true},        // UPC-A
                    CheckDigitCase{"1234567890128", true},       // GTIN-13
                    CheckDigitCase{"12345678901231", true},      // GTIN-14
                    CheckDigitCase{"123456789012345675", true},  // SSCC-18
                    CheckDigitCase{"09506000134352", true},
                    CheckDigitCase{"02345674", false},  // check digit one off
                    CheckDigitCase{"416000336109", false},
                    CheckDigitCase{"1234567890138", false},  // data digit one off
                    CheckDigitCase{"12345678901232", false},
                    CheckDigitCase{"123456789012345676", false},
                    CheckDigitCase{"1234567890I28", false},  // letter for a digit
                    CheckDigitCase{"", false}, CheckDigitCase{"0", false},
                    CheckDigitCase{" 1234567890128", false}));

TEST(Gs1CheckDigit, ComputesTheDigitToAppend) {
    EXPECT_EQ(gs1_compute_check_digit("0234567"), '3');
    EXPECT_EQ(gs1_compute_check_digit("41600033610"), '8');
    EXPECT_EQ(gs1_compute_check_digit("12345678901234567"), '5');
    EXPECT_EQ(gs1_compute_check_digit("0"), '0');
    EXPECT_EQ(gs1_compute_check_digit(""), std::nullopt);
    EXPECT_EQ(gs1_compute_check_digit("12A4"), std::nullopt);
}

// ---- element strings -----------------------------------------------------------

using Elements = std::vector<Gs1Element>;

struct ParseCase {
    const char* name;
    std::string data;
    Elements expected;
};

class Gs1Parse : public testing::TestWithParam<ParseCase> {};

TEST_P(Gs1Parse, SplitsElements) {
    auto parsed = parse_gs1(GetParam().data);
    ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
    EXPECT_EQ(*parsed, GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    ScannerData, Gs1Parse,
    testing::Values(
        ParseCase{"GtinOnly", "0109506000134352", {{"01", "09506000134352"}}},
        ParseCase{"GtinExpiryLotSerial",
                  "0109506000134352"
                  "17251231"
                  "10LOT-7" +
                      GS + "21SN0001",
                  {{"01", "09506000134352"}, {"17", "251231"}, {"10", "LOT-7"}, {"21", "SN0001"}}},
        ParseCase{"LeadingGsIsFnc1",
                  GS + "0109506000134352"
                       "21ABC",
                  {{"01", "09506000134352"}, {"21", "ABC"}}},
        ParseCase{"TrailingGsTolerated",
                  "0109506000134352"
                  "10ABC" +
                      GS,
                  {{"01", "09506000134352"}, {"10", "ABC"}}},
        ParseCase{"GsAfterFixedLengthTolerated",
                  "0109506000134352" + GS + "10ABC",
                  {{"01", "09506000134352"}, {"10", "ABC"}}},
        ParseCase{"SsccAndShipTo",
                  "00123456789012345675"
                  "4109501101020917"
                  "42012345" +
                      GS + "421276D-10115",
                  {{"00", "123456789012345675"},
                   {"410", "9501101020917"},
                   {"420", "12345"},
                   {"421", "276D-10115"}}},
        ParseCase{"ContentAndCount",
                  "0212345678901231"
                  "3712" +
                      GS + "400PO-2024/17",
                  {{"02", "12345678901231"}, {"37", "12"}, {"400", "PO-2024/17"}}},
        ParseCase{"AllDates",
                  "11240101"
                  "13240229"
                  "15251200"
                  "17991231",
                  {{"11", "240101"}, {"13", "240229"}, {"15", "251200"}, {"17", "991231"}}},
        ParseCase{"MaxLengthLot", "10ABCDEFGHIJKLMNOPQRST", {{"10", "ABCDEFGHIJKLMNOPQRST"}}},
        ParseCase{"Cset82Punctuation",
                  "21!\"%&'()*+,-./:;<=>" + GS + "10?_az09AZ",
                  {{"21", "!\"%&'()*+,-./:;<=>"}, {"10", "?_az09AZ"}}}),
    [](const testing::TestParamInfo<ParseCase>& test) { return std::string(test.param.name); });

struct ErrorCase {
    const char* name;
    std::string data;
    const char* code;
    const char* message_part;  // the message must say which AI and what was wrong
};

class Gs1ParseError : public testing::TestWithParam<ErrorCase> {};

TEST_P(Gs1ParseError, NamesTheProblem) {
    auto parsed = parse_gs1(GetParam().data);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().code, GetParam().code) << parsed.error().message;
    EXPECT_NE(parsed.error().message.find(GetParam().message_part), std::string::npos)
        << parsed.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    BadData, Gs1ParseError,
    testing::Values(
        ErrorCase{"Empty", "", "gs1.empty", "no element"},
        ErrorCase{"OnlySeparators", GS + GS, "gs1.empty", "no element"},
        ErrorCase{"UnknownAi", "99TESTING", "gs1.unknown_ai", "99TE"},
        // devices.md §2.3 example scan (after "]d2"): AI 99 (internal) is not supported.
        ErrorCase{"InternalAiNotSupported", "011231231231233310ABC123" + GS + "99TESTING",
                  "gs1.unknown_ai", "position 26"},
        ErrorCase{"UnknownAiAfterValidOne",
                  "0109506000134352"
                  "99X",
                  "gs1.unknown_ai", "position 17"},
        ErrorCase{"LettersWhereAiBelongs", "AB123", "gs1.unknown_ai", "AB12"},
        ErrorCase{"GtinTooShort", "01950600013435", "gs1.bad_length", "AI (01)"},
        ErrorCase{"GtinCutByGs", "019506000134" + GS + "10A", "gs1.bad_length", "got 10"},
        ErrorCase{"LotTooLong", "10ABCDEFGHIJKLMNOPQRSTU", "gs1.bad_length", "AI (10)"},
        ErrorCase{"MissingGsAfterSerial",
                  "21SERIAL0000000000001"
                  "10LOT",
                  "gs1.bad_length", "GS separator"},
        ErrorCase{"EmptySerial", "21" + GS + "10A", "gs1.bad_length", "AI (21)"},
        ErrorCase{"CountTooLong", "37123456789", "gs1.bad_length", "AI (37)"},
        ErrorCase{"CountryOnly421", "421276", "gs1.bad_length", "AI (421)"},
        ErrorCase{"GtinCheckDigit", "0109506000134353", "gs1.bad_check_digit", "expected 2"},
        ErrorCase{"SsccCheckDigit", "00123456789012345670", "gs1.bad_check_digit", "AI (00)"},
        ErrorCase{"GlnCheckDigit", "4109501101020918", "gs1.bad_check_digit", "AI (410)"},
        ErrorCase{"ContentGtinCheckDigit", "0212345678901232", "gs1.bad_check_digit", "AI (02)"},
        ErrorCase{"Month13", "17251301", "gs1.bad_date", "month 13"},
        ErrorCase{"Month00", "11250001", "gs1.bad_date", "month 00"},
        ErrorCase{"Day32", "15250132", "gs1.bad_date", "day 32"},
        ErrorCase{"February30", "13250230", "gs1.bad_date", "day 30"},
        ErrorCase{"February29NotLeap", "17250229", "gs1.bad_date", "AI (17)"},
        ErrorCase{"LetterInGtin", "010950600013435A", "gs1.bad_character", "AI (01)"},
        ErrorCase{"LetterInDate", "1725O231", "gs1.bad_character", "'O'"},
        ErrorCase{"SpaceInLot", "10AB C", "gs1.bad_character", "' ' at position 3"},
        ErrorCase{"HashInSerial", "21AB#1", "gs1.bad_character", "'#'"},
        ErrorCase{"ControlByteInLot", std::string("10AB\x01", 5), "gs1.bad_character", "0x01"},
        ErrorCase{"HighByteInLot", "10AB\xC3\xA9", "gs1.bad_character", "0xC3"},
        ErrorCase{"LetterInCountry421", "42127AD-10115", "gs1.bad_character", "AI (421)"}),
    [](const testing::TestParamInfo<ErrorCase>& test) { return std::string(test.param.name); });

TEST(Gs1Parse, HugeInputIsAnErrorNotACrash) {
    const std::string huge = "10" + std::string(100000, 'A');
    auto parsed = parse_gs1(huge);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().code, "gs1.bad_length");
}

// ---- bracketed (human-readable) form -------------------------------------------

TEST(Gs1Bracketed, ParsesHumanReadableText) {
    auto parsed = parse_gs1_bracketed("(01)09506000134352(21)ABC");
    ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
    EXPECT_EQ(*parsed, (Elements{{"01", "09506000134352"}, {"21", "ABC"}}));
}

TEST(Gs1Bracketed, EscapedParenthesisStaysInTheValue) {
    auto parsed = parse_gs1_bracketed(" (10)A\\(1)(17)251231 ");
    ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
    EXPECT_EQ(*parsed, (Elements{{"10", "A(1)"}, {"17", "251231"}}));
    EXPECT_EQ(to_bracketed(*parsed), "(10)A\\(1)(17)251231");
}

TEST(Gs1Bracketed, SameValidationAsScannerData) {
    struct Case {
        const char* text;
        const char* code;
    };
    for (const Case& c :
         {Case{"", "gs1.empty"}, Case{"   ", "gs1.empty"},
          Case{"01)09506000134352", "gs1.bad_syntax"}, Case{"(0109506000134352", "gs1.bad_syntax"},
          Case{"(99)ABC", "gs1.unknown_ai"}, Case{"(01)0950600013435", "gs1.bad_length"},
          Case{"(01)09506000134353", "gs1.bad_check_digit"}, Case{"(17)251301", "gs1.bad_date"},
          Case{"(21)A B", "gs1.bad_character"}}) {
        auto parsed = parse_gs1_bracketed(c.text);
        ASSERT_FALSE(parsed.ok()) << c.text;
        EXPECT_EQ(parsed.error().code, c.code) << c.text << ": " << parsed.error().message;
    }
}

TEST(Gs1Bracketed, RoundTripsThroughScannerForm) {
    const std::string scanned =
        "0109506000134352"
        "10LOT7" +
        GS + "21SN1";
    auto from_scan = parse_gs1(scanned);
    ASSERT_TRUE(from_scan.ok());
    auto from_text = parse_gs1_bracketed(to_bracketed(*from_scan));
    ASSERT_TRUE(from_text.ok());
    EXPECT_EQ(*from_text, *from_scan);
}

}  // namespace
}  // namespace packline::station
