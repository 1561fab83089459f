// The hub's decision on each message from a station (ingest.h): accepted
// with its columns, rejected with the event id to answer, or unreadable.
#include "packline/hub/ingest.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hub_messages.h"

namespace packline::hub {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using testing::event_message;
using ::testing::HasSubstr;
using testing::shipment_message;
using testing::station_topic;
using testing::status_message;

const std::vector<std::string> kSites = {"ams1", "sha1"};

IngestDecision decide(const std::string& topic, const std::string& payload) {
    return decide_ingest(topic, payload, kSites);
}

TEST(Ingest, AShipmentIsAcceptedWithItsColumns) {
    const auto message = shipment_message("ams1", "bench-3", "1001", "1Z5R89390357567127", 9);
    const auto decision = decide(message.topic, message.payload());
    ASSERT_EQ(decision.verdict, IngestVerdict::Accepted) << decision.reason;
    EXPECT_TRUE(decision.wants_ack());
    EXPECT_EQ(decision.event_id, message.event_id);
    EXPECT_EQ(decision.site, "ams1");
    EXPECT_EQ(decision.station, "bench-3");
    const auto& shipment = std::get<ShipmentRecord>(decision.record);
    EXPECT_EQ(shipment.event_id, message.event_id);
    EXPECT_EQ(shipment.order_id, "1001");
    EXPECT_EQ(shipment.parcel_id, 42);
    EXPECT_EQ(shipment.parcel_sequence, 2);
    EXPECT_TRUE(shipment.partial);
    EXPECT_EQ(shipment.carrier, "ups");
    EXPECT_EQ(shipment.tracking_number, "1Z5R89390357567127");
    EXPECT_EQ(shipment.weight_g, 612.5);
    EXPECT_EQ(shipment.expected_weight_g, 620.0);
    EXPECT_EQ(shipment.packaging, "BOX-S");
    EXPECT_EQ(shipment.packer, "ana");
    EXPECT_EQ(shipment.confirmed_at_ms, 1795000000000);
    EXPECT_EQ(shipment.sequence, 9);
    EXPECT_EQ(shipment.sent_at_ms, 1795000000009);
    EXPECT_EQ(shipment.payload, message.payload());
}

TEST(Ingest, AShipmentWithoutTheOptionalEnvelopeMembersIsAccepted) {
    auto message = shipment_message("ams1", "bench-3");
    message.body.erase("sent_at_ms");
    message.body.erase("sequence");
    const auto decision = decide(message.topic, message.payload());
    ASSERT_EQ(decision.verdict, IngestVerdict::Accepted) << decision.reason;
    EXPECT_FALSE(std::get<ShipmentRecord>(decision.record).sequence.has_value());
    EXPECT_FALSE(std::get<ShipmentRecord>(decision.record).sent_at_ms.has_value());
}

TEST(Ingest, EventsAndStatusesAreAccepted) {
    const auto event = event_message("ams1", "bench-3", "exception", 12);
    const auto decided_event = decide(event.topic, event.payload());
    ASSERT_EQ(decided_event.verdict, IngestVerdict::Accepted) << decided_event.reason;
    const auto& record = std::get<StationEventRecord>(decided_event.record);
    EXPECT_EQ(record.kind, "exception");
    EXPECT_EQ(record.check, "contents");
    EXPECT_EQ(record.reason, "contents.wrong_variant");
    EXPECT_EQ(record.parcel_id, 42);
    EXPECT_EQ(record.sequence, 12);

    const auto status = status_message("sha1", "bench-9", 1300, 1795421200000);
    const auto decided_status = decide(status.topic, status.payload());
    ASSERT_EQ(decided_status.verdict, IngestVerdict::Accepted) << decided_status.reason;
    EXPECT_FALSE(decided_status.wants_ack());  // a status is not in the outbox
    const auto& kept = std::get<StatusRecord>(decided_status.record);
    EXPECT_EQ(kept.state, "weighing");
    EXPECT_EQ(kept.sequence, 1300);
    EXPECT_EQ(kept.outbox_backlog, 3);
    ASSERT_EQ(kept.tracking_pool.size(), 2u);
    EXPECT_EQ(kept.tracking_pool[1].carrier, "ups");
    EXPECT_EQ(kept.tracking_pool[1].available, 4);

    const auto will = status_message("ams1", "bench-3", 5, 1, true);
    const auto decided_will = decide(will.topic, will.payload());
    ASSERT_EQ(decided_will.verdict, IngestVerdict::Accepted);
    EXPECT_TRUE(std::get<StatusRecord>(decided_will.record).is_will());
}

void expect_rejected(const testing::StationMessage& message, const std::string& payload,
                     const std::string& why) {
    const auto decision = decide(message.topic, payload);
    EXPECT_EQ(decision.verdict, IngestVerdict::Rejected) << decision.reason;
    EXPECT_EQ(decision.event_id, message.event_id);
    EXPECT_TRUE(decision.wants_ack());
    EXPECT_THAT(decision.reason, HasSubstr(why));
}

TEST(Ingest, AMessageThatFailsButNamesItsEventIdIsRejected) {
    auto message = shipment_message("ams1", "bench-3");
    json wrong_version = message.body;
    wrong_version["schema"] = "packline.shipment/2";
    expect_rejected(message, wrong_version.dump(), "packline.shipment/2");

    json missing = message.body;
    missing.erase("tracking_number");
    expect_rejected(message, missing.dump(), "tracking_number");

    json other_station = message.body;
    other_station["station"] = "bench-4";
    expect_rejected(message, other_station.dump(), "/station 'bench-4'");

    json other_site = message.body;
    other_site["site"] = "sha1";
    expect_rejected(message, other_site.dump(), "/site 'sha1'");

    json oversized = message.body;
    oversized["packer"] = std::string(300 * 1024, 'a');
    expect_rejected(message, oversized.dump(), "sync.bad_message");

    // A status published on the events topic.
    const auto status = status_message("ams1", "bench-3", 1, 1);
    auto misplaced = event_message("ams1", "bench-3");
    misplaced.event_id = status.event_id;
    expect_rejected(misplaced, status.payload(), "sync.bad_message");
}

TEST(Ingest, WhatNamesNoEventIdIsUnreadable) {
    const std::string topic = station_topic("ams1", "bench-3", "shipments");
    for (const std::string& payload :
         {std::string(), std::string("not json"), std::string("[]"), std::string("{\"a\":1}"),
          std::string(100, '['), std::string("{\"event_id\":\"NOT-A-UUID\"}"),
          std::string("\xff\xfe")}) {
        const auto decision = decide(topic, payload);
        EXPECT_EQ(decision.verdict, IngestVerdict::Unreadable) << payload;
        EXPECT_FALSE(decision.wants_ack());
        EXPECT_FALSE(decision.reason.empty());
    }
}

TEST(Ingest, TopicsTheHubDoesNotReadAreUnreadable) {
    const auto message = shipment_message("ams1", "bench-3");
    for (const std::string& topic :
         {std::string("packline/v1/ams1/stations/bench-3/acks"),
          std::string("packline/v1/ams1/orders/1001"),
          std::string("packline/v1/lon1/stations/bench-3/shipments"),  // not our site
          std::string("packline/v2/ams1/stations/bench-3/shipments"),
          std::string("packline/v1/ams1/stations/bench\x01/shipments"), std::string()}) {
        const auto decision = decide(topic, message.payload());
        EXPECT_EQ(decision.verdict, IngestVerdict::Unreadable) << topic;
        EXPECT_FALSE(decision.wants_ack());
    }
}

TEST(Ingest, SubscriptionsAreSharedWhenAGroupIsSet) {
    const auto shared = hub_subscriptions(kSites, "packline-hub");
    ASSERT_TRUE(shared) << shared.error().to_string();
    EXPECT_THAT(*shared, ElementsAre("$share/packline-hub/packline/v1/ams1/stations/+/shipments",
                                     "$share/packline-hub/packline/v1/ams1/stations/+/events",
                                     "$share/packline-hub/packline/v1/ams1/stations/+/status",
                                     "$share/packline-hub/packline/v1/sha1/stations/+/shipments",
                                     "$share/packline-hub/packline/v1/sha1/stations/+/events",
                                     "$share/packline-hub/packline/v1/sha1/stations/+/status"));
    const std::vector<std::string> one = {"ams1"};
    EXPECT_EQ(hub_subscriptions(one, "")->front(), "packline/v1/ams1/stations/+/shipments");
    EXPECT_FALSE(hub_subscriptions(one, "a/b"));
    const std::vector<std::string> bad = {"ams+1"};
    EXPECT_FALSE(hub_subscriptions(bad, ""));
    EXPECT_FALSE(hub_subscriptions({}, ""));
}

}  // namespace
}  // namespace packline::hub
