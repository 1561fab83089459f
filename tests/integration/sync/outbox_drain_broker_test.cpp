// The outbox drain against a real mosquitto and a fake hub: rows leave in
// order, at most `window` unacknowledged, and are done only when the hub
// acknowledges them; silence means re-sending, a broker restart means
// reconnecting and re-sending, odd acks are harmless, rejections are final.
// Each test starts its own broker. No timing assertions: every wait polls
// with a generous deadline.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "mosquitto_broker.h"
#include "mqtt_fake_hub.h"
#include "packline/station/store.h"
#include "store_outbox_source.h"
#include "sync_drain_rig.h"

namespace packline {
namespace {

using namespace std::chrono_literals;
using testing::FakeHub;
using testing::MemoryOutbox;
using testing::MosquittoBroker;
using testing::StationSide;

class OutboxDrainBrokerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        if (auto missing = MosquittoBroker::missing_tool()) GTEST_SKIP() << *missing;
        broker = std::make_unique<MosquittoBroker>();
        ASSERT_TRUE(broker->running()) << broker->error();
        settings = testing::test_settings(broker->uri());
    }

    // Connects the station and the hub at the same time (Paho makes each
    // client connected while another is live wait ~2 s; in parallel they
    // wait once).
    void connect(StationSide& side, FakeHub& hub) {
        ASSERT_EQ(side.error(), "");
        hub.start_connect();
        side.start(false);
        const Status connected = side.client().wait_connected(15s);
        ASSERT_TRUE(connected) << connected.error().to_string() << "\n" << broker->log_tail();
        ASSERT_EQ(hub.finish_connect(), "") << broker->log_tail();
        side.start_pump();
    }

    std::unique_ptr<MosquittoBroker> broker;
    sync::MqttSettings settings;
};

// A temp dir for a database file, removed at the end.
struct TempDatabase {
    TempDatabase() {
        char pattern[] = "/tmp/packline-sync-db-XXXXXX";
        dir = ::mkdtemp(pattern);
        path = (dir / "station.db").string();
    }
    ~TempDatabase() {
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
    }
    std::filesystem::path dir;
    std::string path;
};

std::int64_t integer(const std::string& database, const std::string& sql) {
    sqlite3* connection = nullptr;
    std::int64_t value = -1;
    if (sqlite3_open_v2(database.c_str(), &connection, SQLITE_OPEN_READONLY, nullptr) ==
        SQLITE_OK) {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(connection, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK &&
            sqlite3_step(statement) == SQLITE_ROW)
            value = sqlite3_column_int64(statement, 0);
        sqlite3_finalize(statement);
    }
    sqlite3_close(connection);
    return value;
}

TEST_F(OutboxDrainBrokerTest, FiveHundredStoreRowsLeaveInOrderAndAreDoneOnlyWhenTheHubAcks) {
    TempDatabase database;
    std::vector<std::string> event_ids;
    {
        auto store = station::Store::open(database.path);
        ASSERT_TRUE(store) << store.error().to_string();
        std::string error;
        event_ids =
            testing::fill_outbox(**store, testing::kTestSite, testing::kTestStation, 500, error);
        ASSERT_EQ(event_ids.size(), 500u) << error;
    }
    const auto pending = [&] {
        return integer(database.path, "SELECT count(*) FROM outbox WHERE delivered_at_ms IS NULL");
    };

    testing::StoreOutboxSource source(database.path, testing::kTestStation);
    StationSide side(settings, source);
    FakeHub hub(broker->uri());
    hub.set_mode(FakeHub::Mode::Hold);
    connect(side, hub);

    // The hub holds its acks: the window fills, the broker acknowledged
    // every publication (PUBACK), and still no row is done.
    ASSERT_TRUE(FakeHub::wait_for([&] { return hub.distinct_count() >= 64; }))
        << hub.distinct_count();
    std::this_thread::sleep_for(300ms);  // room for a (wrong) 65th publication
    EXPECT_EQ(hub.distinct_count(), 64u);
    EXPECT_EQ(pending(), 500);

    hub.set_mode(FakeHub::Mode::AckAll);
    hub.ack_outstanding();
    ASSERT_TRUE(FakeHub::wait_for([&] { return pending() == 0; }, 30s))
        << pending() << " rows pending; drain: " << side.drain().stats().last_error;

    EXPECT_EQ(hub.first_arrival_order(), event_ids);
    EXPECT_LE(hub.max_outstanding(), 64u);
    EXPECT_EQ(integer(database.path, "SELECT count(*) FROM outbox WHERE attempts = 1"), 500);
    EXPECT_EQ(integer(database.path, "SELECT min(delivered_at_ms) > 0 FROM outbox"), 1);
    const sync::DrainStats stats = side.drain().stats();
    EXPECT_EQ(stats.delivered, 500);
    EXPECT_EQ(stats.republished, 0);
    EXPECT_EQ(stats.in_flight, 0);
}

TEST_F(OutboxDrainBrokerTest, WithoutAcksNothingIsDoneAndRowsAreSentAgainAfterTheAckTimeout) {
    settings.ack_timeout = 300ms;
    MemoryOutbox outbox;
    const auto ids = outbox.add(5);
    StationSide side(settings, outbox);
    FakeHub hub(broker->uri());
    hub.set_mode(FakeHub::Mode::Hold);
    connect(side, hub);

    ASSERT_TRUE(FakeHub::wait_for([&] {
        for (const auto& id : ids)
            if (hub.arrival_count(id) < 3) return false;
        return true;
    })) << "arrivals: "
        << hub.arrivals().size();
    EXPECT_EQ(outbox.pending_count(), 5u);
    for (const auto& id : ids)
        EXPECT_GE(outbox.row(id).row.attempts, 3) << id;
    EXPECT_GE(side.drain().stats().republished, 10);

    hub.ack_outstanding();
    ASSERT_TRUE(FakeHub::wait_for([&] { return outbox.pending_count() == 0; }));
}

TEST_F(OutboxDrainBrokerTest, ABrokerRestartOnTheSamePortIsSurvivedAndEverythingArrives) {
    // The restarted broker has forgotten the hub's subscription too: what
    // the station publishes before the hub is back reaches nobody, and only
    // the ack timeout sends it again (30 s by default; short here).
    settings.ack_timeout = 1s;
    MemoryOutbox outbox;
    const auto ids = outbox.add(200);
    StationSide side(settings, outbox);
    FakeHub hub(broker->uri());
    hub.set_mode(FakeHub::Mode::Hold);
    connect(side, hub);
    ASSERT_TRUE(FakeHub::wait_for([&] { return hub.distinct_count() >= 64; }));

    // Down with 64 rows unacknowledged; persistence is off, so the broker
    // forgets sessions, subscriptions and whatever it had queued.
    broker->stop();
    ASSERT_TRUE(FakeHub::wait_for([&] { return !side.client().connected(); }));
    std::this_thread::sleep_for(700ms);  // a few failed reconnection attempts
    ASSERT_TRUE(side.client().last_error().has_value());
    EXPECT_EQ(side.client().last_error()->code, "sync.mqtt_connect")
        << side.client().last_error()->to_string();
    EXPECT_EQ(outbox.pending_count(), 200u);

    hub.set_mode(FakeHub::Mode::AckAll);
    ASSERT_TRUE(broker->start()) << broker->error();
    ASSERT_TRUE(FakeHub::wait_for([&] { return outbox.pending_count() == 0; }, 40s))
        << outbox.pending_count() << " pending; client: "
        << (side.client().last_error() ? side.client().last_error()->to_string() : "ok")
        << "; hub connected: " << hub.connected() << "\n"
        << broker->log_tail();
    EXPECT_GE(side.client().connection_count(), 2);
    EXPECT_EQ(hub.distinct_count(), 200u);
    // The 64 in flight went out again after the reconnect.
    EXPECT_GE(side.drain().stats().republished, 64);
}

TEST_F(OutboxDrainBrokerTest, NeverMoreThanTheWindowIsUnacknowledged) {
    settings.window = 8;
    MemoryOutbox outbox;
    outbox.add(60);
    StationSide side(settings, outbox);
    FakeHub hub(broker->uri());
    // Acknowledges only once the station has stopped sending: the station
    // always runs into its window first.
    hub.set_mode(FakeHub::Mode::AckWhenStalled);
    connect(side, hub);

    ASSERT_TRUE(FakeHub::wait_for([&] { return outbox.pending_count() == 0; }, 30s))
        << outbox.pending_count();
    EXPECT_EQ(hub.max_outstanding(), 8u);
    EXPECT_EQ(hub.distinct_count(), 60u);
    EXPECT_LE(side.drain().stats().max_in_flight, 8);
}

TEST_F(OutboxDrainBrokerTest, DuplicateAndUnknownAcksAreHarmlessAndARejectionIsFinal) {
    MemoryOutbox outbox;
    const auto ids = outbox.add(20);
    StationSide side(settings, outbox);
    FakeHub hub(broker->uri());
    hub.reject(ids[3], "/station: station bench-3 is not registered at site ams1");
    connect(side, hub);
    ASSERT_TRUE(FakeHub::wait_for([&] { return outbox.pending_count() == 0; }));

    // The hub repeats itself and names ids the station never sent.
    nlohmann::json acks = nlohmann::json::array();
    for (std::size_t index = 0; index < 5; ++index)
        acks.push_back({{"event_id", ids[index]}, {"result", "duplicate"}});
    acks.push_back({{"event_id", station::new_event_id()}, {"result", "stored"}});
    acks.push_back(
        {{"event_id", station::new_event_id()}, {"result", "rejected"}, {"reason", "x"}});
    ASSERT_TRUE(hub.publish_ack(testing::kTestSite, testing::kTestStation, acks));
    ASSERT_TRUE(FakeHub::wait_for([&] { return side.drain().stats().unknown_acks >= 2; }));

    // Still draining normally.
    outbox.add(10);
    side.drain().notify_outbox_changed();
    ASSERT_TRUE(FakeHub::wait_for([&] { return outbox.pending_count() == 0; }));

    const sync::DrainStats stats = side.drain().stats();
    EXPECT_EQ(stats.delivered, 29);
    EXPECT_EQ(stats.rejected, 1);
    EXPECT_EQ(stats.repeated_acks, 5);
    EXPECT_EQ(stats.unknown_acks, 2);
    // The rejected row is retired, not in flight: nothing will send it again.
    EXPECT_EQ(stats.in_flight, 0);
    EXPECT_EQ(outbox.row(ids[3]).rejection,
              "/station: station bench-3 is not registered at site ams1");
    EXPECT_NE(outbox.row(ids[3]).delivered_at_ms, 0);
    EXPECT_EQ(outbox.row(ids[4]).rejection, "");
    EXPECT_EQ(hub.arrival_count(ids[3]), 1u);
}

TEST_F(OutboxDrainBrokerTest, ARejectionInTheStoreRetiresTheRowAndRecordsAnEvent) {
    TempDatabase database;
    std::vector<std::string> event_ids;
    {
        auto store = station::Store::open(database.path);
        ASSERT_TRUE(store) << store.error().to_string();
        std::string error;
        event_ids =
            testing::fill_outbox(**store, testing::kTestSite, testing::kTestStation, 3, error);
        ASSERT_EQ(event_ids.size(), 3u) << error;
    }
    testing::StoreOutboxSource source(database.path, testing::kTestStation);
    StationSide side(settings, source);
    FakeHub hub(broker->uri());
    hub.reject(event_ids[1], "/items/0/sku: unknown SKU");
    connect(side, hub);
    ASSERT_TRUE(FakeHub::wait_for([&] {
        return integer(database.path,
                       "SELECT count(*) FROM outbox WHERE delivered_at_ms IS NULL") == 0;
    }));
    EXPECT_EQ(integer(database.path,
                      "SELECT count(*) FROM events WHERE type = 'outbox.rejected' "
                      "AND json_extract(payload, '$.event_id') = '" +
                          event_ids[1] +
                          "' AND json_extract(payload, '$.reason') = "
                          "'/items/0/sku: unknown SKU'"),
              1);
    EXPECT_EQ(side.drain().stats().rejected, 1);
}

}  // namespace
}  // namespace packline
