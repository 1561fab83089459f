// The hub's database: stored once per event id, a status kept only when
// newer (a new will always), a tracking number given once, migrations.
#include "packline/hub/hub_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "hub_messages.h"
#include "packline/hub/ingest.h"

namespace packline::hub {
namespace {

using ::testing::ElementsAre;
using testing::event_message;
using testing::shipment_message;
using testing::status_message;

class HubStoreTest : public ::testing::Test {
  protected:
    void SetUp() override {
        char pattern[] = "/tmp/packline-hub-store-XXXXXX";
        ASSERT_NE(::mkdtemp(pattern), nullptr);
        dir_ = pattern;
        path_ = (dir_ / "hub.db").string();
        auto opened = HubStore::open(path_, 1000);
        ASSERT_TRUE(opened) << opened.error().to_string();
        store_ = std::move(opened).value();
    }
    void TearDown() override {
        store_.reset();
        std::filesystem::remove_all(dir_);
    }

    static StationRecord record(const testing::StationMessage& message) {
        const std::vector<std::string> sites = {"ams1"};
        auto decision = decide_ingest(message.topic, message.payload(), sites);
        EXPECT_EQ(decision.verdict, IngestVerdict::Accepted) << decision.reason;
        return std::visit(
            [](auto& value) -> StationRecord {
                using T = std::decay_t<decltype(value)>;
                if constexpr (std::is_same_v<T, std::monostate>)
                    return ShipmentRecord{};
                else
                    return value;
            },
            decision.record);
    }

    std::vector<StoreOutcome> ingest(const std::vector<StationRecord>& records,
                                     std::int64_t received_at_ms) {
        auto outcomes = store_->ingest(records, received_at_ms);
        EXPECT_TRUE(outcomes) << outcomes.error().to_string();
        return outcomes ? *outcomes : std::vector<StoreOutcome>{};
    }

    std::filesystem::path dir_;
    std::string path_;
    std::unique_ptr<HubStore> store_;
};

TEST_F(HubStoreTest, MessagesAreStoredOncePerEventId) {
    const auto first = record(shipment_message("ams1", "bench-3", "1001"));
    const auto second = record(shipment_message("ams1", "bench-3", "1002"));
    const auto event = record(event_message("ams1", "bench-3"));
    EXPECT_THAT(ingest({first, event}, 5000),
                ElementsAre(StoreOutcome::Stored, StoreOutcome::Stored));
    // Redelivered (and the same id twice within one batch).
    EXPECT_THAT(ingest({first, second, second, event}, 6000),
                ElementsAre(StoreOutcome::Duplicate, StoreOutcome::Stored, StoreOutcome::Duplicate,
                            StoreOutcome::Duplicate));
    EXPECT_EQ(*store_->shipment_count(), 2);
    EXPECT_EQ(*store_->station_event_count(), 1);

    // Receipt time is the first one; the payload is kept as it came.
    const auto received = store_->shipments_received(0, 10000);
    ASSERT_TRUE(received);
    ASSERT_EQ(received->size(), 2u);
    EXPECT_EQ((*received)[0].shipment.order_id, "1001");
    EXPECT_EQ((*received)[0].received_at_ms, 5000);
    EXPECT_EQ((*received)[1].shipment.order_id, "1002");
    EXPECT_EQ((*received)[1].received_at_ms, 6000);
    EXPECT_EQ((*received)[0].shipment.payload, std::get<ShipmentRecord>(first).payload);
    EXPECT_EQ((*received)[0].shipment.weight_g, 612.5);
    EXPECT_TRUE((*received)[0].shipment.partial);

    // The interval is by receipt time, half open.
    EXPECT_EQ(store_->shipments_received(5000, 6000)->size(), 1u);
    EXPECT_EQ(store_->shipments_received(6001, 9000)->size(), 0u);

    const auto events = store_->station_events("ams1", "bench-3");
    ASSERT_TRUE(events);
    ASSERT_EQ(events->size(), 1u);
    EXPECT_EQ((*events)[0].reason, "contents.wrong_variant");
}

TEST_F(HubStoreTest, WhatWasStoredCannotBeChanged) {
    ingest({record(shipment_message("ams1", "bench-3"))}, 5000);
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
    char* message = nullptr;
    EXPECT_NE(sqlite3_exec(raw, "UPDATE shipments SET weight_g = 1", nullptr, nullptr, &message),
              SQLITE_OK);
    sqlite3_free(message);
    EXPECT_NE(sqlite3_exec(raw, "DELETE FROM shipments", nullptr, nullptr, &message), SQLITE_OK);
    sqlite3_free(message);
    sqlite3_close(raw);
    EXPECT_EQ(*store_->shipment_count(), 1);
}

TEST_F(HubStoreTest, AStatusIsKeptOnlyWhenNewer) {
    const auto newer = record(status_message("ams1", "bench-3", 20, 1795421200000));
    const auto older = record(status_message("ams1", "bench-3", 10, 1795421100000));
    EXPECT_THAT(ingest({newer}, 1795421200850), ElementsAre(StoreOutcome::Stored));
    EXPECT_THAT(ingest({older, newer}, 1795421300000),
                ElementsAre(StoreOutcome::Duplicate, StoreOutcome::Duplicate));

    auto kept = store_->station_status("ams1", "bench-3");
    ASSERT_TRUE(kept && kept->has_value());
    EXPECT_EQ((*kept)->status.sequence, 20);
    EXPECT_EQ((*kept)->status.state, "weighing");
    EXPECT_EQ((*kept)->received_at_ms, 1795421200850);
    EXPECT_EQ((*kept)->clock_skew_ms, 850);  // hub clock minus the station's

    const auto next = record(status_message("ams1", "bench-3", 21, 1795421260000));
    EXPECT_THAT(ingest({next}, 1795421259000), ElementsAre(StoreOutcome::Stored));
    kept = store_->station_status("ams1", "bench-3");
    EXPECT_EQ((*kept)->status.sequence, 21);
    EXPECT_EQ((*kept)->clock_skew_ms, -1000);

    EXPECT_FALSE(store_->station_status("ams1", "bench-4")->has_value());
    ingest({record(status_message("ams1", "bench-1", 1, 1))}, 2);
    const auto all = store_->station_statuses();
    ASSERT_EQ(all->size(), 2u);
    EXPECT_EQ((*all)[0].status.station, "bench-1");
}

TEST_F(HubStoreTest, AWillWinsOnceEvenWithItsOlderSequence) {
    // The will was made when the station connected (sequence 5); it sent
    // statuses 6 and 7 since, then its connection died.
    const auto will = record(status_message("ams1", "bench-3", 5, 1000, true));
    ingest({record(status_message("ams1", "bench-3", 7, 2000))}, 2000);
    EXPECT_THAT(ingest({will}, 3000), ElementsAre(StoreOutcome::Stored));
    EXPECT_EQ((*store_->station_status("ams1", "bench-3"))->status.state, "offline");
    // Back online; the same will redelivered does not take the station down again.
    ingest({record(status_message("ams1", "bench-3", 9, 4000))}, 4000);
    EXPECT_THAT(ingest({will}, 5000), ElementsAre(StoreOutcome::Duplicate));
    EXPECT_EQ((*store_->station_status("ams1", "bench-3"))->status.state, "weighing");
}

TEST_F(HubStoreTest, ATrackingNumberIsGivenOnce) {
    const std::vector<std::string> numbers = {"RR000000001NL", "RR000000002NL", "RR000000003NL"};
    auto load = store_->load_pool("upu", numbers, 100);
    ASSERT_TRUE(load) << load.error().to_string();
    EXPECT_EQ(load->loaded, 3);
    const std::vector<std::string> again = {"RR000000003NL", "RR000000004NL"};
    load = store_->load_pool("upu", again, 200);
    EXPECT_EQ(load->loaded, 1);
    EXPECT_EQ(load->already_known, 1);
    EXPECT_EQ(*store_->pool_available("upu"), 4);
    EXPECT_EQ(*store_->pool_available("ups"), 0);

    auto given = store_->give_numbers("upu", "ams1", "bench-3", 3, "e1", 300);
    ASSERT_TRUE(given) << given.error().to_string();
    EXPECT_THAT(*given, ElementsAre("RR000000001NL", "RR000000002NL", "RR000000003NL"));
    auto rest = store_->give_numbers("upu", "ams1", "bench-4", 3, "e2", 400);
    EXPECT_THAT(*rest, ElementsAre("RR000000004NL"));
    EXPECT_TRUE(store_->give_numbers("upu", "ams1", "bench-4", 3, "e3", 500)->empty());
    EXPECT_EQ(*store_->pool_available("upu"), 0);

    // Loading a given number again does not make it available again.
    load = store_->load_pool("upu", numbers, 600);
    EXPECT_EQ(load->loaded, 0);
    EXPECT_EQ(*store_->pool_available("upu"), 0);

    const auto record_of_given = store_->given_numbers("upu");
    ASSERT_EQ(record_of_given->size(), 4u);
    EXPECT_EQ((*record_of_given)[3].station, "bench-4");

    // The database itself refuses to give a number twice.
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
    char* message = nullptr;
    EXPECT_NE(sqlite3_exec(raw,
                           "UPDATE tracking_pool SET station = 'bench-9' WHERE number = "
                           "'RR000000001NL'",
                           nullptr, nullptr, &message),
              SQLITE_OK);
    sqlite3_free(message);
    sqlite3_close(raw);
}

TEST_F(HubStoreTest, TwoConnectionsNeverGiveTheSameNumber) {
    std::vector<std::string> numbers;
    for (int index = 0; index < 200; ++index)
        numbers.push_back("N" + std::to_string(1000 + index));
    ASSERT_TRUE(store_->load_pool("jd", numbers, 1));
    auto other = HubStore::open(path_, 2);
    ASSERT_TRUE(other);
    std::vector<std::string> all;
    for (int round = 0; round < 20; ++round) {
        auto mine = store_->give_numbers("jd", "ams1", "a", 7, "x", 3);
        auto theirs = (*other)->give_numbers("jd", "ams1", "b", 5, "y", 3);
        ASSERT_TRUE(mine && theirs);
        all.insert(all.end(), mine->begin(), mine->end());
        all.insert(all.end(), theirs->begin(), theirs->end());
    }
    std::sort(all.begin(), all.end());
    EXPECT_EQ(std::adjacent_find(all.begin(), all.end()), all.end());
    EXPECT_EQ(all.size(), 200u);
}

TEST_F(HubStoreTest, TheCatalogueKeepsTheLatestPublication) {
    ASSERT_TRUE(store_->put_catalogue({CatalogueKind::Order, "ams1", "1001", "{v1}", 1}));
    ASSERT_TRUE(store_->put_catalogue({CatalogueKind::Order, "ams1", "1001", "{v2}", 2}));
    ASSERT_TRUE(store_->put_catalogue({CatalogueKind::Sku, "ams1", "TEE", "{sku}", 2}));
    ASSERT_TRUE(store_->put_catalogue({CatalogueKind::Sku, "sha1", "TEE", "{sku}", 2}));
    auto entries = store_->catalogue("ams1");
    ASSERT_EQ(entries->size(), 2u);
    EXPECT_EQ((*entries)[0].payload, "{v2}");
    EXPECT_TRUE(*store_->delete_catalogue(CatalogueKind::Order, "ams1", "1001"));
    EXPECT_FALSE(*store_->delete_catalogue(CatalogueKind::Order, "ams1", "1001"));
    EXPECT_EQ(store_->catalogue("ams1")->size(), 1u);
}

TEST_F(HubStoreTest, MigrationsAreVersionedAndANewerDatabaseIsRefused) {
    EXPECT_EQ(*store_->schema_version(), HubStore::latest_schema_version());
    store_.reset();
    // Reopening does not migrate again.
    auto reopened = HubStore::open(path_, 2000);
    ASSERT_TRUE(reopened) << reopened.error().to_string();
    EXPECT_EQ(*(*reopened)->schema_version(), HubStore::latest_schema_version());
    reopened->reset();

    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
    sqlite3_stmt* statement = nullptr;
    ASSERT_EQ(
        sqlite3_prepare_v2(raw, "SELECT count(*) FROM schema_migrations", -1, &statement, nullptr),
        SQLITE_OK);
    ASSERT_EQ(sqlite3_step(statement), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int(statement, 0), HubStore::latest_schema_version());
    sqlite3_finalize(statement);
    const std::string newer =
        "PRAGMA user_version = " + std::to_string(HubStore::latest_schema_version() + 1);
    ASSERT_EQ(sqlite3_exec(raw, newer.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(raw);

    auto refused = HubStore::open(path_, 3000);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "store.too_new");
}

TEST_F(HubStoreTest, ADatabaseThatIsNotOneIsRefusedClearly) {
    const std::string junk = (dir_ / "junk.db").string();
    std::ofstream(junk) << std::string(4096, 'x');
    auto refused = HubStore::open(junk, 1);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "store.corrupt");
    EXPECT_THAT(refused.error().message, ::testing::HasSubstr("junk.db"));
}

TEST_F(HubStoreTest, AStationStoreOrAnotherApplicationsDatabaseIsRefusedUntouched) {
    struct Case {
        std::string file;
        std::string script;
        std::string said;
    };
    const Case cases[] = {
        {"station.db",
         "PRAGMA application_id = " + std::to_string(0x504B4C53) +
             "; CREATE TABLE parcels (id INTEGER);",
         "the file is a Packline station store"},
        {"notes.db", "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep');",
         "another application's SQLite database (tables: notes)"},
    };
    for (const Case& item : cases) {
        const std::string path = (dir_ / item.file).string();
        sqlite3* raw = nullptr;
        ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
        ASSERT_EQ(sqlite3_exec(raw, item.script.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(raw);
        auto refused = HubStore::open(path, 1);
        ASSERT_FALSE(refused) << item.file;
        EXPECT_EQ(refused.error().code, "store.foreign");
        EXPECT_THAT(refused.error().message, ::testing::HasSubstr("not a packline-hub database"));
        EXPECT_THAT(refused.error().message, ::testing::HasSubstr(item.said));
        EXPECT_FALSE(std::filesystem::exists(path + "-wal")) << "switched to WAL: " << item.file;
    }
    // A fresh hub database carries the hub's stamp ('PKLH').
    ASSERT_TRUE(HubStore::open(path_, 1));
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
    sqlite3_stmt* statement = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(raw, "PRAGMA application_id", -1, &statement, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(statement), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int(statement, 0), 0x504B4C48);
    sqlite3_finalize(statement);
    sqlite3_close(raw);
}

}  // namespace
}  // namespace packline::hub
