#include "packline/text.h"

namespace packline::text {
namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

}  // namespace

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && is_space(text.back()))
        text.remove_suffix(1);
    return text;
}

std::string to_upper_ascii(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return out;
}

std::string to_lower_ascii(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool next_code_point(std::string_view text, std::size_t& pos, char32_t& code_point) {
    if (pos >= text.size()) return false;
    const auto lead = static_cast<unsigned char>(text[pos]);
    if (lead < 0x80) {
        code_point = lead;
        ++pos;
        return true;
    }
    // The allowed range of the second byte rules out overlong forms,
    // surrogates and values above U+10FFFF before anything is decoded
    // (RFC 3629, section 4, "UTF8-2" .. "UTF8-4").
    std::size_t length = 0;
    unsigned char second_low = 0x80;
    unsigned char second_high = 0xBF;
    char32_t value = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        value = lead & 0x1Fu;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        value = lead & 0x0Fu;
        if (lead == 0xE0) second_low = 0xA0;   // below U+0800: overlong
        if (lead == 0xED) second_high = 0x9F;  // U+D800..U+DFFF: surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        value = lead & 0x07u;
        if (lead == 0xF0) second_low = 0x90;   // below U+10000: overlong
        if (lead == 0xF4) second_high = 0x8F;  // above U+10FFFF
    } else {
        return false;  // continuation byte, 0xC0/0xC1 (always overlong) or 0xF5..0xFF
    }
    if (text.size() - pos < length) return false;
    for (std::size_t i = 1; i < length; ++i) {
        const auto byte = static_cast<unsigned char>(text[pos + i]);
        const unsigned char low = i == 1 ? second_low : static_cast<unsigned char>(0x80);
        const unsigned char high = i == 1 ? second_high : static_cast<unsigned char>(0xBF);
        if (byte < low || byte > high) return false;
        value = (value << 6) | (byte & 0x3Fu);
    }
    code_point = value;
    pos += length;
    return true;
}

bool is_valid_utf8(std::string_view text) {
    std::size_t pos = 0;
    char32_t code_point = 0;
    while (pos < text.size())
        if (!next_code_point(text, pos, code_point)) return false;
    return true;
}

}  // namespace packline::text
