// The store stamps rows by the clock it is handed (StoreOptions::clock):
// migrations, imports, station values. A test sets the time instead of
// reading it back from the wall.
#include <gtest/gtest.h>

#include "packline/clock.h"
#include "packline/station/store.h"
#include "store_fixtures.h"

namespace packline::station {
namespace {

using testing::RawConnection;
using testing::TempDir;

constexpr std::int64_t kMorning = 1'800'000'000'000;

TEST(StoreClock, EveryStampTheStoreWritesIsTheClocks) {
    TempDir directory;
    const std::string path = directory.file("station.db");
    ManualClock clock(kMorning);
    StoreOptions options;
    options.clock = &clock;
    auto store = Store::open(path, options);
    ASSERT_TRUE(store) << store.error().to_string();

    clock.advance(60'000);
    ImportBatch batch;
    batch.skus = {testing::tshirt(), testing::mug()};
    batch.orders = {testing::chinese_order("SO-1001")};
    ASSERT_TRUE((*store)->import(batch));
    clock.advance(60'000);
    ASSERT_TRUE((*store)->set_station_value("note", "x"));

    RawConnection raw(path);
    EXPECT_EQ(raw.integer("SELECT min(applied_at_ms) FROM schema_migrations"), kMorning);
    EXPECT_EQ(raw.integer("SELECT max(applied_at_ms) FROM schema_migrations"), kMorning);
    EXPECT_EQ(raw.integer("SELECT updated_at_ms FROM orders WHERE id = 'SO-1001'"),
              kMorning + 60'000);
    EXPECT_EQ(raw.integer("SELECT updated_at_ms FROM station_state WHERE key = 'note'"),
              kMorning + 120'000);
}

TEST(StoreClock, WithoutAClockTheStoreStampsTheWallClock) {
    TempDir directory;
    const std::string path = directory.file("station.db");
    const std::int64_t before = wall_clock_ms();
    auto store = Store::open(path);
    ASSERT_TRUE(store) << store.error().to_string();
    ASSERT_TRUE((*store)->set_station_value("note", "x"));
    const std::int64_t after = wall_clock_ms();
    RawConnection raw(path);
    const std::int64_t stamped =
        raw.integer("SELECT updated_at_ms FROM station_state WHERE key = 'note'");
    EXPECT_GE(stamped, before);
    EXPECT_LE(stamped, after);
}

}  // namespace
}  // namespace packline::station
