// The audit trail of label reprints: who asked (packer, supervisor, or the
// station itself after a restart), for which parcel and tracking number,
// which print attempt, and why when a reason was scanned. docs/checks.md,
// "Reprints".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "packline/ids.h"
#include "packline/station/domain.h"
#include "packline/station/store.h"

namespace packline::station {

inline constexpr std::string_view kReprintRequested = "label.reprint_requested";

struct ReprintRequest {
    std::string role;             // "packer", "supervisor", or "station" (a restart while printing)
    std::string packer;           // the packer signed in at the station
    std::string supervisor;       // badge id, when a supervisor asked
    std::string supervisor_name;  //
    std::string reason;           // override-reason code, when one was scanned
};

// The event that audits reprinting `parcel`'s label; the attempt is the
// print attempt the reprint becomes (label_attempts + 1).
EventRecord reprint_audit_event(const ReprintRequest& request, const Parcel& parcel,
                                const std::string& station, std::int64_t at_ms, IdSource& ids);

// How many reprints a parcel's audit trail records.
int count_reprints(const std::vector<EventRecord>& events);

}  // namespace packline::station
