// The MQTT topic map (docs/mqtt/README.md, docs/mqtt/asyncapi.yaml): every
// topic the station and the hub use, built and parsed in one place so that no
// other code concatenates topic strings. Pure functions; thread-safe.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "packline/error.h"

namespace packline::sync {

enum class TopicKind {
    // hub -> station, per site, retained: packline/v1/{site}/<leaf>/{id}
    Order,
    Sku,
    Packaging,
    // hub -> station, per station: packline/v1/{site}/stations/{station}/<leaf>
    Commands,
    TrackingPool,
    Acks,
    // station -> hub, per station
    Shipments,
    Events,
    Status,
};

enum class Direction { HubToStation, StationToHub };

// The contract of one channel, as the AsyncAPI document states it.
struct ChannelRule {
    TopicKind kind;
    std::string_view address;  // "packline/v1/{site}/orders/{order_id}"
    std::string_view leaf;     // "orders", "commands", ...
    Direction direction;
    int qos;                  // MQTT QoS of every publication
    bool retained;            // published with the retain flag
    std::string_view schema;  // schema name: docs/mqtt/schemas/<schema>.schema.json
};

// Every channel, in the order of the topic map.
const std::array<ChannelRule, 9>& channel_rules();
const ChannelRule& channel_rule(TopicKind kind);

// "order", "sku", ..., "status": for logs and errors.
std::string_view to_string(TopicKind kind);

struct Topic {
    TopicKind kind = TopicKind::Order;
    std::string site;
    std::string station;    // empty for the per-site object topics
    std::string object_id;  // order id, SKU or packaging code; empty for station topics
};

// The longest value a topic level may carry, in characters (code points).
inline constexpr std::size_t kMaxTopicIdCharacters = 128;

// True when `id` can be one topic level: valid UTF-8, 1 to 128 characters,
// no '/', '+' or '#' (level separator and wildcards), no NUL or other control
// character (C0, DEL, C1: MQTT 3.1.1 section 1.5.3 says topics should not
// carry them, and they hide in logs), no space at either end. The same rule
// as `topic_id` in docs/mqtt/schemas/envelope.schema.json, except that the
// schemas cannot express C1 portably.
bool valid_topic_id(std::string_view id);

// "packline/v1/{site}/..." for a topic whose ids are valid for its kind.
// Error "sync.bad_topic" names the offending id.
Result<std::string> build_topic(const Topic& topic);

// The inverse of build_topic. Anything else (another prefix or version, an
// unknown leaf, a missing, empty or extra level, a wildcard, an id with
// injected characters, a topic that is not UTF-8) is "sync.bad_topic".
Result<Topic> parse_topic(std::string_view text);

// The filters a station subscribes to: its site's retained objects and its
// own command, tracking-pool and acknowledgement topics.
Result<std::vector<std::string>> station_subscriptions(std::string_view site,
                                                       std::string_view station);

}  // namespace packline::sync
