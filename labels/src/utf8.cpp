#include "utf8.h"

namespace packline::labels::utf8 {

bool is_wide(char32_t c) {
    return (c >= 0x1100 && c <= 0x115F) ||  // Hangul Jamo
           (c >= 0x2E80 && c <= 0xA4CF) ||  // CJK radicals .. Yi
           (c >= 0xAC00 && c <= 0xD7A3) ||  // Hangul syllables
           (c >= 0xF900 && c <= 0xFAFF) ||  // CJK compatibility ideographs
           (c >= 0xFE30 && c <= 0xFE4F) ||  // CJK compatibility forms
           (c >= 0xFF00 && c <= 0xFF60) ||  // fullwidth forms
           (c >= 0xFFE0 && c <= 0xFFE6) ||  //
           (c >= 0x20000 && c <= 0x3FFFD);  // CJK extension planes
}

}  // namespace packline::labels::utf8
