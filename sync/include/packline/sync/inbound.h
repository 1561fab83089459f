// Messages the hub sends to a station, decoded: topic parsed, payload
// checked (size, UTF-8, depth, JSON, envelope, schema version, schema, ids
// against the topic) and turned into typed values. Orders, SKUs and packaging
// come out as the station's domain types, normalised as the file importer
// normalises them (docs/import-format.md), ready for Store::import.
//
// decode_inbound is pure and thread-safe: the MQTT client thread may call it
// and post the result to the station loop. It never throws and never
// applies anything; a refused message is an Error ("sync.bad_topic",
// "sync.bad_message") for the caller to log and report as an error event
// (outbound.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "packline/error.h"
#include "packline/station/domain.h"
#include "packline/sync/topics.h"

namespace packline::sync {

// An empty retained payload on an object topic: the hub removed the order,
// SKU or packaging code named by the topic.
struct ObjectDeleted {
    TopicKind kind = TopicKind::Order;  // Order, Sku or Packaging
    std::string id;
};

enum class CommandKind { Reprint, Pause, Resume, Message };
std::string_view to_string(CommandKind kind);

struct Command {
    CommandKind kind = CommandKind::Pause;
    std::string issued_by;           // supervisor badge or user id, for the audit trail
    std::string reason;              // may be empty
    std::string text;                // Message only: what the packer is shown
    std::string order_id;            // Reprint only, may be empty: reprint only for this order
    std::int64_t expires_at_ms = 0;  // 0 = never
};

struct TrackingPoolTopUp {
    std::string carrier;
    std::vector<std::string> numbers;
};

enum class AckResult { Stored, Duplicate, Rejected };
std::string_view to_string(AckResult result);

struct Ack {
    std::string event_id;  // the station's outbox message
    AckResult result = AckResult::Stored;
    std::string reason;  // Rejected only
};

struct AckBatch {
    std::vector<Ack> acks;
};

using InboundBody = std::variant<station::Order, station::Sku, station::Packaging, ObjectDeleted,
                                 Command, TrackingPoolTopUp, AckBatch>;

struct InboundMessage {
    Topic topic;
    // The envelope; event_id is empty (and sent_at_ms 0) for ObjectDeleted,
    // which has no payload. Deduplicate by event_id before applying.
    std::string event_id;
    std::int64_t sent_at_ms = 0;  // the hub's clock
    InboundBody body;
};

// Topics a station receives: orders, SKUs, packaging, commands, tracking
// pool, acknowledgements. Anything else (including the up topics) is refused.
// An empty payload deletes on an object topic and is refused elsewhere.
Result<InboundMessage> decode_inbound(std::string_view topic, std::string_view payload);

}  // namespace packline::sync
