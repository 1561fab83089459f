// decode_inbound: what the hub sends becomes typed values the station can
// apply, or a refusal with the reason; never a crash and never half a value.
#include "packline/sync/inbound.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "packline/sync/schemas.h"
#include "sync_test_support.h"

namespace packline::sync {
namespace {

using nlohmann::json;
using testing::dump;
using ::testing::ElementsAre;
using testing::fixture;
using testing::fixture_json;
using ::testing::HasSubstr;

template <typename Body>
const Body& body_of(const Result<InboundMessage>& decoded) {
    EXPECT_TRUE(decoded) << decoded.error().to_string();
    EXPECT_TRUE(std::holds_alternative<Body>(decoded->body));
    return std::get<Body>(decoded->body);
}

void expect_refused(const Result<InboundMessage>& decoded, const std::string& code,
                    const std::string& reason) {
    ASSERT_FALSE(decoded);
    EXPECT_EQ(decoded.error().code, code);
    EXPECT_THAT(decoded.error().message, HasSubstr(reason));
}

TEST(DecodeInbound, AnOrderComesOutAsTheStationsOrder) {
    const auto decoded = decode_inbound("packline/v1/ams1/orders/1001", fixture("order.json"));
    const auto& order = body_of<station::Order>(decoded);
    EXPECT_EQ(decoded->topic.kind, TopicKind::Order);
    EXPECT_EQ(decoded->event_id, "0b7e6f3a-54c1-4d2e-9a0f-7c1d2e3f4a5b");
    EXPECT_EQ(decoded->sent_at_ms, 1795420800000);
    EXPECT_EQ(order.id, "1001");
    EXPECT_EQ(order.site, "ams1");
    EXPECT_EQ(order.status, station::OrderStatus::Open);
    EXPECT_EQ(order.created_at_ms, 1795420800000);
    EXPECT_EQ(order.ship_by_ms, 1795536000000);
    EXPECT_EQ(order.recipient.name, "Anna de Vries");
    EXPECT_EQ(order.recipient.phone, "+31 20 123 4567");
    EXPECT_THAT(order.recipient.address.lines, ElementsAre("Prinsengracht 263"));
    EXPECT_EQ(order.recipient.address.city, "Amsterdam");
    EXPECT_EQ(order.recipient.address.postal_code, "1016 GV");
    EXPECT_EQ(order.recipient.address.country, "NL");
    EXPECT_EQ(order.carrier, "ups");
    EXPECT_EQ(order.service, "standard");
    EXPECT_EQ(order.tracking_number, "");
    EXPECT_EQ(order.packaging, "BOX-S");
    ASSERT_EQ(order.lines.size(), 2u);
    EXPECT_EQ(order.lines[0].sku, "TEE-RED-M");
    EXPECT_EQ(order.lines[0].quantity, 2);
    EXPECT_EQ(order.lines[1].sku, "CAM-01");
    EXPECT_EQ(order.lines[1].quantity, 1);
}

TEST(DecodeInbound, AHeldOrderIsNormalisedAsTheImporterWouldNormaliseIt) {
    const auto decoded =
        decode_inbound("packline/v1/sha1/orders/1002", fixture("order.on-hold.json"));
    const auto& order = body_of<station::Order>(decoded);
    EXPECT_EQ(order.status, station::OrderStatus::OnHold);
    EXPECT_EQ(order.recipient.address.country, "CN");  // "cn" in the message
    EXPECT_THAT(order.recipient.address.lines, ElementsAre("浦东新区世纪大道100号", "15楼"));
    EXPECT_EQ(order.recipient.address.region, "上海");
    EXPECT_EQ(order.created_at_ms, 0);
    EXPECT_EQ(order.ship_by_ms, 0);
    EXPECT_EQ(order.packaging, "");

    json message = fixture_json("order.on-hold.json");
    message["status"] = "cancelled";
    message["tracking_number"] = " SF1234567890123 ";
    const auto cancelled = decode_inbound("packline/v1/sha1/orders/1002", dump(message));
    EXPECT_EQ(body_of<station::Order>(cancelled).status, station::OrderStatus::Cancelled);
    EXPECT_EQ(body_of<station::Order>(cancelled).tracking_number, "SF1234567890123");
}

TEST(DecodeInbound, SkuBarcodesBecomeTheStationsLookupKeys) {
    const auto decoded = decode_inbound("packline/v1/ams1/skus/CAM-01", fixture("sku.json"));
    const auto& sku = body_of<station::Sku>(decoded);
    EXPECT_EQ(sku.sku, "CAM-01");
    EXPECT_EQ(sku.name, "Action camera");
    EXPECT_EQ(sku.colour, "Black");
    EXPECT_DOUBLE_EQ(sku.unit_weight_g, 420.0);
    EXPECT_THAT(sku.barcodes, ElementsAre("04006381333931", "CAM01-INT"));
    EXPECT_TRUE(sku.serial_required);
    EXPECT_EQ(sku.tolerance_abs_g, 5.0);
    EXPECT_EQ(sku.tolerance_pct, 1.5);

    json message = fixture_json("sku.minimal.json");
    // UPC-A and its EAN-13 spelling are one GTIN: kept once.
    message["barcodes"] = {"036000291452", "0036000291452", " TEE-INT "};
    const auto minimal = decode_inbound("packline/v1/ams1/skus/TEE-RED-M", dump(message));
    const auto& tee = body_of<station::Sku>(minimal);
    EXPECT_THAT(tee.barcodes, ElementsAre("00036000291452", "TEE-INT"));
    EXPECT_FALSE(tee.serial_required);
    EXPECT_FALSE(tee.tolerance_abs_g.has_value());
    EXPECT_FALSE(tee.tolerance_pct.has_value());
    EXPECT_EQ(tee.name, "");
}

TEST(DecodeInbound, PackagingCommandsPoolsAndAcks) {
    const auto packaging =
        decode_inbound("packline/v1/ams1/packaging/BOX-S", fixture("packaging.json"));
    EXPECT_EQ(body_of<station::Packaging>(packaging).code, "BOX-S");
    EXPECT_EQ(body_of<station::Packaging>(packaging).name, "Small box");
    EXPECT_DOUBLE_EQ(body_of<station::Packaging>(packaging).tare_g, 120.0);

    const std::string commands = "packline/v1/ams1/stations/bench-3/commands";
    const auto reprint = decode_inbound(commands, fixture("command.reprint.json"));
    EXPECT_EQ(body_of<Command>(reprint).kind, CommandKind::Reprint);
    EXPECT_EQ(body_of<Command>(reprint).issued_by, "SUP-1");
    EXPECT_EQ(body_of<Command>(reprint).reason, "label smudged");
    EXPECT_EQ(body_of<Command>(reprint).order_id, "1001");
    EXPECT_EQ(body_of<Command>(reprint).expires_at_ms, 1795421300000);
    EXPECT_EQ(reprint->topic.station, "bench-3");
    const auto pause = decode_inbound(commands, fixture("command.pause.json"));
    EXPECT_EQ(body_of<Command>(pause).kind, CommandKind::Pause);
    EXPECT_EQ(body_of<Command>(pause).expires_at_ms, 0);
    const auto resume = decode_inbound(commands, fixture("command.resume.json"));
    EXPECT_EQ(body_of<Command>(resume).kind, CommandKind::Resume);
    const auto text = decode_inbound(commands, fixture("command.message.json"));
    EXPECT_EQ(body_of<Command>(text).kind, CommandKind::Message);
    EXPECT_THAT(body_of<Command>(text).text, HasSubstr("Truck leaves at 16:00"));

    const auto pool = decode_inbound("packline/v1/ams1/stations/bench-3/tracking-pool",
                                     fixture("tracking-pool.json"));
    EXPECT_EQ(body_of<TrackingPoolTopUp>(pool).carrier, "upu");
    EXPECT_THAT(body_of<TrackingPoolTopUp>(pool).numbers,
                ElementsAre("RR123456785NL", "RR123456799NL", "RR123456808NL"));

    json repeated = fixture_json("tracking-pool.json");
    repeated["numbers"].push_back("RR123456785NL");
    const auto once =
        decode_inbound("packline/v1/ams1/stations/bench-3/tracking-pool", dump(repeated));
    EXPECT_THAT(body_of<TrackingPoolTopUp>(once).numbers,
                ElementsAre("RR123456785NL", "RR123456799NL", "RR123456808NL"));

    const auto acks = decode_inbound("packline/v1/ams1/stations/bench-3/acks", fixture("ack.json"));
    const auto& batch = body_of<AckBatch>(acks);
    ASSERT_EQ(batch.acks.size(), 3u);
    EXPECT_EQ(batch.acks[0].event_id, "c3e1a8f0-6a8b-4c35-9d7e-2f1b0a9c8d7e");
    EXPECT_EQ(batch.acks[0].result, AckResult::Stored);
    EXPECT_EQ(batch.acks[1].result, AckResult::Duplicate);
    EXPECT_EQ(batch.acks[2].result, AckResult::Rejected);
    EXPECT_THAT(batch.acks[2].reason, HasSubstr("not registered"));
    EXPECT_EQ(acks->sent_at_ms, 1795421100000);  // the hub's clock, for skew
}

TEST(DecodeInbound, AnEmptyRetainedPayloadDeletesTheObject) {
    const std::pair<std::string, TopicKind> cases[] = {
        {"packline/v1/ams1/orders/1001", TopicKind::Order},
        {"packline/v1/ams1/skus/CAM-01", TopicKind::Sku},
        {"packline/v1/ams1/packaging/BOX-S", TopicKind::Packaging},
    };
    for (const auto& [topic, kind] : cases) {
        SCOPED_TRACE(topic);
        const auto decoded = decode_inbound(topic, "");
        const auto& deleted = body_of<ObjectDeleted>(decoded);
        EXPECT_EQ(deleted.kind, kind);
        EXPECT_EQ(deleted.id, topic.substr(topic.rfind('/') + 1));
        EXPECT_EQ(decoded->event_id, "");
    }
    for (const char* leaf : {"commands", "tracking-pool", "acks"}) {
        SCOPED_TRACE(leaf);
        expect_refused(decode_inbound("packline/v1/ams1/stations/bench-3/" + std::string(leaf), ""),
                       "sync.bad_message", "empty payload on a " + std::string(leaf) + " topic");
    }
}

TEST(DecodeInbound, TheStationDoesNotReadWhatStationsPublish) {
    for (const char* leaf : {"shipments", "events", "status"}) {
        SCOPED_TRACE(leaf);
        expect_refused(decode_inbound("packline/v1/ams1/stations/bench-3/" + std::string(leaf),
                                      fixture("shipment.json")),
                       "sync.bad_topic", "stations publish on it");
    }
}

TEST(DecodeInbound, BadTopicsAreRefusedBeforeThePayloadIsRead) {
    expect_refused(decode_inbound("packline/v1/ams1/orders/10/01", fixture("order.json")),
                   "sync.bad_topic", "not a topic of the Packline topic map");
    expect_refused(decode_inbound(std::string("packline/v1/ams1/orders/1001\0", 29), ""),
                   "sync.bad_topic", "order id is not a valid topic level");
    expect_refused(decode_inbound("packline/v1/ams1/orders/#", ""), "sync.bad_topic",
                   "order id is not a valid topic level");
}

TEST(DecodeInbound, TheMessageMustNameTheTopicItCameOn) {
    expect_refused(decode_inbound("packline/v1/ams1/orders/1002", fixture("order.json")),
                   "sync.bad_message", "/order_id '1001' does not match the topic's '1002'");
    expect_refused(decode_inbound("packline/v1/rtm1/orders/1001", fixture("order.json")),
                   "sync.bad_message", "/site 'ams1' does not match the topic's 'rtm1'");
    expect_refused(decode_inbound("packline/v1/ams1/skus/CAM-02", fixture("sku.json")),
                   "sync.bad_message", "/sku 'CAM-01'");
    expect_refused(decode_inbound("packline/v1/ams1/packaging/BOX-M", fixture("packaging.json")),
                   "sync.bad_message", "/code 'BOX-S'");
    // Pool numbers belong to one station: never file them under another.
    expect_refused(decode_inbound("packline/v1/ams1/stations/bench-4/tracking-pool",
                                  fixture("tracking-pool.json")),
                   "sync.bad_message", "/station 'bench-3' does not match the topic's 'bench-4'");
    // A C1 control in an id passes the schemas' byte pattern, never the topic.
    json order = fixture_json("order.json");
    order["order_id"] = "1001\xc2\x85";
    expect_refused(decode_inbound("packline/v1/ams1/orders/1001\xc2\x85", dump(order)),
                   "sync.bad_topic", "order id is not a valid topic level");
}

TEST(DecodeInbound, APayloadOfTheWrongKindOrVersionIsRefused) {
    expect_refused(decode_inbound("packline/v1/ams1/orders/CAM-01", fixture("sku.json")),
                   "sync.bad_message", "a packline.sku/1 message where packline.order/1 belongs");
    json order = fixture_json("order.json");
    order["schema"] = "packline.order/2";
    expect_refused(decode_inbound("packline/v1/ams1/orders/1001", dump(order)), "sync.bad_message",
                   "schema version packline.order/2 is not supported");
    expect_refused(decode_inbound("packline/v1/ams1/stations/bench-3/commands",
                                  fixture("command.reprint.json").substr(0, 40)),
                   "sync.bad_message", "invalid JSON");
    expect_refused(
        decode_inbound("packline/v1/ams1/orders/1001", std::string(kMaxPayloadBytes + 1, ' ')),
        "sync.bad_message", "larger than the limit");
}

TEST(DecodeInbound, EveryInboundExampleDecodes) {
    for (const auto& file : testing::fixture_files()) {
        const json message = fixture_json(file.file_name);
        std::string topic;
        if (file.schema == "order")
            topic = "packline/v1/" + message["site"].get<std::string>() + "/orders/" +
                    message["order_id"].get<std::string>();
        else if (file.schema == "sku")
            topic = "packline/v1/ams1/skus/" + message["sku"].get<std::string>();
        else if (file.schema == "packaging")
            topic = "packline/v1/ams1/packaging/" + message["code"].get<std::string>();
        else if (file.schema == "command")
            topic = "packline/v1/ams1/stations/bench-3/commands";
        else if (file.schema == "tracking-pool")
            topic = "packline/v1/ams1/stations/bench-3/tracking-pool";
        else if (file.schema == "ack")
            topic = "packline/v1/ams1/stations/bench-3/acks";
        else
            continue;  // an up message
        SCOPED_TRACE(file.file_name);
        const auto decoded = decode_inbound(topic, fixture(file.file_name));
        ASSERT_TRUE(decoded) << decoded.error().to_string();
        EXPECT_EQ(decoded->event_id, message["event_id"]);
    }
}

}  // namespace
}  // namespace packline::sync
