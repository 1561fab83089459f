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
std::string shipment_confirmation_json(const Parcel& parcel, const Order& order,
                                       const StationConfig& config, std::string_view event_id,
                                       const std::vector<OverrideRecord>& overrides,
                                       int label_reprints = 0);

// JSON text that never throws: bytes that are not UTF-8 (a garbage scan) are
// replaced with U+FFFD rather than aborting the step that records them.
std::string json_text(const nlohmann::json& value);

// A random RFC 4122 version 4 UUID, the idempotency key of every event.
std::string new_event_id();

}  // namespace packline::station
