// Small text helpers shared by the JSON and CSV importers (internal header).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "packline/text.h"

namespace packline::station::import_text {

// The shared basics, under the names the importers use.
using packline::text::is_valid_utf8;
using packline::text::to_lower_ascii;
using packline::text::to_upper_ascii;
using packline::text::trim;

// The text without a leading UTF-8 byte order mark.
std::string_view strip_bom(std::string_view text);

// A finite decimal number ("180", "12.5", "-3", "1e2"); no "inf", "nan", hex
// or trailing characters. Surrounding white space is ignored.
std::optional<double> parse_decimal(std::string_view text);
// A base-10 integer ("2", "-1", "+3"); surrounding white space is ignored.
std::optional<std::int64_t> parse_integer(std::string_view text);

// 1-based line and column (in bytes) of a byte offset; '\n', "\r\n" and a lone
// '\r' each end a line.
struct TextPosition {
    int line = 1;
    int column = 1;
};
TextPosition position_of(std::string_view text, std::size_t offset);

}  // namespace packline::station::import_text
