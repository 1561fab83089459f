#include "packline/sync/objects.h"

#include <exception>
#include <nlohmann/json.hpp>

#include "message_validation.h"
#include "packline/sync/sync_errors.h"
#include "packline/sync/text_checks.h"

namespace packline::sync {
namespace {

using nlohmann::json;

// ack.schema.json: reason is 1 to 1000 characters (a byte bound is safe).
constexpr std::size_t kMaxAckReason = 1000;

json envelope_of(std::string_view schema, const Envelope& envelope) {
    json message{
        {"schema", schema}, {"event_id", envelope.event_id}, {"sent_at_ms", envelope.sent_at_ms}};
    if (envelope.sequence > 0) message["sequence"] = envelope.sequence;
    return message;
}

void set_if_not_empty(json& object, const char* name, const std::string& value) {
    if (!value.empty()) object[name] = value;
}

// The self-check: what a station would refuse is not published. dump()
// replaces bytes that are not UTF-8, which validation then reports against
// the member (they can only come from a value the caller passed).
Result<std::string> checked(std::string_view schema_name, const json& message) {
    std::string text = message.dump(-1, ' ', false, json::error_handler_t::replace);
    if (auto valid = parse_and_validate(schema_name, text); !valid)
        return valid.error().context("encode " + std::string(schema_name));
    return text;
}

template <typename Make>
Result<std::string> guarded(std::string_view what, Make make) {
    try {
        return make();
    } catch (const std::exception& failure) {
        return Error{errors::kSyncBadMessage,
                     "encode " + std::string(what) + ": " + failure.what()};
    }
}

}  // namespace

Result<std::string> order_json(std::string_view site, const station::Order& order,
                               const Envelope& envelope) {
    return guarded("order", [&]() -> Result<std::string> {
        json message = envelope_of("packline.order/1", envelope);
        message["site"] = site;
        message["order_id"] = order.id;
        message["status"] = station::to_string(order.status);
        if (order.created_at_ms > 0) message["created_at_ms"] = order.created_at_ms;
        if (order.ship_by_ms > 0) message["ship_by_ms"] = order.ship_by_ms;
        json address{{"lines", order.recipient.address.lines},
                     {"city", order.recipient.address.city},
                     {"postal_code", order.recipient.address.postal_code},
                     {"country", order.recipient.address.country}};
        set_if_not_empty(address, "region", order.recipient.address.region);
        message["recipient"] = json{{"name", order.recipient.name},
                                    {"phone", order.recipient.phone},
                                    {"address", std::move(address)}};
        set_if_not_empty(message, "carrier", order.carrier);
        set_if_not_empty(message, "service", order.service);
        set_if_not_empty(message, "tracking_number", order.tracking_number);
        set_if_not_empty(message, "packaging", order.packaging);
        set_if_not_empty(message, "sscc", order.sscc);
        json lines = json::array();
        for (const station::OrderLine& line : order.lines)
            lines.push_back(json{{"sku", line.sku}, {"quantity", line.quantity}});
        message["lines"] = std::move(lines);
        return checked("order", message);
    });
}

Result<std::string> sku_json(std::string_view site, const station::Sku& sku,
                             const Envelope& envelope) {
    return guarded("sku", [&]() -> Result<std::string> {
        json message = envelope_of("packline.sku/1", envelope);
        message["site"] = site;
        message["sku"] = sku.sku;
        set_if_not_empty(message, "name", sku.name);
        set_if_not_empty(message, "style", sku.style);
        set_if_not_empty(message, "size", sku.size);
        set_if_not_empty(message, "colour", sku.colour);
        message["unit_weight_g"] = sku.unit_weight_g;
        if (!sku.barcodes.empty()) message["barcodes"] = sku.barcodes;
        if (sku.serial_required) message["serial_required"] = true;
        if (sku.tolerance_abs_g) message["tolerance_abs_g"] = *sku.tolerance_abs_g;
        if (sku.tolerance_pct) message["tolerance_pct"] = *sku.tolerance_pct;
        return checked("sku", message);
    });
}

Result<std::string> packaging_json(std::string_view site, const station::Packaging& packaging,
                                   const Envelope& envelope) {
    return guarded("packaging", [&]() -> Result<std::string> {
        json message = envelope_of("packline.packaging/1", envelope);
        message["site"] = site;
        message["code"] = packaging.code;
        set_if_not_empty(message, "name", packaging.name);
        message["tare_g"] = packaging.tare_g;
        return checked("packaging", message);
    });
}

Result<std::string> tracking_pool_json(const StationIdentity& station,
                                       const TrackingPoolTopUp& top_up, const Envelope& envelope) {
    return guarded("tracking pool", [&]() -> Result<std::string> {
        json message = envelope_of("packline.tracking-pool/1", envelope);
        message["site"] = station.site;
        message["station"] = station.station;
        message["carrier"] = top_up.carrier;
        message["numbers"] = top_up.numbers;
        return checked("tracking-pool", message);
    });
}

Result<std::string> command_json(const Command& command, const Envelope& envelope) {
    return guarded("command", [&]() -> Result<std::string> {
        json message = envelope_of("packline.command/1", envelope);
        message["command"] = to_string(command.kind);
        message["issued_by"] = command.issued_by;
        set_if_not_empty(message, "reason", command.reason);
        if (command.kind == CommandKind::Message) message["text"] = command.text;
        if (command.kind == CommandKind::Reprint)
            set_if_not_empty(message, "order_id", command.order_id);
        if (command.expires_at_ms > 0) message["expires_at_ms"] = command.expires_at_ms;
        return checked("command", message);
    });
}

Result<std::string> ack_json(std::span<const Ack> acks, const Envelope& envelope) {
    return guarded("ack", [&]() -> Result<std::string> {
        if (acks.empty() || acks.size() > kMaxAcksPerMessage)
            return Error{errors::kSyncBadMessage,
                         "encode ack: " + std::to_string(acks.size()) + " event ids (1 to " +
                             std::to_string(kMaxAcksPerMessage) + " allowed)"};
        json message = envelope_of("packline.ack/1", envelope);
        json entries = json::array();
        for (const Ack& ack : acks) {
            json entry{{"event_id", ack.event_id}, {"result", to_string(ack.result)}};
            if (ack.result == AckResult::Rejected) {
                std::string reason(text::cut_utf8(
                    text::sanitized(text::cut_utf8(ack.reason, kMaxAckReason)), kMaxAckReason));
                entry["reason"] = reason.empty() ? std::string("rejected by the hub") : reason;
            }
            entries.push_back(std::move(entry));
        }
        message["acks"] = std::move(entries);
        return checked("ack", message);
    });
}

}  // namespace packline::sync
