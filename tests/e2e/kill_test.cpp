// A thousand kills. packline-stationd packs a long scripted shift with [sync]
// on, through a real mosquitto, to a real packline-hub, and is killed with
// SIGKILL at random points (while starting, packing, committing, draining)
// and restarted, again and again. At the end a last run finishes the shift
// and drains, and the hub must hold every confirmation of the station exactly
// once: the same event ids as the station's outbox, no parcel and no
// tracking number twice, every station event too; the store passes
// integrity_check and holds every confirmation a run announced.
//
// CI runs 50 kills. PACKLINE_KILLS sets the number (scripts/kill-test.sh runs
// 1,000); PACKLINE_KILL_SEED the random points.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "mosquitto_broker.h"
#include "process.h"

namespace packline::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Rows of a query of one or two text columns, read-only.
std::vector<std::pair<std::string, std::string>> rows(const fs::path& database,
                                                      const std::string& sql) {
    std::vector<std::pair<std::string, std::string>> result;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(database.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        ADD_FAILURE() << "cannot open " << database;
        sqlite3_close(db);
        return result;
    }
    sqlite3_busy_timeout(db, 10000);
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
        ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
    } else {
        auto text = [&](int column) {
            const auto* value = sqlite3_column_text(statement, column);
            return std::string(value != nullptr ? reinterpret_cast<const char*>(value) : "");
        };
        while (sqlite3_step(statement) == SQLITE_ROW)
            result.emplace_back(text(0), sqlite3_column_count(statement) > 1 ? text(1) : "");
    }
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return result;
}

std::multiset<std::string> firsts(const std::vector<std::pair<std::string, std::string>>& list) {
    std::multiset<std::string> values;
    for (const auto& [first, second] : list)
        values.insert(first);
    return values;
}

// "CONFIRMED <parcel> <order> <tracking>" lines a run printed whole.
void collect(const std::string& text, std::map<std::string, std::string>& announced) {
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        std::istringstream words(line);
        std::string word, parcel, order, tracking;
        // Only a whole line is a promise: a parcel id of digits, an order and
        // a tracking number (a line cut by the kill misses its last word).
        if (words >> word && word == "CONFIRMED" && words >> parcel >> order >> tracking &&
            !parcel.empty() && parcel.find_first_not_of("0123456789") == std::string::npos)
            announced[parcel] = tracking;
    }
}

TEST(KillTest, KilledAtRandomPointsWithSyncOnTheHubHoldsEveryConfirmationExactlyOnce) {
    if (auto missing = MosquittoBroker::missing_tool()) GTEST_SKIP() << *missing;
    const int target = env_int("PACKLINE_KILLS", 50);
    // Enough orders that the shift outlives the kills (a run packs a few
    // parcels between its start and its kill), but not so many that every
    // run spends its life loading them (a start loads the whole shift).
    const int orders = std::clamp(target * 6, 100, 2500);
    MosquittoBroker broker;
    ASSERT_TRUE(broker.running()) << broker.error();
    const fs::path dir =
        fs::temp_directory_path() / ("packline-kills-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const fs::path hub_db = dir / "hub.db";
    const fs::path station_db = dir / "station.db";
    std::ofstream(dir / "hub.toml")
        << "[hub]\nsites = [\"kill\"]\ndatabase = \"" << hub_db.string()
        << "\"\n[mqtt]\nbrokers = [\"" << broker.uri() << "\"]\n[pool]\nlow_water = 0\n";
    Child hub({binary("packline-hub"), "run", "--config", (dir / "hub.toml").string()},
              dir / "hub.log");
    const fs::path config = dir / "station.toml";
    std::ofstream(config) << "[station]\nid = \"bench-k\"\nsite = \"kill\"\ndatabase = \""
                          << station_db.string() << "\"\n[sync]\nbrokers = [\"" << broker.uri()
                          << "\"]\nreconnect_min_ms = 50\nreconnect_max_ms = 500\n"
                          << "ack_timeout_ms = 2000\n";
    const std::vector<std::string> daemon{binary("packline-stationd"),
                                          "--config",
                                          config.string(),
                                          "--shift",
                                          std::to_string(orders),
                                          "--seed",
                                          "17",
                                          "--log-confirmations",
                                          "--drain-timeout",
                                          "600",
                                          "--weigh-timeout",
                                          "5000",
                                          "--step-timeout",
                                          "600000"};

    std::mt19937 random(static_cast<std::uint32_t>(env_int("PACKLINE_KILL_SEED", 20261207)));
    // From before the store is open to well into packing and draining.
    std::uniform_int_distribution<int> delay_ms(20, 1500);
    std::map<std::string, std::string> announced;
    int kills = 0;
    bool finished_early = false;
    const auto started = std::chrono::steady_clock::now();
    const fs::path out = dir / "run.txt";
    while (kills < target) {
        Child child(daemon, out);
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
        int code = 0;
        if (child.finished(code)) {
            collect(read_file(out), announced);
            finished_early = true;  // the shift completed before this kill
            break;
        }
        child.kill_hard();
        ASSERT_EQ(child.wait(), 128 + SIGKILL);
        ++kills;
        collect(read_file(out), announced);
    }
    const double kill_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    EXPECT_FALSE(finished_early) << "the shift ended after " << kills << " of " << target
                                 << " kills: make it longer";

    // The last run packs what is left and drains everything (exit 0 or 1:
    // a resumed shift reports only its own part; 3 = not drained).
    const int code = run(daemon, out);
    const std::string final_text = read_file(out);
    EXPECT_TRUE(code == 0 || code == 1) << code << "\n" << final_text;
    EXPECT_EQ(final_text.find("gave no answer"), std::string::npos) << final_text;
    EXPECT_NE(final_text.find("every message acknowledged"), std::string::npos) << final_text;
    collect(final_text, announced);
    hub.send(SIGTERM);
    EXPECT_EQ(hub.wait(), 0) << read_file(dir / "hub.log");

    // The station's store: intact, every announced confirmation in it.
    EXPECT_EQ(rows(station_db, "PRAGMA integrity_check").at(0).first, "ok");
    std::map<std::string, std::string> confirmed;  // parcel id -> tracking number
    for (const auto& [parcel, tracking] :
         rows(station_db, "SELECT parcel_id, tracking_number FROM confirmations"))
        confirmed[parcel] = tracking;
    for (const auto& [parcel, tracking] : announced) {
        ASSERT_TRUE(confirmed.contains(parcel)) << "announced parcel " << parcel << " is gone";
        EXPECT_EQ(confirmed[parcel], tracking);
    }
    EXPECT_EQ(
        rows(station_db, "SELECT count(*) FROM outbox WHERE delivered_at_ms IS NULL").at(0).first,
        "0");

    // The hub: exactly the station's outbox, each message once.
    const auto shipments =
        rows(station_db, "SELECT event_id FROM outbox WHERE topic LIKE '%/shipments'");
    const auto events =
        rows(station_db, "SELECT event_id FROM outbox WHERE topic NOT LIKE '%/shipments'");
    EXPECT_EQ(shipments.size(), confirmed.size()) << "one outbox row per confirmation";
    EXPECT_EQ(firsts(rows(hub_db, "SELECT event_id FROM shipments")), firsts(shipments));
    EXPECT_EQ(firsts(rows(hub_db, "SELECT event_id FROM station_events")), firsts(events));
    std::multiset<std::string> hub_parcels;
    std::set<std::string> hub_tracking;
    for (const auto& [parcel, tracking] :
         rows(hub_db, "SELECT parcel_id, tracking_number FROM shipments")) {
        EXPECT_EQ(hub_parcels.count(parcel), 0u) << "parcel " << parcel << " shipped twice";
        hub_parcels.insert(parcel);
        EXPECT_TRUE(hub_tracking.insert(tracking).second) << "tracking " << tracking << " twice";
        EXPECT_EQ(confirmed[parcel], tracking) << "parcel " << parcel;
    }
    std::cout << "kills: " << kills << " in " << kill_seconds << " s; confirmations "
              << confirmed.size() << " (announced " << announced.size() << "), station events "
              << events.size() << ", all at the hub exactly once\n";
    RecordProperty("kills", kills);
    RecordProperty("confirmations", static_cast<int>(confirmed.size()));
    if (!HasFailure()) fs::remove_all(dir);
}

}  // namespace
}  // namespace packline::testing
