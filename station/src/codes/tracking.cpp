// Tracking numbers. Formats and check digits follow jkeen/tracking_number_data
// (couriers/*.json, CHECKSUM_ALGORITHMS.md) as summarised and recomputed in
// ../shared/reference/devices.md §7; docs/tracking-numbers.md lists every rule.
#include "packline/station/tracking.h"

#include <algorithm>
#include <array>
#include <cstddef>

#include "packline/station/gs1.h"

namespace packline::station {
namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_upper(char c) {
    return c >= 'A' && c <= 'Z';
}
bool is_upper_or_digit(char c) {
    return is_digit(c) || is_upper(c);
}
int digit_value(char c) {
    return c - '0';
}

bool all_digits(std::string_view text) {
    return std::all_of(text.begin(), text.end(), is_digit);
}
bool all_upper(std::string_view text) {
    return std::all_of(text.begin(), text.end(), is_upper);
}

// ---- Formats and check digits ------------------------------------------------

// UPU S10: 2 letters (service indicator), 8-digit serial, check digit, ISO 3166
// alpha-2 country. Weights 8 6 4 2 3 5 9 7; check = 11 - (sum mod 11), where
// 10 becomes 0 and 11 becomes 5.
bool s10_format(std::string_view n) {
    return n.size() == 13 && all_upper(n.substr(0, 2)) && all_digits(n.substr(2, 9)) &&
           all_upper(n.substr(11, 2));
}
bool s10_check(std::string_view n) {
    static constexpr std::array<int, 8> kWeights{8, 6, 4, 2, 3, 5, 9, 7};
    int sum = 0;
    for (std::size_t i = 0; i < kWeights.size(); ++i)
        sum += digit_value(n[2 + i]) * kWeights[i];
    int check = 11 - sum % 11;
    if (check == 10) check = 0;
    if (check == 11) check = 5;
    return digit_value(n[10]) == check;
}
// EMS items carry S10 numbers whose service indicator starts with E.
bool ems_format(std::string_view n) {
    return s10_format(n) && n[0] == 'E';
}
bool upu_format(std::string_view n) {
    return s10_format(n) && n[0] != 'E';
}

// UPS: "1Z" + 6 shipper + 2 service + 7 package + check digit. Over the 15
// characters after 1Z, a letter counts (ASCII - 3) mod 10 (A=2, B=3, ...);
// odd positions (0-based) are doubled; check = (10 - sum mod 10) mod 10.
bool ups_format(std::string_view n) {
    return n.size() == 18 && n.substr(0, 2) == "1Z" &&
           std::all_of(n.begin() + 2, n.end() - 1, is_upper_or_digit) && is_digit(n.back());
}
bool ups_check(std::string_view n) {
    int sum = 0;
    for (std::size_t i = 0; i < 15; ++i) {
        const char c = n[2 + i];
        int value = is_digit(c) ? digit_value(c) : (c - 3) % 10;
        if (i % 2 == 1) value *= 2;
        sum += value;
    }
    return digit_value(n.back()) == (10 - sum % 10) % 10;
}

// GS1 mod 10 over the whole number (weights 3,1 from the right of the data).
bool gs1_mod10_check(std::string_view n) {
    return gs1_check_digit_valid(n);
}

// USPS Intelligent Mail package barcode: 22 or 26 digits starting 91..95.
bool usps_impb22_format(std::string_view n) {
    return n.size() == 22 && all_digits(n) && n[0] == '9' && n[1] >= '1' && n[1] <= '5';
}
bool usps_impb26_format(std::string_view n) {
    return n.size() == 26 && all_digits(n) && n[0] == '9' && n[1] >= '1' && n[1] <= '5';
}
// USPS 20: 2 service + 9 mailer + 8 package + check. tracking_number_data also
// reads 20-digit numbers as IMpb with the "91" application identifier left
// off, so the check may verify with "91" put back in front.
bool usps20_format(std::string_view n) {
    return n.size() == 20 && all_digits(n);
}
bool usps20_check(std::string_view n) {
    return gs1_check_digit_valid(n) || gs1_check_digit_valid("91" + std::string(n));
}

// FedEx Express: 11 digits + check; weights 3,1,7 repeating from the left;
// check = (sum mod 11) mod 10.
bool fedex12_format(std::string_view n) {
    return n.size() == 12 && all_digits(n);
}
bool fedex12_check(std::string_view n) {
    static constexpr std::array<int, 3> kWeights{3, 1, 7};
    int sum = 0;
    for (std::size_t i = 0; i < 11; ++i)
        sum += digit_value(n[i]) * kWeights[i % 3];
    return digit_value(n[11]) == sum % 11 % 10;
}

// Mod 10 with 0-based odd positions times 3 (FedEx Ground 15 and 96 serials).
bool odd_times_three_check(std::string_view data, char check) {
    int sum = 0;
    for (std::size_t i = 0; i < data.size(); ++i)
        sum += digit_value(data[i]) * (i % 2 == 1 ? 3 : 1);
    return digit_value(check) == (10 - sum % 10) % 10;
}
bool fedex15_format(std::string_view n) {
    return n.size() == 15 && all_digits(n);
}
bool fedex15_check(std::string_view n) {
    return odd_times_three_check(n.substr(0, 14), n[14]);
}

// FedEx Ground 96: "96" + 2 SCNC + 3 service + 14 serial + check; the check
// covers only the 14-digit serial.
bool fedex96_format(std::string_view n) {
    return n.size() == 22 && all_digits(n) && n.substr(0, 2) == "96";
}
bool fedex96_check(std::string_view n) {
    return odd_times_three_check(n.substr(7, 14), n[21]);
}

// DHL Express: 9 or 10 digits + check; check = (the number before it) mod 7.
bool dhl_format(std::string_view n) {
    return (n.size() == 10 || n.size() == 11) && all_digits(n);
}
bool dhl_check(std::string_view n) {
    int remainder = 0;
    for (std::size_t i = 0; i + 1 < n.size(); ++i)
        remainder = (remainder * 10 + digit_value(n[i])) % 7;
    return digit_value(n.back()) == remainder;
}

// Format hints: these carriers publish no check digit, so these rules only
// say "looks like", never "verified".
// SF Express: 12 digits (older labels) or "SF" + 13 digits.
bool sf_format(std::string_view n) {
    return (n.size() == 12 && all_digits(n)) ||
           (n.size() == 15 && n.substr(0, 2) == "SF" && all_digits(n.substr(2)));
}
// ZTO Express: 12 or 14 digits starting with 7 or 5 (e.g. 758...).
bool zto_format(std::string_view n) {
    return (n.size() == 12 || n.size() == 14) && all_digits(n) && (n[0] == '7' || n[0] == '5');
}
// YTO Express: "YT" + 8 to 20 digits (13 on current labels).
bool yto_format(std::string_view n) {
    return n.size() >= 10 && n.size() <= 22 && n.substr(0, 2) == "YT" && all_digits(n.substr(2));
}
// JD Logistics: "JD" + 2 letters or digits (series, e.g. VA, X0, AZ) + 11 digits.
bool jd_format(std::string_view n) {
    return n.size() == 15 && n.substr(0, 2) == "JD" && is_upper_or_digit(n[2]) &&
           is_upper_or_digit(n[3]) && all_digits(n.substr(4));
}

struct Rule {
    Carrier carrier;
    std::string_view format;
    bool (*matches)(std::string_view);
    bool (*check)(std::string_view);  // nullptr: format hint only
};

// Check-digit rules first: detection prefers a verified number over a hint.
// Among the hints the first that fits wins: ZTO before SF, so 12 digits
// starting with 7 or 5 read as ZTO and any other 12 digits as SF.
constexpr std::array<Rule, 15> kRules{{
    {Carrier::Upu, "UPU S10", upu_format, s10_check},
    {Carrier::Ems, "EMS (UPU S10)", ems_format, s10_check},
    {Carrier::Ups, "UPS 1Z", ups_format, ups_check},
    {Carrier::Usps, "USPS IMpb 22", usps_impb22_format, gs1_mod10_check},
    {Carrier::Usps, "USPS IMpb 26", usps_impb26_format, gs1_mod10_check},
    {Carrier::Usps, "USPS 20", usps20_format, usps20_check},
    {Carrier::Fedex, "FedEx Express 12", fedex12_format, fedex12_check},
    {Carrier::Fedex, "FedEx Ground 15", fedex15_format, fedex15_check},
    {Carrier::Fedex, "FedEx Ground 96", fedex96_format, fedex96_check},
    {Carrier::Dhl, "DHL Express", dhl_format, dhl_check},
    {Carrier::Zto, "ZTO Express (format hint)", zto_format, nullptr},
    {Carrier::Sf, "SF Express (format hint)", sf_format, nullptr},
    {Carrier::Yto, "YTO Express (format hint)", yto_format, nullptr},
    {Carrier::Jd, "JD Logistics (format hint)", jd_format, nullptr},
    // USPS ships international parcels on S10 numbers ending in US. Last on
    // purpose: detection already calls them UPU S10; this rule only matters
    // when the order's carrier is USPS.
    {Carrier::Usps, "USPS international (UPU S10)",
     [](std::string_view n) { return s10_format(n) && n.substr(11) == "US"; }, s10_check},
}};

// An EMS item is also a UPU item: an order booked as "upu" accepts it.
bool rule_serves(const Rule& rule, Carrier carrier) {
    return rule.carrier == carrier || (carrier == Carrier::Upu && rule.carrier == Carrier::Ems);
}

// "a" or "an" as the name is spoken: "an EMS", "an SF Express", "a UPS", "a FedEx".
std::string with_article(std::string_view name) {
    const bool vowel_sound =
        !name.empty() && std::string_view("AEIOSu").find(name[0]) != std::string_view::npos;
    return (vowel_sound ? "an " : "a ") + std::string(name);
}

struct Detection {
    const Rule* verified = nullptr;      // first rule whose check digit verifies
    const Rule* hint = nullptr;          // first format-only rule that matches
    const Rule* second_hint = nullptr;   // another format-only rule that also matches
    const Rule* failed_check = nullptr;  // first rule whose format fits but digit fails
};

Detection detect(std::string_view number, std::optional<Carrier> only = std::nullopt) {
    Detection found;
    for (const Rule& rule : kRules) {
        if (only && !rule_serves(rule, *only)) continue;
        if (!rule.matches(number)) continue;
        if (rule.check == nullptr) {
            if (found.hint == nullptr)
                found.hint = &rule;
            else if (found.second_hint == nullptr && rule.carrier != found.hint->carrier)
                found.second_hint = &rule;
        } else if (rule.check(number)) {
            if (found.verified == nullptr) found.verified = &rule;
        } else if (found.failed_check == nullptr) {
            found.failed_check = &rule;
        }
    }
    return found;
}

TrackingCheck valid_result(TrackingCheck check, const Rule& rule, Carrier carrier,
                           const Rule* also_fits) {
    check.valid = true;
    check.carrier = carrier;
    check.format = std::string(rule.format);
    check.has_check_digit = rule.check != nullptr;
    if (check.has_check_digit) {
        check.message = "Valid " + std::string(rule.format) + " number, check digit verified.";
    } else {
        check.message = "Looks like " + with_article(carrier_display_name(carrier)) +
                        " number (format only: no published check digit)";
        if (also_fits != nullptr)
            check.message +=
                "; it also fits " + std::string(carrier_display_name(also_fits->carrier));
        check.message += ".";
    }
    return check;
}

TrackingCheck invalid_result(TrackingCheck check, std::string reason, std::string message) {
    check.valid = false;
    check.reason = std::move(reason);
    check.message = std::move(message);
    return check;
}

TrackingCheck bad_check_digit(TrackingCheck check, const Rule& rule) {
    check.carrier = rule.carrier;
    check.format = std::string(rule.format);
    check.has_check_digit = true;
    return invalid_result(std::move(check), "tracking.bad_check_digit",
                          std::string(rule.format) +
                              " number with a wrong check digit: check for a misread or a typo.");
}

std::optional<std::string_view> usps_routing_strip(std::string_view digits) {
    // IMpb scans may carry AI 420 + destination ZIP (5 or 9 digits) in front of
    // the 22- or 26-digit number; the check digit never covers that prefix.
    if (digits.size() != 30 && digits.size() != 34 && digits.size() != 38) return std::nullopt;
    if (digits.substr(0, 3) != "420" || !all_digits(digits)) return std::nullopt;
    std::array<std::string_view, 2> candidates{};
    std::size_t count = 0;
    for (std::size_t prefix : {std::size_t{12}, std::size_t{8}}) {
        const std::string_view rest = digits.substr(prefix);
        if (rest.size() == 22 || rest.size() == 26) candidates[count++] = rest;
    }
    for (std::size_t i = 0; i < count; ++i)
        if (candidates[i][0] == '9' && gs1_check_digit_valid(candidates[i])) return candidates[i];
    for (std::size_t i = 0; i < count; ++i)
        if (candidates[i][0] == '9') return candidates[i];
    return count > 0 ? std::optional<std::string_view>(candidates[0]) : std::nullopt;
}

}  // namespace

std::string_view carrier_code(Carrier carrier) {
    switch (carrier) {
        case Carrier::Unknown:
            return "unknown";
        case Carrier::Upu:
            return "upu";
        case Carrier::Ups:
            return "ups";
        case Carrier::Usps:
            return "usps";
        case Carrier::Fedex:
            return "fedex";
        case Carrier::Dhl:
            return "dhl";
        case Carrier::Sf:
            return "sf";
        case Carrier::Zto:
            return "zto";
        case Carrier::Yto:
            return "yto";
        case Carrier::Jd:
            return "jd";
        case Carrier::Ems:
            return "ems";
    }
    return "unknown";
}

std::string_view carrier_display_name(Carrier carrier) {
    switch (carrier) {
        case Carrier::Unknown:
            return "unknown carrier";
        case Carrier::Upu:
            return "UPU S10";
        case Carrier::Ups:
            return "UPS";
        case Carrier::Usps:
            return "USPS";
        case Carrier::Fedex:
            return "FedEx";
        case Carrier::Dhl:
            return "DHL Express";
        case Carrier::Sf:
            return "SF Express";
        case Carrier::Zto:
            return "ZTO Express";
        case Carrier::Yto:
            return "YTO Express";
        case Carrier::Jd:
            return "JD Logistics";
        case Carrier::Ems:
            return "EMS";
    }
    return "unknown carrier";
}

std::optional<Carrier> carrier_from_code(std::string_view code) {
    std::string key;
    for (char c : code) {
        if (c == ' ' || c == '_') c = '-';
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        key += c;
    }
    struct Alias {
        std::string_view name;
        Carrier carrier;
    };
    static constexpr std::array<Alias, 26> kAliases{{
        {"unknown", Carrier::Unknown},
        {"upu", Carrier::Upu},
        {"s10", Carrier::Upu},
        {"upu-s10", Carrier::Upu},
        {"ups", Carrier::Ups},
        {"usps", Carrier::Usps},
        {"fedex", Carrier::Fedex},
        {"fed-ex", Carrier::Fedex},
        {"fedex-express", Carrier::Fedex},
        {"fedex-ground", Carrier::Fedex},
        {"dhl", Carrier::Dhl},
        {"dhl-express", Carrier::Dhl},
        {"dhlexpress", Carrier::Dhl},
        {"sf", Carrier::Sf},
        {"sf-express", Carrier::Sf},
        {"sfexpress", Carrier::Sf},
        {"shunfeng", Carrier::Sf},
        {"zto", Carrier::Zto},
        {"zto-express", Carrier::Zto},
        {"yto", Carrier::Yto},
        {"yto-express", Carrier::Yto},
        {"jd", Carrier::Jd},
        {"jd-logistics", Carrier::Jd},
        {"jdl", Carrier::Jd},
        {"ems", Carrier::Ems},
        {"china-ems", Carrier::Ems},
    }};
    for (const Alias& alias : kAliases)
        if (alias.name == key) return alias.carrier;
    return std::nullopt;
}

std::string normalize_tracking_number(std::string_view raw) {
    // Leading spaces may come before the AIM id of a keyboard-wedge scan.
    while (!raw.empty() && (raw.front() == ' ' || raw.front() == '\t'))
        raw.remove_prefix(1);
    if (raw.size() >= 3 && raw[0] == ']' &&
        ((raw[1] >= 'A' && raw[1] <= 'Z') || (raw[1] >= 'a' && raw[1] <= 'z')))
        raw.remove_prefix(3);

    std::string number;
    number.reserve(raw.size());
    for (char c : raw) {
        const auto byte = static_cast<unsigned char>(c);
        // Spaces and dashes are print grouping; control characters are scanner
        // suffixes or the GS between AI 420's ZIP and the IMpb number.
        if (c == ' ' || c == '-' || byte < 0x20 || byte == 0x7f) continue;
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        number += c;
    }
    if (auto stripped = usps_routing_strip(number)) return std::string(*stripped);
    return number;
}

TrackingCheck check_tracking_number(std::string_view raw, std::optional<Carrier> expected) {
    TrackingCheck check;
    check.number = normalize_tracking_number(raw);
    if (expected == Carrier::Unknown) expected.reset();
    if (check.number.empty())
        return invalid_result(std::move(check), "tracking.empty", "No tracking number was given.");

    const Detection any = detect(check.number);
    if (!expected) {
        if (any.verified != nullptr)
            return valid_result(std::move(check), *any.verified, any.verified->carrier, nullptr);
        if (any.hint != nullptr)
            return valid_result(std::move(check), *any.hint, any.hint->carrier, any.second_hint);
        if (any.failed_check != nullptr)
            return bad_check_digit(std::move(check), *any.failed_check);
        return invalid_result(std::move(check), "tracking.unknown_format",
                              "This does not look like a tracking number of any known carrier.");
    }

    const Detection own = detect(check.number, expected);
    const std::string expected_name(carrier_display_name(*expected));
    if (own.verified != nullptr)
        return valid_result(std::move(check), *own.verified, *expected, nullptr);
    if (own.hint != nullptr) return valid_result(std::move(check), *own.hint, *expected, nullptr);

    // Not valid for the expected carrier: say the most useful thing about why.
    if (any.verified != nullptr && !rule_serves(*any.verified, *expected)) {
        check.carrier = any.verified->carrier;
        check.format = std::string(any.verified->format);
        check.has_check_digit = true;
        return invalid_result(std::move(check), "tracking.wrong_carrier",
                              "This is " + with_article(carrier_display_name(check.carrier)) +
                                  " number (" + std::string(any.verified->format) +
                                  "), but the parcel ships with " + expected_name + ".");
    }
    if (own.failed_check != nullptr) return bad_check_digit(std::move(check), *own.failed_check);
    if (any.hint != nullptr) {
        check.carrier = any.hint->carrier;
        check.format = std::string(any.hint->format);
        return invalid_result(std::move(check), "tracking.wrong_carrier",
                              "This looks like " +
                                  with_article(carrier_display_name(check.carrier)) +
                                  " number, but the parcel ships with " + expected_name + ".");
    }
    std::string message = "This is not " + with_article(expected_name) + " tracking number";
    if (any.failed_check != nullptr)
        message += " (it looks like " + with_article(any.failed_check->format) +
                   " number with a wrong check digit)";
    return invalid_result(std::move(check), "tracking.unknown_format", message + ".");
}

}  // namespace packline::station
