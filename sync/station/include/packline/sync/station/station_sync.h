// Sync for packline-stationd: the MQTT client, the outbox drain, the inbox
// and the station status, wired around the station loop
// (docs/ARCHITECTURE.md, "Sync"; docs/mqtt/README.md).
//
// Threads:
//   - Paho's threads (MqttClient handlers) only decode and post: acks to the
//     drain (and the clock skew they show), everything else as a task to the
//     station loop, where the Inbox applies it;
//   - one sync worker thread owns its own Store on the station's database
//     (WAL): it pumps the outbox drain and builds and publishes the retained
//     status (counters from its Store, the station's snapshot from the loop);
//   - the station loop calls on_verdict() (StationObserver): it wakes the
//     drain (a step may have written an outbox row) and, when the state,
//     packer, order, pause or device health changed, hands the worker a new
//     snapshot.
// The status goes out on every connection, on every such change (at most
// every status_min_interval), and at least every status_interval.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "packline/error.h"
#include "packline/hardware/events.h"
#include "packline/station/packing_station.h"
#include "packline/station/station_loop.h"
#include "packline/station/store.h"
#include "packline/sync/mqtt_settings.h"
#include "packline/sync/outbox_drain.h"

namespace packline::sync {

struct StationSyncOptions {
    MqttSettings mqtt;
    std::chrono::milliseconds status_interval{60000};
    std::chrono::milliseconds status_min_interval{250};
    // |station clock - hub clock| above this is logged and flagged in the status.
    std::chrono::milliseconds clock_skew_warning{2000};
    // Applied event ids are remembered this long (a redelivery later than
    // that is not expected; the broker's session expiry is shorter).
    std::chrono::hours inbox_retention{24 * 14};
    std::string version;  // empty: the build's version
    // The station's devices (id, kind). The status lists each: with the
    // health it last reported, or present when it never reported (simulated
    // devices do not; real drivers report on open and on every change).
    std::vector<std::pair<std::string, hardware::DeviceKind>> devices;
};

struct StationSyncStats {
    bool connected = false;
    int mqtt_version = 0;
    DrainStats drain;
    std::int64_t inbox_applied = 0;
    std::int64_t inbox_duplicates = 0;
    std::int64_t inbox_refused = 0;
    std::int64_t statuses_published = 0;
    std::int64_t last_ack_ms = 0;
    std::optional<std::int64_t> clock_skew_ms;
};

class StationSync final : public station::StationObserver {
  public:
    // `loop_store` and `station` belong to the loop thread; create() must be
    // called on it too (before loop.run(), or in a task). `log` receives one
    // line per notable event (connection, refusal, skew), from any thread.
    static Result<std::unique_ptr<StationSync>> create(StationSyncOptions options,
                                                       station::StationLoop& loop,
                                                       station::PackingStation& station,
                                                       station::Store& loop_store,
                                                       std::function<void(std::string)> log = {});
    ~StationSync() override;  // stop()s
    StationSync(const StationSync&) = delete;
    StationSync& operator=(const StationSync&) = delete;

    // Starts the client (it connects in the background) and the worker.
    Status start();
    // Publishes the shutdown status, disconnects, joins the worker.
    // Idempotent. Call while the loop's Store still exists.
    void stop();

    // StationObserver (loop thread).
    void on_verdict(const station::Verdict& verdict) override;

    // Any thread.
    [[nodiscard]] StationSyncStats stats() const;
    // Waits until connected (see MqttClient::wait_connected).
    Status wait_connected(std::chrono::milliseconds timeout);
    // Waits until the hub acknowledged every outbox row (none pending), at
    // most `timeout`; "sync.not_drained" with the count left otherwise.
    // Reads the outbox through its own Store on the calling thread.
    Status wait_drained(std::chrono::milliseconds timeout);

    struct Impl;

  private:
    explicit StationSync(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace packline::sync
