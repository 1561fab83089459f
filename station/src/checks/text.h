// Text helpers shared by the checks (internal to packline_checks).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "packline/text.h"

namespace packline::station::text {

// The shared basics, under the names the checks use.
using packline::text::to_upper_ascii;
using packline::text::trim;

// What a walk over UTF-8 text found.
struct Utf8Scan {
    bool valid = true;         // well-formed UTF-8 (no overlongs, surrogates, > U+10FFFF)
    bool has_control = false;  // C0, DEL, C1, or a line/paragraph separator
    bool has_letter = false;   // see is_letter_like
    std::size_t code_points = 0;
};
Utf8Scan scan_utf8(std::string_view text);

// Letters of any script, by elimination: ASCII letters, and any code point from
// U+00C0 up that is not in a punctuation, symbol, combining-mark, private-use or
// emoji block. A heuristic without ICU: it only has to tell a name ("王小明",
// "Ólafur") from digits and punctuation ("12345", "--").
bool is_letter_like(char32_t code_point);

// Full-width ASCII forms (U+FF01..U+FF5E) and the ideographic space become
// ASCII; Unicode dashes and the katakana long-vowel mark used as a hyphen in
// Japanese addresses become '-'. Other bytes are kept as they are.
std::string fold_to_ascii(std::string_view text);

// "1 020 g": grams rounded to whole grams, thousands separated by a space.
std::string format_grams(double grams);

// Numbers in details: rounded to 0.1, no trailing ".0": "1020", "51.5", "-208".
std::string format_number(double value);

// Text shown inside a message: invalid bytes and control characters replaced
// by U+FFFD and cut to `max_code_points` with "…", so a message stays one line.
std::string printable(std::string_view text, std::size_t max_code_points = 40);

}  // namespace packline::station::text
