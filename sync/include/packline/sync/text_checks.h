// Byte-level checks on untrusted text that run before any parser sees it:
// sync's decoders and the hub's ingest and accounts use them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace packline::sync::text {

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above
// U+10FFFF. On failure `bad_offset` (when given) is the first bad byte.
bool valid_utf8(std::string_view text, std::size_t* bad_offset = nullptr);

// Code points in valid UTF-8 text.
std::size_t code_points(std::string_view utf8);

// C0 controls (NUL included), DEL, and C1 controls (U+0080..U+009F) in valid
// UTF-8 text.
bool has_control_character(std::string_view utf8);

// True when JSON text nests arrays/objects deeper than `limit`. Counts only
// brackets outside strings; the text need not be valid JSON.
bool nests_deeper_than(std::string_view json, int limit);

// For log lines and error messages: at most `limit` bytes of `text`, control
// characters and bytes that are not UTF-8 written as \xNN, "..." when cut.
std::string printable(std::string_view text, std::size_t limit = 160);

// Valid UTF-8 without NUL: every byte that is not part of a well-formed
// sequence, and every NUL, becomes U+FFFD.
std::string sanitized(std::string_view text);

// At most `limit` bytes of `text`, cut at a code point boundary.
std::string_view cut_utf8(std::string_view text, std::size_t limit);

}  // namespace packline::sync::text
