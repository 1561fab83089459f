// The 2D code on every Packline label: it ties the parcel to its order and
// tracking number, so the scan-back (express check) can prove the label on the
// box is the one printed for this parcel.
//
// Payload format, version 1 (see docs/labels.md):
//
//     PL1|<order_id>|<tracking_number>
//
// Each field is 1..40 bytes of valid UTF-8 without '|' and without control
// characters (C0, DEL, C1). The 40-byte limit keeps the QR code at version 7
// (ECC Q) so it fits its place on a 4x6 in label. Parsing is strict: anything
// else, including a leading AIM identifier ("]Q1"), is not a Packline code;
// the scanner layer strips AIM identifiers before this is called.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace packline::labels {

inline constexpr std::string_view kLabelCodePrefix = "PL1|";
inline constexpr std::size_t kLabelCodeFieldMaxBytes = 40;

struct LabelCode {
    std::string order_id;
    std::string tracking_number;

    friend bool operator==(const LabelCode&, const LabelCode&) = default;
};

// True when `field` may stand as order id or tracking number in a payload.
bool is_label_code_field(std::string_view field);

// "PL1|<order_id>|<tracking>", or an empty string when either field is not
// allowed (an empty payload never parses, so a bad code cannot be printed).
std::string label_code_payload(std::string_view order_id, std::string_view tracking);

std::optional<LabelCode> parse_label_code(std::string_view payload);

}  // namespace packline::labels
