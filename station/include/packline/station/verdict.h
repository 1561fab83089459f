// What the packer is told after each input: the kind of outcome, a code and
// a message. Plain data, shared by the parcel flow (which decides it) and the
// station (which shows it on the screen, the light and the buzzer).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "packline/station/domain.h"

namespace packline::station {

enum class VerdictKind {
    Accepted,   // the step was taken
    Info,       // nothing changed; a hint for the packer
    Rejected,   // input refused without changing the parcel (unknown order, garbage)
    Exception,  // a check failed: the parcel is in exception
    Confirmed,  // the parcel passed all three checks
};
std::string_view to_string(VerdictKind kind);

// What the packer screen shows after each event.
struct Verdict {
    VerdictKind kind = VerdictKind::Info;
    std::string code;     // reason code on Rejected/Exception, step name otherwise
    std::string message;  // for the packer
    std::vector<Detail> details;
    std::optional<Parcel> parcel;  // snapshot after the step (none when idle)
    std::int64_t at_ms = 0;
};

// The station's own verdict codes: steps taken, hints and refusals. A check
// that fails reports its reason code instead (checks_reasons.h). Codes are
// stable: the packer screen's texts (i18n/*.json) and the screen's sounds are
// keyed by them, so a code is never renamed or reused.
namespace verdict {
inline constexpr std::string_view command_ignored = "command.ignored";
inline constexpr std::string_view command_unknown = "command.unknown";
inline constexpr std::string_view contents_complete = "contents.complete";
inline constexpr std::string_view customer_waybill_ok = "customer.waybill_ok";
inline constexpr std::string_view device_paused = "device.paused";
inline constexpr std::string_view device_resumed = "device.resumed";
inline constexpr std::string_view evidence_photo_failed = "evidence.photo_failed";
inline constexpr std::string_view item_accepted = "item.accepted";
inline constexpr std::string_view label_already_confirmed = "label.already_confirmed";
inline constexpr std::string_view label_printed = "label.printed";
inline constexpr std::string_view label_printing = "label.printing";
inline constexpr std::string_view label_submitted = "label.submitted";
inline constexpr std::string_view order_unknown = "order.unknown";
inline constexpr std::string_view order_updated = "order.updated";
inline constexpr std::string_view override_choose_reason = "override.choose_reason";
inline constexpr std::string_view override_no_supervisor = "override.no_supervisor";
inline constexpr std::string_view override_not_allowed = "override.not_allowed";
inline constexpr std::string_view override_nothing = "override.nothing";
inline constexpr std::string_view override_timeout = "override.timeout";
inline constexpr std::string_view override_unknown_badge = "override.unknown_badge";
inline constexpr std::string_view override_unknown_reason = "override.unknown_reason";
inline constexpr std::string_view packer_login = "packer.login";
inline constexpr std::string_view parcel_abandoned = "parcel.abandoned";
inline constexpr std::string_view parcel_confirmed = "parcel.confirmed";
inline constexpr std::string_view parcel_in_exception = "parcel.in_exception";
inline constexpr std::string_view parcel_override = "parcel.override";
inline constexpr std::string_view parcel_retry = "parcel.retry";
inline constexpr std::string_view parcel_started = "parcel.started";
inline constexpr std::string_view reprint_reason = "reprint.reason";
inline constexpr std::string_view reprint_supervisor = "reprint.supervisor";
inline constexpr std::string_view scan_badge_typed = "scan.badge_typed";
inline constexpr std::string_view scan_empty = "scan.empty";
inline constexpr std::string_view scan_manual_not_allowed = "scan.manual_not_allowed";
inline constexpr std::string_view station_idle = "station.idle";
inline constexpr std::string_view station_locked = "station.locked";
inline constexpr std::string_view station_message = "station.message";
inline constexpr std::string_view station_paused = "station.paused";
inline constexpr std::string_view station_restored = "station.restored";
inline constexpr std::string_view station_resumed = "station.resumed";
inline constexpr std::string_view weight_accepted = "weight.accepted";
}  // namespace verdict

// Every code of namespace verdict, in order.
std::span<const std::string_view> all_verdict_codes();

}  // namespace packline::station
