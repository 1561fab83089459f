// The store is shared: docs/store.md promises that other processes (the
// `packline` tools, sqlite3) may open it beside a running packline-stationd.
// With [sync] on, the daemon holds two connections (the loop's and the sync
// worker's). If anything in the daemon opened the database file outside
// SQLite and closed it, POSIX would drop every lock the process holds on it;
// the next process to close its own connection would then believe it was
// the last one, checkpoint, and delete the -wal and -shm files under the
// running daemon, which goes on writing into a deleted file: confirmations
// lost. Here a second process writes to the store again and again
// throughout a synced shift; the WAL must stay, the daemon must never hold
// a deleted WAL, every confirmation it printed must be in the store, and the
// database must pass integrity_check.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "eventually.h"
#include "mosquitto_broker.h"
#include "mqtt_fake_hub.h"
#include "process.h"

namespace packline::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Files the process holds open that were deleted under it.
std::vector<std::string> deleted_open_files(pid_t pid, const std::string& containing) {
    std::vector<std::string> deleted;
    std::error_code error;
    const fs::path fds = fs::path("/proc") / std::to_string(pid) / "fd";
    for (const auto& entry : fs::directory_iterator(fds, error)) {
        std::error_code link_error;
        const std::string target = fs::read_symlink(entry.path(), link_error).string();
        if (!link_error && target.find(containing) != std::string::npos &&
            target.ends_with(" (deleted)"))
            deleted.push_back(target);
    }
    return deleted;
}

std::string single_text(const fs::path& database, const std::string& sql) {
    sqlite3* db = nullptr;
    std::string value;
    if (sqlite3_open_v2(database.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK &&
            sqlite3_step(statement) == SQLITE_ROW && sqlite3_column_text(statement, 0) != nullptr)
            value = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
        sqlite3_finalize(statement);
    }
    sqlite3_close(db);
    return value;
}

TEST(StoreSharingTest, AnotherProcessWritingThroughoutASyncedShiftLosesNothing) {
    if (auto missing = MosquittoBroker::missing_tool()) GTEST_SKIP() << *missing;
    MosquittoBroker broker;
    ASSERT_TRUE(broker.running()) << broker.error();
    FakeHub hub(broker.uri());
    ASSERT_EQ(hub.connect(), "");

    const fs::path dir =
        fs::temp_directory_path() / ("packline-store-sharing-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const fs::path database = dir / "station.db";
    const fs::path wal = dir / "station.db-wal";
    const fs::path config = dir / "station.toml";
    std::ofstream(config) << "[station]\nid = \"bench-2\"\nsite = \"ams1\"\ndatabase = \""
                          << database.string() << "\"\n[sync]\nbrokers = [\"" << broker.uri()
                          << "\"]\nreconnect_min_ms = 100\nreconnect_max_ms = 500\n"
                          << "ack_timeout_ms = 2000\nstatus_interval_s = 1\n";

    Child station({binary("packline-stationd"), "--config", config.string(), "--shift", "60",
                   "--seed", "3", "--log-confirmations", "--drain-timeout", "60"},
                  dir / "station.log");
    // The sync worker has opened its own connection once something arrives.
    ASSERT_TRUE(eventually([&] { return hub.distinct_count() >= 1; }, 60s))
        << read_file(dir / "station.log");

    int imports = 0;
    int code = -1;
    std::vector<std::string> problems;
    while (!station.finished(code)) {
        const int result =
            run({binary("packline"), "orders", "import", "--db", database.string(),
                 std::string(PACKLINE_SOURCE_DIR) + "/tests/fixtures/import/one-order.json"},
                dir / "import.log");
        EXPECT_EQ(result, 0) << read_file(dir / "import.log");
        ++imports;
        int ignored = 0;
        if (station.finished(ignored)) {
            code = ignored;
            break;
        }
        // Until the daemon reports its drain (the last line before it closes
        // its connections), they hold the WAL: it must exist, and the daemon
        // must not be writing into a deleted one. What is seen after that
        // line is the daemon's own clean close, which deletes the WAL.
        std::vector<std::string> seen;
        if (!fs::exists(wal))
            seen.push_back("import " + std::to_string(imports) + ": the WAL was deleted");
        for (const std::string& file : deleted_open_files(station.pid(), "station.db"))
            seen.push_back("import " + std::to_string(imports) + ": the daemon holds " + file);
        if (!seen.empty() &&
            read_file(dir / "station.log").find("packline-stationd: sync: ") == std::string::npos) {
            problems = std::move(seen);
            break;
        }
        std::this_thread::sleep_for(20ms);
    }
    if (!problems.empty()) {
        station.kill_hard();
        code = station.wait();
    }
    EXPECT_TRUE(problems.empty()) << problems.front();
    EXPECT_GT(imports, 0);
    // 0, or 1 when a scripted packer gave up a step on a loaded machine (the
    // shift's business); 3 would be "not drained".
    EXPECT_TRUE(code == 0 || code == 1) << code << "\n" << read_file(dir / "station.log");

    EXPECT_EQ(single_text(database, "PRAGMA integrity_check"), "ok");
    // Every confirmation the packer saw is in the store, with its outbox row.
    std::istringstream log(read_file(dir / "station.log"));
    std::string line;
    int confirmed = 0;
    while (std::getline(log, line)) {
        if (!line.starts_with("CONFIRMED ")) continue;
        std::istringstream fields(line.substr(10));
        std::string parcel;
        fields >> parcel;
        ++confirmed;
        EXPECT_EQ(
            single_text(database, "SELECT count(*) FROM confirmations WHERE parcel_id = " + parcel),
            "1")
            << "parcel " << parcel;
    }
    EXPECT_GT(confirmed, 0);
    EXPECT_EQ(single_text(database, "SELECT count(*) FROM outbox WHERE topic LIKE '%/shipments'"),
              std::to_string(confirmed));
    EXPECT_EQ(single_text(database, "SELECT count(*) FROM outbox WHERE delivered_at_ms IS NULL"),
              "0");
    std::cout << "imports beside the shift: " << imports << ", confirmations: " << confirmed
              << "\n";
    if (!HasFailure()) fs::remove_all(dir);
}

}  // namespace
}  // namespace packline::testing
