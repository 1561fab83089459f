// Payloads the outside world hears about (the outbox). Versioned JSON; the
// MQTT contract in docs/mqtt/ describes them (sync arrives with issue 5).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "packline/station/config.h"
#include "packline/station/domain.h"

namespace packline::station {

inline constexpr std::string_view kShipmentSchema = "packline.shipment/1";
inline constexpr std::string_view kStationEventSchema = "packline.station-event/1";

// "packline/v1/{site}/stations/{station}/{leaf}"
std::string station_topic(const StationConfig& config, std::string_view leaf);

struct OverrideRecord {
    std::string check;
    std::string reason;      // the failed reason that was overridden
    std::string chosen;      // override reason code chosen by the supervisor
    std::string supervisor;  // badge id
};

// `label_reprints`: reprints the audit trail records for the parcel
// (PL-CMD:REPRINT, or a restart while printing). The evidence photo, when the
// parcel has one, comes from parcel.photo.
// `sent_at_ms` and `sequence` (the envelope, docs/mqtt/README.md) are left
// out when 0, as packline.shipment/1 allows.
std::string shipment_confirmation_json(const Parcel& parcel, const Order& order,
                                       const StationConfig& config, std::string_view event_id,
                                       const std::vector<OverrideRecord>& overrides,
                                       int label_reprints = 0, std::int64_t sent_at_ms = 0,
                                       std::int64_t sequence = 0);

// A packline.station-event/1 (docs/mqtt/schemas/station-event.schema.json).
// Members left empty (0 for parcel_id) are left out; text is cut to the
// schema's limits (the message to 1000 characters, at most 32 details).
struct StationEventFields {
    std::string kind;  // packing_started, exception, override, manual_entry, abandoned, error
    std::string order_id;
    std::int64_t parcel_id = 0;
    std::string packer;
    std::string check;
    std::string reason;
    std::string override_reason;
    std::string supervisor;
    std::string message;
    std::vector<Detail> details;
};
std::string station_event_json(const StationConfig& config, std::string_view event_id,
                               std::int64_t sent_at_ms, std::int64_t sequence,
                               const StationEventFields& fields);

// JSON text that never throws: bytes that are not UTF-8 (a garbage scan) are
// replaced with U+FFFD rather than aborting the step that records them.
std::string json_text(const nlohmann::json& value);

// A random RFC 4122 version 4 UUID, the idempotency key of every event.
std::string new_event_id();

}  // namespace packline::station
