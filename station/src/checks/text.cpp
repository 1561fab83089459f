#include "text.h"

#include <cmath>
#include <cstdio>

namespace packline::station::text {
namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

bool is_continuation(unsigned char byte, unsigned char low = 0x80, unsigned char high = 0xBF) {
    return byte >= low && byte <= high;
}

void append_utf8(std::string& out, char32_t cp) {
    auto byte = [&out](std::uint32_t value) { out.push_back(static_cast<char>(value)); };
    const auto value = static_cast<std::uint32_t>(cp);
    if (value < 0x80) {
        byte(value);
    } else if (value < 0x800) {
        byte(0xC0 | (value >> 6));
        byte(0x80 | (value & 0x3F));
    } else if (value < 0x10000) {
        byte(0xE0 | (value >> 12));
        byte(0x80 | ((value >> 6) & 0x3F));
        byte(0x80 | (value & 0x3F));
    } else {
        byte(0xF0 | (value >> 18));
        byte(0x80 | ((value >> 12) & 0x3F));
        byte(0x80 | ((value >> 6) & 0x3F));
        byte(0x80 | (value & 0x3F));
    }
}

bool is_control(char32_t cp) {
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029;
}

}  // namespace

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

std::string upper_ascii(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return out;
}

std::optional<char32_t> decode_utf8(std::string_view text, std::size_t offset,
                                    std::size_t& length) {
    length = 1;
    if (offset >= text.size()) return std::nullopt;
    const auto at = [&text, offset](std::size_t i) {
        return offset + i < text.size() ? static_cast<unsigned char>(text[offset + i])
                                        : static_cast<unsigned char>(0);
    };
    const unsigned char lead = at(0);
    if (lead < 0x80) return static_cast<char32_t>(lead);
    std::size_t count = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    char32_t cp = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        count = 2;
        cp = lead & 0x1Fu;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        count = 3;
        cp = lead & 0x0Fu;
        if (lead == 0xE0) low = 0xA0;   // overlong
        if (lead == 0xED) high = 0x9F;  // UTF-16 surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        count = 4;
        cp = lead & 0x07u;
        if (lead == 0xF0) low = 0x90;   // overlong
        if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
    } else {
        return std::nullopt;
    }
    for (std::size_t i = 1; i < count; ++i) {
        const unsigned char byte = at(i);
        if (i == 1 ? !is_continuation(byte, low, high) : !is_continuation(byte)) return std::nullopt;
        cp = (cp << 6) | (byte & 0x3Fu);
    }
    length = count;
    return cp;
}

bool is_letter_like(char32_t cp) {
    if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
    if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7) return false;  // Latin-1 punctuation, × ÷
    struct Range {
        char32_t first;
        char32_t last;
    };
    static constexpr Range kNotLetters[] = {
        {0x0300, 0x036F},    // combining diacritical marks (not a letter on their own)
        {0x2000, 0x2BFF},    // punctuation, super/subscripts, currency, arrows, maths, shapes
        {0x3000, 0x3004},    // CJK symbols and punctuation (U+3005 々 is part of names)
        {0x3008, 0x3020},
        {0xD800, 0xF8FF},    // surrogates, private use
        {0xFE00, 0xFE0F},    // variation selectors
        {0xFE30, 0xFE4F},    // CJK compatibility forms
        {0xFF00, 0xFF20},    // full-width punctuation and digits
        {0xFF3B, 0xFF40},
        {0xFF5B, 0xFF65},
        {0xFFF0, 0xFFFF},    // specials
        {0x1F000, 0x1FAFF},  // emoji, playing cards, pictographs
        {0xE0000, 0x10FFFF}, // tags, private use planes
    };
    for (const Range& range : kNotLetters)
        if (cp >= range.first && cp <= range.last) return false;
    return true;
}

Utf8Scan scan_utf8(std::string_view text) {
    Utf8Scan scan;
    std::size_t offset = 0;
    while (offset < text.size()) {
        std::size_t length = 1;
        const auto cp = decode_utf8(text, offset, length);
        if (!cp) {
            scan.valid = false;
            ++offset;
            continue;
        }
        offset += length;
        ++scan.code_points;
        if (is_control(*cp)) scan.has_control = true;
        if (is_letter_like(*cp)) scan.has_letter = true;
    }
    return scan;
}

std::string fold_to_ascii(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t offset = 0;
    while (offset < text.size()) {
        std::size_t length = 1;
        const auto cp = decode_utf8(text, offset, length);
        if (!cp) {
            out.push_back(text[offset]);
            ++offset;
            continue;
        }
        const char32_t c = *cp;
        if (c >= 0xFF01 && c <= 0xFF5E) {
            out.push_back(static_cast<char>(c - 0xFEE0));
        } else if (c == 0x3000) {
            out.push_back(' ');
        } else if ((c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0x30FC || c == 0xFF70 ||
                   c == 0xFE63) {
            out.push_back('-');
        } else {
            out.append(text.substr(offset, length));
        }
        offset += length;
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
        std::size_t length = 1;
        const auto cp = decode_utf8(text, offset, length);
        if (!cp || is_control(*cp)) {
            out += "\uFFFD";
        } else {
            append_utf8(out, *cp);
        }
        offset += cp ? length : 1;
        ++count;
    }
    return out;
}

}  // namespace packline::station::text
