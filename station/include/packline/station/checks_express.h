// 3. Express check: the tracking number is valid for its carrier and unused,
// the label printed, and the label scanned back decodes to this parcel.
// Pure functions. Reason codes: checks_reasons.h.
#pragma once

#include <string_view>

#include "packline/hardware/events.h"
#include "packline/station/domain.h"

namespace packline::station {

// The number must pass check_tracking_number for the carrier named by
// `carrier_code` (an order's carrier: "ups", "dhl", ...). `used_by_other_parcel`
// comes from the store.
CheckResult check_tracking(std::string_view tracking_number, std::string_view carrier_code,
                           bool used_by_other_parcel);

// Completed passes; Failed is express.print_failed (with the printer's
// `detail`); Queued and Printing are express.print_pending.
CheckResult check_label_printed(hardware::PrintJobState state, std::string_view detail);

// The label scanned back must carry this parcel's tracking number and, when
// the code carries one (the station's 2D code), this order. `decoded_order` is
// empty for codes that carry only the tracking number (Code 128).
CheckResult check_scan_back(std::string_view expected_order, std::string_view expected_tracking,
                            std::string_view decoded_order, std::string_view decoded_tracking);

// A printed label shows the recipient as it was when it printed. When the
// hub changes the recipient afterwards (`printed_for` != `now`), the label
// on the parcel is outdated: express.label_outdated, resolved by a reprint.
CheckResult check_label_recipient(std::string_view order_id, const Recipient& printed_for,
                                  const Recipient& now);

}  // namespace packline::station
