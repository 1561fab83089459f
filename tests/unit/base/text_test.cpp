#include "packline/text.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <iterator>
#include <string>
#include <string_view>

namespace packline::text {
namespace {

using namespace std::string_view_literals;

struct TrimCase {
    std::string_view input;
    std::string_view expected;
};

TEST(Text, TrimRemovesAsciiWhiteSpaceAtBothEnds) {
    const TrimCase cases[] = {
        {"", ""},
        {"   ", ""},
        {"ORD-1001", "ORD-1001"},
        {"  ORD-1001  ", "ORD-1001"},
        {"\t\r\n ORD 1001 \n\r\t", "ORD 1001"},  // inner space stays
        {"\v\fGB\f\v", "GB"},
        {"\r\n", ""},
        // Not ASCII white space: kept, so trimming never cuts into UTF-8.
        {"\xC2\xA0"
         "DE\xC2\xA0",
         "\xC2\xA0"
         "DE\xC2\xA0"},  // no-break space
        {"\xE3\x80\x80"
         "東京",
         "\xE3\x80\x80"
         "東京"},                  // ideographic space
        {"\x00 x"sv, "\x00 x"sv},  // NUL is not space
        {"a\x85", "a\x85"},        // NEL byte alone
    };
    for (const TrimCase& c : cases) {
        EXPECT_EQ(trim(c.input), c.expected) << "input: \"" << c.input << '"';
    }
}

TEST(Text, TrimReturnsAViewIntoTheInput) {
    const std::string_view input = "  abc ";
    const std::string_view trimmed = trim(input);
    EXPECT_EQ(trimmed.data(), input.data() + 2);
    EXPECT_EQ(trimmed.size(), 3u);
}

TEST(Text, CaseChangesOnlyAsciiLetters) {
    EXPECT_EQ(to_upper_ascii(""), "");
    EXPECT_EQ(to_upper_ascii("gb"), "GB");
    EXPECT_EQ(to_upper_ascii("dhl-Express 12@[`{"), "DHL-EXPRESS 12@[`{");
    EXPECT_EQ(to_lower_ascii("DHL-Express 12@[`{"), "dhl-express 12@[`{");
    // "ß" and "É" are UTF-8 bytes, not ASCII letters: unchanged byte for byte.
    EXPECT_EQ(to_upper_ascii("straße é"), "STRAßE é");
    EXPECT_EQ(to_lower_ascii("ÉCOLE"), "École");
    EXPECT_EQ(to_upper_ascii("a\xFF"
                             "b"),
              "A\xFF"
              "B");
}

struct DecodeCase {
    const char* what;
    std::string_view bytes;
    char32_t code_point;
    std::size_t length;
};

TEST(Text, NextCodePointDecodesEveryLengthAndItsBoundaries) {
    const DecodeCase cases[] = {
        {"NUL", "\x00"sv, 0x00, 1},
        {"ASCII letter", "A", U'A', 1},
        {"last one-byte", "\x7F", 0x7F, 1},
        {"first two-byte", "\xC2\x80", 0x80, 2},
        {"e acute", "\xC3\xA9", 0xE9, 2},
        {"last two-byte", "\xDF\xBF", 0x7FF, 2},
        {"first three-byte", "\xE0\xA0\x80", 0x800, 3},
        {"last before surrogates", "\xED\x9F\xBF", 0xD7FF, 3},
        {"first after surrogates", "\xEE\x80\x80", 0xE000, 3},
        {"CJK", "王", 0x738B, 3},
        {"replacement character", "\xEF\xBF\xBD", 0xFFFD, 3},
        {"last three-byte", "\xEF\xBF\xBF", 0xFFFF, 3},
        {"first four-byte", "\xF0\x90\x80\x80", 0x10000, 4},
        {"emoji", "\xF0\x9F\x93\xA6", 0x1F4E6, 4},
        {"last code point", "\xF4\x8F\xBF\xBF", 0x10FFFF, 4},
    };
    for (const DecodeCase& c : cases) {
        const std::string text = "x" + std::string(c.bytes) + "y";
        std::size_t pos = 1;
        char32_t code_point = 0xABCD;
        EXPECT_TRUE(next_code_point(text, pos, code_point)) << c.what;
        EXPECT_EQ(code_point, c.code_point) << c.what;
        EXPECT_EQ(pos, 1 + c.length) << c.what;
        EXPECT_TRUE(is_valid_utf8(c.bytes)) << c.what;
    }
}

struct InvalidCase {
    const char* what;
    std::string_view bytes;
};

// One entry per class of malformed input in RFC 3629, section 4.
constexpr InvalidCase kInvalid[] = {
    // Continuation bytes without a lead.
    {"lone continuation 0x80", "\x80"},
    {"lone continuation 0xBF", "\xBF"},
    // Lead bytes that can never start a sequence.
    {"lead 0xC0 (overlong)", "\xC0\x80"},
    {"lead 0xC1 (overlong)", "\xC1\xBF"},
    {"lead 0xF5 (above U+10FFFF)", "\xF5\x80\x80\x80"},
    {"lead 0xF8 (five-byte form)", "\xF8\x88\x80\x80\x80"},
    {"lead 0xFC (six-byte form)", "\xFC\x84\x80\x80\x80\x80"},
    {"byte 0xFE", "\xFE"},
    {"byte 0xFF", "\xFF"},
    // Overlong forms.
    {"overlong '/' in two bytes", "\xC0\xAF"},
    {"overlong NUL in two bytes", "\xC0\x80"},
    {"overlong '/' in three bytes", "\xE0\x80\xAF"},
    {"overlong U+07FF in three bytes", "\xE0\x9F\xBF"},
    {"overlong '/' in four bytes", "\xF0\x80\x80\xAF"},
    {"overlong U+FFFF in four bytes", "\xF0\x8F\xBF\xBF"},
    // UTF-16 surrogates.
    {"first high surrogate U+D800", "\xED\xA0\x80"},
    {"last low surrogate U+DFFF", "\xED\xBF\xBF"},
    {"surrogate pair as CESU-8", "\xED\xA0\xBD\xED\xB2\xA9"},
    // Beyond Unicode.
    {"U+110000", "\xF4\x90\x80\x80"},
    {"U+13FFFF", "\xF4\xBF\xBF\xBF"},
    // Truncated sequences (at the end of the text).
    {"two-byte without its continuation", "\xC3"},
    {"three-byte cut after two", "\xE2\x82"},
    {"three-byte cut after one", "\xE2"},
    {"four-byte cut after three", "\xF0\x9F\x93"},
    {"four-byte cut after one", "\xF0"},
    // Sequences cut short by a byte that is not a continuation.
    {"two-byte followed by ASCII",
     "\xC3"
     "A"},
    {"three-byte with ASCII inside",
     "\xE2\x82"
     "A"},
    {"four-byte with a new lead inside", "\xF0\x9F\xC3\xA9"},
    {"continuation replaced by lead", "\xE2\xE2\x82\xAC"},
};

TEST(Text, NextCodePointRefusesEveryMalformedClassAndLeavesPosition) {
    for (const InvalidCase& c : kInvalid) {
        const std::string text = "ok" + std::string(c.bytes);
        std::size_t pos = 2;
        char32_t code_point = U'z';
        EXPECT_FALSE(next_code_point(text, pos, code_point)) << c.what;
        EXPECT_EQ(pos, 2u) << c.what;
        EXPECT_EQ(code_point, U'z') << c.what;
    }
}

TEST(Text, IsValidUtf8RefusesEveryMalformedClassAnywhereInTheText) {
    for (const InvalidCase& c : kInvalid) {
        const std::string bytes(c.bytes);
        EXPECT_FALSE(is_valid_utf8(bytes)) << c.what;
        EXPECT_FALSE(is_valid_utf8("Müller " + bytes)) << c.what << " (at the end)";
        EXPECT_FALSE(is_valid_utf8(bytes + " 王小明")) << c.what << " (at the start)";
    }
}

// A view cut in the middle of a sequence: the bytes after its end are valid
// continuations in memory, and must not be read.
TEST(Text, TruncationIsJudgedByTheViewNotTheBuffer) {
    const std::string buffer = "\xE2\x82\xAC \xF0\x9F\x93\xA6";  // "€ 📦"
    const std::string_view cut_euro = std::string_view(buffer).substr(0, 2);
    const std::string_view cut_parcel = std::string_view(buffer).substr(4, 3);
    for (const std::string_view cut : {cut_euro, cut_parcel}) {
        std::size_t pos = 0;
        char32_t code_point = U'z';
        EXPECT_FALSE(next_code_point(cut, pos, code_point));
        EXPECT_EQ(pos, 0u);
        EXPECT_FALSE(is_valid_utf8(cut));
    }
    EXPECT_TRUE(is_valid_utf8(buffer));
}

TEST(Text, NextCodePointAtOrPastTheEndIsFalse) {
    char32_t code_point = U'z';
    std::size_t pos = 0;
    EXPECT_FALSE(next_code_point("", pos, code_point));
    EXPECT_EQ(pos, 0u);
    pos = 3;
    EXPECT_FALSE(next_code_point("abc", pos, code_point));
    EXPECT_EQ(pos, 3u);
    pos = 10;
    EXPECT_FALSE(next_code_point("abc", pos, code_point));
    EXPECT_EQ(pos, 10u);
    EXPECT_EQ(code_point, U'z');
}

TEST(Text, WalkingATextVisitsEachCodePointOnce) {
    const std::string_view text = "Ó王📦a";
    const char32_t expected[] = {0xD3, 0x738B, 0x1F4E6, U'a'};
    std::size_t pos = 0;
    std::size_t count = 0;
    char32_t code_point = 0;
    while (next_code_point(text, pos, code_point)) {
        ASSERT_LT(count, std::size(expected));
        EXPECT_EQ(code_point, expected[count]);
        ++count;
    }
    EXPECT_EQ(count, std::size(expected));
    EXPECT_EQ(pos, text.size());
}

TEST(Text, IsValidUtf8AcceptsRealWorldText) {
    EXPECT_TRUE(is_valid_utf8(""));
    EXPECT_TRUE(is_valid_utf8("Packstation 123, 10115 Berlin"));
    EXPECT_TRUE(is_valid_utf8("Ólafur Ragnar Grímsson, Reykjavík"));
    EXPECT_TRUE(is_valid_utf8("〒100-0001 東京都千代田区千代田１−１"));
    EXPECT_TRUE(
        is_valid_utf8("\xEF\xBB\xBF"
                      "order_id,sku"));  // a BOM is a valid code point
    EXPECT_TRUE(is_valid_utf8("\x00\x7F"sv));
}

TEST(Text, IsValidUtf8OnHugeInput) {
    std::string text;
    for (int i = 0; i < 100000; ++i)
        text += "Grüße 王 📦 ";
    EXPECT_TRUE(is_valid_utf8(text));
    text.back() = '\xF0';  // truncated at the very end
    EXPECT_FALSE(is_valid_utf8(text));
}

}  // namespace
}  // namespace packline::text
