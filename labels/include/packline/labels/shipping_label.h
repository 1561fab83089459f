// The Packline shipping label: a 4 x 6 in label at 203 dpi (812 x 1218 dots)
// rendered to ZPL II. Layout, escaping rules and the QR payload are described
// in docs/labels.md.
#pragma once

#include <string>
#include <vector>

#include "packline/error.h"

namespace packline::labels {

struct ShippingLabel {
    std::string order_id;
    int parcel_sequence = 1;
    int parcel_count = 0;  // 0 = not known yet
    std::string recipient_name, phone;
    std::vector<std::string> address_lines;
    std::string city, region, postal_code, country;
    std::string sender_name, sender_address;
    std::string carrier_name;
    std::string service;
    std::string tracking_number;
    double weight_g = 0;  // 0 = not weighed; not printed
    std::string station;
};

inline constexpr int kLabelWidthDots = 812;    // 4 in at 203 dpi
inline constexpr int kLabelLengthDots = 1218;  // 6 in at 203 dpi

// Errors: "label.missing_field" (no order id or tracking number),
// "label.bad_field" (order id or tracking number that cannot be encoded
// safely: '^', '~', '|', '>', spaces or control characters in the tracking
// number, more than 40 bytes; parcel numbers out of range; negative weight).
// Free text (names, addresses) is never refused: it is escaped, and clipped to
// the space it has on the label.
Result<std::string> render_zpl(const ShippingLabel& label);

}  // namespace packline::labels
