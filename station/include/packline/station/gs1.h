// GS1 check digits and element strings (the data inside GS1-128, GS1 DataMatrix,
// GS1 QR, GS1 DotCode and DataBar). Sources: ../shared/reference/devices.md "GS1"
// (gs1/gs1-syntax-engine: lint_csum.c, gs1-syntax-dictionary.txt).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "packline/error.h"

namespace packline::station {

// The group separator: stands for FNC1 inside scanned GS1 data.
inline constexpr char kGroupSeparator = '\x1d';

// True when `digits` (at least 2, digits only) ends in a correct GS1 mod-10
// check digit. One routine for GTIN-8/12/13/14, SSCC-18 and GLN-13.
bool gs1_check_digit_valid(std::string_view digits);

// The check digit to append to `digits_without_check`; nullopt when it is empty
// or holds anything but digits.
std::optional<char> gs1_compute_check_digit(std::string_view digits_without_check);

struct Gs1Element {
    std::string ai;     // "01", "10", "421"...
    std::string value;  // without the AI and without separators

    friend bool operator==(const Gs1Element&, const Gs1Element&) = default;
};

// Parses an element string as a scanner sends it after the AIM identifier:
// AIs concatenated, each variable-length AI ended by GS unless it is last.
// A leading GS (FNC1 sent as GS) and a trailing GS are tolerated.
// Error codes: gs1.empty, gs1.unknown_ai, gs1.bad_length, gs1.bad_check_digit,
// gs1.bad_date, gs1.bad_character.
Result<std::vector<Gs1Element>> parse_gs1(std::string_view element_string);

// Parses the human-readable form "(01)09506000134352(21)ABC". A literal
// parenthesis inside a value is written "\(" (as in the GS1 Syntax Engine).
// Same error codes as parse_gs1, plus gs1.bad_syntax for text that is not
// "(AI)value..." at all.
Result<std::vector<Gs1Element>> parse_gs1_bracketed(std::string_view text);

// Back to the human-readable form, e.g. for messages and logs.
std::string to_bracketed(const std::vector<Gs1Element>& elements);

}  // namespace packline::station
