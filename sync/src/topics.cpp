#include "packline/sync/topics.h"

#include <cassert>

#include "packline/sync/sync_errors.h"
#include "packline/sync/text_checks.h"

namespace packline::sync {
namespace {

constexpr std::string_view kPrefix = "packline/v1/";

// Longer than any topic build_topic can make (prefix, two ids of at most
// 128 four-byte characters, leaves): anything longer is refused unsplit.
constexpr std::size_t kMaxTopicBytes = 1200;

constexpr std::array<ChannelRule, 9> kRules{{
    {TopicKind::Order, "packline/v1/{site}/orders/{order_id}", "orders", Direction::HubToStation, 1,
     true, "order"},
    {TopicKind::Sku, "packline/v1/{site}/skus/{sku}", "skus", Direction::HubToStation, 1, true,
     "sku"},
    {TopicKind::Packaging, "packline/v1/{site}/packaging/{code}", "packaging",
     Direction::HubToStation, 1, true, "packaging"},
    {TopicKind::Commands, "packline/v1/{site}/stations/{station}/commands", "commands",
     Direction::HubToStation, 1, false, "command"},
    {TopicKind::TrackingPool, "packline/v1/{site}/stations/{station}/tracking-pool",
     "tracking-pool", Direction::HubToStation, 1, false, "tracking-pool"},
    {TopicKind::Acks, "packline/v1/{site}/stations/{station}/acks", "acks", Direction::HubToStation,
     1, false, "ack"},
    {TopicKind::Shipments, "packline/v1/{site}/stations/{station}/shipments", "shipments",
     Direction::StationToHub, 1, false, "shipment"},
    {TopicKind::Events, "packline/v1/{site}/stations/{station}/events", "events",
     Direction::StationToHub, 1, false, "station-event"},
    {TopicKind::Status, "packline/v1/{site}/stations/{station}/status", "status",
     Direction::StationToHub, 1, true, "station-status"},
}};

bool is_object_kind(TopicKind kind) {
    return kind == TopicKind::Order || kind == TopicKind::Sku || kind == TopicKind::Packaging;
}

// What the object id of each object kind is called in messages.
std::string_view object_id_name(TopicKind kind) {
    switch (kind) {
        case TopicKind::Order:
            return "order id";
        case TopicKind::Sku:
            return "SKU";
        case TopicKind::Packaging:
            return "packaging code";
        default:
            return "object id";
    }
}

Error bad_topic(std::string_view text, std::string_view why) {
    return Error{errors::kSyncBadTopic,
                 "topic '" + text::printable(text) + "': " + std::string(why)};
}

std::string bad_id_reason(std::string_view what) {
    return "the " + std::string(what) +
           " is not a valid topic level (1 to 128 characters, no '/', '+', '#', control "
           "characters or space at either end)";
}

}  // namespace

const std::array<ChannelRule, 9>& channel_rules() {
    return kRules;
}

const ChannelRule& channel_rule(TopicKind kind) {
    for (const ChannelRule& rule : kRules)
        if (rule.kind == kind) return rule;
    assert(false && "every TopicKind has a rule");
    return kRules[0];
}

std::string_view to_string(TopicKind kind) {
    switch (kind) {
        case TopicKind::Order:
            return "order";
        case TopicKind::Sku:
            return "sku";
        case TopicKind::Packaging:
            return "packaging";
        case TopicKind::Commands:
            return "commands";
        case TopicKind::TrackingPool:
            return "tracking-pool";
        case TopicKind::Acks:
            return "acks";
        case TopicKind::Shipments:
            return "shipments";
        case TopicKind::Events:
            return "events";
        case TopicKind::Status:
            return "status";
    }
    return "unknown";
}

bool valid_topic_id(std::string_view id) {
    if (id.empty() || !text::valid_utf8(id)) return false;
    if (text::code_points(id) > kMaxTopicIdCharacters) return false;
    // Ids are compared as written, so "SO-1 " must not become a second order
    // next to "SO-1"; the importer trims, the topic map refuses.
    if (id.front() == ' ' || id.back() == ' ') return false;
    for (const char c : id)
        if (c == '/' || c == '+' || c == '#') return false;
    return !text::has_control_character(id);
}

Result<std::string> build_topic(const Topic& topic) {
    const ChannelRule& rule = channel_rule(topic.kind);
    const std::string what = "a " + std::string(to_string(topic.kind)) + " topic";
    if (!valid_topic_id(topic.site))
        return Error{errors::kSyncBadTopic, what + ": " + bad_id_reason("site")};
    std::string result = std::string(kPrefix) + topic.site + "/";
    if (is_object_kind(topic.kind)) {
        if (!topic.station.empty())
            return Error{errors::kSyncBadTopic, what + " has no station level"};
        if (!valid_topic_id(topic.object_id))
            return Error{errors::kSyncBadTopic,
                         what + ": " + bad_id_reason(object_id_name(topic.kind))};
        return result + std::string(rule.leaf) + "/" + topic.object_id;
    }
    if (!topic.object_id.empty())
        return Error{errors::kSyncBadTopic, what + " has no object id level"};
    if (!valid_topic_id(topic.station))
        return Error{errors::kSyncBadTopic, what + ": " + bad_id_reason("station")};
    return result + "stations/" + topic.station + "/" + std::string(rule.leaf);
}

Result<Topic> parse_topic(std::string_view text) {
    if (text.size() > kMaxTopicBytes) return bad_topic(text, "longer than any Packline topic");
    if (!text::valid_utf8(text)) return bad_topic(text, "not valid UTF-8");
    if (!text.starts_with(kPrefix)) return bad_topic(text, "not a packline/v1 topic");

    std::vector<std::string_view> levels;
    std::string_view rest = text.substr(kPrefix.size());
    while (true) {
        const std::size_t slash = rest.find('/');
        levels.push_back(rest.substr(0, slash));
        if (slash == std::string_view::npos) break;
        rest.remove_prefix(slash + 1);
    }

    Topic topic;
    if (levels.size() == 3) {
        bool known = false;
        for (const ChannelRule& rule : kRules) {
            if (is_object_kind(rule.kind) && levels[1] == rule.leaf) {
                topic.kind = rule.kind;
                known = true;
            }
        }
        if (!known)
            return bad_topic(text, "unknown kind of object '" + text::printable(levels[1]) + "'");
        if (!valid_topic_id(levels[0])) return bad_topic(text, bad_id_reason("site"));
        if (!valid_topic_id(levels[2]))
            return bad_topic(text, bad_id_reason(object_id_name(topic.kind)));
        topic.site = levels[0];
        topic.object_id = levels[2];
        return topic;
    }
    if (levels.size() == 4 && levels[1] == "stations") {
        bool known = false;
        for (const ChannelRule& rule : kRules) {
            if (!is_object_kind(rule.kind) && levels[3] == rule.leaf) {
                topic.kind = rule.kind;
                known = true;
            }
        }
        if (!known)
            return bad_topic(text, "unknown station topic '" + text::printable(levels[3]) + "'");
        if (!valid_topic_id(levels[0])) return bad_topic(text, bad_id_reason("site"));
        if (!valid_topic_id(levels[2])) return bad_topic(text, bad_id_reason("station"));
        topic.site = levels[0];
        topic.station = levels[2];
        return topic;
    }
    return bad_topic(text, "not a topic of the Packline topic map");
}

Result<std::vector<std::string>> station_subscriptions(std::string_view site,
                                                       std::string_view station) {
    std::vector<std::string> filters;
    for (const ChannelRule& rule : kRules) {
        if (rule.direction != Direction::HubToStation) continue;
        Topic topic{rule.kind, std::string(site), "", ""};
        // Build with a placeholder id, so the ids are checked once, then put
        // the single-level wildcard in its place.
        if (is_object_kind(rule.kind))
            topic.object_id = "x";
        else
            topic.station = std::string(station);
        auto built = build_topic(topic);
        if (!built) return built.error();
        if (is_object_kind(rule.kind)) built->back() = '+';
        filters.push_back(std::move(*built));
    }
    return filters;
}

}  // namespace packline::sync
