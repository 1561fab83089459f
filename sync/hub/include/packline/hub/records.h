// What the hub keeps of the messages stations send: one record per
// shipment confirmation, station event and station status, with the
// columns the hub queries and exports, and the payload exactly as it came.
// Plain data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace packline::hub {

// packline.shipment/1 (docs/mqtt/schemas/shipment.schema.json).
struct ShipmentRecord {
    std::string event_id;
    std::string site;
    std::string station;
    std::string order_id;
    std::int64_t parcel_id = 0;
    std::int64_t parcel_sequence = 1;
    bool partial = false;
    std::string carrier;
    std::string tracking_number;
    double weight_g = 0.0;
    double expected_weight_g = 0.0;
    std::string packaging;
    std::string packer;
    std::int64_t confirmed_at_ms = 0;
    // Optional in packline.shipment/1 (stations before issue 5 do not send them).
    std::optional<std::int64_t> sent_at_ms;
    std::optional<std::int64_t> sequence;
    std::string payload;
};

// packline.station-event/1: packing started, exception, override, error.
struct StationEventRecord {
    std::string event_id;
    std::string site;
    std::string station;
    // "packing_started", "exception", "override", "manual_entry", "abandoned", "error"
    std::string kind;
    std::string order_id;
    std::optional<std::int64_t> parcel_id;
    std::string check;   // customer, contents, express; or empty
    std::string reason;  // reason code of an exception or override
    std::string code;    // error code of an error event
    std::string message;
    std::string packer;
    std::string supervisor;
    std::int64_t sent_at_ms = 0;
    std::int64_t sequence = 0;
    std::string payload;
};

struct CarrierStock {
    std::string carrier;
    std::int64_t available = 0;
};

// packline.station-status/1 (retained; the will is the offline one).
struct StatusRecord {
    std::string event_id;
    std::string site;
    std::string station;
    std::string state;           // idle, scanning, ..., offline
    std::string offline_reason;  // connection_lost, shutdown; empty unless offline
    std::string version;
    std::string packer;
    std::string current_order;
    std::int64_t outbox_backlog = 0;
    std::int64_t last_sync_ms = 0;
    std::int64_t sent_at_ms = 0;
    std::int64_t sequence = 0;
    std::vector<CarrierStock> tracking_pool;
    std::string payload;

    // The will: the broker published it when the station's connection died.
    [[nodiscard]] bool is_will() const {
        return state == "offline" && offline_reason == "connection_lost";
    }
};

using StationRecord = std::variant<ShipmentRecord, StationEventRecord, StatusRecord>;

}  // namespace packline::hub
