// The hub's encoders (objects.h) against the station's decoder: what the hub
// publishes, a station reads back as the importer would have loaded it.
#include "packline/sync/objects.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "packline/station/import.h"
#include "packline/sync/schemas.h"
#include "sync_test_support.h"

namespace packline::sync {
namespace {

using nlohmann::json;
using testing::fixture;
using ::testing::HasSubstr;

const Envelope kEnvelope{"3f4a5b6c-7d8e-4f9a-8ba2-b3c4d5e6f708", 1795421100000, 0};

std::string topic_for(TopicKind kind, const std::string& site, const std::string& id,
                      const std::string& station = "") {
    auto topic = build_topic(Topic{kind, site, station, id});
    EXPECT_TRUE(topic) << topic.error().to_string();
    return topic ? *topic : std::string();
}

template <typename Body>
Body decoded(const std::string& topic, const Result<std::string>& payload) {
    EXPECT_TRUE(payload) << payload.error().to_string();
    if (!payload) return Body{};
    auto message = decode_inbound(topic, *payload);
    EXPECT_TRUE(message) << message.error().to_string();
    if (!message) return Body{};
    EXPECT_EQ(message->event_id, kEnvelope.event_id);
    EXPECT_EQ(message->sent_at_ms, kEnvelope.sent_at_ms);
    EXPECT_TRUE(std::holds_alternative<Body>(message->body));
    return std::holds_alternative<Body>(message->body) ? std::get<Body>(message->body) : Body{};
}

void expect_same(const station::Order& actual, const station::Order& expected) {
    EXPECT_EQ(actual.id, expected.id);
    EXPECT_EQ(actual.created_at_ms, expected.created_at_ms);
    EXPECT_EQ(actual.ship_by_ms, expected.ship_by_ms);
    EXPECT_EQ(actual.status, expected.status);
    EXPECT_EQ(actual.recipient.name, expected.recipient.name);
    EXPECT_EQ(actual.recipient.phone, expected.recipient.phone);
    EXPECT_EQ(actual.recipient.address.lines, expected.recipient.address.lines);
    EXPECT_EQ(actual.recipient.address.city, expected.recipient.address.city);
    EXPECT_EQ(actual.recipient.address.region, expected.recipient.address.region);
    EXPECT_EQ(actual.recipient.address.postal_code, expected.recipient.address.postal_code);
    EXPECT_EQ(actual.recipient.address.country, expected.recipient.address.country);
    EXPECT_EQ(actual.carrier, expected.carrier);
    EXPECT_EQ(actual.service, expected.service);
    EXPECT_EQ(actual.tracking_number, expected.tracking_number);
    EXPECT_EQ(actual.packaging, expected.packaging);
    EXPECT_EQ(actual.sscc, expected.sscc);
    ASSERT_EQ(actual.lines.size(), expected.lines.size());
    for (std::size_t index = 0; index < actual.lines.size(); ++index) {
        EXPECT_EQ(actual.lines[index].sku, expected.lines[index].sku);
        EXPECT_EQ(actual.lines[index].quantity, expected.lines[index].quantity);
    }
}

void expect_same(const station::Sku& actual, const station::Sku& expected) {
    EXPECT_EQ(actual.sku, expected.sku);
    EXPECT_EQ(actual.name, expected.name);
    EXPECT_EQ(actual.style, expected.style);
    EXPECT_EQ(actual.size, expected.size);
    EXPECT_EQ(actual.colour, expected.colour);
    EXPECT_EQ(actual.unit_weight_g, expected.unit_weight_g);
    EXPECT_EQ(actual.barcodes, expected.barcodes);
    EXPECT_EQ(actual.serial_required, expected.serial_required);
    EXPECT_EQ(actual.tolerance_abs_g, expected.tolerance_abs_g);
    EXPECT_EQ(actual.tolerance_pct, expected.tolerance_pct);
}

void expect_same(const station::Packaging& actual, const station::Packaging& expected) {
    EXPECT_EQ(actual.code, expected.code);
    EXPECT_EQ(actual.name, expected.name);
    EXPECT_EQ(actual.tare_g, expected.tare_g);
}

station::ImportResult imported(const std::string& file) {
    auto result = station::parse_import_file(std::string(PACKLINE_SOURCE_DIR) +
                                             "/tests/fixtures/import/" + file);
    EXPECT_TRUE(result) << result.error().to_string();
    return result ? *result : station::ImportResult{};
}

TEST(Objects, ImportedOrdersRoundTripThroughTheStationsDecoder) {
    const auto batch = imported("sample.json").batch;
    ASSERT_FALSE(batch.orders.empty());
    for (const station::Order& order : batch.orders) {
        SCOPED_TRACE(order.id);
        const auto payload = order_json("ams1", order, kEnvelope);
        const auto back =
            decoded<station::Order>(topic_for(TopicKind::Order, "ams1", order.id), payload);
        expect_same(back, order);
        EXPECT_EQ(back.site, "ams1");  // published for the site the hub serves
    }
}

TEST(Objects, CsvOrdersRoundTripToo) {
    const auto batch = imported("orders.csv").batch;
    ASSERT_FALSE(batch.orders.empty());
    for (const station::Order& order : batch.orders) {
        SCOPED_TRACE(order.id);
        expect_same(decoded<station::Order>(topic_for(TopicKind::Order, "sha1", order.id),
                                            order_json("sha1", order, kEnvelope)),
                    order);
    }
}

TEST(Objects, SkusAndPackagingRoundTrip) {
    for (const char* file : {"sample.json", "skus.csv", "packaging.csv"}) {
        SCOPED_TRACE(file);
        const auto batch = imported(file).batch;
        for (const station::Sku& sku : batch.skus) {
            SCOPED_TRACE(sku.sku);
            expect_same(decoded<station::Sku>(topic_for(TopicKind::Sku, "ams1", sku.sku),
                                              sku_json("ams1", sku, kEnvelope)),
                        sku);
        }
        for (const station::Packaging& packaging : batch.packaging) {
            SCOPED_TRACE(packaging.code);
            expect_same(
                decoded<station::Packaging>(topic_for(TopicKind::Packaging, "ams1", packaging.code),
                                            packaging_json("ams1", packaging, kEnvelope)),
                packaging);
        }
    }
}

TEST(Objects, TheFixturesRoundTripAsDecoded) {
    const std::string order_topic = "packline/v1/ams1/orders/1001";
    const auto order =
        std::get<station::Order>(decode_inbound(order_topic, fixture("order.json"))->body);
    expect_same(decoded<station::Order>(order_topic, order_json("ams1", order, kEnvelope)), order);

    const std::string sku_topic = "packline/v1/ams1/skus/CAM-01";
    const auto sku = std::get<station::Sku>(decode_inbound(sku_topic, fixture("sku.json"))->body);
    expect_same(decoded<station::Sku>(sku_topic, sku_json("ams1", sku, kEnvelope)), sku);
}

TEST(Objects, TrackingPoolRoundTrips) {
    const StationIdentity station{"ams1", "bench-3"};
    const TrackingPoolTopUp top_up{"upu", {"RR123456785NL", "RR123456799NL"}};
    const auto back =
        decoded<TrackingPoolTopUp>(topic_for(TopicKind::TrackingPool, "ams1", "", "bench-3"),
                                   tracking_pool_json(station, top_up, kEnvelope));
    EXPECT_EQ(back.carrier, "upu");
    EXPECT_EQ(back.numbers, top_up.numbers);
}

TEST(Objects, EveryCommandRoundTrips) {
    const std::string topic = topic_for(TopicKind::Commands, "ams1", "", "bench-3");
    const Command commands[] = {
        {CommandKind::Pause, "SUP-1", "lunch", "", "", 0},
        {CommandKind::Resume, "SUP-1", "", "", "", 0},
        {CommandKind::Message, "SUP-2", "", "Box sizes changed: use BOX-M", "", 1795421200000},
        {CommandKind::Reprint, "SUP-1", "smudged", "", "1001", 0},
        {CommandKind::Reprint, "SUP-1", "", "", "", 0},
    };
    for (const Command& command : commands) {
        SCOPED_TRACE(std::string(to_string(command.kind)));
        const auto back = decoded<Command>(topic, command_json(command, kEnvelope));
        EXPECT_EQ(back.kind, command.kind);
        EXPECT_EQ(back.issued_by, command.issued_by);
        EXPECT_EQ(back.reason, command.reason);
        EXPECT_EQ(back.text, command.text);
        EXPECT_EQ(back.order_id, command.order_id);
        EXPECT_EQ(back.expires_at_ms, command.expires_at_ms);
    }
}

TEST(Objects, AcksRoundTripAndRejectedOnesKeepTheirReason) {
    const std::string topic = topic_for(TopicKind::Acks, "ams1", "", "bench-3");
    const std::vector<Ack> acks = {
        {"c3e1a8f0-6a8b-4c35-9d7e-2f1b0a9c8d7e", AckResult::Stored, ""},
        {"d4e1a8f0-6a8b-4c35-9d7e-2f1b0a9c8d7e", AckResult::Duplicate, ""},
        {"e5e1a8f0-6a8b-4c35-9d7e-2f1b0a9c8d7e", AckResult::Rejected, "schema version 2"},
        {"f6e1a8f0-6a8b-4c35-9d7e-2f1b0a9c8d7e", AckResult::Rejected, ""},
    };
    const auto back = decoded<AckBatch>(topic, ack_json(acks, kEnvelope));
    ASSERT_EQ(back.acks.size(), 4u);
    for (std::size_t index = 0; index < acks.size(); ++index) {
        EXPECT_EQ(back.acks[index].event_id, acks[index].event_id);
        EXPECT_EQ(back.acks[index].result, acks[index].result);
    }
    EXPECT_EQ(back.acks[2].reason, "schema version 2");
    EXPECT_EQ(back.acks[3].reason, "rejected by the hub");
}

TEST(Objects, AcksAreOneToAThousandIdsAndReasonsAreCut) {
    EXPECT_FALSE(ack_json({}, kEnvelope));
    std::vector<Ack> many(1001, Ack{"c3e1a8f0-6a8b-4c35-9d7e-2f1b0a9c8d7e", AckResult::Stored, ""});
    EXPECT_FALSE(ack_json(many, kEnvelope));
    many.pop_back();
    EXPECT_TRUE(ack_json(many, kEnvelope));

    const std::vector<Ack> long_reason = {{"c3e1a8f0-6a8b-4c35-9d7e-2f1b0a9c8d7e",
                                           AckResult::Rejected, std::string(5000, 'x') + "\xff"}};
    const auto message = ack_json(long_reason, kEnvelope);
    ASSERT_TRUE(message) << message.error().to_string();
    EXPECT_EQ(json::parse(*message)["acks"][0]["reason"].get<std::string>().size(), 1000u);
}

TEST(Objects, WhatAStationWouldRefuseIsNotEncoded) {
    station::Order order;
    order.id = "bad/id";
    order.lines.push_back({"TEE", 1});
    const auto refused = order_json("ams1", order, kEnvelope);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "sync.bad_message");
    EXPECT_THAT(refused.error().message, HasSubstr("/order_id"));

    order.id = "1001";
    order.carrier = "UPS";  // the contract's carrier codes are lower case
    EXPECT_FALSE(order_json("ams1", order, kEnvelope));

    station::Sku sku;
    sku.sku = "TEE";
    EXPECT_FALSE(sku_json("ams1", sku, Envelope{"not-a-uuid", 1, 0}));
    EXPECT_FALSE(packaging_json("", station::Packaging{"BOX", "", 1}, kEnvelope));
    EXPECT_FALSE(command_json(Command{CommandKind::Message, "SUP-1", "", "", "", 0}, kEnvelope));
}

TEST(Objects, SequenceIsWrittenOnlyWhenSet) {
    const station::Packaging box{"BOX-S", "Small box", 120};
    EXPECT_FALSE(json::parse(*packaging_json("ams1", box, kEnvelope)).contains("sequence"));
    Envelope with_sequence = kEnvelope;
    with_sequence.sequence = 7;
    EXPECT_EQ(json::parse(*packaging_json("ams1", box, with_sequence))["sequence"], 7);
}

}  // namespace
}  // namespace packline::sync
