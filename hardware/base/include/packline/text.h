// ASCII and UTF-8 text basics shared by every module. Order files, scanned
// codes and label text all arrive as bytes from outside: these functions never
// fail loudly on bad bytes, they report them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace packline::text {

// Removes ASCII white space (space, tab, CR, LF, VT, FF) from both ends.
// Other bytes, including non-breaking and ideographic spaces, are kept.
std::string_view trim(std::string_view text);

// Only 'a'..'z' / 'A'..'Z' change; every other byte, UTF-8 included, is kept.
std::string to_upper_ascii(std::string_view text);
std::string to_lower_ascii(std::string_view text);

// Decodes the UTF-8 code point starting at `pos` and advances `pos` past it.
// Returns false, leaving `pos` and `code_point` unchanged, at the end of the
// text or on a malformed sequence: a stray continuation byte, a lead byte
// 0xC0, 0xC1 or 0xF5..0xFF, an overlong form, a UTF-16 surrogate
// (U+D800..U+DFFF), a value above U+10FFFF, or a truncated sequence
// (RFC 3629, section 4). Callers that skip bad bytes advance by one.
bool next_code_point(std::string_view text, std::size_t& pos, char32_t& code_point);

// True when the whole text is well-formed UTF-8 by the rules above.
bool is_valid_utf8(std::string_view text);

}  // namespace packline::text
