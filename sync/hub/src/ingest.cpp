#include "packline/hub/ingest.h"

#include <exception>
#include <nlohmann/json.hpp>

#include "packline/sync/schemas.h"
#include "packline/sync/sync_errors.h"
#include "packline/sync/text_checks.h"

namespace packline::hub {
namespace {

using nlohmann::json;

// A payload this much over the limit is not even opened for its event id:
// parsing it would only cost the hub memory for a message it refuses anyway.
constexpr std::size_t kMaxPayloadForEventId = 4 * sync::kMaxPayloadBytes;

// The event id of a payload that failed, when it names a readable one.
std::string readable_event_id(std::string_view payload) {
    if (payload.size() > kMaxPayloadForEventId ||
        sync::text::nests_deeper_than(payload, sync::kMaxJsonDepth))
        return {};
    const json document = json::parse(payload, nullptr, false);
    if (!document.is_object()) return {};
    const auto found = document.find("event_id");
    if (found == document.end() || !found->is_string()) return {};
    const auto& text = found->get_ref<const std::string&>();
    return sync::is_event_id(text) ? text : std::string();
}

std::string text_member(const json& object, const char* name) {
    const auto found = object.find(name);
    return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

std::optional<std::int64_t> optional_integer(const json& object, const char* name) {
    const auto found = object.find(name);
    if (found == object.end() || !found->is_number_integer()) return std::nullopt;
    return found->get<std::int64_t>();
}

std::int64_t integer_member(const json& object, const char* name) {
    return optional_integer(object, name).value_or(0);
}

double number_member(const json& object, const char* name) {
    const auto found = object.find(name);
    return found != object.end() && found->is_number() ? found->get<double>() : 0.0;
}

ShipmentRecord to_shipment(const json& body, std::string_view payload) {
    ShipmentRecord record;
    record.event_id = text_member(body, "event_id");
    record.site = text_member(body, "site");
    record.station = text_member(body, "station");
    record.order_id = text_member(body, "order_id");
    record.parcel_id = integer_member(body, "parcel_id");
    record.parcel_sequence = integer_member(body, "parcel_sequence");
    record.partial = body.value("partial", false);
    record.carrier = text_member(body, "carrier");
    record.tracking_number = text_member(body, "tracking_number");
    record.weight_g = number_member(body, "weight_g");
    record.expected_weight_g = number_member(body, "expected_weight_g");
    record.packaging = text_member(body, "packaging");
    record.packer = text_member(body, "packer");
    record.confirmed_at_ms = integer_member(body, "confirmed_at_ms");
    record.sent_at_ms = optional_integer(body, "sent_at_ms");
    record.sequence = optional_integer(body, "sequence");
    record.payload = std::string(payload);
    return record;
}

StationEventRecord to_event(const json& body, std::string_view payload) {
    StationEventRecord record;
    record.event_id = text_member(body, "event_id");
    record.site = text_member(body, "site");
    record.station = text_member(body, "station");
    record.kind = text_member(body, "kind");
    record.order_id = text_member(body, "order_id");
    record.parcel_id = optional_integer(body, "parcel_id");
    record.check = text_member(body, "check");
    record.reason = text_member(body, "reason");
    record.code = text_member(body, "code");
    record.message = text_member(body, "message");
    record.packer = text_member(body, "packer");
    record.supervisor = text_member(body, "supervisor");
    record.sent_at_ms = integer_member(body, "sent_at_ms");
    record.sequence = integer_member(body, "sequence");
    record.payload = std::string(payload);
    return record;
}

StatusRecord to_status(const json& body, std::string_view payload) {
    StatusRecord record;
    record.event_id = text_member(body, "event_id");
    record.site = text_member(body, "site");
    record.station = text_member(body, "station");
    record.state = text_member(body, "state");
    record.offline_reason = text_member(body, "offline_reason");
    record.version = text_member(body, "version");
    record.packer = text_member(body, "packer");
    record.current_order = text_member(body, "current_order");
    record.outbox_backlog = integer_member(body, "outbox_backlog");
    record.last_sync_ms = integer_member(body, "last_sync_ms");
    record.sent_at_ms = integer_member(body, "sent_at_ms");
    record.sequence = integer_member(body, "sequence");
    if (const auto pool = body.find("tracking_pool"); pool != body.end() && pool->is_array())
        for (const json& entry : *pool)
            record.tracking_pool.push_back(
                CarrierStock{text_member(entry, "carrier"), integer_member(entry, "available")});
    record.payload = std::string(payload);
    return record;
}

IngestDecision decide(std::string_view topic_text, std::string_view payload,
                      std::span<const std::string> sites) {
    IngestDecision decision;
    auto topic = sync::parse_topic(topic_text);
    if (!topic) {
        decision.reason = topic.error().to_string();
        return decision;
    }
    decision.kind = topic->kind;
    const sync::ChannelRule& rule = sync::channel_rule(topic->kind);
    if (rule.direction != sync::Direction::StationToHub) {
        decision.reason = "topic is not one stations publish on [sync.bad_topic]";
        return decision;
    }
    bool served = false;
    for (const std::string& site : sites)
        served = served || site == topic->site;
    if (!served) {
        decision.reason = "site '" + topic->site + "' is not served by this hub [sync.bad_topic]";
        return decision;
    }
    decision.site = topic->site;
    decision.station = topic->station;

    auto reject = [&](std::string reason) {
        decision.event_id = readable_event_id(payload);
        decision.verdict =
            decision.event_id.empty() ? IngestVerdict::Unreadable : IngestVerdict::Rejected;
        decision.reason = std::move(reason);
        return decision;
    };

    if (auto valid = sync::validate_message(rule.schema, payload); !valid)
        return reject(valid.error().to_string());
    // Valid against the schema: a JSON object, at most kMaxJsonDepth deep.
    const json body = json::parse(payload, nullptr, false);
    if (!body.is_object()) return reject("payload is not a JSON object [sync.bad_message]");
    decision.event_id = text_member(body, "event_id");
    const std::string site = text_member(body, "site");
    const std::string station = text_member(body, "station");
    if (site != topic->site)
        return reject("/site '" + site + "' does not match the topic's '" + topic->site +
                      "' [sync.bad_message]");
    if (station != topic->station)
        return reject("/station '" + station + "' does not match the topic's '" + topic->station +
                      "' [sync.bad_message]");

    decision.verdict = IngestVerdict::Accepted;
    switch (topic->kind) {
        case sync::TopicKind::Shipments:
            decision.record = to_shipment(body, payload);
            break;
        case sync::TopicKind::Events:
            decision.record = to_event(body, payload);
            break;
        default:
            decision.record = to_status(body, payload);
            break;
    }
    return decision;
}

}  // namespace

std::string_view to_string(IngestVerdict verdict) {
    switch (verdict) {
        case IngestVerdict::Accepted:
            return "accepted";
        case IngestVerdict::Rejected:
            return "rejected";
        case IngestVerdict::Unreadable:
            return "unreadable";
    }
    return "unknown";
}

IngestDecision decide_ingest(std::string_view topic, std::string_view payload,
                             std::span<const std::string> sites) {
    // Validation has vouched for every member read; this guard is for what it
    // cannot rule out (memory running out): refuse the message, never crash.
    try {
        return decide(topic, payload, sites);
    } catch (const std::exception& failure) {
        IngestDecision decision;
        decision.reason = std::string("message refused: ") + failure.what();
        return decision;
    }
}

Result<std::vector<std::string>> hub_subscriptions(std::span<const std::string> sites,
                                                   std::string_view share_group) {
    if (!share_group.empty() && !sync::valid_topic_id(share_group))
        return Error{errors::kSyncBadTopic,
                     "share group '" + std::string(share_group) + "' cannot be a topic level"};
    if (sites.empty()) return Error{errors::kSyncBadTopic, "the hub serves no site"};
    std::vector<std::string> filters;
    for (const std::string& site : sites) {
        if (!sync::valid_topic_id(site))
            return Error{errors::kSyncBadTopic, "site '" + site + "' cannot be a topic level"};
        for (const char* leaf : {"shipments", "events", "status"}) {
            std::string filter = "packline/v1/" + site + "/stations/+/" + leaf;
            if (!share_group.empty()) filter = "$share/" + std::string(share_group) + "/" + filter;
            filters.push_back(std::move(filter));
        }
    }
    return filters;
}

}  // namespace packline::hub
