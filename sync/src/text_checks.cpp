#include "packline/sync/text_checks.h"

#include <cstdint>

namespace packline::sync::text {
namespace {

// Length of the UTF-8 sequence starting at `index` and its code point, or 0
// when the bytes there are not a well-formed sequence (RFC 3629, section 4).
std::size_t sequence_at(std::string_view text, std::size_t index, std::uint32_t& code_point) {
    const auto byte = [&](std::size_t at) { return static_cast<unsigned char>(text[at]); };
    const unsigned char lead = byte(index);
    if (lead < 0x80) {
        code_point = lead;
        return 1;
    }
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        code_point = lead & 0x1Fu;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        code_point = lead & 0x0Fu;
        if (lead == 0xE0) low = 0xA0;   // overlong
        if (lead == 0xED) high = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        code_point = lead & 0x07u;
        if (lead == 0xF0) low = 0x90;   // overlong
        if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
    } else {
        return 0;
    }
    if (index + length > text.size()) return 0;
    for (std::size_t offset = 1; offset < length; ++offset) {
        const unsigned char next = byte(index + offset);
        const unsigned char min = offset == 1 ? low : 0x80;
        const unsigned char max = offset == 1 ? high : 0xBF;
        if (next < min || next > max) return 0;
        code_point = (code_point << 6) | (next & 0x3Fu);
    }
    return length;
}

}  // namespace

bool valid_utf8(std::string_view text, std::size_t* bad_offset) {
    std::size_t index = 0;
    while (index < text.size()) {
        std::uint32_t code_point = 0;
        const std::size_t length = sequence_at(text, index, code_point);
        if (length == 0) {
            if (bad_offset) *bad_offset = index;
            return false;
        }
        index += length;
    }
    return true;
}

std::size_t code_points(std::string_view utf8) {
    std::size_t count = 0;
    for (const char c : utf8)
        if ((static_cast<unsigned char>(c) & 0xC0u) != 0x80u) ++count;
    return count;
}

bool has_control_character(std::string_view utf8) {
    std::size_t index = 0;
    while (index < utf8.size()) {
        std::uint32_t code_point = 0;
        std::size_t length = sequence_at(utf8, index, code_point);
        if (length == 0) {
            code_point = static_cast<unsigned char>(utf8[index]);
            length = 1;
        }
        if (code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F)) return true;
        index += length;
    }
    return false;
}

bool nests_deeper_than(std::string_view json, int limit) {
    int depth = 0;
    bool in_string = false;
    bool escaped = false;
    for (const char c : json) {
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > limit) return true;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return false;
}

std::string printable(std::string_view text, std::size_t limit) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    std::size_t index = 0;
    while (index < text.size() && out.size() < limit) {
        std::uint32_t code_point = 0;
        const std::size_t length = sequence_at(text, index, code_point);
        if (length == 0 || code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F)) {
            const auto byte = static_cast<unsigned char>(text[index]);
            out += "\\x";
            out += kHex[byte >> 4];
            out += kHex[byte & 0x0F];
            ++index;
            continue;
        }
        out.append(text.substr(index, length));
        index += length;
    }
    if (index < text.size()) out += "...";
    return out;
}

std::string sanitized(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t index = 0;
    while (index < text.size()) {
        std::uint32_t code_point = 0;
        const std::size_t length = sequence_at(text, index, code_point);
        if (length == 0 || code_point == 0) {
            out += "\xEF\xBF\xBD";
            ++index;
            continue;
        }
        out.append(text.substr(index, length));
        index += length;
    }
    return out;
}

std::string_view cut_utf8(std::string_view text, std::size_t limit) {
    if (text.size() <= limit) return text;
    // A character has at most three continuation bytes; a longer run is not
    // UTF-8 anyway, and cutting inside it loses nothing.
    std::size_t end = limit;
    while (end > 0 && limit - end < 3 && (static_cast<unsigned char>(text[end]) & 0xC0u) == 0x80u)
        --end;
    return text.substr(0, end);
}

}  // namespace packline::sync::text
