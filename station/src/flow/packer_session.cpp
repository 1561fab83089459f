#include "packline/station/packer_session.h"

namespace packline::station {

namespace {

Verdict refused(std::string_view code, std::string message) {
    return Verdict{
        VerdictKind::Rejected, std::string(code), std::move(message), {}, std::nullopt, 0};
}

}  // namespace

PackerSession::PackerSession(const PackerSettings& settings, std::int64_t now_ms)
    : settings_(settings), last_activity_ms_(now_ms) {
    locked_ = settings.sign_in_required;
    if (locked_) lock_reason_ = "sign_in";
}

std::optional<Verdict> PackerSession::refusal(const ScanInput& input) const {
    if (input.manual && input.is_badge())
        // A badge number typed in would let anyone who knows it sign in or
        // override.
        return refused(verdict::scan_badge_typed,
                       "Badges must be scanned, not typed — scan the badge.");
    if (paused_)
        return refused(
            verdict::station_paused,
            "Station paused by " + paused_->by +
                (paused_->reason.empty() ? std::string() : " (" + paused_->reason + ")") +
                ". Wait until a supervisor resumes it.");
    if (locked_ && input.kind != ScanKind::PackerBadge)
        return refused(verdict::station_locked,
                       lock_reason_ == "idle"
                           ? "Locked after a pause — scan your packer badge to go on."
                           : "Nobody is signed in — scan your packer badge first.");
    return std::nullopt;
}

void PackerSession::sign_in(std::int64_t now_ms) {
    since_ms_ = now_ms;
    locked_ = false;
    lock_reason_.clear();
}

bool PackerSession::idle_due(std::int64_t now_ms) const {
    return !locked_ && settings_.idle_lock_ms > 0 &&
           now_ms - last_activity_ms_ > settings_.idle_lock_ms;
}

void PackerSession::lock_idle() {
    locked_ = true;
    lock_reason_ = "idle";
}

}  // namespace packline::station
