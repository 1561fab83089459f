// Messages sync itself makes for the hub: the error event that reports a
// refused inbound message, and the offline status a station registers as
// its MQTT will (and publishes itself before a clean disconnect). Shipment
// confirmations and the other station events are built by the station
// (station/src/core/messages.cpp) and go through its outbox.
//
// Every encoder checks its own output against the published schema, so a
// station never sends what the hub would refuse; an id that cannot be a topic
// level, or an event id that is not a UUID, is "sync.bad_message".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "packline/error.h"
#include "packline/station/shift_counters.h"

namespace packline::sync {

// Who sends: the station's site and id from its configuration.
struct StationIdentity {
    std::string site;
    std::string station;
};

// The envelope values the caller owns: a fresh event id (a UUID, lower-case
// hex), the station's wall clock and its monotonic sequence.
struct Envelope {
    std::string event_id;
    std::int64_t sent_at_ms = 0;
    std::int64_t sequence = 0;
};

// packline.station-event/1, kind "error", for a message the station refused:
// `error` as decode_inbound returned it, the topic it came on and its payload
// (the payload's event_id is quoted when it has a readable one). Long or
// broken text is cut and made valid UTF-8; the result always fits the schema.
// `refused` > 1: the event stands for that many refusals on the topic since
// the last one reported, this being a sample (details: refused = N).
Result<std::string> error_event_json(const StationIdentity& identity, const Envelope& envelope,
                                     const Error& error, std::string_view topic,
                                     std::string_view payload, std::int64_t refused = 1);

// What a station tells supervisors about itself (packline.station-status/1,
// any state but offline). The station builds it from its state and store
// (sync/station); sync only encodes it.
struct StationStatus {
    // idle, scanning, weighing, printing, awaiting_scan_back, exception, paused
    std::string state;
    std::string packer;
    std::string current_order;
    station::ShiftCounters counters;  // since the packer signed in (or midnight)
    double parcels_per_hour = 0;
    struct Device {
        std::string name;
        std::string kind;    // scanner, scale, label-printer, camera, indicator
        std::string health;  // present, absent, faulty
        std::string detail;
    };
    std::vector<Device> devices;
    std::int64_t outbox_backlog = 0;
    std::int64_t refused_messages = 0;          // inbound messages refused since the start
    std::int64_t last_sync_ms = 0;              // 0 = the hub never acknowledged anything
    std::optional<std::int64_t> clock_skew_ms;  // station minus hub; none before the first ack
    std::vector<station::PoolStock> tracking_pool;
};

// The status, fitted to the schema: long text is cut, at most 32 devices and
// pool entries, carriers whose code the schema does not allow are left out.
Result<std::string> station_status_json(const StationIdentity& identity, const Envelope& envelope,
                                        std::string_view version, const StationStatus& status);

enum class OfflineReason { ConnectionLost, Shutdown };

// packline.station-status/1 with state "offline": the will (ConnectionLost,
// registered at connect with that moment's envelope) or the last status of a
// clean shutdown.
Result<std::string> offline_status_json(const StationIdentity& identity, const Envelope& envelope,
                                        std::string_view version, OfflineReason reason);

}  // namespace packline::sync
