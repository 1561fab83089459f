// The topic map: every kind builds and parses back; a topic of another shape,
// or with an id that could inject levels or wildcards, is refused.
#include "packline/sync/topics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

namespace packline::sync {
namespace {

using ::testing::HasSubstr;

Topic object_topic(TopicKind kind, std::string id) {
    return Topic{kind, "ams1", "", std::move(id)};
}
Topic station_topic(TopicKind kind) {
    return Topic{kind, "ams1", "bench-3", ""};
}

TEST(Topics, EveryKindBuildsTheDocumentedTopicAndParsesBack) {
    const std::pair<Topic, std::string> cases[] = {
        {object_topic(TopicKind::Order, "1001"), "packline/v1/ams1/orders/1001"},
        {object_topic(TopicKind::Sku, "TEE-RED-M"), "packline/v1/ams1/skus/TEE-RED-M"},
        {object_topic(TopicKind::Packaging, "BOX-S"), "packline/v1/ams1/packaging/BOX-S"},
        {station_topic(TopicKind::Commands), "packline/v1/ams1/stations/bench-3/commands"},
        {station_topic(TopicKind::TrackingPool), "packline/v1/ams1/stations/bench-3/tracking-pool"},
        {station_topic(TopicKind::Acks), "packline/v1/ams1/stations/bench-3/acks"},
        {station_topic(TopicKind::Shipments), "packline/v1/ams1/stations/bench-3/shipments"},
        {station_topic(TopicKind::Events), "packline/v1/ams1/stations/bench-3/events"},
        {station_topic(TopicKind::Status), "packline/v1/ams1/stations/bench-3/status"},
    };
    std::set<TopicKind> seen;
    for (const auto& [topic, text] : cases) {
        SCOPED_TRACE(text);
        seen.insert(topic.kind);
        const auto built = build_topic(topic);
        ASSERT_TRUE(built) << built.error().to_string();
        EXPECT_EQ(*built, text);
        const auto parsed = parse_topic(text);
        ASSERT_TRUE(parsed) << parsed.error().to_string();
        EXPECT_EQ(parsed->kind, topic.kind);
        EXPECT_EQ(parsed->site, topic.site);
        EXPECT_EQ(parsed->station, topic.station);
        EXPECT_EQ(parsed->object_id, topic.object_id);
    }
    EXPECT_EQ(seen.size(), channel_rules().size());
}

TEST(Topics, TheAddressTemplateOfEveryRuleMatchesWhatBuildTopicMakes) {
    for (const ChannelRule& rule : channel_rules()) {
        SCOPED_TRACE(rule.address);
        Topic topic{rule.kind, "{site}", "", ""};
        const bool per_station =
            std::string_view(rule.address).find("/stations/") != std::string_view::npos;
        if (per_station)
            topic.station = "{station}";
        else
            topic.object_id = std::string(rule.address.substr(rule.address.rfind('/') + 1));
        const auto built = build_topic(topic);
        ASSERT_TRUE(built) << built.error().to_string();
        EXPECT_EQ(*built, rule.address);
        EXPECT_EQ(channel_rule(rule.kind).leaf, rule.leaf);
    }
}

TEST(Topics, IdsMayBeAnyScriptUpTo128Characters) {
    const std::string chinese = "订单-2026-0001";
    auto parsed = parse_topic("packline/v1/sha1/orders/" + chinese);
    ASSERT_TRUE(parsed) << parsed.error().to_string();
    EXPECT_EQ(parsed->object_id, chinese);

    std::string longest;
    for (int i = 0; i < 128; ++i)
        longest += "货";  // three bytes each: the limit counts characters
    EXPECT_TRUE(valid_topic_id(longest));
    EXPECT_TRUE(parse_topic("packline/v1/sha1/skus/" + longest));
    EXPECT_FALSE(valid_topic_id(longest + "x"));
    EXPECT_TRUE(valid_topic_id(std::string(128, 'a')));
    EXPECT_FALSE(valid_topic_id(std::string(129, 'a')));
    EXPECT_TRUE(valid_topic_id("SO 1001"));  // a space inside is an ordinary character
}

TEST(Topics, IdsThatCouldInjectLevelsWildcardsOrControlCharactersAreRefused) {
    const std::string bad_ids[] = {
        "",
        "a/b",
        "+",
        "a+b",
        "#",
        "a#",
        std::string("a\0b", 3),
        "a\tb",
        "a\nb",
        "a\x7f",
        "a\xc2\x85",  // U+0085 (NEL), a C1 control
        " lead",
        "trail ",
        "\xff",
        "\xc0\xaf",      // overlong '/'
        "\xed\xa0\x80",  // a UTF-16 surrogate
    };
    for (const std::string& id : bad_ids) {
        SCOPED_TRACE(::testing::PrintToString(id));
        EXPECT_FALSE(valid_topic_id(id));
        const auto built = build_topic(object_topic(TopicKind::Order, id));
        ASSERT_FALSE(built);
        EXPECT_EQ(built.error().code, "sync.bad_topic");
        EXPECT_FALSE(parse_topic("packline/v1/ams1/orders/" + id));
        EXPECT_FALSE(parse_topic("packline/v1/" + id + "/orders/1001"));
        EXPECT_FALSE(parse_topic("packline/v1/ams1/stations/" + id + "/commands"));
        EXPECT_FALSE(build_topic(Topic{TopicKind::Commands, "ams1", id, ""}));
        EXPECT_FALSE(build_topic(Topic{TopicKind::Commands, id, "bench-3", ""}));
    }
}

TEST(Topics, TopicsOfAnotherShapeAreRefusedWithTheReason) {
    const std::pair<std::string, std::string> cases[] = {
        {"", "not a packline/v1 topic"},
        {"packline/v2/ams1/orders/1001", "not a packline/v1 topic"},
        {"Packline/v1/ams1/orders/1001", "not a packline/v1 topic"},
        {"/packline/v1/ams1/orders/1001", "not a packline/v1 topic"},
        {"packline/v1/ams1/invoices/1001", "unknown kind of object 'invoices'"},
        {"packline/v1/ams1/stations/bench-3/firmware", "unknown station topic 'firmware'"},
        {"packline/v1/ams1/orders", "not a topic of the Packline topic map"},
        {"packline/v1/ams1/orders/1001/lines", "not a topic of the Packline topic map"},
        {"packline/v1/ams1/orders/", "the order id is not a valid topic level"},
        {"packline/v1//orders/1001", "the site is not a valid topic level"},
        {"packline/v1/ams1/orders/+", "the order id is not a valid topic level"},
        {"packline/v1/ams1/orders/#", "the order id is not a valid topic level"},
        {"packline/v1/+/stations/bench-3/commands", "the site is not a valid topic level"},
        {"packline/v1/ams1/stations/#", "unknown kind of object 'stations'"},
        {"packline/v1/ams1/stations/bench-3/commands/", "not a topic of the Packline topic map"},
        {"packline/v1/ams1/stations//commands", "the station is not a valid topic level"},
        {"packline/v1/ams1/skus/\x01", "the SKU is not a valid topic level"},
        {"packline/v1/ams1/packaging/BOX\xff", "not valid UTF-8"},
        {"packline/v1/ams1/orders/" + std::string(2000, 'a'), "longer than any Packline topic"},
    };
    for (const auto& [text, reason] : cases) {
        SCOPED_TRACE(::testing::PrintToString(text));
        const auto parsed = parse_topic(text);
        ASSERT_FALSE(parsed);
        EXPECT_EQ(parsed.error().code, "sync.bad_topic");
        EXPECT_THAT(parsed.error().message, HasSubstr(reason));
    }
}

TEST(Topics, ErrorMessagesShowInjectedBytesEscaped) {
    const auto parsed = parse_topic(std::string("packline/v1/ams1/orders/a\0\n", 28));
    ASSERT_FALSE(parsed);
    EXPECT_THAT(parsed.error().message, HasSubstr("orders/a\\x00\\x0a"));
}

TEST(Topics, BuildRefusesLevelsTheKindDoesNotHave) {
    EXPECT_FALSE(build_topic(Topic{TopicKind::Order, "ams1", "bench-3", "1001"}));
    EXPECT_FALSE(build_topic(Topic{TopicKind::Status, "ams1", "bench-3", "1001"}));
    EXPECT_FALSE(build_topic(Topic{TopicKind::Status, "ams1", "", ""}));
    EXPECT_FALSE(build_topic(Topic{TopicKind::Sku, "ams1", "", ""}));
}

TEST(Topics, TheContractTableSaysWhoPublishesAndHow) {
    for (const ChannelRule& rule : channel_rules()) {
        SCOPED_TRACE(rule.address);
        EXPECT_EQ(rule.qos, 1);  // every message matters: at least once, deduplicated
        const bool retained = rule.kind == TopicKind::Order || rule.kind == TopicKind::Sku ||
                              rule.kind == TopicKind::Packaging || rule.kind == TopicKind::Status;
        EXPECT_EQ(rule.retained, retained);
        const bool up = rule.kind == TopicKind::Shipments || rule.kind == TopicKind::Events ||
                        rule.kind == TopicKind::Status;
        EXPECT_EQ(rule.direction, up ? Direction::StationToHub : Direction::HubToStation);
    }
}

TEST(Topics, AStationSubscribesToItsSiteObjectsAndItsOwnDownTopics) {
    const auto filters = station_subscriptions("ams1", "bench-3");
    ASSERT_TRUE(filters) << filters.error().to_string();
    EXPECT_THAT(*filters,
                ::testing::UnorderedElementsAre(
                    "packline/v1/ams1/orders/+", "packline/v1/ams1/skus/+",
                    "packline/v1/ams1/packaging/+", "packline/v1/ams1/stations/bench-3/commands",
                    "packline/v1/ams1/stations/bench-3/tracking-pool",
                    "packline/v1/ams1/stations/bench-3/acks"));
    EXPECT_FALSE(station_subscriptions("ams1", "bench/3"));
    EXPECT_FALSE(station_subscriptions("#", "bench-3"));
}

}  // namespace
}  // namespace packline::sync
