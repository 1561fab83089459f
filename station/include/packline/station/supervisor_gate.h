// The supervisor gate: a supervisor's badge, then a reason, unlock an
// override of the parcel's exception (or an audited reprint while the label
// waits for its scan-back). The badge is good for a while
// (supervisor_timeout_ms); a reason meant for a reprint never becomes an
// override. Pure: it holds who is waiting and decides what the packer is
// told; the station applies the override it hands back.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "packline/station/config.h"
#include "packline/station/parcel_flow.h"

namespace packline::station {

class SupervisorGate {
  public:
    struct Pending {
        std::string badge;
        std::string name;
        std::int64_t at_ms = 0;
        // Scanned while waiting for the scan-back: for a reprint, not an override.
        bool for_reprint = false;
        std::string reason;  // the reprint's reason, when one was scanned
    };
    // The outcome of a reason scanned: what the packer is told, or the
    // override to apply (then `told` is empty).
    struct ReasonOutcome {
        flow::Decision told;
        std::optional<flow::OverrideInput> override_input;
    };

    // The badges and reasons are the station's config, which outlives the gate.
    SupervisorGate(const std::map<std::string, std::string>& supervisors,
                   const std::vector<OverrideReason>& reasons, std::int64_t timeout_ms);

    flow::Decision badge(const std::string& badge, const std::optional<Parcel>& parcel,
                         std::int64_t now_ms);
    ReasonOutcome reason(const std::string& code, const std::optional<Parcel>& parcel);
    // A reprint a supervisor asked for from the hub.
    void remote_reprint(const std::string& issued_by, const std::string& reason,
                        std::int64_t now_ms);
    // The badge ran out of time: the packer is told; empty otherwise.
    flow::Decision tick(std::int64_t now_ms);

    const std::optional<Pending>& pending() const { return pending_; }
    std::int64_t expires_at_ms() const { return pending_ ? pending_->at_ms + timeout_ms_ : 0; }
    void clear() { pending_.reset(); }

  private:
    const std::map<std::string, std::string>& supervisors_;
    const std::vector<OverrideReason>& reasons_;
    std::int64_t timeout_ms_;
    std::optional<Pending> pending_;
};

}  // namespace packline::station
