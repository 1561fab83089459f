// Who packs at the bench, and whether the bench takes scans now: sign-in
// and the idle lock ([packers]), and a pause a supervisor ordered from the
// hub. Pure: it holds the state and says why a scan is refused; the station
// logs, persists and tells.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "packline/station/config.h"
#include "packline/station/scan_input.h"
#include "packline/station/verdict.h"

namespace packline::station {

class PackerSession {
  public:
    struct Pause {
        std::string by;
        std::string reason;
    };

    // Locked from the start when a packer must sign in.
    PackerSession(const PackerSettings& settings, std::int64_t now_ms);

    // Why this scan is refused (typed badge, paused, locked); none when it
    // may go on. Empty scans are refused before.
    std::optional<Verdict> refusal(const ScanInput& input) const;
    // A scan or a screen action: the idle clock starts again.
    void activity(std::int64_t now_ms) { last_activity_ms_ = now_ms; }
    void sign_in(std::int64_t now_ms);
    // Whether the idle lock is due at `now_ms`.
    bool idle_due(std::int64_t now_ms) const;
    void lock_idle();

    void pause(Pause pause) { paused_ = std::move(pause); }
    void resume() { paused_.reset(); }

    bool locked() const { return locked_; }
    const std::string& lock_reason() const { return lock_reason_; }  // "sign_in", "idle"
    std::int64_t since_ms() const { return since_ms_; }              // 0 = the default packer
    const std::optional<Pause>& paused() const { return paused_; }
    std::int64_t idle_lock_minutes() const { return settings_.idle_lock_ms / 60000; }

  private:
    PackerSettings settings_;
    bool locked_ = false;
    std::string lock_reason_;
    std::int64_t last_activity_ms_ = 0;
    std::int64_t since_ms_ = 0;
    std::optional<Pause> paused_;
};

}  // namespace packline::station
