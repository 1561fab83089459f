// Load: many stations (200 by default) pack scripted shifts at once, each a
// real packline-stationd process with simulated devices and [sync] on,
// against one local mosquitto and one packline-hub. Afterwards every
// station's outbox is acknowledged, and the hub's database holds each
// confirmation and station event exactly once: the sum of all stations'
// outbox rows, no more (nothing stored twice) and no less (nothing lost).
// Every shift must go as planned, however long the machine takes: the
// scripted packers and the stations' own timeouts are given room (a 15-minute
// step timeout only catches a hang), so pass or fail never depends on how
// loaded the machine is. Rates are printed, never asserted.
//
// PACKLINE_LOAD_STATIONS and PACKLINE_LOAD_ORDERS (orders per station)
// scale it; the figures it prints go to docs/PERFORMANCE.md.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>
#include <thread>

#include "mosquitto_broker.h"
#include "process.h"

namespace packline::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Runs `sql` (one row, text columns) on a database file, read-only.
std::vector<std::string> query_row(const fs::path& database, const std::string& sql) {
    std::vector<std::string> row;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(database.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_busy_timeout(db, 5000);
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK &&
            sqlite3_step(statement) == SQLITE_ROW)
            for (int column = 0; column < sqlite3_column_count(statement); ++column) {
                const auto* text = sqlite3_column_text(statement, column);
                row.emplace_back(text != nullptr ? reinterpret_cast<const char*>(text) : "");
            }
        sqlite3_finalize(statement);
    }
    sqlite3_close(db);
    return row;
}

std::int64_t count(const fs::path& database, const std::string& sql) {
    const auto row = query_row(database, sql);
    return row.empty() ? -1 : std::stoll(row[0]);
}

TEST(SyncLoadTest, ManyStationsAgainstOneBrokerAndOneHubLoseNothingAndStoreNothingTwice) {
    if (auto missing = MosquittoBroker::missing_tool()) GTEST_SKIP() << *missing;
    const int stations = env_int("PACKLINE_LOAD_STATIONS", 200);
    const int orders = env_int("PACKLINE_LOAD_ORDERS", 45);
    MosquittoBroker broker;
    ASSERT_TRUE(broker.running()) << broker.error();
    const fs::path dir =
        fs::temp_directory_path() / ("packline-sync-load-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const fs::path hub_db = dir / "hub.db";
    {
        std::ofstream(dir / "hub.toml")
            << "[hub]\nsites = [\"load\"]\ndatabase = \"" << hub_db.string()
            << "\"\nsummary_interval_s = 10\n[mqtt]\nbrokers = [\"" << broker.uri()
            << "\"]\nreconnect_min_ms = 100\nreconnect_max_ms = 1000\n[pool]\nlow_water = 0\n";
    }
    Child hub({binary("packline-hub"), "run", "--config", (dir / "hub.toml").string()},
              dir / "hub.log");

    const auto started = std::chrono::steady_clock::now();
    std::vector<std::unique_ptr<Child>> children;
    for (int index = 0; index < stations; ++index) {
        const std::string id = "load-" + std::to_string(index);
        const fs::path config = dir / (id + ".toml");
        std::ofstream(config) << "[station]\nid = \"" << id << "\"\nsite = \"load\"\ndatabase = \""
                              << (dir / (id + ".db")).string() << "\"\n[sync]\nbrokers = [\""
                              << broker.uri()
                              << "\"]\nreconnect_min_ms = 200\nreconnect_max_ms = 2000\n"
                                 "connect_timeout_s = 20\nack_timeout_ms = 20000\n"
                                 "status_interval_s = 15\n"
                                 // A print job may wait minutes for a CPU.
                                 "[printing]\ntimeout_ms = 600000\n";
        children.push_back(std::make_unique<Child>(
            std::vector<std::string>{binary("packline-stationd"), "--config", config.string(),
                                     "--shift", std::to_string(orders), "--seed",
                                     std::to_string(1000 + index), "--drain-timeout", "900",
                                     // Room for a starved machine: a good parcel's
                                     // scale may take seconds to be read as stable
                                     // (a planted wobbling one costs this long).
                                     "--weigh-timeout", "20000", "--step-timeout", "900000"},
            dir / (id + ".log")));
    }
    int shifts_as_planned = 0;
    for (int index = 0; index < stations; ++index) {
        const int code = children[static_cast<std::size_t>(index)]->wait();
        const fs::path log = dir / ("load-" + std::to_string(index) + ".log");
        // 0: every planted mistake caught, every good order confirmed and
        // everything acknowledged by the hub; 1: not as planned; 3: not
        // drained; anything else a crash.
        EXPECT_EQ(code, 0) << "station " << index << "\n" << read_file(log);
        if (code == 0) ++shifts_as_planned;
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    // Every station's outbox is retired; the hub has each message once.
    std::int64_t outbox_rows = 0;
    std::int64_t shipments = 0;
    for (int index = 0; index < stations; ++index) {
        const fs::path db = dir / ("load-" + std::to_string(index) + ".db");
        EXPECT_EQ(count(db, "SELECT count(*) FROM outbox WHERE delivered_at_ms IS NULL"), 0)
            << "station " << index;
        outbox_rows += count(db, "SELECT count(*) FROM outbox");
        shipments += count(db, "SELECT count(*) FROM outbox WHERE topic LIKE '%/shipments'");
    }
    // A clean stop stores and acknowledges what is queued; it must not hang.
    hub.send(SIGTERM);
    int hub_code = -1;
    const auto stop_deadline = std::chrono::steady_clock::now() + 60s;
    while (!hub.finished(hub_code) && std::chrono::steady_clock::now() < stop_deadline)
        std::this_thread::sleep_for(100ms);
    if (hub_code == -1) {
        hub.kill_hard();
        hub.wait();
        ADD_FAILURE() << "the hub did not stop within 60 s of SIGTERM\n"
                      << read_file(dir / "hub.log");
    }
    EXPECT_EQ(hub_code, 0) << read_file(dir / "hub.log");
    const std::int64_t hub_shipments = count(hub_db, "SELECT count(*) FROM shipments");
    const std::int64_t hub_events = count(hub_db, "SELECT count(*) FROM station_events");
    EXPECT_EQ(hub_shipments, shipments) << "confirmations lost or stored twice";
    EXPECT_EQ(hub_shipments + hub_events, outbox_rows);
    EXPECT_EQ(count(hub_db, "SELECT count(DISTINCT station) FROM shipments"), stations);

    std::cout << "load: " << stations << " stations x " << orders << " orders: " << shipments
              << " confirmations + " << (outbox_rows - shipments) << " station events in "
              << seconds << " s (" << static_cast<double>(outbox_rows) / seconds
              << " messages/s end to end); shifts as planned " << shifts_as_planned << "/"
              << stations << "\n";
    const std::string hub_log = read_file(dir / "hub.log");
    const auto last_summary = hub_log.rfind("stored ");
    if (last_summary != std::string::npos)
        std::cout << "hub: "
                  << hub_log.substr(last_summary, hub_log.find('\n', last_summary) - last_summary)
                  << "\n";
    if (!HasFailure()) fs::remove_all(dir);
}

}  // namespace
}  // namespace packline::testing
