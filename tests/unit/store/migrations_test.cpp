// Schema versions and damaged files: a fresh database gets the latest schema,
// reopening changes nothing, a newer or damaged database is refused clearly.
#include "../../../station/src/store/migrations.h"

#include <gtest/gtest.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <random>
#include <string>

#include "packline/sqlite/database.h"
#include "packline/station/store.h"
#include "store_fixtures.h"

namespace packline::station {
namespace {

using testing::chinese_order;
using testing::event;
using testing::new_parcel;
using testing::open_store;
using testing::RawConnection;
using testing::step;
using testing::TempDir;

void write_bytes(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    const std::streamsize size = in.tellg();
    if (size <= 0) return {};
    std::string bytes(static_cast<std::size_t>(size), '\0');
    in.seekg(0);
    in.read(bytes.data(), size);
    return bytes;
}

// A database with enough rows to span many pages, closed cleanly (WAL folded in).
void fill_database(const std::string& path) {
    auto store = open_store(path);
    ASSERT_NE(store, nullptr);
    for (int index = 0; index < 200; ++index) {
        Order order = chinese_order("SO-" + std::to_string(index));
        order.recipient.address.lines.push_back(std::string(300, 'a'));
        ASSERT_TRUE(store->upsert_order(order));
    }
}

void expect_damaged(const std::string& path, const std::string& what) {
    auto store = Store::open(path);
    ASSERT_FALSE(store) << what << " opened";
    EXPECT_EQ(store.error().code, "store.corrupt") << what << ": " << store.error().to_string();
    const std::string& message = store.error().message;
    EXPECT_EQ(message.rfind(path + ": database is damaged (quick_check: ", 0), 0u) << message;
    EXPECT_NE(message.find("restore from backup or move it aside"), std::string::npos) << message;
}

TEST(StoreMigrations, AFreshDatabaseGetsTheLatestVersion) {
    TempDir directory;
    const std::string path = directory.file("station.db");
    auto store = open_store(path);
    ASSERT_NE(store, nullptr);
    EXPECT_GE(Store::latest_schema_version(), 1);
    EXPECT_EQ(store->schema_version(), Store::latest_schema_version());

    RawConnection raw(path);
    EXPECT_EQ(raw.integer("PRAGMA user_version"), Store::latest_schema_version());
    EXPECT_EQ(raw.integer("SELECT count(*) FROM schema_migrations"),
              Store::latest_schema_version());
    EXPECT_EQ(raw.integer("SELECT max(version) FROM schema_migrations"),
              Store::latest_schema_version());
    // Every table is STRICT: a wrong type is refused, not stored.
    EXPECT_EQ(raw.integer("SELECT count(*) FROM pragma_table_list WHERE schema = 'main' "
                          "AND name NOT LIKE 'sqlite_%' AND strict = 0"),
              0);
    EXPECT_EQ(raw.exec("INSERT INTO packaging (code, name, tare_g, updated_at_ms) "
                       "VALUES ('X', 'x', 'heavy', 0)") &
                  0xff,
              SQLITE_CONSTRAINT);
    EXPECT_EQ(raw.text("SELECT name FROM sqlite_schema WHERE name = 'parcels_tracking_number'"),
              "parcels_tracking_number");
}

TEST(StoreMigrations, ReopeningIsANoOp) {
    TempDir directory;
    const std::string path = directory.file("station.db");
    ASSERT_NE(open_store(path), nullptr);
    const std::string applied = RawConnection(path).text(
        "SELECT group_concat(version || ':' || applied_at_ms) FROM schema_migrations");
    for (int round = 0; round < 3; ++round) {
        auto store = open_store(path);
        ASSERT_NE(store, nullptr);
        EXPECT_EQ(store->schema_version(), Store::latest_schema_version());
    }
    EXPECT_EQ(RawConnection(path).text(
                  "SELECT group_concat(version || ':' || applied_at_ms) FROM schema_migrations"),
              applied);
}

TEST(StoreMigrations, ANewerDatabaseIsRefusedAndLeftUntouched) {
    TempDir directory;
    const std::string path = directory.file("station.db");
    ASSERT_NE(open_store(path), nullptr);
    const int newer = Store::latest_schema_version() + 1;
    ASSERT_EQ(RawConnection(path).exec("PRAGMA user_version = " + std::to_string(newer)),
              SQLITE_OK);

    for (bool read_only : {false, true}) {
        auto store = Store::open(path, StoreOptions{5000, read_only, 0});
        ASSERT_FALSE(store);
        EXPECT_EQ(store.error().code, "store.too_new");
        EXPECT_NE(store.error().message.find("schema version " + std::to_string(newer)),
                  std::string::npos)
            << store.error().message;
    }
    EXPECT_EQ(RawConnection(path).integer("PRAGMA user_version"), newer);
}

TEST(StoreMigrations, AnEmptyFileIsANewDatabase) {
    TempDir directory;
    const std::string path = directory.file("station.db");
    write_bytes(path, "");
    auto store = open_store(path);
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->schema_version(), Store::latest_schema_version());
}

TEST(StoreMigrations, AFileThatIsNotADatabaseIsAClearError) {
    TempDir directory;
    std::mt19937 random(20240611);
    std::string noise(8192, '\0');
    for (char& byte : noise)
        byte = static_cast<char>(random() & 0xff);
    const std::array<std::pair<std::string, std::string>, 4> files{{
        {"random bytes", noise},
        {"a text file", "order_id,sku,quantity\nSO-1,MUG,1\n"},
        {"one byte", "x"},
        {"header only", std::string("SQLite format 3\0", 16)},
    }};
    for (const auto& [what, bytes] : files) {
        const std::string path = directory.file("station.db");
        write_bytes(path, bytes);
        expect_damaged(path, what);
        EXPECT_TRUE(read_bytes(path) == bytes) << what << " was modified";
    }
}

// 'PKLS' and 'PKLH' (packline/sqlite/ownership.h).
constexpr std::int64_t kStationApplicationId = 0x504B4C53;
constexpr std::int64_t kHubApplicationId = 0x504B4C48;

TEST(StoreMigrations, AFreshStoreIsStampedAsPacklines) {
    TempDir directory;
    const std::string path = directory.file("station.db");
    ASSERT_NE(open_store(path), nullptr);
    EXPECT_EQ(RawConnection(path).integer("PRAGMA application_id"), kStationApplicationId);
}

TEST(StoreMigrations, AnUnstampedPacklineStoreIsAdoptedAndStamped) {
    TempDir directory;
    const std::string path = directory.file("station.db");
    ASSERT_NE(open_store(path), nullptr);
    // As written by Packline before the stamp existed.
    ASSERT_EQ(RawConnection(path).exec("PRAGMA application_id = 0"), SQLITE_OK);
    auto store = open_store(path);
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(RawConnection(path).integer("PRAGMA application_id"), kStationApplicationId);
}

TEST(StoreMigrations, AnotherApplicationsDatabaseIsRefusedBeforeAnythingIsWritten) {
    TempDir directory;
    struct Case {
        std::string what;
        std::string script;
        std::string said;
    };
    const std::array<Case, 4> cases{{
        {"tables of another program",
         "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"
         "INSERT INTO notes (body) VALUES ('keep me'); PRAGMA user_version = 3;",
         "another application's SQLite database (tables: notes)"},
        {"another program's application_id",
         "PRAGMA application_id = 1234; CREATE TABLE orders (id TEXT);",
         "another application (application_id 0x000004D2)"},
        {"a packline-hub database",
         "PRAGMA application_id = " + std::to_string(kHubApplicationId) +
             "; CREATE TABLE shipments (id TEXT);",
         "the file is a packline-hub database"},
        {"a Packline-like name clash",
         "CREATE TABLE orders (id TEXT); CREATE TABLE parcels (id TEXT);",
         "(tables: orders, parcels)"},
    }};
    for (const Case& item : cases) {
        const std::string path = directory.file("other.db");
        std::filesystem::remove(path);
        write_bytes(path, "");
        ASSERT_EQ(RawConnection(path).exec(item.script), SQLITE_OK) << item.what;
        const std::string before = read_bytes(path);
        for (bool read_only : {false, true}) {
            auto store = Store::open(path, StoreOptions{5000, read_only, 0});
            ASSERT_FALSE(store) << item.what;
            EXPECT_EQ(store.error().code, "store.foreign") << item.what;
            EXPECT_NE(store.error().message.find("not a Packline station store"), std::string::npos)
                << store.error().message;
            EXPECT_NE(store.error().message.find(item.said), std::string::npos)
                << store.error().message;
            EXPECT_NE(store.error().message.find("nothing was written"), std::string::npos)
                << store.error().message;
        }
        // Not even the switch to WAL: the file is byte for byte as it was.
        EXPECT_TRUE(read_bytes(path) == before) << item.what << " was modified";
        EXPECT_FALSE(std::filesystem::exists(path + "-wal")) << item.what;
    }
}

TEST(StoreMigrations, TruncatedOrScribbledDatabasesAreAClearError) {
    constexpr std::size_t page = 4096;
    struct Case {
        std::string name;
        std::function<void(std::string&)> damage;
    };
    const Case cases[] = {
        {"truncated to half", [](std::string& bytes) { bytes.resize(bytes.size() / 2); }},
        {"truncated to three pages", [](std::string& bytes) { bytes.resize(3 * page); }},
        {"truncated inside the header", [](std::string& bytes) { bytes.resize(60); }},
        {"last page header scribbled",
         [](std::string& bytes) {
             for (std::size_t at = bytes.size() - page; at < bytes.size() - page + 16; ++at)
                 bytes[at] = '\x7f';
         }},
        {"every page header scribbled",
         [](std::string& bytes) {
             for (std::size_t offset = page; offset < bytes.size(); offset += page)
                 for (std::size_t at = offset; at < offset + 16; ++at)
                     bytes[at] = '\x7f';
         }},
        {"magic string overwritten", [](std::string& bytes) { bytes.replace(0, 6, "MySQL "); }},
    };
    TempDir directory;
    const std::string pristine_path = directory.file("pristine.db");
    fill_database(pristine_path);
    const std::string pristine = read_bytes(pristine_path);
    ASSERT_GT(pristine.size(), 16 * page);
    ASSERT_EQ(pristine.size() % page, 0u);
    for (const Case& c : cases) {
        const std::string path = directory.file("damaged.db");
        std::string bytes = pristine;
        c.damage(bytes);
        write_bytes(path, bytes);
        expect_damaged(path, c.name);
    }
}

// --- the migration runner, with a list of migrations made for the test ------

constexpr std::string_view kAddNotes = R"sql(
ALTER TABLE orders ADD COLUMN notes TEXT NOT NULL DEFAULT '';
PRAGMA user_version = 2;
)sql";
constexpr std::string_view kBroken = R"sql(
CREATE TABLE half_done (x INTEGER) STRICT;
INSERT INTO no_such_table VALUES (1);
PRAGMA user_version = 3;
)sql";

// The migration runner's own connection, as the store opens it.
class Connection {
  public:
    explicit Connection(const std::string& path) {
        auto opened = sqlite::Database::open(path, {});
        if (!opened) {
            ADD_FAILURE() << "open " << path << ": " << opened.error().to_string();
            return;
        }
        database_.emplace(std::move(opened).value());
    }
    sqlite::Database& get() { return *database_; }

  private:
    std::optional<sqlite::Database> database_;
};

TEST(StoreMigrationRunner, AppliesOnlyTheMissingStepsInOrder) {
    TempDir directory;
    const std::string path = directory.file("station.db");
    const auto real = store_schema::migrations();
    ASSERT_FALSE(real.empty());
    const store_schema::Migration first = real.front();
    {
        Connection connection(path);
        auto version = store_schema::migrate(connection.get(), std::span(&first, 1), 111);
        ASSERT_TRUE(version) << version.error().to_string();
        EXPECT_EQ(*version, 1);
    }
    const std::array<store_schema::Migration, 2> upgraded{{first, {2, "order notes", kAddNotes}}};
    {
        Connection connection(path);
        auto version = store_schema::migrate(connection.get(), upgraded, 222);
        ASSERT_TRUE(version) << version.error().to_string();
        EXPECT_EQ(*version, 2);
        auto again = store_schema::migrate(connection.get(), upgraded, 333);
        ASSERT_TRUE(again);
        EXPECT_EQ(*again, 2);
    }
    RawConnection raw(path);
    EXPECT_EQ(
        raw.text("SELECT group_concat(version || ':' || applied_at_ms) FROM schema_migrations"),
        "1:111,2:222");
    EXPECT_EQ(raw.integer("SELECT count(*) FROM pragma_table_info('orders') WHERE name = 'notes'"),
              1);

    // This program only knows version 1: the upgraded file is too new for it.
    Connection connection(path);
    auto refused = store_schema::migrate(connection.get(), std::span(&first, 1), 444);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "store.too_new");
}

TEST(StoreMigrationRunner, AFailingMigrationRollsBackCompletely) {
    TempDir directory;
    const std::string path = directory.file("station.db");
    const store_schema::Migration first = store_schema::migrations().front();
    const std::array<store_schema::Migration, 3> list{
        {first, {2, "order notes", kAddNotes}, {3, "broken", kBroken}}};
    {
        Connection connection(path);
        auto version = store_schema::migrate(connection.get(), list, 1);
        ASSERT_FALSE(version);
        EXPECT_NE(version.error().message.find("migration 3 (broken)"), std::string::npos)
            << version.error().message;
        EXPECT_NE(version.error().message.find("no_such_table"), std::string::npos);
        EXPECT_FALSE(connection.get().in_transaction()) << "transaction left open";
    }
    RawConnection raw(path);
    EXPECT_EQ(raw.integer("PRAGMA user_version"), 2);  // 1 and 2 committed, 3 not at all
    EXPECT_EQ(raw.integer("SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'"), 0);
    EXPECT_EQ(raw.integer("SELECT count(*) FROM schema_migrations"), 2);
}

TEST(StoreMigrationRunner, AScriptThatForgetsTheVersionIsRefused) {
    TempDir directory;
    const std::string path = directory.file("station.db");
    const store_schema::Migration first = store_schema::migrations().front();
    const std::array<store_schema::Migration, 2> list{
        {first, {2, "forgets its version", "CREATE TABLE forgotten (x INTEGER) STRICT;"}}};
    Connection connection(path);
    auto version = store_schema::migrate(connection.get(), list, 1);
    ASSERT_FALSE(version);
    EXPECT_EQ(version.error().code, "store.migration");
    EXPECT_EQ(
        RawConnection(path).integer("SELECT count(*) FROM sqlite_schema WHERE name = 'forgotten'"),
        0);
}

TEST(StoreMigrations, Version2AddsEvidencePhotosToAVersion1DatabaseWithParcels) {
    TempDir directory;
    const std::string path = directory.file("station.db");
    const store_schema::Migration first = store_schema::migrations().front();
    ASSERT_EQ(first.version, 1);
    {
        Connection connection(path);
        auto version = store_schema::migrate(connection.get(), std::span(&first, 1), 1);
        ASSERT_TRUE(version) << version.error().to_string();
        ASSERT_EQ(*version, 1);
    }
    {
        RawConnection raw(path);
        ASSERT_EQ(raw.exec(R"sql(
INSERT INTO orders VALUES ('SO-1', 'sh-01', 'packed', 'Wang', '+86 138', 'Shanghai', 'SH',
                           '200120', 'CN', 'sf', 'standard', 'SF1234567890123', 'BOX-S', 1, 2, 3);
INSERT INTO parcels (order_id, sequence, station, packer, state, weight_g, expected_weight_g,
                     packaging, carrier, tracking_number, label_job_id, label_attempts,
                     customer_check, contents_check, express_check, closed_partial,
                     created_at_ms, updated_at_ms, confirmed_at_ms)
VALUES ('SO-1', 1, 'bench-1', 'ana', 'confirmed', 512.5, 510, 'BOX-S', 'sf', 'SF1234567890123',
        'job-1', 1, 'passed', 'passed', 'passed', 0, 10, 20, 30);
INSERT INTO events (event_id, at_ms, station, type, order_id, parcel_id, payload)
VALUES ('ev-1', 30, 'bench-1', 'parcel.confirmed', 'SO-1', 1, '{}');
INSERT INTO confirmations VALUES (1, 'SO-1', 'SF1234567890123', 30, 'ev-1');
)sql"),
                  SQLITE_OK)
            << raw.last_error();
    }

    auto store = open_store(path);  // migrates to the latest version
    ASSERT_NE(store, nullptr);
    EXPECT_GE(store->schema_version(), 2);
    auto parcel = store->find_parcel(1);
    ASSERT_TRUE(parcel && *parcel);
    EXPECT_EQ((*parcel)->tracking_number, "SF1234567890123");
    EXPECT_EQ((*parcel)->weight_g, 512.5);
    EXPECT_EQ((*parcel)->state, ParcelState::Confirmed);
    EXPECT_FALSE((*parcel)->photo.has_value());
    EXPECT_EQ(store->count_confirmations().value(), 1);
    RawConnection raw(path);
    EXPECT_EQ(raw.text("SELECT name FROM schema_migrations WHERE version = 2"),
              "evidence photos of parcels");
    EXPECT_EQ(raw.integer("SELECT count(*) FROM pragma_table_info('parcels') "
                          "WHERE name LIKE 'photo_%'"),
              4);
    EXPECT_EQ(raw.integer("SELECT count(*) FROM parcels WHERE photo_sha256 IS NULL "
                          "AND photo_pruned_at_ms IS NULL"),
              1);
    EXPECT_TRUE(store->integrity_check());
}

TEST(StoreMigrations, Version4AddsSyncTablesToAVersion3DatabaseWithData) {
    TempDir directory;
    const std::string path = directory.file("station.db");
    const auto all = store_schema::migrations();
    ASSERT_GE(all.size(), 4u);
    ASSERT_EQ(all[2].version, 3);
    ASSERT_EQ(all[3].version, 4);
    {
        Connection connection(path);
        auto version = store_schema::migrate(connection.get(), all.first(3), 1);
        ASSERT_TRUE(version) << version.error().to_string();
        ASSERT_EQ(*version, 3);
    }
    {
        // A station that packed under version 3: catalogue, a confirmed
        // parcel with its photo, its event, outbox row and pool number.
        RawConnection raw(path);
        ASSERT_EQ(raw.exec(R"sql(
INSERT INTO orders VALUES ('SO-1', 'sh-01', 'packed', 'Wang', '+86 138', 'Shanghai', 'SH',
                           '200120', 'CN', 'sf', 'standard', '', 'BOX-S', 1, 2, 3,
                           '012345678901234560');
INSERT INTO orders VALUES ('SO-2', 'sh-01', 'open', 'Li', '+86 139', 'Beijing', 'BJ',
                           '100000', 'CN', 'sf', 'express', '', 'BOX-S', 4, 5, 6, '');
INSERT INTO order_lines VALUES ('SO-1', 1, 'MUG-WHITE', 2);
INSERT INTO skus VALUES ('MUG-WHITE', 'Mug', 'MUG', '', 'White', 350, 0, NULL, NULL, 1);
INSERT INTO sku_barcodes VALUES ('0012345678905', 'MUG-WHITE', 0);
INSERT INTO packaging VALUES ('BOX-S', 'Small box', 120, 1);
INSERT INTO parcels (order_id, sequence, station, packer, state, weight_g, expected_weight_g,
                     packaging, carrier, tracking_number, label_job_id, label_attempts,
                     customer_check, contents_check, express_check, closed_partial,
                     created_at_ms, updated_at_ms, confirmed_at_ms, photo_path, photo_sha256,
                     photo_taken_at_ms)
VALUES ('SO-1', 1, 'bench-1', 'ana', 'confirmed', 712.5, 700, 'BOX-S', 'sf', 'SF1234567890123',
        'job-1', 1, 'passed', 'passed', 'passed', 0, 10, 20, 30, '/var/lib/packline/1.jpg',
        '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 30);
INSERT INTO events (event_id, at_ms, station, type, order_id, parcel_id, payload)
VALUES ('ev-1', 30, 'bench-1', 'parcel.confirmed', 'SO-1', 1, '{}');
INSERT INTO confirmations VALUES (1, 'SO-1', 'SF1234567890123', 30, 'ev-1');
INSERT INTO outbox (event_id, topic, payload, created_at_ms) VALUES ('ev-1', 'shipments', '{}', 30);
INSERT INTO tracking_pool VALUES ('SF1234567890123', 'sf', 1, 30), ('SF1234567890124', 'sf', NULL, NULL);
)sql"),
                  SQLITE_OK)
            << raw.last_error();
        ASSERT_EQ(raw.integer("PRAGMA user_version"), 3);
        ASSERT_EQ(raw.integer("SELECT count(*) FROM sqlite_schema WHERE name IN ('station_state', "
                              "'inbox')"),
                  0);
    }

    auto store = open_store(path);  // migrates to the latest version
    ASSERT_NE(store, nullptr);
    EXPECT_GE(store->schema_version(), 4);

    // The data is all there.
    auto order = store->find_order("SO-1");
    ASSERT_TRUE(order && *order);
    EXPECT_EQ((*order)->status, OrderStatus::Packed);
    EXPECT_EQ((*order)->sscc, "012345678901234560");
    ASSERT_EQ((*order)->lines.size(), 1u);
    EXPECT_EQ(store->find_order("SO-2")->value().status, OrderStatus::Open);
    EXPECT_EQ(store->find_sku_by_barcode("0012345678905")->value().sku, "MUG-WHITE");
    EXPECT_EQ(store->find_packaging("BOX-S")->value().tare_g, 120.0);
    auto parcel = store->find_parcel(1);
    ASSERT_TRUE(parcel && *parcel);
    EXPECT_EQ((*parcel)->tracking_number, "SF1234567890123");
    EXPECT_EQ((*parcel)->weight_g, 712.5);
    ASSERT_TRUE((*parcel)->photo.has_value());
    EXPECT_EQ((*parcel)->photo->sha256,
              "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    EXPECT_EQ(store->events_for_parcel(1)->size(), 1u);
    EXPECT_EQ(store->count_confirmations().value(), 1);
    EXPECT_EQ(store->pending_outbox(10)->size(), 1u);
    auto stock = store->pool_stock();
    ASSERT_TRUE(stock) << stock.error().to_string();
    ASSERT_EQ(stock->size(), 1u);
    EXPECT_EQ(stock->front().available, 1);

    // The new tables exist, start empty and work.
    RawConnection raw(path);
    EXPECT_EQ(raw.text("SELECT name FROM schema_migrations WHERE version = 4"),
              "sync: station state and inbox");
    EXPECT_EQ(raw.integer("SELECT count(*) FROM station_state"), 0);
    EXPECT_EQ(raw.integer("SELECT count(*) FROM inbox"), 0);
    EXPECT_EQ(raw.text("SELECT name FROM sqlite_schema WHERE name = 'inbox_received'"),
              "inbox_received");
    EXPECT_EQ(raw.integer("SELECT count(*) FROM pragma_table_list WHERE schema = 'main' "
                          "AND name IN ('station_state', 'inbox') AND strict = 1"),
              2);
    EXPECT_EQ(store->reserve_sequence(100).value(), 1);
    EXPECT_TRUE(store->remember_inbound("cmd-1", "commands", 40).value());
    ASSERT_TRUE(store->set_station_value("station.paused", "{}"));
    EXPECT_TRUE(store->integrity_check());
}

TEST(StoreMigrations, ReadOnlyOpenNeedsACurrentSchema) {
    TempDir directory;
    const std::string path = directory.file("station.db");
    // A new, empty database (one holding another program's tables would be
    // refused as foreign, read-only or not).
    write_bytes(path, "");
    auto store = Store::open(path, StoreOptions{5000, true, 0});
    ASSERT_FALSE(store);
    EXPECT_EQ(store.error().code, "store.read_only");
    EXPECT_EQ(RawConnection(path).integer("PRAGMA user_version"), 0);

    auto writer = open_store(path);  // read-write: migrates
    ASSERT_NE(writer, nullptr);
    ASSERT_TRUE(writer->upsert_order(chinese_order("SO-1")));
    Transition start = step(new_parcel("SO-1"), event("ev-1", event_type::parcel_started, 1));
    ASSERT_TRUE(writer->commit(start));
    writer.reset();
    auto reader = Store::open(path, StoreOptions{5000, true, 0});
    ASSERT_TRUE(reader) << reader.error().to_string();
    EXPECT_EQ((*reader)->find_parcel(1)->value().order_id, "SO-1");
}

}  // namespace
}  // namespace packline::station
