// Tracking numbers: carrier detection, format rules and check digits.
// Sources for every rule: docs/checks.md and ../shared/reference/devices.md §7;
// docs/tracking-numbers.md lists the exact rules (SF/ZTO/YTO/JD are format hints).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace packline::station {

enum class Carrier { Unknown, Upu, Ups, Usps, Fedex, Dhl, Sf, Zto, Yto, Jd, Ems };

// Stable lower-case code used in orders, the store and MQTT: "upu", "ups", "usps",
// "fedex", "dhl", "sf", "zto", "yto", "jd", "ems"; "unknown" for Carrier::Unknown.
std::string_view carrier_code(Carrier carrier);
// For people: "UPU S10", "UPS", "USPS", "FedEx", "DHL Express", "SF Express", ...
std::string_view carrier_display_name(Carrier carrier);
// Case-insensitive; accepts common aliases ("dhl-express", "sf-express", "china-ems").
std::optional<Carrier> carrier_from_code(std::string_view code);

struct TrackingCheck {
    bool valid = false;
    Carrier carrier = Carrier::Unknown;
    std::string number;            // normalised (see normalize_tracking_number)
    std::string format;            // the rule that matched: "UPS 1Z", "USPS IMpb 22", ...
    bool has_check_digit = false;  // false for format-only carriers (SF, ZTO, YTO, JD)
    std::string reason;            // empty when valid; "tracking.empty", "tracking.unknown_format",
                                   // "tracking.bad_check_digit", "tracking.wrong_carrier"
    std::string message;           // one sentence a packer understands
};

// Upper-cases, removes spaces and dashes, strips an AIM prefix, and removes the
// USPS "420" + ZIP (5 or 9 digits) routing prefix of 30/34-digit IMpb scans.
std::string normalize_tracking_number(std::string_view raw);

// With `expected`, the number must be valid for that carrier; a number that is
// valid for a different carrier gives "tracking.wrong_carrier". Without it the
// carrier is detected, preferring formats whose check digit verifies.
TrackingCheck check_tracking_number(std::string_view raw,
                                    std::optional<Carrier> expected = std::nullopt);

}  // namespace packline::station
