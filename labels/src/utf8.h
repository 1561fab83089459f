// Code point classes for label text (internal to packline_labels). Names and
// addresses in any script are normal; bytes that are not UTF-8 are not.
// Decoding itself is packline::text::next_code_point (packline/text.h).
#pragma once

namespace packline::labels::utf8 {

// C0 controls, DEL and C1 controls.
constexpr bool is_control(char32_t code_point) {
    return code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F);
}

// East Asian wide and fullwidth characters: they take about a full em.
bool is_wide(char32_t code_point);

}  // namespace packline::labels::utf8
