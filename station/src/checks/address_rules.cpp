#include "packline/station/address_rules.h"

#include <array>

#include "text.h"

namespace packline::station {
namespace {

// Phone patterns are matched against normalize_phone(): digits with an optional
// leading '+'. Each country accepts its national form (trunk prefix 0 where the
// country has one), +CC and 00CC; "+44 (0)20..." keeps its bracketed 0, so the
// international forms allow it too.
constexpr std::array kCountryRules{
    CountryRules{
        .iso2 = "CN",
        .name = "China",
        .calling_code = "86",
        .region_required = true,
        .region_label = "province",
        .postal_required = true,
        .postal_label = "postal code",
        .postal_patterns = "######",
        .postal_example = "100080",
        // Mobile 1[3-9] + 9 digits; landline 0 + area code (2-3 digits) + 7-8 digits.
        .phone_patterns = "1[3-9]#{9}|+861[3-9]#{9}|00861[3-9]#{9}"
                          "|0[1-9]#{8,10}|+860?[2-9]#{8,10}|+860?10#{8}|00860?[2-9]#{8,10}"
                          "|00860?10#{8}",
        .phone_example = "138 0013 8000",
    },
    CountryRules{
        .iso2 = "US",
        .name = "United States",
        .calling_code = "1",
        .region_required = true,
        .region_label = "state",
        .postal_required = true,
        .postal_label = "ZIP code",
        .postal_patterns = "#####|#####-####",
        .postal_example = "90210 or 90210-1234",
        // NANP: area code and exchange never start with 0 or 1.
        .phone_patterns = "[2-9]##[2-9]######|1[2-9]##[2-9]######|+1[2-9]##[2-9]######"
                          "|001[2-9]##[2-9]######",
        .phone_example = "(212) 555-0123",
    },
    CountryRules{
        .iso2 = "GB",
        .name = "United Kingdom",
        .calling_code = "44",
        .region_required = false,
        .region_label = "county",
        .postal_required = true,
        .postal_label = "postcode",
        // Outward code (A9, A99, AA9, AA99, A9A, AA9A), optional space, inward 9AA;
        // GIR 0AA is Girobank's historic non-geographic postcode, still valid.
        .postal_patterns = "@# #@@|@## #@@|@@# #@@|@@## #@@|@#@ #@@|@@#@ #@@|GIR 0AA",
        .postal_example = "SW1A 1AA",
        .phone_patterns = "0[1-9]#{8,9}|+440?[1-9]#{8,9}|00440?[1-9]#{8,9}",
        .phone_example = "020 7946 0018",
    },
    CountryRules{
        .iso2 = "DE",
        .name = "Germany",
        .calling_code = "49",
        .region_required = false,
        .region_label = "state",
        .postal_required = true,
        .postal_label = "postal code (PLZ)",
        .postal_patterns = "#####",
        .postal_example = "10115",
        .phone_patterns = "0[1-9]#{5,12}|+490?[1-9]#{5,12}|00490?[1-9]#{5,12}",
        .phone_example = "030 123456",
    },
    CountryRules{
        .iso2 = "FR",
        .name = "France",
        .calling_code = "33",
        .region_required = false,
        .region_label = "region",
        .postal_required = true,
        .postal_label = "postal code",
        .postal_patterns = "#####",
        .postal_example = "75008",
        .phone_patterns = "0[1-9]#{8}|+330?[1-9]#{8}|00330?[1-9]#{8}",
        .phone_example = "01 42 68 53 00",
    },
    CountryRules{
        .iso2 = "JP",
        .name = "Japan",
        .calling_code = "81",
        .region_required = true,
        .region_label = "prefecture",
        .postal_required = true,
        .postal_label = "postal code",
        .postal_patterns = "### ####",
        .postal_example = "100-0001",
        // 10 digits for fixed lines (03-1234-5678), 11 for mobiles (090-1234-5678).
        .phone_patterns = "0[1-9]#{8,9}|+810?[1-9]#{8,9}|00810?[1-9]#{8,9}",
        .phone_example = "03-1234-5678",
    },
};

constexpr CountryRules kGenericRules{
    .iso2 = "",
    .name = "",
    .calling_code = "",
    .region_required = false,
    .region_label = "region",
    .postal_required = true,
    .postal_label = "postal code",
    .postal_patterns = "[0-9A-Z][0-9A-Z -]{0,8}[0-9A-Z]",
    .postal_example = "",
    // E.164 allows at most 15 digits; 6 is the shortest national number in use.
    .phone_patterns = "+?#{6,15}",
    .phone_example = "",
};

// ISO 3166-1 alpha-2, officially assigned codes, plus XK (Kosovo: user-assigned,
// but accepted by UPU members and the big carriers).
constexpr std::string_view kCountries =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ "
    "BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ "
    "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ "
    "DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR "
    "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY "
    "HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP "
    "KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY "
    "MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ "
    "NA NC NE NF NG NI NL NO NP NR NU NZ OM "
    "PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW "
    "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ "
    "TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ "
    "UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW";

// Countries and territories without a postal-code system in everyday use;
// carriers accept shipments there without one. Ireland has Eircodes since 2015
// but many addresses are still written without them.
constexpr std::string_view kWithoutPostalCodes =
    "AE AG AO AQ AW BF BI BJ BO BQ BS BW BZ CD CF CG CI CK CM CW DJ DM ER FJ "
    "GA GD GH GM GQ GY HK HM IE JM KI KM KN KP LY ML MO MR MW NR NU QA RW "
    "SB SC SL SR SS ST SX SY TD TF TG TK TL TO TT TV UG VU YE ZW";

bool in_list(std::string_view list, std::string_view iso2) {
    if (iso2.size() != 2) return false;
    const std::string code = text::to_upper_ascii(iso2);
    for (std::size_t i = 0; i + 2 <= list.size(); i += 3)
        if (list.substr(i, 2) == code) return true;
    return false;
}

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

std::span<const CountryRules> all_country_rules() {
    return kCountryRules;
}

const CountryRules* country_rules(std::string_view iso2) {
    const std::string code = text::to_upper_ascii(text::trim(iso2));
    for (const CountryRules& rules : kCountryRules)
        if (rules.iso2 == code) return &rules;
    return nullptr;
}

const CountryRules& generic_country_rules() {
    return kGenericRules;
}

const CountryRules& rules_for_country(std::string_view iso2) {
    const CountryRules* rules = country_rules(iso2);
    return rules ? *rules : kGenericRules;
}

bool is_known_country(std::string_view iso2) {
    return in_list(kCountries, text::trim(iso2));
}

bool country_uses_postal_codes(std::string_view iso2) {
    const CountryRules* rules = country_rules(iso2);
    if (rules) return rules->postal_required;
    return !in_list(kWithoutPostalCodes, text::trim(iso2));
}

std::string normalize_postal_code(std::string_view raw) {
    std::string folded = text::fold_to_ascii(text::trim(raw));
    std::string_view view = text::trim(folded);
    constexpr std::string_view kPostalMark = "\u3012";  // 〒
    if (starts_with(view, kPostalMark)) view = text::trim(view.substr(kPostalMark.size()));
    std::string out;
    bool space = false;
    for (const char c : view) {
        if (c == ' ' || c == '\t') {
            space = true;
            continue;
        }
        if (space && !out.empty()) out.push_back(' ');
        space = false;
        out.push_back(c);
    }
    return text::to_upper_ascii(out);
}

std::string normalize_phone(std::string_view raw) {
    const std::string folded = text::fold_to_ascii(raw);
    std::string out;
    for (const char c : folded)
        if (c != ' ' && c != '\t' && c != '-' && c != '.' && c != '(' && c != ')') out.push_back(c);
    return out;
}

bool valid_phone(std::string_view iso2, std::string_view raw_phone) {
    const std::string phone = normalize_phone(raw_phone);
    const CountryRules& rules = rules_for_country(iso2);
    if (!rules.calling_code.empty()) {
        std::string_view international;
        if (starts_with(phone, "+"))
            international = std::string_view(phone).substr(1);
        else if (starts_with(phone, "00"))
            international = std::string_view(phone).substr(2);
        if (!international.empty() && !starts_with(international, rules.calling_code))
            return matches_pattern(kGenericRules.phone_patterns, "+" + std::string(international));
    }
    return matches_pattern(rules.phone_patterns, phone);
}

bool valid_postal_code(std::string_view iso2, std::string_view raw_postal_code) {
    return matches_pattern(rules_for_country(iso2).postal_patterns,
                           normalize_postal_code(raw_postal_code));
}

}  // namespace packline::station
