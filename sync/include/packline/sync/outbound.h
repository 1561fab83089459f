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
#include <string>
#include <string_view>

#include "packline/error.h"

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
Result<std::string> error_event_json(const StationIdentity& identity, const Envelope& envelope,
                                     const Error& error, std::string_view topic,
                                     std::string_view payload);

enum class OfflineReason { ConnectionLost, Shutdown };

// packline.station-status/1 with state "offline": the will (ConnectionLost,
// registered at connect with that moment's envelope) or the last status of a
// clean shutdown.
Result<std::string> offline_status_json(const StationIdentity& identity, const Envelope& envelope,
                                        std::string_view version, OfflineReason reason);

}  // namespace packline::sync
