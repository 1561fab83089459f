// GS1 element strings. The AI table and the character sets follow the GS1
// Syntax Dictionary (gs1/gs1-syntax-engine: src/c-lib/gs1-syntax-dictionary.txt),
// summarised in ../shared/reference/devices.md "GS1".
#include "packline/station/gs1.h"

#include <array>
#include <cstddef>
#include <string>

#include "packline/station/code_errors.h"

namespace packline::station {
namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool all_digits(std::string_view text) {
    for (char c : text)
        if (!is_digit(c)) return false;
    return true;
}

// GS1 AI encodable character set 82 (GS1 General Specifications, figure 7.11-1):
// ! " % & ' ( ) * + , - . / 0-9 : ; < = > ? A-Z _ a-z. Space, # $ @ [ \ ] ^ `
// { | } ~ and all control characters are outside it.
bool is_cset82(char c) {
    if (c >= 'A' && c <= 'Z') return true;
    if (c >= 'a' && c <= 'z') return true;
    if (c >= '%' && c <= '?') return true;  // % & ' ( ) * + , - . / 0-9 : ; < = > ?
    return c == '!' || c == '"' || c == '_';
}

enum class Content {
    Numeric,           // N
    Alphanumeric,      // X, character set 82
    CountryThenAlnum,  // N3 ISO 3166 numeric country code, then X
};

struct AiSpec {
    std::string_view ai;
    std::string_view meaning;
    std::size_t min_length;
    std::size_t max_length;
    Content content;
    bool check_digit;  // GS1 mod-10 over the whole value
    bool date;         // YYMMDD
    bool predefined;   // fixed length: no GS needed after it
};

// Only the AIs a packing bench meets; anything else is gs1.unknown_ai rather
// than a guess at its length, because a wrong length shifts every later AI.
constexpr std::array<AiSpec, 14> kAis{{
    {"00", "SSCC", 18, 18, Content::Numeric, true, false, true},
    {"01", "GTIN", 14, 14, Content::Numeric, true, false, true},
    {"02", "content GTIN", 14, 14, Content::Numeric, true, false, true},
    {"10", "batch/lot", 1, 20, Content::Alphanumeric, false, false, false},
    {"11", "production date", 6, 6, Content::Numeric, false, true, true},
    {"13", "packaging date", 6, 6, Content::Numeric, false, true, true},
    {"15", "best before date", 6, 6, Content::Numeric, false, true, true},
    {"17", "expiry date", 6, 6, Content::Numeric, false, true, true},
    {"21", "serial number", 1, 20, Content::Alphanumeric, false, false, false},
    {"37", "count", 1, 8, Content::Numeric, false, false, false},
    {"400", "order number", 1, 30, Content::Alphanumeric, false, false, false},
    {"410", "ship-to GLN", 13, 13, Content::Numeric, true, false, true},
    {"420", "ship-to postal code", 1, 20, Content::Alphanumeric, false, false, false},
    {"421", "ship-to postal code with country", 4, 12, Content::CountryThenAlnum, false, false,
     false},
}};

const AiSpec* find_ai(std::string_view ai) {
    for (const AiSpec& spec : kAis)
        if (spec.ai == ai) return &spec;
    return nullptr;
}

// AIs are prefix-free: no 2-digit AI in the table starts a 3-digit one.
const AiSpec* match_ai_at(std::string_view text) {
    for (std::size_t length = 2; length <= 3 && length <= text.size(); ++length)
        if (const AiSpec* spec = find_ai(text.substr(0, length))) return spec;
    return nullptr;
}

std::string describe_ai(const AiSpec& spec) {
    return "AI (" + std::string(spec.ai) + ") " + std::string(spec.meaning);
}

std::string printable(char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f) return std::string("'") + c + "'";
    static constexpr char kHex[] = "0123456789ABCDEF";
    return std::string("byte 0x") + kHex[byte >> 4] + kHex[byte & 0x0f];
}

int two_digits(std::string_view text) {
    return (text[0] - '0') * 10 + (text[1] - '0');
}

// YYMMDD. Day 00 means "end of month" (GS1 General Specifications 3.4.2), so it is
// valid for every month. The GS1 year window (current year -49..+50) contains no
// century year except 2000, so "YY divisible by 4" is the leap-year rule.
std::optional<std::string> date_problem(std::string_view value) {
    const int year = two_digits(value.substr(0, 2));
    const int month = two_digits(value.substr(2, 2));
    const int day = two_digits(value.substr(4, 2));
    if (month < 1 || month > 12)
        return "month " + std::string(value.substr(2, 2)) + " is not 01-12";
    static constexpr std::array<int, 12> kDays{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int last_day = kDays[static_cast<std::size_t>(month - 1)];
    if (month == 2 && year % 4 != 0) last_day = 28;
    if (day > last_day)
        return "day " + std::string(value.substr(4, 2)) + " does not exist in month " +
               std::string(value.substr(2, 2));
    return std::nullopt;
}

// Checks one value against its AI's rules; the order of the checks decides
// which error a packer sees first (length, then characters, then meaning).
std::optional<Error> validate_value(const AiSpec& spec, std::string_view value) {
    if (value.size() < spec.min_length || value.size() > spec.max_length) {
        std::string expected;
        if (spec.min_length == spec.max_length)
            expected = "exactly " + std::to_string(spec.max_length);
        else if (spec.min_length <= 1)
            expected = "1 to " + std::to_string(spec.max_length);
        else
            expected = std::to_string(spec.min_length) + " to " + std::to_string(spec.max_length);
        std::string message = describe_ai(spec) + ": expected " + expected + " characters, got " +
                              std::to_string(value.size());
        if (value.size() > spec.max_length && !spec.predefined)
            message += " (is a GS separator missing after it?)";
        return Error(errors::kGs1BadLength, message);
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
        const bool numeric = spec.content == Content::Numeric ||
                             (spec.content == Content::CountryThenAlnum && i < 3);
        const char c = value[i];
        if (numeric ? !is_digit(c) : !is_cset82(c)) {
            return Error(errors::kGs1BadCharacter,
                         describe_ai(spec) + ": " + printable(c) + " at position " +
                             std::to_string(i + 1) + " is not allowed (" +
                             (numeric ? "digits only" : "GS1 character set 82") + ")");
        }
    }
    if (spec.check_digit && !gs1_check_digit_valid(value)) {
        const auto expected = gs1_compute_check_digit(value.substr(0, value.size() - 1));
        return Error(errors::kGs1BadCheckDigit, describe_ai(spec) + " " + std::string(value) +
                                                    ": wrong check digit (expected " +
                                                    std::string(1, expected.value_or('?')) + ")");
    }
    if (spec.date) {
        if (auto problem = date_problem(value))
            return Error(errors::kGs1BadDate, describe_ai(spec) + " " + std::string(value) +
                                                  ": not a YYMMDD date, " + *problem);
    }
    return std::nullopt;
}

Error unknown_ai_at(std::string_view rest, std::size_t position) {
    std::string shown;
    for (std::size_t i = 0; i < rest.size() && i < 4; ++i) {
        if (rest[i] == kGroupSeparator) break;
        const auto byte = static_cast<unsigned char>(rest[i]);
        shown += (byte >= 0x20 && byte < 0x7f) ? rest[i] : '?';
    }
    return Error(errors::kGs1UnknownAi, "unknown or unsupported AI at position " +
                                            std::to_string(position + 1) + " (data starts \"" +
                                            shown + "\")");
}

}  // namespace

bool gs1_check_digit_valid(std::string_view digits) {
    if (digits.size() < 2 || !all_digits(digits)) return false;
    const auto expected = gs1_compute_check_digit(digits.substr(0, digits.size() - 1));
    return expected.has_value() && *expected == digits.back();
}

std::optional<char> gs1_compute_check_digit(std::string_view digits_without_check) {
    if (digits_without_check.empty() || !all_digits(digits_without_check)) return std::nullopt;
    // Weights 3,1,3,... starting at the digit nearest the check digit.
    int sum = 0;
    int weight = 3;
    for (auto it = digits_without_check.rbegin(); it != digits_without_check.rend(); ++it) {
        sum += (*it - '0') * weight;
        weight = weight == 3 ? 1 : 3;
    }
    return static_cast<char>('0' + (10 - sum % 10) % 10);
}

Result<std::vector<Gs1Element>> parse_gs1(std::string_view element_string) {
    std::vector<Gs1Element> elements;
    std::size_t position = 0;
    const auto skip_separators = [&] {
        while (position < element_string.size() && element_string[position] == kGroupSeparator)
            ++position;
    };
    skip_separators();
    if (position == element_string.size())
        return Error(errors::kGs1Empty, "the GS1 data holds no element");

    while (position < element_string.size()) {
        const std::string_view rest = element_string.substr(position);
        const AiSpec* spec = match_ai_at(rest);
        if (spec == nullptr) return unknown_ai_at(rest, position);
        position += spec->ai.size();

        // The value runs to the next GS (or the end); a predefined-length AI
        // also ends after its fixed length without one.
        std::size_t end = element_string.find(kGroupSeparator, position);
        if (end == std::string_view::npos) end = element_string.size();
        if (spec->predefined && end - position > spec->max_length)
            end = position + spec->max_length;
        const std::string_view value = element_string.substr(position, end - position);
        if (auto problem = validate_value(*spec, value)) return *problem;
        elements.push_back({std::string(spec->ai), std::string(value)});
        position = end;
        // Extra or trailing separators are harmless; some scanners also send
        // one after fixed-length AIs.
        skip_separators();
    }
    return elements;
}

Result<std::vector<Gs1Element>> parse_gs1_bracketed(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' ||
                             text.back() == '\n'))
        text.remove_suffix(1);
    if (text.empty()) return Error(errors::kGs1Empty, "the GS1 text holds no element");

    std::vector<Gs1Element> elements;
    std::size_t position = 0;
    while (position < text.size()) {
        if (text[position] != '(')
            return Error(errors::kGs1BadSyntax, "expected '(' at position " +
                                                    std::to_string(position + 1) + " of \"" +
                                                    std::string(text) + "\"");
        const std::size_t close = text.find(')', position + 1);
        if (close == std::string_view::npos)
            return Error(errors::kGs1BadSyntax,
                         "unclosed '(' at position " + std::to_string(position + 1));
        const std::string_view ai = text.substr(position + 1, close - position - 1);
        const AiSpec* spec = find_ai(ai);
        if (spec == nullptr)
            return Error(errors::kGs1UnknownAi,
                         "unknown or unsupported AI (" + std::string(ai.substr(0, 8)) + ")");
        std::string value;
        position = close + 1;
        while (position < text.size() && text[position] != '(') {
            if (text[position] == '\\' && position + 1 < text.size() && text[position + 1] == '(')
                ++position;
            value += text[position];
            ++position;
        }
        if (auto problem = validate_value(*spec, value)) return *problem;
        elements.push_back({std::string(spec->ai), std::move(value)});
    }
    return elements;
}

std::string to_bracketed(const std::vector<Gs1Element>& elements) {
    std::string text;
    for (const Gs1Element& element : elements) {
        text += "(" + element.ai + ")";
        for (char c : element.value) {
            if (c == '(') text += '\\';
            text += c;
        }
    }
    return text;
}

}  // namespace packline::station
