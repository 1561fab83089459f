// The packing state machine: turns device events into parcel transitions.
//
// Thread-bound: every method runs on the station loop thread (StationLoop).
// Each accepted step is committed to the store as one transaction (parcel,
// event, outbox) before the verdict is reported, so a restart resumes exactly
// where the packer left off.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "packline/error.h"
#include "packline/hardware/devices.h"
#include "packline/hardware/events.h"
#include "packline/station/config.h"
#include "packline/station/domain.h"

namespace packline::station {

class Store;

// Barcodes that drive the station rather than name goods.
inline constexpr std::string_view kCommandPrefix =
    "PL-CMD:";  // CLOSE, SPLIT, RETRY, REPRINT, ABANDON
inline constexpr std::string_view kSupervisorPrefix = "PL-SUP:";  // supervisor badge
inline constexpr std::string_view kReasonPrefix = "PL-REASON:";   // override reason
inline constexpr std::string_view kPackerPrefix = "PL-PACKER:";   // packer badge

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

class StationObserver {
  public:
    virtual ~StationObserver() = default;
    virtual void on_verdict(const Verdict& verdict) = 0;
};

struct StationDevices {
    hardware::LabelPrinter* printer = nullptr;
    hardware::Indicator* indicator = nullptr;  // optional
    // Optional: takes the evidence photo at confirmation ([evidence] in the config).
    hardware::Camera* camera = nullptr;
};

class PackingStation {
  public:
    PackingStation(Store& store, StationConfig config, StationDevices devices);
    ~PackingStation();
    PackingStation(const PackingStation&) = delete;
    PackingStation& operator=(const PackingStation&) = delete;

    // Reloads the station's active parcel from the store (after a restart).
    Status restore();

    void handle(const hardware::DeviceEvent& event);
    // Timeouts: weighing without a stable reading, print jobs, supervisor badge;
    // evidence photo retention (at the first tick, then hourly).
    void tick(std::int64_t now_ms);

    void add_observer(StationObserver* observer);

    const std::optional<Parcel>& parcel() const;
    const StationConfig& config() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace packline::station
