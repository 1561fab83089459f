// What sync (issue 5) keeps in the station store: station values, the message
// sequence reservation, the inbox of applied messages, objects the hub
// removed, the pool stock and exception counters the heartbeat reports, and
// the event + outbox writes that must stay atomic.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "packline/station/store.h"
#include "store_fixtures.h"

namespace packline::station {
namespace {

using testing::chinese_order;
using testing::event;
using testing::mug;
using testing::new_parcel;
using testing::open_store;
using testing::RawConnection;
using testing::step;
using testing::TempDir;
using testing::tshirt;

// The station_state key of the sequence reservation (docs/store.md, "Sync").
constexpr std::string_view kSequenceKey = "sync.sequence_reserved_until";

class StoreSyncTest : public ::testing::Test {
  protected:
    void SetUp() override {
        path = directory.file("station.db");
        store = open_store(path);
        ASSERT_NE(store, nullptr);
        ImportBatch batch;
        batch.orders = {chinese_order("SO-1001"), chinese_order("SO-1002")};
        batch.skus = {tshirt(), mug()};
        batch.packaging = {Packaging{"BOX-S", "Small box", 120.0}};
        auto counts = store->import(batch);
        ASSERT_TRUE(counts) << counts.error().to_string();
    }

    // Closes the store and opens it again, as a restart of the station does.
    void reopen() {
        store.reset();
        store = open_store(path);
        ASSERT_NE(store, nullptr);
    }

    std::int64_t start_parcel(const std::string& order_id, const std::string& event_id) {
        auto transition =
            step(new_parcel(order_id), event(event_id, event_type::parcel_started, 1000));
        auto id = store->commit(transition);
        EXPECT_TRUE(id) << id.error().to_string();
        return id.value_or(0);
    }

    std::int64_t raw_count(const std::string& sql) { return RawConnection(path).integer(sql); }

    TempDir directory;
    std::string path;
    std::unique_ptr<Store> store;
};

// --- station values ----------------------------------------------------------

TEST_F(StoreSyncTest, StationValuesAreSetOverwrittenClearedAndOutliveARestart) {
    EXPECT_FALSE(store->station_value("station.paused").value().has_value());

    ASSERT_TRUE(store->set_station_value("station.paused", R"({"by":"lead-2"})"));
    EXPECT_EQ(store->station_value("station.paused").value(), R"({"by":"lead-2"})");
    ASSERT_TRUE(store->set_station_value("station.paused", R"({"by":"lead-3"})"));
    EXPECT_EQ(store->station_value("station.paused").value(), R"({"by":"lead-3"})");
    ASSERT_TRUE(store->set_station_value("other", ""));  // an empty value is a value
    EXPECT_EQ(store->station_value("other").value(), std::optional<std::string>(""));
    EXPECT_EQ(raw_count("SELECT count(*) FROM station_state"), 2);

    reopen();
    EXPECT_EQ(store->station_value("station.paused").value(), R"({"by":"lead-3"})");

    ASSERT_TRUE(store->clear_station_value("station.paused"));
    EXPECT_FALSE(store->station_value("station.paused").value().has_value());
    EXPECT_EQ(store->station_value("other").value(), std::optional<std::string>(""));
    ASSERT_TRUE(store->clear_station_value("station.paused"));  // already gone: harmless
    ASSERT_TRUE(store->clear_station_value("never-set"));

    auto empty_key = store->set_station_value("", "x");
    ASSERT_FALSE(empty_key);
    EXPECT_EQ(empty_key.error().code, "store.constraint");
}

// --- message sequence reservation -------------------------------------------

TEST_F(StoreSyncTest, ReservedSequenceBlocksNeverOverlapAcrossReopening) {
    // [first, first + block) per reservation.
    std::vector<std::pair<std::int64_t, std::int64_t>> blocks;
    auto reserve = [&](std::int64_t block) {
        auto first = store->reserve_sequence(block);
        ASSERT_TRUE(first) << first.error().to_string();
        blocks.emplace_back(*first, *first + block);
    };
    reserve(10);
    reserve(5);
    reopen();
    reserve(1);
    reserve(10000);
    reopen();
    reopen();
    reserve(3);

    ASSERT_EQ(blocks.size(), 5u);
    EXPECT_EQ(blocks.front().first, 1);  // a fresh store starts at 1
    for (std::size_t index = 1; index < blocks.size(); ++index) {
        // Each block starts where the previous one ended: nothing reused, nothing skipped.
        EXPECT_EQ(blocks[index].first, blocks[index - 1].second) << "block " << index;
    }
    EXPECT_EQ(store->station_value(kSequenceKey).value(), std::to_string(blocks.back().second));
}

TEST_F(StoreSyncTest, ABadSequenceBlockIsRefusedAndReservesNothing) {
    ASSERT_EQ(store->reserve_sequence(4).value(), 1);
    for (std::int64_t block : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{-10000}}) {
        auto refused = store->reserve_sequence(block);
        ASSERT_FALSE(refused) << "block " << block;
        EXPECT_EQ(refused.error().code, "store.bad_argument");
    }
    EXPECT_EQ(store->station_value(kSequenceKey).value(), "5");
    EXPECT_EQ(store->reserve_sequence(1).value(), 5);
}

TEST_F(StoreSyncTest, ACorruptSequenceReservationIsStoreCorruptAndLeftAsItWas) {
    for (const std::string stored : {"abc", "", "12x", "0", "-5", "1.5", "99999999999999999999"}) {
        ASSERT_TRUE(store->set_station_value(kSequenceKey, stored));
        auto refused = store->reserve_sequence(10);
        ASSERT_FALSE(refused) << "'" << stored << "' accepted as " << refused.value();
        EXPECT_EQ(refused.error().code, "store.corrupt") << stored;
        EXPECT_NE(refused.error().message.find("store: reserve message sequence"),
                  std::string::npos)
            << refused.error().message;
        EXPECT_EQ(store->station_value(kSequenceKey).value(), stored);
    }
    ASSERT_TRUE(store->set_station_value(kSequenceKey, "500"));
    EXPECT_EQ(store->reserve_sequence(10).value(), 500);
    EXPECT_EQ(store->station_value(kSequenceKey).value(), "510");
}

// --- inbox ---------------------------------------------------------------------

TEST_F(StoreSyncTest, AnInboundMessageIsRememberedOnce) {
    const std::string topic = "packline/v1/sh-01/stations/bench-1/commands";
    EXPECT_FALSE(store->inbound_seen("cmd-1").value());
    EXPECT_TRUE(store->remember_inbound("cmd-1", topic, 1000).value());
    EXPECT_TRUE(store->inbound_seen("cmd-1").value());
    EXPECT_FALSE(store->remember_inbound("cmd-1", topic, 2000).value());  // redelivered
    EXPECT_FALSE(store->inbound_seen("cmd-2").value());
    // The first receipt counts: a redelivery does not make the row younger.
    EXPECT_EQ(raw_count("SELECT received_at_ms FROM inbox WHERE event_id = 'cmd-1'"), 1000);

    reopen();
    EXPECT_TRUE(store->inbound_seen("cmd-1").value());
    EXPECT_FALSE(store->remember_inbound("cmd-1", topic, 3000).value());

    auto empty = store->remember_inbound("", topic, 1000);
    ASSERT_FALSE(empty);
    EXPECT_EQ(empty.error().code, "store.constraint");
}

TEST_F(StoreSyncTest, ForgettingInboundMessagesRemovesOnlyOlderRows) {
    for (const auto& [id, at_ms] : std::vector<std::pair<std::string, std::int64_t>>{
             {"old-1", 100}, {"old-2", 4999}, {"edge", 5000}, {"new", 9000}})
        ASSERT_TRUE(store->remember_inbound(id, "topic", at_ms).value());

    EXPECT_EQ(store->forget_inbound_before(5000).value(), 2);
    EXPECT_FALSE(store->inbound_seen("old-1").value());
    EXPECT_FALSE(store->inbound_seen("old-2").value());
    EXPECT_TRUE(store->inbound_seen("edge").value());  // received exactly at the limit: kept
    EXPECT_TRUE(store->inbound_seen("new").value());
    EXPECT_EQ(store->forget_inbound_before(5000).value(), 0);
    EXPECT_EQ(store->forget_inbound_before(0).value(), 0);

    // Forgotten, a very late redelivery is new again.
    EXPECT_TRUE(store->remember_inbound("old-1", "topic", 9500).value());
    EXPECT_EQ(store->forget_inbound_before(10'000).value(), 3);
    EXPECT_EQ(raw_count("SELECT count(*) FROM inbox"), 0);
}

// --- objects the hub removed ---------------------------------------------------

TEST_F(StoreSyncTest, RemovingAnOrderWithoutParcelsDeletesItWithItsLines) {
    auto removed = store->remove_order("SO-1002");
    ASSERT_TRUE(removed) << removed.error().to_string();
    EXPECT_FALSE(removed->has_value());
    EXPECT_FALSE(store->find_order("SO-1002").value().has_value());
    EXPECT_EQ(raw_count("SELECT count(*) FROM order_lines WHERE order_id = 'SO-1002'"), 0);
    EXPECT_EQ(raw_count("SELECT count(*) FROM order_address_lines WHERE order_id = 'SO-1002'"), 0);
    EXPECT_TRUE(store->find_order("SO-1001").value().has_value());

    auto unknown = store->remove_order("SO-NOPE");
    ASSERT_TRUE(unknown) << unknown.error().to_string();
    EXPECT_FALSE(unknown->has_value());
    auto again = store->remove_order("SO-1002");
    ASSERT_TRUE(again);
    EXPECT_FALSE(again->has_value());
}

TEST_F(StoreSyncTest, RemovingAnOrderWithParcelsKeepsItAndCancelsItOnlyWhileOpenOrOnHold) {
    struct Case {
        std::string id;
        OrderStatus before;
        OrderStatus after;
    };
    const Case cases[] = {
        {"SO-OPEN", OrderStatus::Open, OrderStatus::Cancelled},
        {"SO-HOLD", OrderStatus::OnHold, OrderStatus::Cancelled},
        {"SO-PACKED", OrderStatus::Packed, OrderStatus::Packed},
        {"SO-SHIPPED", OrderStatus::Shipped, OrderStatus::Shipped},
        {"SO-CANCELLED", OrderStatus::Cancelled, OrderStatus::Cancelled},
    };
    for (const Case& c : cases) {
        Order order = chinese_order(c.id);
        order.status = c.before;
        ASSERT_TRUE(store->upsert_order(order));
        const std::int64_t parcel_id = start_parcel(c.id, "ev-" + c.id);
        ASSERT_NE(parcel_id, 0);

        auto kept = store->remove_order(c.id);
        ASSERT_TRUE(kept) << c.id << ": " << kept.error().to_string();
        ASSERT_TRUE(kept->has_value()) << c.id;
        EXPECT_EQ(to_string((*kept)->status), to_string(c.after)) << c.id;
        auto found = store->find_order(c.id).value();
        ASSERT_TRUE(found.has_value()) << c.id;
        EXPECT_EQ(to_string(found->status), to_string(c.after)) << c.id;
        EXPECT_EQ(found->lines.size(), 2u) << c.id;  // its history still reads whole
        EXPECT_EQ(store->parcels_for_order(c.id).value().size(), 1u) << c.id;
        EXPECT_EQ(store->find_parcel(parcel_id).value()->order_id, c.id);
    }
}

TEST_F(StoreSyncTest, RemovingASkuRemovesItsBarcodes) {
    ASSERT_TRUE(store->find_sku_by_barcode("4006381333931").value().has_value());
    ASSERT_TRUE(store->remove_sku("TSHIRT-RED-L"));
    EXPECT_FALSE(store->find_sku("TSHIRT-RED-L").value().has_value());
    EXPECT_FALSE(store->find_sku_by_barcode("4006381333931").value().has_value());
    EXPECT_FALSE(store->find_sku_by_barcode("INT-0042").value().has_value());
    EXPECT_EQ(raw_count("SELECT count(*) FROM sku_barcodes WHERE sku = 'TSHIRT-RED-L'"), 0);
    // Other SKUs keep theirs.
    EXPECT_EQ(store->find_sku_by_barcode("0012345678905").value()->sku, "MUG-WHITE");

    ASSERT_TRUE(store->remove_sku("TSHIRT-RED-L"));  // already gone: harmless
    ASSERT_TRUE(store->remove_sku("NO-SUCH-SKU"));

    // Added again later, its barcodes resolve again.
    ASSERT_TRUE(store->upsert_sku(tshirt()));
    EXPECT_EQ(store->find_sku_by_barcode("INT-0042").value()->sku, "TSHIRT-RED-L");
}

TEST_F(StoreSyncTest, RemovingPackagingDeletesOnlyThatCode) {
    ASSERT_TRUE(store->upsert_packaging(Packaging{"BOX-M", "Medium box", 200.0}));
    ASSERT_TRUE(store->remove_packaging("BOX-S"));
    EXPECT_FALSE(store->find_packaging("BOX-S").value().has_value());
    EXPECT_EQ(store->find_packaging("BOX-M").value()->tare_g, 200.0);
    ASSERT_TRUE(store->remove_packaging("BOX-S"));
    ASSERT_TRUE(store->remove_packaging("NO-SUCH-BOX"));
}

// --- pool stock and counters ------------------------------------------------------

TEST_F(StoreSyncTest, PoolStockCountsUntakenNumbersPerCarrierIncludingEmptyOnes) {
    // Before any number arrived, the carriers of open orders without a
    // tracking number are listed with 0: they need the pool.
    {
        auto needed = store->pool_stock();
        ASSERT_TRUE(needed) << needed.error().to_string();
        ASSERT_EQ(needed->size(), 1u);
        EXPECT_EQ((*needed)[0].carrier, store->find_order("SO-1001").value()->carrier);
        EXPECT_EQ((*needed)[0].available, 0);
    }

    ASSERT_TRUE(store->add_pool_numbers("ups", {"1Z0001"}));
    ASSERT_TRUE(store->add_pool_numbers("sf", {"SF01", "SF02", "SF03"}));
    ASSERT_TRUE(store->add_pool_numbers("sf", {"SF03"}));  // replayed: counted once

    const std::int64_t first = start_parcel("SO-1001", "ev-a");
    Parcel parcel = store->find_parcel(first).value().value();
    parcel.carrier = "ups";
    parcel.tracking_number = "1Z0001";
    Transition take_ups = step(parcel, event("ev-a-take", event_type::label_printed, 2000));
    take_ups.take_pool_number = "1Z0001";
    ASSERT_TRUE(store->commit(take_ups));

    const std::int64_t second = start_parcel("SO-1002", "ev-b");
    Parcel other = store->find_parcel(second).value().value();
    other.tracking_number = "SF01";
    Transition take_sf = step(other, event("ev-b-take", event_type::label_printed, 3000));
    take_sf.take_pool_number = "SF01";
    ASSERT_TRUE(store->commit(take_sf));

    auto stock = store->pool_stock();
    ASSERT_TRUE(stock) << stock.error().to_string();
    ASSERT_EQ(stock->size(), 2u);
    EXPECT_EQ((*stock)[0].carrier, "sf");  // by carrier
    EXPECT_EQ((*stock)[0].available, 2);
    EXPECT_EQ((*stock)[1].carrier, "ups");
    EXPECT_EQ((*stock)[1].available, 0);  // none left, still listed
}

TEST_F(StoreSyncTest, CountersCountExceptionsByTheCheckThatFailed) {
    struct Row {
        std::string_view type;
        std::string payload;
        std::int64_t at_ms;
        std::string station;
    };
    const Row rows[] = {
        {event_type::parcel_exception, R"({"check":"customer","reason":"wrong_order"})", 1000,
         "bench-1"},
        {event_type::parcel_exception, R"({"check":"customer"})", 1100, "bench-1"},
        {event_type::parcel_exception, R"({"check":"contents"})", 1200, "bench-1"},
        {event_type::parcel_exception, R"({"check":"express","reason":"mismatch"})", 1300,
         "bench-1"},
        {event_type::parcel_exception, R"({"reason":"no check named"})", 1400, "bench-1"},
        {event_type::parcel_exception, R"({"check":"weight"})", 1500, "bench-1"},
        {event_type::parcel_exception, R"({"check":1})", 1550, "bench-1"},
        // Not counted by check: another type, outside the window, another station.
        {event_type::item_rejected, R"({"check":"contents"})", 1600, "bench-1"},
        {event_type::parcel_override, R"({"check":"customer"})", 1650, "bench-1"},
        {event_type::parcel_exception, R"({"check":"customer"})", 999, "bench-1"},
        {event_type::parcel_exception, R"({"check":"customer"})", 2000, "bench-1"},
        {event_type::parcel_exception, R"({"check":"contents"})", 1700, "bench-2"},
    };
    int index = 0;
    for (const Row& row : rows) {
        EventRecord record =
            event("ev-" + std::to_string(++index), row.type, row.at_ms, row.station);
        record.payload = row.payload;
        ASSERT_TRUE(store->append_event(record)) << row.payload;
    }

    auto counters = store->counters("bench-1", 1000, 2000);
    ASSERT_TRUE(counters) << counters.error().to_string();
    EXPECT_EQ(counters->exceptions, 7);
    EXPECT_EQ(counters->exceptions_customer, 2);
    EXPECT_EQ(counters->exceptions_contents, 1);
    EXPECT_EQ(counters->exceptions_express, 1);
    EXPECT_EQ(counters->overrides, 1);

    auto all_stations = store->counters("", 0, 10'000);
    ASSERT_TRUE(all_stations);
    EXPECT_EQ(all_stations->exceptions_customer, 4);
    EXPECT_EQ(all_stations->exceptions_contents, 2);
    EXPECT_EQ(all_stations->exceptions_express, 1);

    auto quiet = store->counters("bench-3", 0, 10'000);
    ASSERT_TRUE(quiet);
    EXPECT_EQ(quiet->exceptions_customer + quiet->exceptions_contents + quiet->exceptions_express,
              0);
}

// --- events with an outbox row ------------------------------------------------

TEST_F(StoreSyncTest, AnEventWithItsOutboxRowIsWrittenTogether) {
    EventRecord refused = event("ev-refused-1", "inbound.refused", 4242);
    refused.payload = R"({"reason":"bad_schema"})";
    const OutboxMessage outbox{
        0, "", "packline/v1/sh-01/stations/bench-1/events", R"({"type":"inbound.refused"})", 0, 0};
    auto status = store->append_event(refused, outbox);
    ASSERT_TRUE(status) << status.error().to_string();

    EXPECT_EQ(raw_count("SELECT count(*) FROM events WHERE event_id = 'ev-refused-1'"), 1);
    auto pending = store->pending_outbox(10);
    ASSERT_TRUE(pending);
    ASSERT_EQ(pending->size(), 1u);
    EXPECT_EQ(pending->front().event_id, "ev-refused-1");  // defaults to the event's id
    EXPECT_EQ(pending->front().created_at_ms, 4242);       // defaults to the event's time
    EXPECT_EQ(pending->front().payload, R"({"type":"inbound.refused"})");
    EXPECT_EQ(pending->front().topic, "packline/v1/sh-01/stations/bench-1/events");

    const OutboxMessage explicit_row{0, "out-7", "topic", "{}", 77, 0};
    ASSERT_TRUE(store->append_event(event("ev-refused-2", "inbound.refused", 5000), explicit_row));
    pending = store->pending_outbox(10);
    ASSERT_EQ(pending->size(), 2u);
    EXPECT_EQ((*pending)[1].event_id, "out-7");
    EXPECT_EQ((*pending)[1].created_at_ms, 77);
}

TEST_F(StoreSyncTest, AnEventWithAnOutboxRowIsAllOrNothing) {
    ASSERT_TRUE(store->append_event(event("ev-1", "inbound.refused", 1),
                                    OutboxMessage{0, "", "topic", "{}", 0, 0}));
    const std::int64_t events_before = raw_count("SELECT count(*) FROM events");
    const std::int64_t outbox_before = store->count_outbox().value();

    // The event id is taken: no outbox row either.
    auto duplicate_event = store->append_event(event("ev-1", "inbound.refused", 2),
                                               OutboxMessage{0, "out-new", "topic", "{}", 0, 0});
    ASSERT_FALSE(duplicate_event);
    EXPECT_EQ(duplicate_event.error().code, "store.constraint");
    EXPECT_EQ(raw_count("SELECT count(*) FROM outbox WHERE event_id = 'out-new'"), 0);

    // The event is new but its outbox row's id is taken: the event is rolled back.
    auto duplicate_outbox = store->append_event(event("ev-2", "inbound.refused", 3),
                                                OutboxMessage{0, "ev-1", "topic", "{}", 0, 0});
    ASSERT_FALSE(duplicate_outbox);
    EXPECT_EQ(duplicate_outbox.error().code, "store.constraint");
    EXPECT_NE(duplicate_outbox.error().message.find("store: append event with outbox row"),
              std::string::npos)
        << duplicate_outbox.error().message;
    EXPECT_EQ(raw_count("SELECT count(*) FROM events WHERE event_id = 'ev-2'"), 0);

    // An outbox row without a topic is refused by the schema, after the event was written.
    auto no_topic = store->append_event(event("ev-3", "inbound.refused", 4),
                                        OutboxMessage{0, "", "", "{}", 0, 0});
    ASSERT_FALSE(no_topic);
    EXPECT_EQ(raw_count("SELECT count(*) FROM events WHERE event_id = 'ev-3'"), 0);

    EXPECT_EQ(raw_count("SELECT count(*) FROM events"), events_before);
    EXPECT_EQ(store->count_outbox().value(), outbox_before);

    // Nothing was left half-open: the next write goes through.
    ASSERT_TRUE(store->append_event(event("ev-2", "inbound.refused", 5),
                                    OutboxMessage{0, "", "topic", "{}", 0, 0}));
    EXPECT_EQ(store->count_outbox().value(), outbox_before + 1);
}

// --- commit with a payload made from the parcel id -----------------------------

TEST_F(StoreSyncTest, CommitBuildsTheOutboxPayloadFromTheNewParcelId) {
    std::vector<std::int64_t> asked;
    auto payload = [&asked](std::int64_t parcel_id) {
        asked.push_back(parcel_id);
        return R"({"parcel_id":)" + std::to_string(parcel_id) + "}";
    };

    start_parcel("SO-1002", "ev-other");  // so the new parcel's id is not simply 1
    Transition start =
        step(new_parcel("SO-1001"), event("ev-start", event_type::parcel_started, 2000));
    start.outbox = OutboxMessage{0, "", "topic", "placeholder", 0, 0};
    start.outbox_payload = payload;
    auto id = store->commit(start);
    ASSERT_TRUE(id) << id.error().to_string();
    ASSERT_GT(*id, 1);
    ASSERT_EQ(asked, std::vector<std::int64_t>{*id});

    auto pending = store->pending_outbox(10);
    ASSERT_TRUE(pending);
    ASSERT_EQ(pending->size(), 1u);
    EXPECT_EQ(pending->front().payload, R"({"parcel_id":)" + std::to_string(*id) + "}");
    EXPECT_EQ(pending->front().event_id, "ev-start");

    // An existing parcel's update gets its own id too.
    Transition scan = step(store->find_parcel(*id).value().value(),
                           event("ev-scan", event_type::item_accepted, 3000));
    scan.outbox = OutboxMessage{0, "", "topic", "placeholder", 0, 0};
    scan.outbox_payload = payload;
    ASSERT_TRUE(store->commit(scan));
    pending = store->pending_outbox(10);
    ASSERT_EQ(pending->size(), 2u);
    EXPECT_EQ((*pending)[1].payload, R"({"parcel_id":)" + std::to_string(*id) + "}");
}

TEST_F(StoreSyncTest, AFailedCommitWritesNoOutboxRowEvenWithAPayloadBuilder) {
    Transition start =
        step(new_parcel("SO-1001"), event("ev-start", event_type::parcel_started, 2000));
    start.outbox = OutboxMessage{0, "", "topic", "placeholder", 0, 0};
    start.outbox_payload = [](std::int64_t parcel_id) {
        return R"({"parcel_id":)" + std::to_string(parcel_id) + "}";
    };
    start.take_pool_number = "SF-NOT-IN-POOL";
    auto refused = store->commit(start);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "store.not_found");
    EXPECT_EQ(start.parcel.id, 0);  // not written back
    EXPECT_EQ(store->count_outbox().value(), 0);
    EXPECT_EQ(raw_count("SELECT count(*) FROM parcels"), 0);
    EXPECT_EQ(raw_count("SELECT count(*) FROM events"), 0);
}

}  // namespace
}  // namespace packline::station
