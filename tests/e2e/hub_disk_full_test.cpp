// The hub's disk fills up during a synced shift. packline-hub keeps its
// database on a small tmpfs of the test's own (a real full disk: SQLite gets
// ENOSPC), a packline-stationd bench packs a scripted shift through a real
// mosquitto. While the disk is full the hub stores nothing and acknowledges
// nothing, says why in its log, and keeps running; the station keeps
// packing, holding its confirmations in its outbox. Once there is room
// again, without a restart of either, every confirmation reaches the hub
// exactly once and the hub's database is sound.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>

#include "eventually.h"
#include "mosquitto_broker.h"
#include "process.h"
#include "small_filesystem.h"

namespace packline::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// The first column of every row of `sql`, read-only.
std::multiset<std::string> column(const fs::path& database, const std::string& sql) {
    std::multiset<std::string> values;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(database.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK) {
            while (sqlite3_step(statement) == SQLITE_ROW) {
                const auto* text = sqlite3_column_text(statement, 0);
                values.insert(text != nullptr ? reinterpret_cast<const char*>(text) : "");
            }
        } else {
            ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
        }
        sqlite3_finalize(statement);
    } else {
        ADD_FAILURE() << "cannot open " << database;
    }
    sqlite3_close(db);
    return values;
}

TEST(HubDiskFullTest, NothingIsAcknowledgedWhileTheHubsDiskIsFullAndEverythingArrivesOnceAfter) {
    if (auto missing = MosquittoBroker::missing_tool()) GTEST_SKIP() << *missing;
    const fs::path dir =
        fs::temp_directory_path() / ("packline-hub-disk-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    struct RemoveAtEnd {  // after the disk is unmounted (declared before it)
        fs::path dir;
        ~RemoveAtEnd() {
            std::error_code ignored;
            fs::remove_all(dir, ignored);
        }
    } remove_at_end{dir};
    // Made before any child: the hub inherits the mount namespace it is in.
    SmallFilesystem disk(dir / "hub-disk", 8 * 1024 * 1024);
    if (!disk.ready()) GTEST_SKIP() << disk.error();
    MosquittoBroker broker;
    ASSERT_TRUE(broker.running()) << broker.error();

    const fs::path hub_db = disk.path() / "hub.db";
    std::ofstream(dir / "hub.toml")
        << "[hub]\nsites = [\"full\"]\ndatabase = \"" << hub_db.string()
        << "\"\n[mqtt]\nbrokers = [\"" << broker.uri() << "\"]\n[pool]\nlow_water = 0\n";
    Child hub({binary("packline-hub"), "run", "--config", (dir / "hub.toml").string()},
              dir / "hub.log");
    ASSERT_TRUE(eventually([&] { return fs::exists(hub_db); }, 30s)) << read_file(dir / "hub.log");
    std::this_thread::sleep_for(500ms);  // its migrations are done
    disk.fill();

    const fs::path station_db = dir / "bench.db";
    std::ofstream(dir / "bench.toml")
        << "[station]\nid = \"bench-1\"\nsite = \"full\"\ndatabase = \"" << station_db.string()
        << "\"\n[sync]\nbrokers = [\"" << broker.uri()
        << "\"]\nreconnect_min_ms = 100\nreconnect_max_ms = 1000\n";
    Child station({binary("packline-stationd"), "--config", (dir / "bench.toml").string(),
                   "--shift", "20", "--seed", "3", "--drain-timeout", "600", "--weigh-timeout",
                   "5000", "--step-timeout", "600000"},
                  dir / "bench.log");

    // The hub refuses to store, and says so, while the station packs on.
    ASSERT_TRUE(eventually(
        [&] { return read_file(dir / "hub.log").find("not acknowledged") != std::string::npos; },
        120s))
        << read_file(dir / "hub.log");
    ASSERT_TRUE(eventually(
        [&] {
            return !column(station_db,
                           "SELECT event_id FROM events WHERE type = "
                           "'parcel.confirmed'")
                        .empty();
        },
        120s));
    std::this_thread::sleep_for(2s);
    int hub_exit = 0;
    ASSERT_FALSE(hub.finished(hub_exit)) << "the hub stopped on a full disk (" << hub_exit << "):\n"
                                         << read_file(dir / "hub.log");
    EXPECT_TRUE(column(hub_db, "SELECT event_id FROM shipments").empty())
        << "the hub stored a confirmation on a full disk";
    const std::string hub_log = read_file(dir / "hub.log");
    EXPECT_NE(hub_log.find("store.full"), std::string::npos) << hub_log;

    disk.make_room();
    // 0: the shift went as planned and everything was acknowledged.
    EXPECT_EQ(station.wait(), 0) << read_file(dir / "bench.log");
    hub.send(SIGTERM);
    EXPECT_EQ(hub.wait(), 0) << read_file(dir / "hub.log");

    const auto confirmed = column(station_db,
                                  "SELECT json_extract(payload, '$.event_id') FROM outbox "
                                  "WHERE topic LIKE '%/shipments'");
    const auto stored = column(hub_db, "SELECT event_id FROM shipments");
    ASSERT_FALSE(confirmed.empty());
    EXPECT_EQ(stored, confirmed) << "every confirmation exactly once";
    EXPECT_EQ(column(hub_db, "PRAGMA integrity_check"), std::multiset<std::string>{"ok"});
    std::cout << confirmed.size() << " confirmations held back by a full disk, then stored once\n";
}

}  // namespace
}  // namespace packline::testing
