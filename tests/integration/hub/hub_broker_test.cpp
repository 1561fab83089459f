// packline-hub against a real mosquitto: what stations send is stored once
// and acknowledged (stored, then duplicate), refused messages are answered
// "rejected" when they name an event id, statuses are kept when newer, two
// hub instances in one share group split the load on one database, the
// catalogue is published retained, and low tracking pools are topped up.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "hub_messages.h"
#include "hub_test_rig.h"
#include "mosquitto_broker.h"
#include "packline/hub/catalogue.h"
#include "packline/station/import.h"

namespace packline {
namespace {

using namespace std::chrono_literals;
using hub::HubStore;
using nlohmann::json;
using testing::eventually;
using ::testing::HasSubstr;
using testing::MosquittoBroker;
using testing::TestStation;

class HubBrokerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        if (auto missing = MosquittoBroker::missing_tool()) GTEST_SKIP() << *missing;
        ASSERT_TRUE(broker_.running()) << broker_.error();
        database_ = dir_.file("hub.db");
    }

    std::unique_ptr<hub::Hub> start_hub(hub::HubOptions options) {
        std::string error;
        auto made = testing::make_hub(std::move(options), database_, &error);
        EXPECT_TRUE(made) << error;
        if (made) {
            EXPECT_TRUE(made->start());
        }
        return made;
    }
    std::unique_ptr<hub::Hub> start_hub(const std::string& instance = "1") {
        return start_hub(testing::hub_test_options(broker_.uri(), instance));
    }

    // Starts the hub and a station together (see hub_test_rig.h) and waits
    // for both.
    void connect(hub::Hub& hub, TestStation& station) {
        ASSERT_EQ(station.error(), "");
        ASSERT_TRUE(station.client().start());
        const Status hub_up = hub.wait_connected(15s);
        ASSERT_TRUE(hub_up) << hub_up.error().to_string();
        const Status station_up = station.client().wait_connected(15s);
        ASSERT_TRUE(station_up) << station_up.error().to_string();
    }

    std::unique_ptr<HubStore> reader() {
        auto store = HubStore::open(database_, 1);
        EXPECT_TRUE(store) << store.error().to_string();
        return store ? std::move(store).value() : nullptr;
    }

    MosquittoBroker broker_;
    testing::TempDir dir_;
    std::string database_;
};

bool has_result(const TestStation& station, const std::string& event_id, sync::AckResult result) {
    for (const auto& received : station.acks_for(event_id))
        if (received.result == result) return true;
    return false;
}

TEST_F(HubBrokerTest, ShipmentsAndEventsAreStoredOnceAndAcknowledged) {
    auto hub = start_hub();
    ASSERT_TRUE(hub);
    TestStation station(broker_.uri(), "ams1", "bench-3");
    connect(*hub, station);

    const auto shipment = testing::shipment_message("ams1", "bench-3", "1001");
    const auto exception = testing::event_message("ams1", "bench-3", "exception", 2);
    const auto started = testing::event_message("ams1", "bench-3", "packing-started", 1);
    for (const auto* message : {&started, &exception, &shipment})
        ASSERT_TRUE(station.publish(message->topic, message->payload()));
    for (const auto* message : {&started, &exception, &shipment})
        EXPECT_TRUE(eventually([&] {
            return has_result(station, message->event_id, sync::AckResult::Stored);
        })) << message->event_id;

    // Sent again (a station that missed the ack): answered duplicate, stored once.
    ASSERT_TRUE(station.publish(shipment.topic, shipment.payload()));
    ASSERT_TRUE(station.publish(exception.topic, exception.payload()));
    EXPECT_TRUE(eventually([&] {
        return has_result(station, shipment.event_id, sync::AckResult::Duplicate) &&
               has_result(station, exception.event_id, sync::AckResult::Duplicate);
    }));

    auto store = reader();
    ASSERT_TRUE(store);
    EXPECT_EQ(*store->shipment_count(), 1);
    EXPECT_EQ(*store->station_event_count(), 2);
    const auto shipments = store->shipments_received(0, std::numeric_limits<std::int64_t>::max());
    ASSERT_EQ(shipments->size(), 1u);
    EXPECT_EQ((*shipments)[0].shipment.event_id, shipment.event_id);
    EXPECT_EQ((*shipments)[0].shipment.order_id, "1001");
    EXPECT_EQ((*shipments)[0].shipment.payload, shipment.payload());
    EXPECT_TRUE(station.refused().empty());

    const auto counters = hub->counters();
    EXPECT_EQ(counters.stored, 3);
    EXPECT_EQ(counters.duplicates, 2);
    EXPECT_EQ(counters.acks, 5);
    ASSERT_TRUE(hub->stop());
}

TEST_F(HubBrokerTest, RefusedMessagesAreAnsweredRejectedWhenTheyNameAnEventId) {
    auto hub = start_hub();
    ASSERT_TRUE(hub);
    TestStation station(broker_.uri(), "ams1", "bench-3");
    connect(*hub, station);

    auto wrong_version = testing::shipment_message("ams1", "bench-3");
    wrong_version.body["schema"] = "packline.shipment/2";
    auto other_station = testing::shipment_message("ams1", "bench-3");
    other_station.body["station"] = "bench-4";  // speaking for another station
    auto oversized = testing::event_message("ams1", "bench-3");
    oversized.body["message"] = std::string(300 * 1024, 'x');
    auto malformed = testing::shipment_message("ams1", "bench-3");
    malformed.body["weight_g"] = "heavy";
    for (const auto* message : {&wrong_version, &other_station, &oversized, &malformed})
        ASSERT_TRUE(station.publish(message->topic, message->payload()));
    // Unreadable: nothing to answer, counted.
    ASSERT_TRUE(station.publish(wrong_version.topic, "{not json"));
    ASSERT_TRUE(station.publish(wrong_version.topic, "{\"event_id\": 7}"));

    for (const auto* message : {&wrong_version, &other_station, &oversized, &malformed})
        EXPECT_TRUE(eventually([&] {
            return has_result(station, message->event_id, sync::AckResult::Rejected);
        })) << message->event_id;
    EXPECT_THAT(station.acks_for(wrong_version.event_id).front().reason,
                HasSubstr("packline.shipment/2"));
    EXPECT_THAT(station.acks_for(other_station.event_id).front().reason,
                HasSubstr("/station 'bench-4'"));
    EXPECT_THAT(station.acks_for(oversized.event_id).front().reason,
                HasSubstr("larger than the limit"));
    EXPECT_THAT(station.acks_for(malformed.event_id).front().reason, HasSubstr("/weight_g"));
    EXPECT_TRUE(eventually([&] { return hub->counters().unreadable == 2; }));
    EXPECT_EQ(hub->counters().rejected, 4);

    auto store = reader();
    EXPECT_EQ(*store->shipment_count(), 0);
    EXPECT_EQ(*store->station_event_count(), 0);
}

TEST_F(HubBrokerTest, TheLatestStatusIsKeptWithItsClockSkew) {
    auto options = testing::hub_test_options(broker_.uri(), "1");
    options.clock = [] { return std::int64_t{1795421200500}; };
    auto hub = start_hub(std::move(options));
    ASSERT_TRUE(hub);
    TestStation station(broker_.uri(), "ams1", "bench-3");
    connect(*hub, station);

    const auto newer = testing::status_message("ams1", "bench-3", 20, 1795421200000);
    const auto older = testing::status_message("ams1", "bench-3", 10, 1795421100000);
    ASSERT_TRUE(station.publish(newer.topic, newer.payload(), true));
    ASSERT_TRUE(station.publish(older.topic, older.payload(), true));
    ASSERT_TRUE(eventually([&] {
        const auto counters = hub->counters();
        return counters.statuses_kept + counters.statuses_stale == 2;
    }));
    EXPECT_EQ(hub->counters().statuses_kept, 1);
    auto store = reader();
    const auto kept = store->station_status("ams1", "bench-3");
    ASSERT_TRUE(kept && kept->has_value());
    EXPECT_EQ((*kept)->status.event_id, newer.event_id);
    EXPECT_EQ((*kept)->status.sequence, 20);
    EXPECT_EQ((*kept)->clock_skew_ms, 500);
    EXPECT_EQ(station.acked_count(), 0u);  // statuses are not acknowledged
}

TEST_F(HubBrokerTest, TwoInstancesInOneShareGroupStoreEachMessageOnce) {
    auto first = start_hub("a");
    auto second = start_hub("b");
    ASSERT_TRUE(first && second);
    TestStation station(broker_.uri(), "ams1", "bench-3");
    ASSERT_EQ(station.error(), "");
    ASSERT_TRUE(station.client().start());
    ASSERT_TRUE(first->wait_connected(15s));
    ASSERT_TRUE(second->wait_connected(15s));
    ASSERT_TRUE(station.client().wait_connected(15s));

    constexpr int kCount = 200;
    std::vector<std::string> ids;
    for (int index = 0; index < kCount; ++index) {
        const auto message =
            testing::shipment_message("ams1", "bench-3", "SO-" + std::to_string(index), "T", index);
        ids.push_back(message.event_id);
        ASSERT_TRUE(station.publish(message.topic, message.payload()));
    }
    ASSERT_TRUE(eventually([&] { return station.acked_count() == kCount; }))
        << station.acked_count();
    for (const std::string& id : ids) {
        const auto acks = station.acks_for(id);
        ASSERT_EQ(acks.size(), 1u) << id;  // each went to one instance only
        EXPECT_EQ(acks.front().result, sync::AckResult::Stored);
    }
    EXPECT_EQ(*reader()->shipment_count(), kCount);
    const auto a = first->counters();
    const auto b = second->counters();
    EXPECT_EQ(a.stored + b.stored, kCount);
    // The broker shares the load (mosquitto: round robin).
    EXPECT_GT(a.stored, 0);
    EXPECT_GT(b.stored, 0);
}

TEST_F(HubBrokerTest, ImportedOrdersArePublishedRetainedForAFreshSubscriber) {
    auto store = reader();
    ASSERT_TRUE(store);
    auto import = station::parse_import_file(std::string(PACKLINE_SOURCE_DIR) +
                                             "/tests/fixtures/import/sample.json");
    ASSERT_TRUE(import);
    // A publisher of the hub's kind (a service client, like `packline-hub import`).
    auto settings = testing::hub_test_settings(broker_.uri());
    settings.client_id = "hub-import";
    auto publisher = sync::MqttClient::create_service(settings, sync::ServiceClientOptions{},
                                                      sync::MqttHandlers{});
    ASSERT_TRUE(publisher);
    ASSERT_TRUE((*publisher)->start());
    ASSERT_TRUE((*publisher)->wait_connected(15s));
    const std::vector<std::string> sites = {"ams1"};
    auto report = hub::publish_catalogue(
        *store, import->batch, sites,
        [&](const std::string& topic, const std::string& payload) {
            return (*publisher)->publish_confirmed(topic, payload, true);
        },
        1795421100000);
    ASSERT_TRUE(report) << report.error().to_string();
    EXPECT_EQ(report->orders, 2);  // 1001 and 1003; 1002 is for site sha1
    EXPECT_EQ(report->skus, 3);
    EXPECT_EQ(report->packaging, 2);
    ASSERT_EQ(report->skipped.size(), 1u) << ::testing::PrintToString(report->skipped);
    EXPECT_THAT(report->skipped[0], HasSubstr("1002"));

    // A station that subscribes afterwards gets them from the broker.
    TestStation fresh(
        broker_.uri(), "ams1", "bench-7",
        {"packline/v1/ams1/orders/+", "packline/v1/ams1/skus/+", "packline/v1/ams1/packaging/+"});
    ASSERT_TRUE(fresh.client().start());
    ASSERT_TRUE(fresh.client().wait_connected(15s));
    ASSERT_TRUE(eventually([&] { return fresh.others().size() == 7; }))
        << ::testing::PrintToString(fresh.others());
    const auto others = fresh.others();
    const auto order = others.find("packline/v1/ams1/orders/1001");
    ASSERT_NE(order, others.end());
    auto decoded = sync::decode_inbound(order->first, order->second.back());
    ASSERT_TRUE(decoded) << decoded.error().to_string();
    const auto& published = std::get<station::Order>(decoded->body);
    EXPECT_EQ(published.recipient.name, "Anna de Vries");
    EXPECT_EQ(published.recipient.address.country, "NL");
    EXPECT_EQ(published.lines.size(), 2u);
    EXPECT_EQ(store->catalogue("ams1")->size(), 7u);

    // Deleting: the empty retained payload reaches current subscribers and
    // clears the topic for later ones.
    ASSERT_TRUE(hub::delete_catalogue_object(
        *store, hub::CatalogueKind::Order, "ams1", "1001",
        [&](const std::string& topic, const std::string& payload) {
            return (*publisher)->publish_confirmed(topic, payload, true);
        }));
    ASSERT_TRUE(eventually([&] {
        const auto now = fresh.others();
        const auto found = now.find("packline/v1/ams1/orders/1001");
        return found != now.end() && found->second.size() == 2 && found->second.back().empty();
    }));
    auto deleted = sync::decode_inbound("packline/v1/ams1/orders/1001", "");
    ASSERT_TRUE(deleted);
    EXPECT_TRUE(std::holds_alternative<sync::ObjectDeleted>(deleted->body));
    EXPECT_EQ(store->catalogue("ams1")->size(), 6u);
    ASSERT_TRUE((*publisher)->stop());
    TestStation later(broker_.uri(), "ams1", "bench-8", {"packline/v1/ams1/orders/+"});
    ASSERT_TRUE(later.client().start());
    ASSERT_TRUE(later.client().wait_connected(15s));
    ASSERT_TRUE(eventually([&] { return later.others().size() == 1; }));
    EXPECT_EQ(later.others().begin()->first, "packline/v1/ams1/orders/1003");
}

TEST_F(HubBrokerTest, ALowPoolIsToppedUpOncePerStatus) {
    auto store = reader();
    std::vector<std::string> numbers;
    for (int index = 0; index < 25; ++index)
        numbers.push_back("UPS-" + std::to_string(100 + index));
    ASSERT_TRUE(store->load_pool("ups", numbers, 1));
    auto options = testing::hub_test_options(broker_.uri(), "1");
    options.pool_low_water = 10;
    options.pool_batch = 20;
    auto hub = start_hub(std::move(options));
    ASSERT_TRUE(hub);
    TestStation station(broker_.uri(), "ams1", "bench-3");
    connect(*hub, station);

    // station-status.json: ups 4 (low), upu 57 (fine; the hub has no upu anyway).
    const auto low = testing::status_message("ams1", "bench-3", 20, 1795421200000);
    ASSERT_TRUE(station.publish(low.topic, low.payload(), true));
    ASSERT_TRUE(eventually([&] { return station.top_ups().size() == 1; }));
    auto top_up = station.top_ups().front();
    EXPECT_EQ(top_up.carrier, "ups");
    ASSERT_EQ(top_up.numbers.size(), 20u);
    EXPECT_EQ(top_up.numbers.front(), "UPS-100");

    // The same status again: no second top-up. A newer low one: the rest.
    ASSERT_TRUE(station.publish(low.topic, low.payload(), true));
    const auto lower = testing::status_message("ams1", "bench-3", 21, 1795421260000);
    ASSERT_TRUE(station.publish(lower.topic, lower.payload(), true));
    ASSERT_TRUE(eventually([&] { return station.top_ups().size() == 2; }));
    EXPECT_EQ(station.top_ups()[1].numbers.size(), 5u);
    // Out of stock: nothing more, and nothing given twice.
    const auto lowest = testing::status_message("ams1", "bench-3", 22, 1795421320000);
    ASSERT_TRUE(station.publish(lowest.topic, lowest.payload(), true));
    ASSERT_TRUE(eventually([&] { return hub->counters().statuses_kept == 3; }));
    ASSERT_TRUE(hub->stop());
    EXPECT_EQ(station.top_ups().size(), 2u);
    const auto given = store->given_numbers("ups");
    ASSERT_EQ(given->size(), 25u);
    EXPECT_EQ((*given)[24].station, "bench-3");
}

}  // namespace
}  // namespace packline
