// Messages the hub makes for stations: the retained catalogue objects
// (orders, SKUs, packaging), tracking-pool top-ups, commands and
// acknowledgements. The inverse of decode_inbound (inbound.h): what these
// encoders make, decode_inbound reads back as the same values.
//
// Every encoder checks its own output against the published schema, so the
// hub never publishes what a station would refuse. A value the schema does
// not allow (an id that cannot be a topic level, a carrier code in upper
// case, an event id that is not a UUID) is "sync.bad_message" naming the
// member; an ack's reason that is too long is cut instead. Pure functions;
// thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "packline/error.h"
#include "packline/station/domain.h"
#include "packline/sync/inbound.h"
#include "packline/sync/outbound.h"

namespace packline::sync {

// The hub's envelope: `sequence` is optional in hub messages and written
// only when it is greater than zero.

// packline.order/1 for `site` (the order's own `site` member is not used:
// the hub publishes under the site it serves).
Result<std::string> order_json(std::string_view site, const station::Order& order,
                               const Envelope& envelope);
// packline.sku/1.
Result<std::string> sku_json(std::string_view site, const station::Sku& sku,
                             const Envelope& envelope);
// packline.packaging/1.
Result<std::string> packaging_json(std::string_view site, const station::Packaging& packaging,
                                   const Envelope& envelope);
// packline.tracking-pool/1: numbers for one carrier, for one station.
Result<std::string> tracking_pool_json(const StationIdentity& station,
                                       const TrackingPoolTopUp& top_up, const Envelope& envelope);
// packline.command/1. `text` is written for Message only, `order_id` for
// Reprint only (when not empty), `reason` when not empty, `expires_at_ms`
// when greater than zero.
Result<std::string> command_json(const Command& command, const Envelope& envelope);

// The most event ids one acknowledgement may name (ack.schema.json).
inline constexpr std::size_t kMaxAcksPerMessage = 1000;

// packline.ack/1 naming 1 to kMaxAcksPerMessage event ids. A rejected ack's
// reason is cut to the schema's 1000 characters and made valid UTF-8; an
// empty one becomes "rejected by the hub".
Result<std::string> ack_json(std::span<const Ack> acks, const Envelope& envelope);

}  // namespace packline::sync
