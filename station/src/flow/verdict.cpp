#include "packline/station/verdict.h"

namespace packline::station {

std::string_view to_string(VerdictKind kind) {
    switch (kind) {
        case VerdictKind::Accepted:
            return "accepted";
        case VerdictKind::Info:
            return "info";
        case VerdictKind::Rejected:
            return "rejected";
        case VerdictKind::Exception:
            return "exception";
        case VerdictKind::Confirmed:
            return "confirmed";
    }
    return "unknown";
}

std::span<const std::string_view> all_verdict_codes() {
    static constexpr std::string_view kCodes[] = {
        verdict::command_ignored,
        verdict::command_unknown,
        verdict::contents_complete,
        verdict::customer_waybill_ok,
        verdict::device_paused,
        verdict::device_resumed,
        verdict::evidence_photo_failed,
        verdict::item_accepted,
        verdict::label_already_confirmed,
        verdict::label_printed,
        verdict::label_printing,
        verdict::label_submitted,
        verdict::order_unknown,
        verdict::order_updated,
        verdict::override_choose_reason,
        verdict::override_no_supervisor,
        verdict::override_not_allowed,
        verdict::override_nothing,
        verdict::override_timeout,
        verdict::override_unknown_badge,
        verdict::override_unknown_reason,
        verdict::packer_login,
        verdict::parcel_abandoned,
        verdict::parcel_confirmed,
        verdict::parcel_in_exception,
        verdict::parcel_override,
        verdict::parcel_retry,
        verdict::parcel_started,
        verdict::reprint_reason,
        verdict::reprint_supervisor,
        verdict::scan_badge_typed,
        verdict::scan_empty,
        verdict::scan_manual_not_allowed,
        verdict::station_idle,
        verdict::station_locked,
        verdict::station_message,
        verdict::station_paused,
        verdict::station_restored,
        verdict::station_resumed,
        verdict::weight_accepted,
    };
    return kCodes;
}

}  // namespace packline::station
