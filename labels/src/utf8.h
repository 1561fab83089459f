// UTF-8 walking for label text (internal to packline_labels). Names and
// addresses in any script are normal; bytes that are not UTF-8 are not.
#pragma once

#include <cstddef>
#include <string_view>

namespace packline::labels::utf8 {

// Decodes the code point at `pos` and advances `pos` past it. On a malformed
// sequence (truncated, overlong, surrogate, above U+10FFFF) returns false and
// advances `pos` by one byte.
bool next(std::string_view text, std::size_t& pos, char32_t& code_point);

bool is_valid(std::string_view text);

// C0 controls, DEL and C1 controls.
constexpr bool is_control(char32_t code_point) {
    return code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F);
}

// East Asian wide and fullwidth characters: they take about a full em.
bool is_wide(char32_t code_point);

}  // namespace packline::labels::utf8
