// The packing station: turns device events and the hub's requests into
// parcel transitions. The packing rules themselves are data
// (parcel_flow.h); the station routes each input to the piece that owns it
// and applies the rules' decisions (station/src/core/parcel_coordinator.h).
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
#include <utility>
#include <vector>

#include "packline/clock.h"
#include "packline/error.h"
#include "packline/hardware/devices.h"
#include "packline/hardware/events.h"
#include "packline/ids.h"
#include "packline/station/config.h"
#include "packline/station/domain.h"
#include "packline/station/scan_input.h"
#include "packline/station/verdict.h"

namespace packline::station {

class Store;

// The device name of scans that come from the packer screen (buttons, manual entry).
inline constexpr std::string_view kScreenDevice = "screen";

class StationObserver {
  public:
    virtual ~StationObserver() = default;
    virtual void on_verdict(const Verdict& verdict) = 0;
    // Every scale reading and every device health report, after the station
    // handled it (the packer screen draws the live weight and device chips).
    virtual void on_weight(const hardware::WeightReading& /*reading*/) {}
    virtual void on_device(const hardware::DeviceStatusEvent& /*event*/) {}
};

struct StationDevices {
    hardware::LabelPrinter* printer = nullptr;
    hardware::Indicator* indicator = nullptr;  // optional
    // Optional: takes the evidence photo at confirmation ([evidence] in the config).
    hardware::Camera* camera = nullptr;
};

// What a supervisor asked for from the hub (sync/, the commands topic).
struct RemoteRequest {
    std::string issued_by;  // supervisor badge or user id, for the audit trail
    std::string reason;     // may be empty
    std::string text;       // a message for the packer
    std::string order_id;   // reprint: only for this order (empty = the current parcel)
};

// The station as a supervisor sees it (the status the station publishes).
struct StationSnapshot {
    // idle, scanning, weighing, printing, awaiting_scan_back, exception, paused
    std::string state;
    std::string packer;  // empty while the station is locked (nobody signed in)
    bool locked = false;
    std::int64_t packer_since_ms = 0;  // sign-in of the packer; 0 = the default packer
    std::string current_order;         // empty when idle
    std::string paused_by;             // set while paused
    std::string pause_reason;
    struct Device {
        std::string name;
        hardware::DeviceKind kind = hardware::DeviceKind::Scanner;
        hardware::DeviceHealth health = hardware::DeviceHealth::Present;
        std::string detail;
        friend bool operator==(const Device&, const Device&) = default;
    };
    std::vector<Device> devices;  // as the devices last reported, by name
    friend bool operator==(const StationSnapshot&, const StationSnapshot&) = default;
};

class MessageSequence;
struct PackerView;

// An observer's subscription to a station: while it lives the station
// reports to the observer; when it goes (destroy it before the observer) the
// station stops. It may outlive the station. Move-only. Thread-bound like
// the station: the loop thread, or while the loop is stopped.
class ObserverSubscription {
  public:
    ObserverSubscription() = default;
    ~ObserverSubscription() { reset(); }
    ObserverSubscription(ObserverSubscription&& other) noexcept
        : observers_(std::move(other.observers_)),
          observer_(std::exchange(other.observer_, nullptr)) {}
    ObserverSubscription& operator=(ObserverSubscription&& other) noexcept {
        if (this != &other) {
            reset();
            observers_ = std::move(other.observers_);
            observer_ = std::exchange(other.observer_, nullptr);
        }
        return *this;
    }
    ObserverSubscription(const ObserverSubscription&) = delete;
    ObserverSubscription& operator=(const ObserverSubscription&) = delete;

    // Stops the reports now.
    void reset() {
        if (auto observers = observers_.lock()) std::erase(*observers, observer_);
        observers_.reset();
        observer_ = nullptr;
    }

  private:
    friend class PackerFeedback;
    ObserverSubscription(std::weak_ptr<std::vector<StationObserver*>> observers,
                         StationObserver* observer)
        : observers_(std::move(observers)), observer_(observer) {}

    std::weak_ptr<std::vector<StationObserver*>> observers_;
    StationObserver* observer_ = nullptr;
};

class PackingStation {
  public:
    // Every time the station stamps or compares comes from `clock`, and
    // every event id from `ids`; both must outlive it. Tests hand in a
    // ManualClock and set the time, and CountingIds to know the ids.
    PackingStation(Store& store, StationConfig config, StationDevices devices,
                   const Clock& clock = system_clock(), IdSource& ids = random_ids());
    ~PackingStation();
    PackingStation(const PackingStation&) = delete;
    PackingStation& operator=(const PackingStation&) = delete;

    // Reloads the station's active parcel from the store (after a restart).
    Status restore();

    void handle(const hardware::DeviceEvent& event);
    // Timeouts: weighing without a stable reading, print jobs, supervisor badge;
    // evidence photo retention (at the first tick, then hourly).
    void tick(std::int64_t now_ms);
    // The clock the station was given; the loop ticks by it.
    const Clock& clock() const;

    // Verdicts, weights and device states go to `observer` until the
    // subscription goes.
    [[nodiscard]] ObserverSubscription add_observer(StationObserver& observer);

    const std::optional<Parcel>& parcel() const;
    const StationConfig& config() const;

    // ---- from the hub (applied on the loop thread by sync) ----
    // The store now holds a new state of this order (an update from the hub).
    // A parcel of it in progress follows at once: cancelled -> the parcel is
    // abandoned (nothing ships); on hold -> customer exception until released
    // (RETRY); the recipient changed -> checked again, and a label printed
    // with the old address must be reprinted (express.label_outdated).
    void order_changed(const std::string& order_id);
    // Pause: every scan is refused with the supervisor's reason until resume.
    // Persisted: a restart stays paused.
    Status pause(const RemoteRequest& request);
    Status resume(const RemoteRequest& request);
    // Shows the text to the packer.
    void show_message(const RemoteRequest& request);
    // Reprints the current parcel's label as a supervisor's audited reprint.
    // "command.not_applicable" when there is no label to reprint or the
    // parcel is of another order than request.order_id.
    Status remote_reprint(const RemoteRequest& request);

    StationSnapshot snapshot() const;
    // What the packer screen shows (packer_view.h).
    PackerView packer_view() const;
    // The station's message sequence (opened by restore() or at the first
    // message); its next() may be called from any thread. An error when the
    // store cannot reserve numbers.
    Result<MessageSequence*> message_sequence();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace packline::station
