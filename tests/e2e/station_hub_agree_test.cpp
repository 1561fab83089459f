// Station and hub agree. Two packline-stationd benches pack scripted shifts
// (mistakes planted: exceptions, a supervisor's override, abandoned parcels)
// with [sync] on, through a real mosquitto, to a real packline-hub. After
// the shifts, what the hub stored and what its dashboard shows must equal
// what each station recorded: confirmations, exceptions by reason,
// overrides, abandoned parcels. Nothing lost on the way, nothing counted
// twice, nothing counted under another name.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "mosquitto_broker.h"
#include "packline/hub/dashboard.h"
#include "process.h"

namespace packline::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Counts = std::map<std::string, std::int64_t>;

// "key" -> count for a two-column query (text, integer), read-only.
Counts counts(const fs::path& database, const std::string& sql, const std::string& bound) {
    Counts result;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(database.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        ADD_FAILURE() << "cannot open " << database;
        sqlite3_close(db);
        return result;
    }
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
        ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
    } else {
        sqlite3_bind_text(statement, 1, bound.c_str(), -1, SQLITE_TRANSIENT);
        while (sqlite3_step(statement) == SQLITE_ROW) {
            const auto* key = sqlite3_column_text(statement, 0);
            result[key != nullptr ? reinterpret_cast<const char*>(key) : ""] =
                sqlite3_column_int64(statement, 1);
        }
    }
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return result;
}

std::int64_t value(const Counts& map, const std::string& key) {
    const auto found = map.find(key);
    return found == map.end() ? 0 : found->second;
}

// What a station recorded in its own store.
struct Tally {
    std::int64_t confirmed = 0;
    std::int64_t overrides = 0;
    std::int64_t abandoned = 0;
    Counts exceptions_by_reason;
    std::int64_t exceptions() const {
        std::int64_t total = 0;
        for (const auto& [reason, count] : exceptions_by_reason)
            total += count;
        return total;
    }
};

Tally station_tally(const fs::path& database, const std::string& station) {
    Tally tally;
    const Counts types = counts(
        database, "SELECT type, count(*) FROM events WHERE station = ?1 GROUP BY type", station);
    tally.confirmed = value(types, "parcel.confirmed");
    tally.overrides = value(types, "parcel.override");
    tally.abandoned = value(types, "parcel.abandoned");
    tally.exceptions_by_reason =
        counts(database,
               "SELECT json_extract(payload, '$.reason'), count(*) FROM events "
               "WHERE station = ?1 AND type = 'parcel.exception' GROUP BY 1",
               station);
    // The confirmations table agrees with the events that announced them.
    EXPECT_EQ(
        value(counts(database, "SELECT 'all', count(*) FROM confirmations WHERE ?1 = ?1", station),
              "all"),
        tally.confirmed);
    return tally;
}

Tally hub_tally(const fs::path& database, const std::string& station) {
    Tally tally;
    tally.confirmed =
        value(counts(database, "SELECT 'all', count(*) FROM shipments WHERE station = ?1", station),
              "all");
    const Counts kinds = counts(
        database, "SELECT kind, count(*) FROM station_events WHERE station = ?1 GROUP BY kind",
        station);
    tally.overrides = value(kinds, "override");
    tally.abandoned = value(kinds, "abandoned");
    tally.exceptions_by_reason = counts(database,
                                        "SELECT reason, count(*) FROM station_events "
                                        "WHERE station = ?1 AND kind = 'exception' GROUP BY 1",
                                        station);
    return tally;
}

TEST(StationHubAgreeTest, TheHubAndTheDashboardCountWhatEachStationRecorded) {
    if (auto missing = MosquittoBroker::missing_tool()) GTEST_SKIP() << *missing;
    MosquittoBroker broker;
    ASSERT_TRUE(broker.running()) << broker.error();
    const fs::path dir =
        fs::temp_directory_path() / ("packline-agree-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const fs::path hub_db = dir / "hub.db";
    std::ofstream(dir / "hub.toml")
        << "[hub]\nsites = [\"agree\"]\ndatabase = \"" << hub_db.string()
        << "\"\n[mqtt]\nbrokers = [\"" << broker.uri() << "\"]\n[pool]\nlow_water = 0\n";
    Child hub({binary("packline-hub"), "run", "--config", (dir / "hub.toml").string()},
              dir / "hub.log");

    // Seeds 1 and 2 plant every kind of mistake between them: exceptions of
    // each check, an override (bad phone), abandoned parcels (an invalid
    // tracking number is given up), refusals (cancelled, on hold).
    const std::vector<std::string> stations{"bench-1", "bench-2"};
    std::vector<std::unique_ptr<Child>> children;
    for (std::size_t index = 0; index < stations.size(); ++index) {
        const fs::path config = dir / (stations[index] + ".toml");
        std::ofstream(config) << "[station]\nid = \"" << stations[index]
                              << "\"\nsite = \"agree\"\ndatabase = \""
                              << (dir / (stations[index] + ".db")).string()
                              << "\"\n[sync]\nbrokers = [\"" << broker.uri()
                              << "\"]\nreconnect_min_ms = 100\nreconnect_max_ms = 1000\n";
        children.push_back(std::make_unique<Child>(
            std::vector<std::string>{binary("packline-stationd"), "--config", config.string(),
                                     "--shift", "36", "--seed", std::to_string(index + 1),
                                     "--drain-timeout", "300", "--weigh-timeout", "5000",
                                     "--step-timeout", "600000"},
            dir / (stations[index] + ".log")));
    }
    for (std::size_t index = 0; index < stations.size(); ++index) {
        // 0: as planned; 3 would be "not drained" and fail the comparison.
        const int code = children[index]->wait();
        EXPECT_EQ(code, 0) << stations[index] << "\n"
                           << read_file(dir / (stations[index] + ".log"));
    }
    hub.send(SIGTERM);
    EXPECT_EQ(hub.wait(), 0) << read_file(dir / "hub.log");

    auto queries = hub::DashboardQueries::open(hub_db.string());
    ASSERT_TRUE(queries) << queries.error().to_string();
    hub::DashboardWindow window;
    window.now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count() +
                    60000;
    window.shift_start_ms = 0;  // the whole history
    window.exceptions_limit = 100000;
    auto snapshot_text = queries.value()->snapshot_json(window);
    ASSERT_TRUE(snapshot_text) << snapshot_text.error().to_string();
    const auto snapshot = nlohmann::json::parse(*snapshot_text);

    Tally site;
    for (const std::string& station : stations) {
        SCOPED_TRACE(station);
        const Tally local = station_tally(dir / (station + ".db"), station);
        const Tally central = hub_tally(hub_db, station);
        EXPECT_GT(local.confirmed, 0);
        EXPECT_EQ(central.confirmed, local.confirmed);
        EXPECT_EQ(central.overrides, local.overrides);
        EXPECT_EQ(central.abandoned, local.abandoned);
        EXPECT_EQ(central.exceptions_by_reason, local.exceptions_by_reason);

        // The dashboard's row for the station.
        const nlohmann::json* row = nullptr;
        for (const auto& entry : snapshot["stations"])
            if (entry["station"] == station) row = &entry;
        ASSERT_NE(row, nullptr) << "the dashboard does not list " << station;
        EXPECT_EQ((*row)["shipments_in_shift"], local.confirmed);
        EXPECT_EQ((*row)["exceptions_in_shift"], local.exceptions());
        EXPECT_EQ((*row)["overrides_in_shift"], local.overrides);
        EXPECT_EQ((*row)["abandoned_in_shift"], local.abandoned);
        // Its exceptions list, by reason.
        Counts listed;
        for (const auto& entry : snapshot["exceptions"])
            if (entry["station"] == station && entry["kind"] == "exception")
                ++listed[entry["reason"].get<std::string>()];
        EXPECT_EQ(listed, local.exceptions_by_reason);

        site.confirmed += local.confirmed;
        site.overrides += local.overrides;
        site.abandoned += local.abandoned;
        for (const auto& [reason, count] : local.exceptions_by_reason)
            site.exceptions_by_reason[reason] += count;
    }
    // The shifts planted what this test is about.
    EXPECT_GT(site.overrides, 0);
    EXPECT_GT(site.abandoned, 0);
    EXPECT_GE(site.exceptions_by_reason.size(), 6u);
    const auto& totals = snapshot["totals"];
    EXPECT_EQ(totals["shipments_in_shift"], site.confirmed);
    EXPECT_EQ(totals["exceptions_in_shift"], site.exceptions());
    EXPECT_EQ(totals["overrides_in_shift"], site.overrides);
    EXPECT_EQ(totals["abandoned_in_shift"], site.abandoned);
    if (!HasFailure()) fs::remove_all(dir);
}

}  // namespace
}  // namespace packline::testing
