#include "text.h"

#include <cmath>
#include <cstdio>

namespace packline::station::text {
namespace {

bool is_control(char32_t cp) {
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029;
}

}  // namespace

bool is_letter_like(char32_t cp) {
    if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
    if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7) return false;  // Latin-1 punctuation, × ÷
    struct Range {
        char32_t first;
        char32_t last;
    };
    static constexpr Range kNotLetters[] = {
        {0x0300, 0x036F},  // combining diacritical marks (not a letter on their own)
        {0x2000, 0x2BFF},  // punctuation, super/subscripts, currency, arrows, maths, shapes
        {0x3000, 0x3004},  // CJK symbols and punctuation (U+3005 々 is part of names)
        {0x3008, 0x3020},    {0xD800, 0xF8FF},  // surrogates, private use
        {0xFE00, 0xFE0F},                       // variation selectors
        {0xFE30, 0xFE4F},                       // CJK compatibility forms
        {0xFF00, 0xFF20},                       // full-width punctuation and digits
        {0xFF3B, 0xFF40},    {0xFF5B, 0xFF65}, {0xFFF0, 0xFFFF},  // specials
        {0x1F000, 0x1FAFF},   // emoji, playing cards, pictographs
        {0xE0000, 0x10FFFF},  // tags, private use planes
    };
    for (const Range& range : kNotLetters)
        if (cp >= range.first && cp <= range.last) return false;
    return true;
}

Utf8Scan scan_utf8(std::string_view text) {
    Utf8Scan scan;
    std::size_t offset = 0;
    while (offset < text.size()) {
        char32_t cp = 0;
        if (!packline::text::next_code_point(text, offset, cp)) {
            scan.valid = false;
            ++offset;
            continue;
        }
        ++scan.code_points;
        if (is_control(cp)) scan.has_control = true;
        if (is_letter_like(cp)) scan.has_letter = true;
    }
    return scan;
}

std::string fold_to_ascii(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t offset = 0;
    while (offset < text.size()) {
        const std::size_t start = offset;
        char32_t c = 0;
        if (!packline::text::next_code_point(text, offset, c)) {
            out.push_back(text[offset]);
            ++offset;
            continue;
        }
        if (c >= 0xFF01 && c <= 0xFF5E) {
            out.push_back(static_cast<char>(c - 0xFEE0));
        } else if (c == 0x3000) {
            out.push_back(' ');
        } else if ((c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0x30FC || c == 0xFF70 ||
                   c == 0xFE63) {
            out.push_back('-');
        } else {
            out.append(text.substr(start, offset - start));
        }
    }
    return out;
}

std::string format_grams(double grams) {
    if (!std::isfinite(grams) || std::fabs(grams) > 1e12) return "? g";
    const long long whole = std::llround(grams);
    const bool negative = whole < 0;
    std::string digits = std::to_string(negative ? -whole : whole);
    std::string grouped;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i != 0 && (digits.size() - i) % 3 == 0) grouped.push_back(' ');
        grouped.push_back(digits[i]);
    }
    return (negative ? "-" : "") + grouped + " g";
}

std::string format_number(double value) {
    if (!std::isfinite(value)) return std::isnan(value) ? "nan" : (value < 0 ? "-inf" : "inf");
    if (std::fabs(value) > 1e12) return value < 0 ? "-1e12+" : "1e12+";
    double rounded = std::round(value * 10.0) / 10.0;
    if (rounded == 0.0) rounded = 0.0;  // no "-0"
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.1f", rounded);
    std::string out(buffer);
    if (out.size() > 2 && out.compare(out.size() - 2, 2, ".0") == 0) out.resize(out.size() - 2);
    return out;
}

std::string printable(std::string_view text, std::size_t max_code_points) {
    std::string out;
    std::size_t offset = 0;
    std::size_t count = 0;
    while (offset < text.size()) {
        if (count == max_code_points) {
            out += "\u2026";
            break;
        }
        const std::size_t start = offset;
        char32_t cp = 0;
        if (!packline::text::next_code_point(text, offset, cp)) {
            out += "\uFFFD";
            ++offset;
        } else if (is_control(cp)) {
            out += "\uFFFD";
        } else {
            // Well-formed UTF-8 has one spelling per code point: the bytes are it.
            out.append(text.substr(start, offset - start));
        }
        ++count;
    }
    return out;
}

}  // namespace packline::station::text
