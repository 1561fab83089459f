// Per-country address and phone rules used by the customer check. The rules are
// data: adding a country means adding one row to the table in
// station/src/checks/address_rules.cpp, no code change.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace packline::station {

// Pattern syntax used by the table (one pattern matches the whole text;
// alternatives are separated by '|'):
//   #        one digit 0-9
//   @        one letter A-Z (input is upper-cased before matching)
//   [...]    one character of a set, ranges allowed: [1-9], [0-9A-Z -]
//   ' '      (outside a set) an optional separator: one space or hyphen, or nothing
//   ?        after an element: the element is optional
//   {m} {m,n} after an element: repeated m (to n) times
//   \c       the character c itself
//   anything else matches itself (letters case-insensitively)
// A malformed pattern matches nothing, so a typo in the table fails closed;
// tests/unit/checks/customer_check_test.cpp matches every table example.
bool matches_pattern(std::string_view patterns, std::string_view text);

struct CountryRules {
    std::string_view iso2;          // ISO 3166-1 alpha-2, upper case
    std::string_view name;          // for messages: "United Kingdom"
    std::string_view calling_code;  // E.164 country code without '+': "44"
    bool region_required = false;
    std::string_view region_label;  // "state", "province", "prefecture"
    bool postal_required = true;
    std::string_view postal_label;     // "ZIP code", "postcode", "postal code"
    std::string_view postal_patterns;  // matched against normalize_postal_code()
    std::string_view postal_example;   // a real, valid code shown in messages
    std::string_view phone_patterns;   // national numbers, matched against normalize_phone()
    std::string_view phone_example;
};

// The rows with country-specific rules (CN, US, GB, DE, FR, JP, ...).
std::span<const CountryRules> all_country_rules();

// The row for a country with its own rules (case-insensitive), or nullptr for
// every other code; such countries use generic_country_rules().
const CountryRules* country_rules(std::string_view iso2);

// Rules for countries without their own row: postal code of 2-10 letters,
// digits, spaces or hyphens; phone of 6-15 digits (E.164), optional '+'.
// postal_required is true here; see country_uses_postal_codes().
const CountryRules& generic_country_rules();

// The row for `iso2` if there is one, else the generic rules.
const CountryRules& rules_for_country(std::string_view iso2);

// ISO 3166-1 alpha-2 codes currently assigned (plus XK, Kosovo, which carriers
// accept). Case-insensitive.
bool is_known_country(std::string_view iso2);

// False for countries without a postal-code system in everyday use (Hong Kong,
// Ireland before Eircode adoption, Qatar, UAE, ...); a postal code there is
// optional, but validated with the generic pattern when given.
bool country_uses_postal_codes(std::string_view iso2);

// Trims, folds full-width forms (１００－０００１) to ASCII, drops a leading
// postal mark (〒), collapses inner whitespace to one space and upper-cases.
std::string normalize_postal_code(std::string_view raw);

// Folds full-width forms, then removes spaces, dashes, dots and parentheses.
// "+44 (0)20 7946-0018" -> "+44020 79460018" -> "+4402079460018".
std::string normalize_phone(std::string_view raw);

// The number is valid for the country's rules. An international number
// (+ or 00) with another country's calling code is checked against the
// generic E.164 rule instead: a French recipient may give a Swiss mobile.
bool valid_phone(std::string_view iso2, std::string_view raw_phone);

// The code is valid for the country's postal pattern (generic when none).
bool valid_postal_code(std::string_view iso2, std::string_view raw_postal_code);

}  // namespace packline::station
