// A check run on TOML text before it reaches toml++ (configuration files,
// label templates). TOML 1.0 allows non-ASCII characters only inside strings
// and comments; toml++ 3.3 (Debian 12) meets some non-ASCII characters where
// it expects whitespace with undefined behaviour (TOML_UNREACHABLE in
// is_non_ascii_horizontal_whitespace, found by fuzz_labels_template with the
// bytes EF BB 9F). Such text is refused here with its line instead.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace packline::text {

// Empty when the text is UTF-8 with non-ASCII characters only inside TOML
// strings and comments; otherwise "line N: ..." saying what is wrong.
std::optional<std::string> toml_text_problem(std::string_view text);

// The text with every non-ASCII code point replaced by one 'x' (lines and
// columns stay where they were). Parse this first: when it is valid TOML,
// toml++ takes the real text without entering its error paths, which are
// where the undefined behaviour lives.
std::string toml_ascii_shadow(std::string_view text);

}  // namespace packline::text
