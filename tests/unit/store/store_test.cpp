// The station store: catalogue round trips, the packing transition and its
// failure paths (nothing half-written), append-only history, durability.
#include "packline/station/store.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

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

class StoreTest : public ::testing::Test {
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

    void reopen(const StoreOptions& options = {}) {
        store.reset();
        store = open_store(path, options);
        ASSERT_NE(store, nullptr);
    }

    // Starts a parcel for the order and returns its id.
    std::int64_t start_parcel(const std::string& order_id, const std::string& event_id,
                              const std::string& station = "bench-1") {
        auto transition =
            step(new_parcel(order_id, station),
                 event(event_id, event_type::parcel_started, 1'700'000'100'000, station));
        auto id = store->commit(transition);
        EXPECT_TRUE(id) << id.error().to_string();
        return id.value_or(0);
    }

    // Everything a failed commit must leave untouched.
    struct Snapshot {
        std::optional<Parcel> parcel;
        std::size_t events = 0;
        std::int64_t outbox = 0;
        std::int64_t confirmations = 0;
        OrderStatus order_status = OrderStatus::Open;
        std::optional<std::string> pool_number;
    };
    Snapshot snapshot(std::int64_t parcel_id, const std::string& order_id = "SO-1001") {
        Snapshot result;
        result.parcel = store->find_parcel(parcel_id).value();
        result.events = store->events_for_parcel(parcel_id)->size();
        result.outbox = store->count_outbox().value();
        result.confirmations = store->count_confirmations().value();
        result.order_status = store->find_order(order_id).value()->status;
        result.pool_number = store->next_pool_number("sf").value();
        return result;
    }
    void expect_unchanged(const Snapshot& before, std::int64_t parcel_id,
                          const std::string& order_id = "SO-1001") {
        const Snapshot after = snapshot(parcel_id, order_id);
        ASSERT_EQ(before.parcel.has_value(), after.parcel.has_value());
        if (before.parcel) {
            EXPECT_EQ(to_string(before.parcel->state), to_string(after.parcel->state));
            EXPECT_EQ(before.parcel->items.size(), after.parcel->items.size());
            EXPECT_EQ(before.parcel->tracking_number, after.parcel->tracking_number);
            EXPECT_EQ(before.parcel->updated_at_ms, after.parcel->updated_at_ms);
        }
        EXPECT_EQ(before.events, after.events);
        EXPECT_EQ(before.outbox, after.outbox);
        EXPECT_EQ(before.confirmations, after.confirmations);
        EXPECT_EQ(before.order_status, after.order_status);
        EXPECT_EQ(before.pool_number, after.pool_number);
    }

    // A parcel that passed all three checks and is ready to be confirmed.
    Transition confirmation(std::int64_t parcel_id, const std::string& tracking,
                            const std::string& event_id, const std::string& order_id = "SO-1001") {
        Parcel parcel = store->find_parcel(parcel_id).value().value();
        parcel.order_id = order_id;
        parcel.state = ParcelState::Confirmed;
        parcel.tracking_number = tracking;
        parcel.customer = parcel.contents = parcel.express = CheckStatus::Passed;
        parcel.confirmed_at_ms = 1'700'000'400'000;
        parcel.updated_at_ms = parcel.confirmed_at_ms;
        Transition transition =
            step(parcel, event(event_id, event_type::parcel_confirmed, 1'700'000'400'000));
        transition.outbox = OutboxMessage{0,
                                          "",
                                          "packline/v1/sh-01/stations/bench-1/shipments",
                                          R"({"schema":1,"tracking":")" + tracking + R"("})",
                                          0,
                                          0};
        transition.order_status = OrderStatus::Packed;
        transition.confirm = true;
        return transition;
    }

    TempDir directory;
    std::string path;
    std::unique_ptr<Store> store;
};

// --- catalogue ---------------------------------------------------------------

TEST_F(StoreTest, OrderRoundTripKeepsEveryFieldIncludingCjkText) {
    const Order expected = chinese_order("SO-1001");
    auto found = store->find_order("SO-1001");
    ASSERT_TRUE(found) << found.error().to_string();
    ASSERT_TRUE(found->has_value());
    const Order& order = **found;
    EXPECT_EQ(order.id, expected.id);
    EXPECT_EQ(order.site, expected.site);
    EXPECT_EQ(order.created_at_ms, expected.created_at_ms);
    EXPECT_EQ(order.ship_by_ms, expected.ship_by_ms);
    EXPECT_EQ(order.status, OrderStatus::Open);
    EXPECT_EQ(order.recipient.name, "王小明");
    EXPECT_EQ(order.recipient.phone, expected.recipient.phone);
    EXPECT_EQ(order.recipient.address.lines, expected.recipient.address.lines);
    EXPECT_EQ(order.recipient.address.city, "上海市");
    EXPECT_EQ(order.recipient.address.region, "上海");
    EXPECT_EQ(order.recipient.address.postal_code, "200120");
    EXPECT_EQ(order.recipient.address.country, "CN");
    EXPECT_EQ(order.carrier, "sf");
    EXPECT_EQ(order.service, "standard");
    EXPECT_EQ(order.packaging, "BOX-S");
    ASSERT_EQ(order.lines.size(), 2u);
    EXPECT_EQ(order.lines[0].sku, "TSHIRT-RED-L");
    EXPECT_EQ(order.lines[0].quantity, 2);
    EXPECT_EQ(order.lines[1].sku, "MUG-WHITE");
    EXPECT_EQ(order.lines[1].quantity, 1);
}

TEST_F(StoreTest, UnknownOrderIsEmptyNotAnError) {
    for (std::string_view id : {"SO-9999", "", "so-1001", "SO-1001 "}) {
        auto found = store->find_order(id);
        ASSERT_TRUE(found) << id;
        EXPECT_FALSE(found->has_value()) << "'" << id << "'";
    }
}

TEST_F(StoreTest, SkuRoundTripWithBarcodesAndOptionalTolerances) {
    auto shirt = store->find_sku("TSHIRT-RED-L");
    ASSERT_TRUE(shirt && shirt->has_value());
    EXPECT_EQ((*shirt)->name, "T-shirt 红色");
    EXPECT_EQ((*shirt)->size, "L");
    EXPECT_EQ((*shirt)->colour, "Red");
    EXPECT_DOUBLE_EQ((*shirt)->unit_weight_g, 180.5);
    EXPECT_EQ((*shirt)->barcodes, (std::vector<std::string>{"4006381333931", "INT-0042"}));
    EXPECT_FALSE((*shirt)->serial_required);
    EXPECT_FALSE((*shirt)->tolerance_abs_g.has_value());
    ASSERT_TRUE((*shirt)->tolerance_pct.has_value());
    EXPECT_DOUBLE_EQ(*(*shirt)->tolerance_pct, 8.0);

    auto cup = store->find_sku("MUG-WHITE");
    ASSERT_TRUE(cup && cup->has_value());
    EXPECT_TRUE((*cup)->serial_required);
    EXPECT_DOUBLE_EQ((*cup)->tolerance_abs_g.value_or(0), 15.0);
    EXPECT_FALSE((*cup)->tolerance_pct.has_value());
}

TEST_F(StoreTest, BarcodesResolveExactlyAsStored) {
    struct Case {
        std::string code;
        std::optional<std::string> sku;
    };
    const Case cases[] = {
        {"4006381333931", "TSHIRT-RED-L"},
        {"INT-0042", "TSHIRT-RED-L"},
        {"0012345678905", "MUG-WHITE"},
        {"4006381333932", std::nullopt},  // one digit off
        {"400638133393", std::nullopt},   // one digit short
        {"int-0042", std::nullopt},       // the caller normalises case
        {"", std::nullopt},
        {std::string(10'000, '9'), std::nullopt},
    };
    for (const Case& c : cases) {
        auto found = store->find_sku_by_barcode(c.code);
        ASSERT_TRUE(found) << found.error().to_string();
        ASSERT_EQ(found->has_value(), c.sku.has_value()) << c.code.substr(0, 20);
        if (c.sku) {
            EXPECT_EQ((*found)->sku, *c.sku);
        }
    }
}

TEST_F(StoreTest, PackagingRoundTripAndUpsert) {
    auto box = store->find_packaging("BOX-S");
    ASSERT_TRUE(box && box->has_value());
    EXPECT_EQ((*box)->name, "Small box");
    EXPECT_DOUBLE_EQ((*box)->tare_g, 120.0);

    ASSERT_TRUE(store->upsert_packaging(Packaging{"BOX-S", "Small box v2", 95.5}));
    box = store->find_packaging("BOX-S");
    EXPECT_DOUBLE_EQ((*box)->tare_g, 95.5);
    EXPECT_FALSE(store->find_packaging("BOX-XL")->has_value());

    auto negative = store->upsert_packaging(Packaging{"BAG", "Bag", -1.0});
    ASSERT_FALSE(negative);
    EXPECT_EQ(negative.error().code, "store.constraint");
}

TEST_F(StoreTest, ImportUpsertReplacesOrderLinesAndSkuBarcodes) {
    Order changed = chinese_order("SO-1001");
    changed.lines = {{"MUG-WHITE", 3}};
    changed.recipient.address.lines = {"新地址 1号"};
    changed.tracking_number = "SF1234567890123";
    Sku shirt = tshirt();
    shirt.barcodes = {"INT-0042", "INT-0043"};  // 4006381333931 dropped, INT-0043 added
    Sku other = tshirt("TSHIRT-RED-M");
    other.barcodes = {"0012345678905"};  // moves from the mug to this SKU

    ImportBatch batch;
    batch.orders = {changed, chinese_order("SO-1003")};
    batch.skus = {shirt, other};
    auto counts = store->import(batch);
    ASSERT_TRUE(counts) << counts.error().to_string();
    EXPECT_EQ(counts->orders, 2);
    EXPECT_EQ(counts->skus, 2);
    EXPECT_EQ(counts->packaging, 0);

    auto order = store->find_order("SO-1001").value().value();
    ASSERT_EQ(order.lines.size(), 1u);
    EXPECT_EQ(order.lines[0].sku, "MUG-WHITE");
    EXPECT_EQ(order.lines[0].quantity, 3);
    EXPECT_EQ(order.recipient.address.lines, std::vector<std::string>{"新地址 1号"});
    EXPECT_EQ(order.tracking_number, "SF1234567890123");
    EXPECT_TRUE(store->find_order("SO-1003")->has_value());

    EXPECT_FALSE(store->find_sku_by_barcode("4006381333931")->has_value());
    EXPECT_EQ(store->find_sku_by_barcode("INT-0043")->value().sku, "TSHIRT-RED-L");
    EXPECT_EQ(store->find_sku_by_barcode("0012345678905")->value().sku, "TSHIRT-RED-M");
    EXPECT_TRUE(store->find_sku("MUG-WHITE")->value().barcodes.empty());
}

TEST_F(StoreTest, ImportNeverReopensAPackedOrShippedOrder) {
    struct Case {
        OrderStatus stored;
        OrderStatus incoming;
        OrderStatus expected;
    };
    const Case cases[] = {
        {OrderStatus::Packed, OrderStatus::Open, OrderStatus::Packed},
        {OrderStatus::Packed, OrderStatus::OnHold, OrderStatus::Packed},
        {OrderStatus::Shipped, OrderStatus::Open, OrderStatus::Shipped},
        {OrderStatus::Packed, OrderStatus::Shipped, OrderStatus::Shipped},
        {OrderStatus::Packed, OrderStatus::Cancelled, OrderStatus::Cancelled},
        {OrderStatus::Open, OrderStatus::OnHold, OrderStatus::OnHold},
        {OrderStatus::Cancelled, OrderStatus::Open, OrderStatus::Open},
    };
    for (const Case& c : cases) {
        Order order = chinese_order("SO-STATUS");
        order.status = c.stored;
        ASSERT_TRUE(store->upsert_order(order));
        order.status = c.incoming;
        ImportBatch batch;
        batch.orders = {order};
        ASSERT_TRUE(store->import(batch));
        EXPECT_EQ(to_string(store->find_order("SO-STATUS")->value().status), to_string(c.expected))
            << to_string(c.stored) << " + import " << to_string(c.incoming);
    }
}

TEST_F(StoreTest, ImportIsAllOrNothing) {
    Order good = chinese_order("SO-2001");
    Order bad = chinese_order("SO-2002");
    bad.lines = {{"MUG-WHITE", 0}};  // a quantity of zero is not an order line
    Sku renamed = tshirt();
    renamed.name = "renamed";
    ImportBatch batch;
    batch.orders = {good, bad};
    batch.skus = {renamed};
    auto counts = store->import(batch);
    ASSERT_FALSE(counts);
    EXPECT_EQ(counts.error().code, "store.constraint");
    EXPECT_NE(counts.error().message.find("SO-2002"), std::string::npos) << counts.error().message;
    EXPECT_NE(counts.error().message.find("store: import"), std::string::npos);
    EXPECT_FALSE(store->find_order("SO-2001")->has_value());
    EXPECT_EQ(store->find_sku("TSHIRT-RED-L")->value().name, "T-shirt 红色");

    ImportBatch empty_id;
    empty_id.orders = {chinese_order("")};
    auto refused = store->import(empty_id);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "store.constraint");
}

TEST_F(StoreTest, OpenOrdersListsOpenOnesEarliestDeadlineFirst) {
    Order urgent = chinese_order("SO-URGENT");
    urgent.ship_by_ms = 1'600'000'000'000;
    Order no_deadline = chinese_order("SO-LATER");
    no_deadline.ship_by_ms = 0;
    Order held = chinese_order("SO-HELD");
    held.status = OrderStatus::OnHold;
    for (const Order& order : {urgent, no_deadline, held})
        ASSERT_TRUE(store->upsert_order(order));

    auto orders = store->open_orders(10);
    ASSERT_TRUE(orders);
    std::vector<std::string> ids;
    for (const Order& order : *orders)
        ids.push_back(order.id);
    EXPECT_EQ(ids, (std::vector<std::string>{"SO-URGENT", "SO-1001", "SO-1002", "SO-LATER"}));
    EXPECT_EQ(store->open_orders(1)->size(), 1u);
    EXPECT_EQ(store->open_orders(1)->front().lines.size(), 2u);
}

TEST_F(StoreTest, FindOrderByTrackingLooksAtOrdersThenParcels) {
    Order assigned = chinese_order("SO-1002");
    assigned.tracking_number = "1Z999AA10123456784";
    ASSERT_TRUE(store->upsert_order(assigned));
    const std::int64_t parcel_id = start_parcel("SO-1001", "ev-start");
    Parcel parcel = store->find_parcel(parcel_id)->value();
    parcel.tracking_number = "SF1234567890123";
    auto transition = step(parcel, event("ev-label", event_type::label_printed, 1'700'000'200'000));
    ASSERT_TRUE(store->commit(transition));

    EXPECT_EQ(store->find_order_by_tracking("1Z999AA10123456784")->value().id, "SO-1002");
    EXPECT_EQ(store->find_order_by_tracking("SF1234567890123")->value().id, "SO-1001");
    for (std::string_view unknown : {"", "SF1234567890124", "1Z999AA1012345678"}) {
        auto found = store->find_order_by_tracking(unknown);
        ASSERT_TRUE(found);
        EXPECT_FALSE(found->has_value()) << "'" << unknown << "'";
    }
}

// --- the packing transition ---------------------------------------------------

TEST_F(StoreTest, CommitInsertsThenUpdatesAParcelAndAppendsEvents) {
    Transition start = step(new_parcel("SO-1001"), event("ev-1", event_type::parcel_started, 1000));
    auto id = store->commit(start);
    ASSERT_TRUE(id) << id.error().to_string();
    EXPECT_GT(*id, 0);
    EXPECT_EQ(start.parcel.id, *id);
    EXPECT_EQ(start.event.parcel_id, *id);

    Parcel parcel = start.parcel;
    parcel.items = {{"TSHIRT-RED-L", "4006381333931", "", "", 1100},
                    {"TSHIRT-RED-L", "4006381333931", "", "", 1200},
                    {"MUG-WHITE", "0012345678905", "SN-001", "LOT-9", 1300}};
    parcel.state = ParcelState::Weighing;
    parcel.contents = CheckStatus::Passed;
    parcel.expected_weight_g = 831.0;
    parcel.updated_at_ms = 1300;
    Transition scanned = step(parcel, event("ev-2", event_type::item_accepted, 1300));
    ASSERT_EQ(store->commit(scanned).value_or(0), *id);

    parcel.items.resize(1);  // the packer took two items out again
    parcel.state = ParcelState::Exception;
    parcel.weight_g = 612.5;
    parcel.exception = ParcelException{"contents",
                                       "contents.weight_out_of_tolerance",
                                       "Weight is off",
                                       {{"expected_g", "831"}, {"measured_g", "612.5"}}};
    Transition weighed = step(parcel, event("ev-3", event_type::parcel_exception, 1400));
    ASSERT_TRUE(store->commit(weighed));

    auto stored = store->find_parcel(*id).value().value();
    EXPECT_EQ(stored.order_id, "SO-1001");
    EXPECT_EQ(stored.station, "bench-1");
    EXPECT_EQ(stored.packer, "packer-7");
    EXPECT_EQ(stored.state, ParcelState::Exception);
    ASSERT_EQ(stored.items.size(), 1u);
    EXPECT_EQ(stored.items[0].barcode, "4006381333931");
    EXPECT_EQ(stored.items[0].at_ms, 1100);
    ASSERT_TRUE(stored.weight_g.has_value());
    EXPECT_DOUBLE_EQ(*stored.weight_g, 612.5);
    EXPECT_DOUBLE_EQ(stored.expected_weight_g, 831.0);
    EXPECT_EQ(stored.contents, CheckStatus::Passed);
    EXPECT_EQ(stored.customer, CheckStatus::Pending);
    ASSERT_TRUE(stored.exception.has_value());
    EXPECT_EQ(stored.exception->reason, "contents.weight_out_of_tolerance");
    ASSERT_EQ(stored.exception->details.size(), 2u);
    EXPECT_EQ(stored.exception->details[1].key, "measured_g");
    EXPECT_EQ(stored.exception->details[1].value, "612.5");

    auto events = store->events_for_parcel(*id);
    ASSERT_TRUE(events);
    ASSERT_EQ(events->size(), 3u);
    EXPECT_EQ((*events)[0].type, "parcel.started");
    EXPECT_EQ((*events)[2].event_id, "ev-3");
    EXPECT_EQ((*events)[2].parcel_id, *id);
    EXPECT_EQ((*events)[2].order_id, "SO-1001");
    EXPECT_EQ((*events)[2].payload, R"({"source":"test"})");

    // The exception cleared: its details go too.
    parcel.exception.reset();
    parcel.state = ParcelState::Weighing;
    Transition cleared = step(parcel, event("ev-4", event_type::parcel_override, 1500));
    ASSERT_TRUE(store->commit(cleared));
    EXPECT_FALSE(store->find_parcel(*id)->value().exception.has_value());
}

TEST_F(StoreTest, CommitWritesOutboxAndOrderStatusInTheSameTransaction) {
    const std::int64_t id = start_parcel("SO-1001", "ev-start");
    ASSERT_TRUE(store->add_pool_numbers("sf", {"SF1000000000001", "SF1000000000002"}));
    Transition confirm = confirmation(id, "SF1000000000001", "ev-confirm");
    confirm.take_pool_number = "SF1000000000001";
    auto committed = store->commit(confirm);
    ASSERT_TRUE(committed) << committed.error().to_string();

    EXPECT_EQ(store->find_order("SO-1001")->value().status, OrderStatus::Packed);
    EXPECT_EQ(store->count_confirmations().value(), 1);
    EXPECT_EQ(store->next_pool_number("sf")->value(), "SF1000000000002");
    auto pending = store->pending_outbox(10);
    ASSERT_TRUE(pending);
    ASSERT_EQ(pending->size(), 1u);
    EXPECT_EQ(pending->front().event_id, "ev-confirm");  // defaults to the event's id
    EXPECT_EQ(pending->front().created_at_ms, 1'700'000'400'000);
    EXPECT_EQ(pending->front().attempts, 0);
    EXPECT_NE(pending->front().payload.find("SF1000000000001"), std::string::npos);
    EXPECT_TRUE(store->tracking_number_used("SF1000000000001", 0).value());
    EXPECT_FALSE(store->tracking_number_used("SF1000000000001", id).value());
    EXPECT_FALSE(store->active_parcel("bench-1")->has_value());
}

TEST_F(StoreTest, PoolNumberIsTakenOnceAndASecondTakeWritesNothing) {
    ASSERT_TRUE(store->add_pool_numbers("sf", {"SF2000000000001"}));
    ASSERT_TRUE(store->add_pool_numbers("sf", {"SF2000000000001"}));  // replayed: no-op
    EXPECT_EQ(store->next_pool_number("sf")->value(), "SF2000000000001");
    EXPECT_FALSE(store->next_pool_number("ups")->has_value());

    const std::int64_t first = start_parcel("SO-1001", "ev-a");
    Parcel parcel = store->find_parcel(first)->value();
    parcel.tracking_number = "SF2000000000001";
    Transition take = step(parcel, event("ev-a-take", event_type::label_printed, 2000));
    take.take_pool_number = "SF2000000000001";
    ASSERT_TRUE(store->commit(take));
    EXPECT_FALSE(store->next_pool_number("sf")->has_value());

    const std::int64_t second = start_parcel("SO-1002", "ev-b");
    const auto before = snapshot(second, "SO-1002");
    Parcel other = store->find_parcel(second)->value();
    other.tracking_number = "SF2000000000001";
    other.state = ParcelState::Printing;
    other.updated_at_ms = 9999;
    Transition again = step(other, event("ev-b-take", event_type::label_printed, 3000));
    again.take_pool_number = "SF2000000000001";
    again.outbox = OutboxMessage{0, "", "topic", "{}", 0, 0};
    again.order_status = OrderStatus::Packed;
    auto refused = store->commit(again);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "store.pool_number_taken");
    EXPECT_NE(refused.error().message.find("store: commit parcel " + std::to_string(second)),
              std::string::npos)
        << refused.error().message;
    expect_unchanged(before, second, "SO-1002");
    EXPECT_EQ(again.parcel.id, second);

    Transition unknown = step(other, event("ev-b-unknown", event_type::label_printed, 3000));
    unknown.take_pool_number = "SF0000000000000";
    auto missing = store->commit(unknown);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "store.not_found");
    expect_unchanged(before, second, "SO-1002");
}

TEST_F(StoreTest, ConfirmingTheSameParcelTwiceFailsAndWritesNothing) {
    const std::int64_t id = start_parcel("SO-1001", "ev-start");
    Transition first = confirmation(id, "SF3000000000001", "ev-confirm-1");
    ASSERT_TRUE(store->commit(first));
    ASSERT_TRUE(store->upsert_order(chinese_order("SO-1001")).ok());  // (stays packed)

    const auto before = snapshot(id);
    Transition second = confirmation(id, "SF3000000000002", "ev-confirm-2");
    second.parcel.updated_at_ms += 1;
    auto refused = store->commit(second);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "store.constraint");
    EXPECT_NE(refused.error().message.find("confirmations.parcel_id"), std::string::npos)
        << refused.error().message;
    expect_unchanged(before, id);
    EXPECT_EQ(store->find_parcel(id)->value().tracking_number, "SF3000000000001");
}

TEST_F(StoreTest, OneTrackingNumberCannotBeConfirmedForTwoParcels) {
    const std::int64_t first = start_parcel("SO-1001", "ev-a");
    Transition confirmed = confirmation(first, "SF4000000000001", "ev-a-c");
    ASSERT_TRUE(store->commit(confirmed));
    const std::int64_t second = start_parcel("SO-1002", "ev-b");
    const auto before = snapshot(second, "SO-1002");
    Transition duplicate = confirmation(second, "SF4000000000001", "ev-b-c", "SO-1002");
    auto refused = store->commit(duplicate);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "store.constraint");
    EXPECT_NE(refused.error().message.find("confirmations.tracking_number"), std::string::npos)
        << refused.error().message;
    expect_unchanged(before, second, "SO-1002");
}

TEST_F(StoreTest, ConfirmNeedsTheConfirmedState) {
    const std::int64_t id = start_parcel("SO-1001", "ev-start");
    Transition wrong = confirmation(id, "SF5000000000001", "ev-c");
    wrong.parcel.state = ParcelState::AwaitingScanBack;
    auto refused = store->commit(wrong);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "store.invalid");
    EXPECT_EQ(store->count_confirmations().value(), 0);
}

TEST_F(StoreTest, BadTransitionsAreRefusedWithAReasonAndLeaveNoTrace) {
    const std::int64_t id = start_parcel("SO-1001", "ev-start");
    const auto before = snapshot(id);
    Parcel parcel = store->find_parcel(id)->value();
    parcel.items = {{"TSHIRT-RED-L", "4006381333931", "", "", 1}};

    struct Case {
        std::string name;
        Transition transition;
        std::string code;
    };
    std::vector<Case> cases;
    cases.push_back({"duplicate event id",
                     step(parcel, event("ev-start", event_type::item_accepted, 5)),
                     "store.constraint"});
    cases.push_back(
        {"empty event id", step(parcel, event("", event_type::item_accepted, 5)), "store.invalid"});
    cases.push_back({"empty event type", step(parcel, event("ev-x", "", 5)), "store.invalid"});
    auto bad_json = step(parcel, event("ev-json", event_type::item_accepted, 5));
    bad_json.event.payload = "{not json";
    cases.push_back({"payload not JSON", bad_json, "store.constraint"});
    auto no_order = step(parcel, event("ev-order", event_type::item_accepted, 5));
    no_order.parcel.order_id = "SO-NOPE";
    cases.push_back({"parcel for an unknown order", no_order, "store.constraint"});
    auto outbox_clash = step(parcel, event("ev-outbox", event_type::item_accepted, 5));
    outbox_clash.outbox = OutboxMessage{0, "", "", "{}", 0, 0};
    cases.push_back({"outbox without topic", outbox_clash, "store.constraint"});
    auto missing = step(parcel, event("ev-missing", event_type::item_accepted, 5));
    missing.parcel.id = id + 100;
    cases.push_back({"update of a parcel that does not exist", missing, "store.not_found"});

    for (Case& c : cases) {
        auto result = store->commit(c.transition);
        ASSERT_FALSE(result) << c.name;
        EXPECT_EQ(result.error().code, c.code) << c.name << ": " << result.error().message;
        EXPECT_EQ(result.error().message.rfind("store: commit", 0), 0u) << result.error().message;
        expect_unchanged(before, id);
    }
    // And the store still works afterwards.
    Transition fine = step(parcel, event("ev-fine", event_type::item_accepted, 6));
    EXPECT_TRUE(store->commit(fine));
}

TEST_F(StoreTest, ActiveParcelIsTheNewestUnfinishedOneOfTheStation) {
    EXPECT_FALSE(store->active_parcel("bench-1")->has_value());
    const std::int64_t first = start_parcel("SO-1001", "ev-1");
    const std::int64_t other_bench = start_parcel("SO-1002", "ev-2", "bench-2");
    EXPECT_EQ(store->active_parcel("bench-1")->value().id, first);
    EXPECT_EQ(store->active_parcel("bench-2")->value().id, other_bench);

    Parcel parcel = store->find_parcel(first)->value();
    parcel.state = ParcelState::Abandoned;
    Transition abandon = step(parcel, event("ev-3", event_type::parcel_abandoned, 10));
    ASSERT_TRUE(store->commit(abandon));
    EXPECT_FALSE(store->active_parcel("bench-1")->has_value());

    Parcel second = new_parcel("SO-1001");
    second.sequence = 2;
    Transition start = step(second, event("ev-4", event_type::parcel_started, 11));
    ASSERT_TRUE(store->commit(start));
    EXPECT_EQ(store->active_parcel("bench-1")->value().sequence, 2);
    auto parcels = store->parcels_for_order("SO-1001");
    ASSERT_TRUE(parcels);
    ASSERT_EQ(parcels->size(), 2u);
    EXPECT_EQ((*parcels)[0].state, ParcelState::Abandoned);
    EXPECT_EQ((*parcels)[1].sequence, 2);
    EXPECT_TRUE(store->parcels_for_order("SO-NONE")->empty());
}

TEST_F(StoreTest, TrackingNumbersAndSerialsOfAbandonedParcelsAreFreeAgain) {
    const std::int64_t first = start_parcel("SO-1001", "ev-1");
    Parcel parcel = store->find_parcel(first)->value();
    parcel.tracking_number = "SF6000000000001";
    parcel.items = {{"MUG-WHITE", "0012345678905", "SN-42", "", 1}};
    Transition scanned = step(parcel, event("ev-2", event_type::item_accepted, 2));
    ASSERT_TRUE(store->commit(scanned));

    EXPECT_TRUE(store->tracking_number_used("SF6000000000001", 0).value());
    EXPECT_FALSE(store->tracking_number_used("SF6000000000001", first).value());
    EXPECT_FALSE(store->tracking_number_used("SF6000000000002", 0).value());
    EXPECT_FALSE(store->tracking_number_used("", 0).value());
    EXPECT_TRUE(store->serial_used("MUG-WHITE", "SN-42", 0).value());
    EXPECT_FALSE(store->serial_used("MUG-WHITE", "SN-42", first).value());
    EXPECT_FALSE(store->serial_used("MUG-WHITE", "SN-43", 0).value());
    EXPECT_FALSE(store->serial_used("TSHIRT-RED-L", "SN-42", 0).value());
    EXPECT_FALSE(store->serial_used("MUG-WHITE", "", 0).value());

    parcel.state = ParcelState::Abandoned;
    Transition abandon = step(parcel, event("ev-3", event_type::parcel_abandoned, 3));
    ASSERT_TRUE(store->commit(abandon));
    EXPECT_FALSE(store->tracking_number_used("SF6000000000001", 0).value());
    EXPECT_FALSE(store->serial_used("MUG-WHITE", "SN-42", 0).value());
}

// --- history ------------------------------------------------------------------

TEST_F(StoreTest, EventsAndConfirmationsAreAppendOnlyEvenForAnotherConnection) {
    const std::int64_t id = start_parcel("SO-1001", "ev-start");
    Transition confirm = confirmation(id, "SF7000000000001", "ev-confirm");
    ASSERT_TRUE(store->commit(confirm));
    ASSERT_TRUE(store->append_event(event("ev-health", "device.scale.lost", 5)));

    RawConnection raw(path);
    const std::string statements[] = {
        "UPDATE events SET type = 'forged' WHERE event_id = 'ev-start'",
        "DELETE FROM events WHERE event_id = 'ev-health'",
        "DELETE FROM events",
        "UPDATE confirmations SET tracking_number = 'SF7000000000002'",
        "DELETE FROM confirmations",
    };
    for (const std::string& sql : statements) {
        EXPECT_EQ(raw.exec(sql) & 0xff, SQLITE_CONSTRAINT) << sql;
        EXPECT_NE(raw.last_error().find("append-only"), std::string::npos) << raw.last_error();
    }
    EXPECT_EQ(raw.integer("SELECT count(*) FROM events"), 3);
    EXPECT_EQ(raw.text("SELECT type FROM events WHERE event_id = 'ev-start'"), "parcel.started");
    EXPECT_EQ(raw.text("SELECT tracking_number FROM confirmations"), "SF7000000000001");
}

TEST_F(StoreTest, StandaloneEventsNeedAUniqueIdAndValidJson) {
    EventRecord health = event("ev-h1", "device.scanner.lost", 10);
    health.payload.clear();  // stored as {}
    ASSERT_TRUE(store->append_event(health));
    auto duplicate = store->append_event(health);
    ASSERT_FALSE(duplicate);
    EXPECT_EQ(duplicate.error().code, "store.constraint");
    EXPECT_NE(duplicate.error().message.find("events.event_id"), std::string::npos);

    EventRecord broken = event("ev-h2", "device.scanner.lost", 10);
    broken.payload = "[1,2";
    EXPECT_EQ(store->append_event(broken).error().code, "store.constraint");
    EventRecord orphan = event("ev-h3", event_type::item_rejected, 10);
    orphan.parcel_id = 4242;
    EXPECT_EQ(store->append_event(orphan).error().code, "store.constraint");
    EXPECT_EQ(RawConnection(path).text("SELECT payload FROM events WHERE event_id = 'ev-h1'"),
              "{}");
}

TEST_F(StoreTest, OutboxDeliveryIsMarkedOnceAndAcksAreIdempotent) {
    const std::int64_t id = start_parcel("SO-1001", "ev-start");
    Parcel parcel = store->find_parcel(id)->value();
    for (int index = 1; index <= 3; ++index) {
        Transition transition =
            step(parcel, event("ev-" + std::to_string(index), event_type::item_accepted, index));
        transition.outbox = OutboxMessage{0,
                                          "",
                                          "packline/v1/sh-01/stations/bench-1/events",
                                          R"({"n":)" + std::to_string(index) + "}",
                                          0,
                                          0};
        ASSERT_TRUE(store->commit(transition));
    }
    auto pending = store->pending_outbox(2);
    ASSERT_TRUE(pending);
    ASSERT_EQ(pending->size(), 2u);
    EXPECT_EQ((*pending)[0].event_id, "ev-1");
    EXPECT_LT((*pending)[0].seq, (*pending)[1].seq);

    ASSERT_TRUE(store->record_outbox_attempt("ev-1"));
    ASSERT_TRUE(store->mark_delivered("ev-1", 100));
    ASSERT_TRUE(store->mark_delivered("ev-1", 200));  // duplicate ack from the hub
    EXPECT_EQ(store->mark_delivered("ev-nope", 100).error().code, "store.not_found");
    EXPECT_EQ(store->record_outbox_attempt("ev-nope").error().code, "store.not_found");
    ASSERT_TRUE(store->record_outbox_attempt("ev-2"));
    pending = store->pending_outbox(10);
    ASSERT_EQ(pending->size(), 2u);
    EXPECT_EQ((*pending)[0].event_id, "ev-2");
    EXPECT_EQ((*pending)[0].attempts, 1);
    EXPECT_EQ(store->count_outbox().value(), 3);
    EXPECT_EQ(
        RawConnection(path).integer("SELECT delivered_at_ms FROM outbox WHERE event_id = 'ev-1'"),
        100);
}

TEST_F(StoreTest, CountersCountEventTypesInsideTheWindowAndStation) {
    struct Row {
        std::string_view type;
        std::int64_t at_ms;
        std::string station;
    };
    const Row rows[] = {
        {event_type::parcel_started, 1000, "bench-1"},
        {event_type::item_accepted, 1100, "bench-1"},
        {event_type::item_accepted, 1200, "bench-1"},
        {event_type::item_rejected, 1300, "bench-1"},
        {event_type::parcel_exception, 1400, "bench-1"},
        {event_type::parcel_override, 1500, "bench-1"},
        {event_type::weight_accepted, 1600, "bench-1"},
        {event_type::label_printed, 1700, "bench-1"},
        {event_type::parcel_confirmed, 1800, "bench-1"},
        {event_type::parcel_abandoned, 1900, "bench-1"},
        {event_type::parcel_split, 1950, "bench-1"},
        {event_type::parcel_started, 999, "bench-1"},   // just before the window
        {event_type::parcel_started, 2000, "bench-1"},  // the window's end is exclusive
        {event_type::parcel_started, 1500, "bench-2"},  // another station
    };
    int index = 0;
    for (const Row& row : rows)
        ASSERT_TRUE(store->append_event(
            event("ev-" + std::to_string(++index), row.type, row.at_ms, row.station)));

    auto counters = store->counters("bench-1", 1000, 2000);
    ASSERT_TRUE(counters) << counters.error().to_string();
    EXPECT_EQ(counters->parcels_started, 1);
    EXPECT_EQ(counters->scans, 3);
    EXPECT_EQ(counters->exceptions, 1);
    EXPECT_EQ(counters->overrides, 1);
    EXPECT_EQ(counters->confirmed, 1);
    EXPECT_EQ(counters->abandoned, 1);
    EXPECT_EQ(counters->outbox_pending, 0);

    EXPECT_EQ(store->counters("", 0, 10'000)->parcels_started, 4);
    EXPECT_EQ(store->counters("bench-3", 0, 10'000)->parcels_started, 0);
    EXPECT_EQ(store->counters("bench-1", 2000, 1000)->parcels_started, 0);  // empty window

    const std::int64_t id = start_parcel("SO-1001", "ev-p");
    Transition with_outbox =
        step(store->find_parcel(id)->value(), event("ev-o", event_type::item_accepted, 1));
    with_outbox.outbox = OutboxMessage{0, "", "topic", "{}", 0, 0};
    ASSERT_TRUE(store->commit(with_outbox));
    EXPECT_EQ(store->counters("bench-1", 0, 1)->outbox_pending, 1);
}

// --- durability and failure paths -------------------------------------------

TEST_F(StoreTest, StateSurvivesCloseAndReopenInWalMode) {
    EXPECT_EQ(RawConnection(path).text("PRAGMA journal_mode"), "wal");
    const std::int64_t id = start_parcel("SO-1001", "ev-start");
    Transition confirm = confirmation(id, "SF8000000000001", "ev-confirm");
    ASSERT_TRUE(store->commit(confirm));
    ASSERT_TRUE(store->add_pool_numbers("sf", {"SF8000000000002"}));

    reopen();
    EXPECT_EQ(store->schema_version(), Store::latest_schema_version());
    EXPECT_EQ(store->find_order("SO-1001")->value().status, OrderStatus::Packed);
    EXPECT_EQ(store->find_order("SO-1001")->value().recipient.name, "王小明");
    auto parcel = store->find_parcel(id).value();
    ASSERT_TRUE(parcel.has_value());
    EXPECT_EQ(parcel->state, ParcelState::Confirmed);
    EXPECT_EQ(parcel->tracking_number, "SF8000000000001");
    EXPECT_EQ(store->events_for_parcel(id)->size(), 2u);
    EXPECT_EQ(store->count_confirmations().value(), 1);
    EXPECT_EQ(store->pending_outbox(10)->size(), 1u);
    EXPECT_EQ(store->next_pool_number("sf")->value(), "SF8000000000002");
    EXPECT_EQ(store->find_sku_by_barcode("INT-0042")->value().sku, "TSHIRT-RED-L");
    EXPECT_TRUE(store->integrity_check());
    EXPECT_EQ(RawConnection(path).text("PRAGMA journal_mode"), "wal");
}

TEST_F(StoreTest, AFullDiskFailsTheCommitAndKeepsEverythingBefore) {
    const std::int64_t id = start_parcel("SO-1001", "ev-start");
    // The cap clamps to the current size: any commit that needs a new page fails.
    reopen(StoreOptions{5000, false, 1});
    const auto before = snapshot(id);

    Parcel parcel = store->find_parcel(id)->value();
    for (int index = 0; index < 200; ++index)
        parcel.items.push_back({"TSHIRT-RED-L", "4006381333931",
                                "SERIAL-" + std::to_string(index) + std::string(200, 'x'), "",
                                index});
    Transition big = step(parcel, event("ev-big", event_type::item_accepted, 10));
    big.event.payload = R"({"note":")" + std::string(200'000, 'n') + R"("})";
    big.outbox = OutboxMessage{0, "", "topic", big.event.payload, 0, 0};
    auto refused = store->commit(big);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "store.full") << refused.error().message;
    EXPECT_NE(refused.error().message.find("disk is full"), std::string::npos);
    EXPECT_NE(refused.error().message.find("nothing stored before was lost"), std::string::npos);
    expect_unchanged(before, id);
    EXPECT_TRUE(store->integrity_check());

    reopen();  // space freed: the same step now goes through
    EXPECT_TRUE(store->commit(big));
    EXPECT_EQ(store->find_parcel(id)->value().items.size(), 200u);
}

TEST_F(StoreTest, ABusyDatabaseFailsTheCommitWithStoreBusy) {
    const std::int64_t id = start_parcel("SO-1001", "ev-start");
    reopen(StoreOptions{50, false, 0});
    const auto before = snapshot(id);
    RawConnection other(path);
    ASSERT_EQ(other.exec("BEGIN IMMEDIATE"), SQLITE_OK);

    Transition blocked =
        step(store->find_parcel(id)->value(), event("ev-blocked", event_type::item_accepted, 10));
    auto refused = store->commit(blocked);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "store.busy") << refused.error().message;

    ASSERT_EQ(other.exec("ROLLBACK"), SQLITE_OK);
    expect_unchanged(before, id);
    EXPECT_TRUE(store->commit(blocked));
}

TEST_F(StoreTest, ReadOnlyStoreReadsButRefusesWrites) {
    store.reset();
    auto reader = open_store(path, StoreOptions{5000, true, 0});
    ASSERT_NE(reader, nullptr);
    EXPECT_TRUE(reader->find_order("SO-1001")->has_value());
    auto refused = reader->upsert_sku(tshirt("NEW"));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "store.read_only") << refused.error().message;
}

TEST(StoreOpen, CreatesTheParentDirectory) {
    TempDir directory;
    const std::string path = directory.file("var/lib/packline/station.db");
    auto store = Store::open(path);
    ASSERT_TRUE(store) << store.error().to_string();
    EXPECT_TRUE(std::filesystem::exists(path));
    EXPECT_EQ((*store)->path(), path);
}

TEST(StoreOpen, AFileInTheWayOfTheDirectoryIsAClearError) {
    TempDir directory;
    std::ofstream(directory.file("blocker")) << "not a directory";
    auto store = Store::open(directory.file("blocker/station.db"));
    ASSERT_FALSE(store);
    EXPECT_EQ(store.error().code, "store.io");
    EXPECT_NE(store.error().message.find("cannot create directory"), std::string::npos)
        << store.error().message;

    auto missing = Store::open(directory.file("absent.db"), StoreOptions{5000, true, 0});
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "store.io");
    EXPECT_FALSE(std::filesystem::exists(directory.file("absent.db")));

    EXPECT_FALSE(Store::open(""));
}

TEST(StoreOpen, InMemoryStoreWorksForOtherModulesTests) {
    auto store = Store::open(":memory:");
    ASSERT_TRUE(store) << store.error().to_string();
    ASSERT_TRUE((*store)->upsert_order(chinese_order("SO-1")));
    Transition start = step(new_parcel("SO-1"), event("ev-1", event_type::parcel_started, 1));
    EXPECT_TRUE((*store)->commit(start));
    EXPECT_EQ((*store)->schema_version(), Store::latest_schema_version());
}

}  // namespace
}  // namespace packline::station
