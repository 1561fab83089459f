// End-to-end sync figures with the real programs on loopback: one
// packline-stationd packing a scripted shift (simulated devices, [sync] on),
// one mosquitto, one packline-hub. Prints
//   - latency from the confirmation's commit at the station (its outbox
//     row's created_at_ms) to its storage at the hub (received_at_ms), p50,
//     p99 and max over every confirmation of the shift;
//   - the same for station events;
//   - memory of the station daemon and of the hub while they work (peak RSS
//     and PSS from /proc/<pid>/smaps_rollup; RSS counts shared library pages,
//     PSS shares them out).
// Usage: sync_e2e_bench [orders=200]
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "mosquitto_broker.h"
#include "process.h"

namespace {

namespace fs = std::filesystem;
using namespace packline::testing;

struct Memory {
    long rss_kb = 0;
    long pss_kb = 0;
};

Memory memory_of(pid_t pid) {
    Memory memory;
    std::ifstream file("/proc/" + std::to_string(pid) + "/smaps_rollup");
    std::string header;
    std::getline(file, header);  // the address range of the rollup
    std::string key;
    long value = 0;
    std::string unit;
    while (file >> key >> value >> unit) {
        if (key == "Rss:") memory.rss_kb = value;
        if (key == "Pss:") memory.pss_kb = value;
    }
    return memory;
}

// event_id -> milliseconds, from one query on a database.
std::map<std::string, std::int64_t> times(const fs::path& database, const std::string& sql) {
    std::map<std::string, std::int64_t> result;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(database.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK)
            while (sqlite3_step(statement) == SQLITE_ROW)
                result[reinterpret_cast<const char*>(sqlite3_column_text(statement, 0))] =
                    sqlite3_column_int64(statement, 1);
        sqlite3_finalize(statement);
    }
    sqlite3_close(db);
    return result;
}

void print_latency(const std::string& what, const std::map<std::string, std::int64_t>& sent,
                   const std::map<std::string, std::int64_t>& stored) {
    std::vector<std::int64_t> latencies;
    for (const auto& [event_id, at] : sent)
        if (auto found = stored.find(event_id); found != stored.end())
            latencies.push_back(found->second - at);
    if (latencies.empty()) {
        std::cout << what << ": nothing arrived\n";
        return;
    }
    std::sort(latencies.begin(), latencies.end());
    auto at = [&](double share) {
        return latencies[std::min(
            latencies.size() - 1,
            static_cast<std::size_t>(share * static_cast<double>(latencies.size())))];
    };
    std::cout << what << ": " << latencies.size() << "/" << sent.size()
              << " arrived; commit -> hub storage p50 " << at(0.50) << " ms, p99 " << at(0.99)
              << " ms, max " << latencies.back() << " ms\n";
}

}  // namespace

int main(int argc, char** argv) {
    const int orders = argc > 1 ? std::atoi(argv[1]) : 200;
    if (auto missing = MosquittoBroker::missing_tool()) {
        std::cerr << "sync_e2e_bench: " << *missing << '\n';
        return 2;
    }
    MosquittoBroker broker;
    if (!broker.running()) {
        std::cerr << "sync_e2e_bench: " << broker.error() << '\n';
        return 1;
    }
    const fs::path dir =
        fs::temp_directory_path() / ("packline-sync-e2e-bench-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::ofstream(dir / "hub.toml")
        << "[hub]\nsites = [\"bench\"]\ndatabase = \"" << (dir / "hub.db").string()
        << "\"\nsummary_interval_s = 0\n[mqtt]\nbrokers = [\"" << broker.uri()
        << "\"]\n[pool]\nlow_water = 0\n";
    std::ofstream(dir / "station.toml")
        << "[station]\nid = \"bench-1\"\nsite = \"bench\"\ndatabase = \""
        << (dir / "station.db").string() << "\"\n[sync]\nbrokers = [\"" << broker.uri()
        << "\"]\nstatus_interval_s = 5\n";
    Child hub({binary("packline-hub"), "run", "--config", (dir / "hub.toml").string()},
              dir / "hub.log");
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const auto started = std::chrono::steady_clock::now();
    Child station({binary("packline-stationd"), "--config", (dir / "station.toml").string(),
                   "--shift", std::to_string(orders), "--seed", "3", "--drain-timeout", "60"},
                  dir / "station.log");
    Memory station_peak;
    Memory hub_peak;
    int code = 0;
    while (!station.finished(code)) {
        const Memory now_station = memory_of(station.pid());
        const Memory now_hub = memory_of(hub.pid());
        station_peak.rss_kb = std::max(station_peak.rss_kb, now_station.rss_kb);
        station_peak.pss_kb = std::max(station_peak.pss_kb, now_station.pss_kb);
        hub_peak.rss_kb = std::max(hub_peak.rss_kb, now_hub.rss_kb);
        hub_peak.pss_kb = std::max(hub_peak.pss_kb, now_hub.pss_kb);
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    hub.send(SIGTERM);
    hub.wait();
    if (code != 0) {
        std::cerr << "sync_e2e_bench: the station exited with " << code << "\n"
                  << read_file(dir / "station.log");
        return 1;
    }
    const auto shipments_sent =
        times(dir / "station.db",
              "SELECT event_id, created_at_ms FROM outbox WHERE topic LIKE '%/shipments'");
    const auto events_sent =
        times(dir / "station.db",
              "SELECT event_id, created_at_ms FROM outbox WHERE topic LIKE '%/events'");
    const auto shipments_stored =
        times(dir / "hub.db", "SELECT event_id, received_at_ms FROM shipments");
    const auto events_stored =
        times(dir / "hub.db", "SELECT event_id, received_at_ms FROM station_events");
    std::cout << "sync_e2e_bench: 1 station, " << orders << " orders, " << seconds
              << " s (shift + drain)\n";
    print_latency("confirmations", shipments_sent, shipments_stored);
    print_latency("station events", events_sent, events_stored);
    auto megabytes = [](long kilobytes) { return static_cast<double>(kilobytes) / 1024.0; };
    std::cout << "memory: station daemon peak RSS " << megabytes(station_peak.rss_kb) << " MB, PSS "
              << megabytes(station_peak.pss_kb) << " MB; hub peak RSS "
              << megabytes(hub_peak.rss_kb) << " MB, PSS " << megabytes(hub_peak.pss_kb) << " MB\n";
    fs::remove_all(dir);
    return 0;
}
