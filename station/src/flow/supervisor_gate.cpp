#include "packline/station/supervisor_gate.h"

#include <algorithm>

namespace packline::station {

namespace {

flow::Decision tell(VerdictKind kind, std::string_view code, std::string message) {
    flow::Decision decision;
    decision.verdict = Verdict{kind, std::string(code), std::move(message), {}, std::nullopt, 0};
    return decision;
}

}  // namespace

SupervisorGate::SupervisorGate(const std::map<std::string, std::string>& supervisors,
                               const std::vector<OverrideReason>& reasons, std::int64_t timeout_ms)
    : supervisors_(supervisors), reasons_(reasons), timeout_ms_(timeout_ms) {}

flow::Decision SupervisorGate::badge(const std::string& badge, const std::optional<Parcel>& parcel,
                                     std::int64_t now_ms) {
    auto known = supervisors_.find(badge);
    if (known == supervisors_.end()) {
        flow::Decision refused = tell(VerdictKind::Rejected, verdict::override_unknown_badge,
                                      "Badge not recognised as a supervisor.");
        refused.logged = flow::StepRecord{"override.refused", {{"badge", badge}}};
        return refused;
    }
    std::string codes;
    for (const OverrideReason& reason : reasons_)
        codes += (codes.empty() ? "" : ", ") + reason.code;
    if (parcel && parcel->state == ParcelState::AwaitingScanBack) {
        // Nothing to override, but the supervisor may reprint the label.
        pending_ = Pending{badge, known->second, now_ms, true, {}};
        return tell(VerdictKind::Info, verdict::reprint_supervisor,
                    known->second + ": scan REPRINT, or a reason (" + codes + ") then REPRINT.");
    }
    if (!parcel || parcel->state != ParcelState::Exception)
        return tell(VerdictKind::Info, verdict::override_nothing, "Nothing to override.");
    pending_ = Pending{badge, known->second, now_ms, false, {}};
    return tell(VerdictKind::Info, verdict::override_choose_reason,
                known->second + ": scan an override reason (" + codes + ").");
}

SupervisorGate::ReasonOutcome SupervisorGate::reason(const std::string& code,
                                                     const std::optional<Parcel>& parcel) {
    if (!pending_)
        return {tell(VerdictKind::Rejected, verdict::override_no_supervisor,
                     "Scan a supervisor badge first."),
                std::nullopt};
    auto reason =
        std::find_if(reasons_.begin(), reasons_.end(),
                     [&](const OverrideReason& candidate) { return candidate.code == code; });
    if (reason == reasons_.end())
        return {tell(VerdictKind::Rejected, verdict::override_unknown_reason,
                     "Unknown override reason '" + code + "'."),
                std::nullopt};
    if (pending_->for_reprint) {
        if (parcel && parcel->state == ParcelState::AwaitingScanBack) {
            pending_->reason = reason->code;
            return {
                tell(VerdictKind::Info, verdict::reprint_reason, reason->label + ": scan REPRINT."),
                std::nullopt};
        }
        // The parcel moved on (e.g. a wrong label raised an exception): a
        // reason meant for a reprint must not become an override.
        pending_.reset();
        return {tell(VerdictKind::Rejected, verdict::override_no_supervisor,
                     "The badge was scanned for a reprint; scan it again to override."),
                std::nullopt};
    }
    if (!parcel || parcel->state != ParcelState::Exception || !parcel->exception) {
        pending_.reset();
        return {tell(VerdictKind::Info, verdict::override_nothing, "Nothing to override."),
                std::nullopt};
    }
    const ParcelException& failed = *parcel->exception;
    if (!is_overridable(failed.reason)) {
        pending_.reset();
        return {tell(VerdictKind::Rejected, verdict::override_not_allowed,
                     "This exception cannot be overridden (" + failed.reason +
                         "): fix the cause and scan RETRY, or ABANDON."),
                std::nullopt};
    }
    flow::OverrideInput input{reason->code, reason->label, pending_->badge, pending_->name};
    pending_.reset();
    return {{}, std::move(input)};
}

void SupervisorGate::remote_reprint(const std::string& issued_by, const std::string& reason,
                                    std::int64_t now_ms) {
    pending_ = Pending{issued_by, issued_by, now_ms, true, reason};
}

flow::Decision SupervisorGate::tick(std::int64_t now_ms) {
    if (!pending_ || now_ms - pending_->at_ms <= timeout_ms_) return {};
    pending_.reset();
    return tell(VerdictKind::Info, verdict::override_timeout,
                "The supervisor badge timed out — scan it again to go on.");
}

}  // namespace packline::station
