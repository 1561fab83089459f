// 1. Customer check: the order may be packed, the recipient is complete and
// well-formed, and a pre-printed waybill belongs to this parcel. Pure
// functions: no I/O, no clock, no state. Reason codes: checks_reasons.h.
#pragma once

#include <string_view>

#include "packline/station/domain.h"

namespace packline::station {

// Only Open orders may be packed: cancelled, on-hold, packed and shipped
// orders are refused at the first scan.
CheckResult check_order_status(const Order& order);

// Name, phone and address (street line, city, region where required, postal
// code, country) present and well-formed; per-country formats come from
// address_rules.h. Names and addresses may be in any script; invalid UTF-8 and
// control characters are refused. Checked in the order a packer reads a label:
// name, country, street, city, region, postal code, phone.
CheckResult check_recipient(const Recipient& recipient);

// check_order_status, then check_recipient.
CheckResult check_customer(const Order& order);

// A pre-printed waybill's barcode, normalised with normalize_tracking_number,
// must equal the tracking number assigned to this parcel (`parcel_tracking`),
// or, when the parcel has none yet, to the order (`order.tracking_number`).
CheckResult check_waybill(const Order& order, std::string_view parcel_tracking,
                          std::string_view scanned_waybill);

}  // namespace packline::station
