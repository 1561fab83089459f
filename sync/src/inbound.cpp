#include "packline/sync/inbound.h"

#include <exception>
#include <unordered_set>

#include "message_validation.h"
#include "packline/station/barcode.h"
#include "packline/sync/sync_errors.h"
#include "packline/sync/text_checks.h"

namespace packline::sync {
namespace {

using nlohmann::json;

Error bad_message(std::string message) {
    return Error{errors::kSyncBadMessage, std::move(message)};
}

std::string text_member(const json& object, const char* name) {
    const auto found = object.find(name);
    return found == object.end() ? std::string() : found->get<std::string>();
}

std::int64_t integer_member(const json& object, const char* name) {
    const auto found = object.find(name);
    return found == object.end() ? 0 : found->get<std::int64_t>();
}

std::string_view trim_spaces(std::string_view text) {
    while (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ')
        text.remove_suffix(1);
    return text;
}

std::string upper_ascii(std::string text) {
    for (char& c : text)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return text;
}

// The payload's own ids must name the topic it came on: a message published
// to the wrong topic is a hub bug, and applying it would file the object
// under a key the hub never meant.
Status check_same(std::string_view member, std::string_view in_payload, std::string_view in_topic) {
    if (in_payload == in_topic) return {};
    return bad_message("/" + std::string(member) + " '" + text::printable(in_payload, 140) +
                       "' does not match the topic's '" + text::printable(in_topic, 140) + "'");
}

station::Order to_order(const json& message) {
    station::Order order;
    order.id = message.at("order_id").get<std::string>();
    order.site = message.at("site").get<std::string>();
    order.created_at_ms = integer_member(message, "created_at_ms");
    order.ship_by_ms = integer_member(message, "ship_by_ms");
    // The schema's enum only holds names order_status_from_string knows.
    order.status = station::order_status_from_string(message.at("status").get<std::string>())
                       .value_or(station::OrderStatus::OnHold);
    const json& recipient = message.at("recipient");
    order.recipient.name = recipient.at("name").get<std::string>();
    order.recipient.phone = recipient.at("phone").get<std::string>();
    const json& address = recipient.at("address");
    order.recipient.address.lines = address.at("lines").get<std::vector<std::string>>();
    order.recipient.address.city = address.at("city").get<std::string>();
    order.recipient.address.region = text_member(address, "region");
    order.recipient.address.postal_code = address.at("postal_code").get<std::string>();
    // As the importer does: "nl" is NL; anything else is the customer check's.
    order.recipient.address.country = upper_ascii(address.at("country").get<std::string>());
    order.carrier = text_member(message, "carrier");
    order.service = text_member(message, "service");
    order.tracking_number = std::string(trim_spaces(text_member(message, "tracking_number")));
    order.packaging = text_member(message, "packaging");
    order.sscc = text_member(message, "sscc");
    for (const json& line : message.at("lines"))
        order.lines.push_back(
            station::OrderLine{line.at("sku").get<std::string>(), line.at("quantity").get<int>()});
    return order;
}

station::Sku to_sku(const json& message) {
    station::Sku sku;
    sku.sku = message.at("sku").get<std::string>();
    sku.name = text_member(message, "name");
    sku.style = text_member(message, "style");
    sku.size = text_member(message, "size");
    sku.colour = text_member(message, "colour");
    sku.unit_weight_g = message.at("unit_weight_g").get<double>();
    // The station looks scans up by normalised code (a GTIN as its 14-digit
    // key), exactly as for imported SKUs; two spellings of one GTIN are one.
    for (const json& raw : message.value("barcodes", json::array())) {
        const std::string code =
            station::normalize_barcode(trim_spaces(raw.get_ref<const std::string&>()));
        if (code.empty()) continue;
        bool repeated = false;
        for (const std::string& kept : sku.barcodes)
            repeated = repeated || kept == code;
        if (!repeated) sku.barcodes.push_back(code);
    }
    sku.serial_required = message.value("serial_required", false);
    if (message.contains("tolerance_abs_g"))
        sku.tolerance_abs_g = message.at("tolerance_abs_g").get<double>();
    if (message.contains("tolerance_pct"))
        sku.tolerance_pct = message.at("tolerance_pct").get<double>();
    return sku;
}

station::Packaging to_packaging(const json& message) {
    return station::Packaging{message.at("code").get<std::string>(), text_member(message, "name"),
                              message.at("tare_g").get<double>()};
}

Command to_command(const json& message) {
    static const std::pair<std::string_view, CommandKind> kinds[] = {
        {"reprint", CommandKind::Reprint},
        {"pause", CommandKind::Pause},
        {"resume", CommandKind::Resume},
        {"message", CommandKind::Message},
    };
    Command command;
    const std::string name = message.at("command").get<std::string>();
    for (const auto& [text, kind] : kinds)
        if (name == text) command.kind = kind;
    command.issued_by = message.at("issued_by").get<std::string>();
    command.reason = text_member(message, "reason");
    command.text = text_member(message, "text");
    command.order_id = text_member(message, "order_id");
    command.expires_at_ms = integer_member(message, "expires_at_ms");
    return command;
}

AckBatch to_acks(const json& message) {
    AckBatch batch;
    for (const json& entry : message.at("acks")) {
        Ack ack;
        ack.event_id = entry.at("event_id").get<std::string>();
        const std::string result = entry.at("result").get<std::string>();
        ack.result = result == "stored"      ? AckResult::Stored
                     : result == "duplicate" ? AckResult::Duplicate
                                             : AckResult::Rejected;
        ack.reason = text_member(entry, "reason");
        batch.acks.push_back(std::move(ack));
    }
    return batch;
}

Result<InboundMessage> decode(std::string_view topic_text, std::string_view payload) {
    auto topic = parse_topic(topic_text);
    if (!topic) return topic.error();
    const ChannelRule& rule = channel_rule(topic->kind);
    if (rule.direction != Direction::HubToStation)
        return Error{errors::kSyncBadTopic,
                     "topic '" + text::printable(topic_text) +
                         "': stations publish on it, they do not receive it"};

    InboundMessage message;
    message.topic = std::move(*topic);
    if (payload.empty()) {
        // MQTT clears a retained message with an empty one, and brokers pass
        // it on to subscribers: that is how the hub deletes an object.
        if (!rule.retained)
            return bad_message("empty payload on a " + std::string(rule.leaf) + " topic");
        message.body = ObjectDeleted{message.topic.kind, message.topic.object_id};
        return message;
    }

    auto document = parse_and_validate(rule.schema, payload);
    if (!document) return document.error();
    const json& body = *document;
    message.event_id = body.at("event_id").get<std::string>();
    message.sent_at_ms = body.at("sent_at_ms").get<std::int64_t>();

    switch (message.topic.kind) {
        case TopicKind::Order:
        case TopicKind::Sku:
        case TopicKind::Packaging: {
            const char* id_member = message.topic.kind == TopicKind::Order ? "order_id"
                                    : message.topic.kind == TopicKind::Sku ? "sku"
                                                                           : "code";
            if (auto same =
                    check_same("site", body.at("site").get<std::string>(), message.topic.site);
                !same)
                return same.error();
            if (auto same = check_same(id_member, body.at(id_member).get<std::string>(),
                                       message.topic.object_id);
                !same)
                return same.error();
            if (message.topic.kind == TopicKind::Order)
                message.body = to_order(body);
            else if (message.topic.kind == TopicKind::Sku)
                message.body = to_sku(body);
            else
                message.body = to_packaging(body);
            return message;
        }
        case TopicKind::Commands:
            message.body = to_command(body);
            return message;
        case TopicKind::TrackingPool: {
            if (auto same =
                    check_same("site", body.at("site").get<std::string>(), message.topic.site);
                !same)
                return same.error();
            if (auto same = check_same("station", body.at("station").get<std::string>(),
                                       message.topic.station);
                !same)
                return same.error();
            TrackingPoolTopUp top_up{body.at("carrier").get<std::string>(), {}};
            // A repeat is harmless (the pool ignores numbers it has), so the
            // schema does not forbid it: kept once here, in linear time.
            std::unordered_set<std::string_view> seen;
            for (const json& number : body.at("numbers")) {
                const auto& text = number.get_ref<const std::string&>();
                if (seen.insert(text).second) top_up.numbers.push_back(text);
            }
            message.body = std::move(top_up);
            return message;
        }
        case TopicKind::Acks:
            message.body = to_acks(body);
            return message;
        case TopicKind::Shipments:
        case TopicKind::Events:
        case TopicKind::Status:
            break;
    }
    return Error{errors::kSyncBadTopic,
                 "topic '" + text::printable(topic_text) + "': not for a station"};
}

}  // namespace

std::string_view to_string(CommandKind kind) {
    switch (kind) {
        case CommandKind::Reprint:
            return "reprint";
        case CommandKind::Pause:
            return "pause";
        case CommandKind::Resume:
            return "resume";
        case CommandKind::Message:
            return "message";
    }
    return "unknown";
}

std::string_view to_string(AckResult result) {
    switch (result) {
        case AckResult::Stored:
            return "stored";
        case AckResult::Duplicate:
            return "duplicate";
        case AckResult::Rejected:
            return "rejected";
    }
    return "unknown";
}

Result<InboundMessage> decode_inbound(std::string_view topic, std::string_view payload) {
    // The schema has vouched for every member read above, so nlohmann's
    // accessors cannot throw on type; this guard is for what validation
    // cannot rule out (memory running out): refuse the message, never crash.
    try {
        return decode(topic, payload);
    } catch (const std::exception& error) {
        return bad_message(std::string("message refused: ") + text::printable(error.what(), 200));
    }
}

}  // namespace packline::sync
