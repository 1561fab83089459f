#include "utf8.h"

namespace packline::labels::utf8 {

bool next(std::string_view text, std::size_t& pos, char32_t& code_point) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(pos);
    std::size_t length = 0;
    char32_t value = 0;
    char32_t minimum = 0;
    if (lead < 0x80) {
        code_point = lead;
        ++pos;
        return true;
    } else if ((lead & 0xE0) == 0xC0) {
        length = 2;
        value = lead & 0x1Fu;
        minimum = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3;
        value = lead & 0x0Fu;
        minimum = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4;
        value = lead & 0x07u;
        minimum = 0x10000;
    } else {
        ++pos;
        return false;
    }
    if (text.size() - pos < length) {
        ++pos;
        return false;
    }
    for (std::size_t i = 1; i < length; ++i) {
        const unsigned char continuation = byte(pos + i);
        if ((continuation & 0xC0) != 0x80) {
            ++pos;
            return false;
        }
        value = (value << 6) | (continuation & 0x3Fu);
    }
    if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
        ++pos;
        return false;
    }
    code_point = value;
    pos += length;
    return true;
}

bool is_valid(std::string_view text) {
    std::size_t pos = 0;
    char32_t code_point = 0;
    while (pos < text.size())
        if (!next(text, pos, code_point)) return false;
    return true;
}

bool is_wide(char32_t c) {
    return (c >= 0x1100 && c <= 0x115F) ||   // Hangul Jamo
           (c >= 0x2E80 && c <= 0xA4CF) ||   // CJK radicals .. Yi
           (c >= 0xAC00 && c <= 0xD7A3) ||   // Hangul syllables
           (c >= 0xF900 && c <= 0xFAFF) ||   // CJK compatibility ideographs
           (c >= 0xFE30 && c <= 0xFE4F) ||   // CJK compatibility forms
           (c >= 0xFF00 && c <= 0xFF60) ||   // fullwidth forms
           (c >= 0xFFE0 && c <= 0xFFE6) ||   //
           (c >= 0x20000 && c <= 0x3FFFD);   // CJK extension planes
}

}  // namespace packline::labels::utf8
