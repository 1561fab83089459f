// The supervisor dashboard's data (issue 6) on a hub database the size of a
// busy site, filled the way the hub fills it (HubStore::ingest in batches,
// put_catalogue):
//   - 200 stations with their latest status, 15 of them offline (a will
//     after an online status);
//   - 20,000 shipment confirmations over an 8 h shift by 40 packers, each
//     packing at five stations of their own (mixed = 1: any packer at any
//     station, the worst case for the per-hour series: 17,000 groups
//     instead of 1,600);
//   - 3,000 station events a supervisor watches (exceptions, overrides,
//     manual entries), 300 of them from the shift before;
//   - 5,000 catalogue orders with ship_by deadlines from 72 h ago to 48 h
//     ahead (some only with created_at, a few without any date, some on
//     hold or cancelled); 1,000 of them already shipped complete.
//   BM_Snapshot/history_days:<d>/mixed:<m>: one DashboardQueries::snapshot_json
//     per iteration, after <d> earlier days of history (3 shifts a day, each with
//     20,000 confirmations, their 20,000 packing_started events and 3,000
//     supervisor events: the hub keeps everything, append-only).
//   BM_DataVersion: one DashboardQueries::data_version() (the dashboard
//     poller's check every 250 ms) per iteration.
// Counters: snapshot_bytes; rows stored, database size and fill time (to
// check the data set is the one meant).
// The database goes to $PACKLINE_BENCH_DIR or the temp directory.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <utility>

#include "hub_messages.h"
#include "packline/hub/dashboard.h"
#include "packline/hub/event_ids.h"
#include "packline/hub/hub_store.h"
#include "packline/hub/ingest.h"

namespace {

using namespace packline;
using nlohmann::json;

constexpr std::int64_t kMinute = 60 * 1000;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;
// The shift began at 2026-11-23T14:00:00Z; it is near its end, 21:50.
constexpr std::int64_t kShift = 1795442400000;
constexpr std::int64_t kNow = kShift + 8 * kHour - 10 * kMinute;

constexpr int kStations = 200;
constexpr int kOfflineStations = 15;
constexpr int kPackers = 40;
constexpr int kShipmentsPerShift = 20000;
constexpr int kSupervisorEventsPerShift = 3000;
constexpr int kOrders = 5000;
constexpr std::size_t kBatch = 500;  // records per ingest transaction

std::string station_name(int index) {
    char name[16];
    std::snprintf(name, sizeof name, "bench-%03d", index + 1);
    return name;
}

std::string packer_name(int index) {
    return "packer-" + std::to_string(index + 1);
}

class HubFixture {
  public:
    HubFixture(int history_days, bool mixed)
        : history_days_(history_days), mixed_(mixed), random_(20261123) {
        const char* base = std::getenv("PACKLINE_BENCH_DIR");
        dir_ =
            base != nullptr ? std::filesystem::path(base) : std::filesystem::temp_directory_path();
        dir_ /= "packline-dashboard-bench-" + std::to_string(::getpid()) + "-" +
                std::to_string(history_days) + (mixed ? "-mixed" : "");
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        path_ = (dir_ / "hub.db").string();
    }
    ~HubFixture() {
        queries_.reset();
        store_.reset();
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }
    HubFixture(const HubFixture&) = delete;
    HubFixture& operator=(const HubFixture&) = delete;

    bool fill(std::string& error) {
        const auto start = std::chrono::steady_clock::now();
        auto store = hub::HubStore::open(path_, kShift);
        if (!store) return failed(error, store.error().to_string());
        store_ = std::move(store).value();
        // Older shifts first, as the hub would have received them.
        for (int shift = 3 * history_days_; shift >= 1; --shift)
            if (!fill_shift(kShift - shift * 8 * kHour, kShift - shift * 8 * kHour + 8 * kHour,
                            true, error))
                return false;
        if (!fill_shift(kShift, kNow, false, error)) return false;
        if (!fill_statuses(error) || !fill_orders(error)) return false;
        auto queries = hub::DashboardQueries::open(path_);
        if (!queries) return failed(error, queries.error().to_string());
        queries_ = std::move(queries).value();
        fill_seconds_ =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return true;
    }

    hub::DashboardQueries& queries() { return *queries_; }
    double fill_seconds() const { return fill_seconds_; }
    std::int64_t rows() const { return rows_; }
    double database_bytes() const {
        std::error_code ignored;
        double bytes = 0;
        for (const char* suffix : {"", "-wal"}) {
            const auto size = std::filesystem::file_size(path_ + suffix, ignored);
            if (!ignored) bytes += static_cast<double>(size);
        }
        return bytes;
    }

  private:
    static bool failed(std::string& error, std::string why) {
        error = std::move(why);
        return false;
    }

    bool ingest(std::vector<hub::StationRecord>& batch, std::int64_t received_at_ms,
                std::string& error) {
        if (batch.empty()) return true;
        auto outcomes = store_->ingest(batch, received_at_ms);
        if (!outcomes) return failed(error, outcomes.error().to_string());
        rows_ += static_cast<std::int64_t>(batch.size());
        batch.clear();
        return true;
    }

    // One shift's confirmations and supervisor events, by the time they
    // happened, in ingest batches; earlier shifts also carry the
    // packing_started event of every parcel (the current one leaves them
    // out to keep to the figures).
    bool fill_shift(std::int64_t from_ms, std::int64_t until_ms, bool with_started,
                    std::string& error) {
        std::uniform_int_distribution<std::int64_t> when(from_ms, until_ms - 1);
        std::uniform_int_distribution<int> station(0, kStations - 1);
        std::uniform_int_distribution<int> packer(0, kPackers - 1);
        std::vector<hub::StationRecord> batch;
        for (int index = 0; index < kShipmentsPerShift; ++index) {
            const std::int64_t at = when(random_);
            const std::string order_id = "SO-" + std::to_string(order_counter_++);
            hub::ShipmentRecord record;
            record.event_id = hub::new_event_id();
            record.site = "ams1";
            const int station_index = station(random_);
            record.station = station_name(station_index);
            record.order_id = order_id;
            record.parcel_id = index + 1;
            record.carrier = "ups";
            record.tracking_number = "1Z" + record.event_id.substr(0, 16);
            record.weight_g = 612.5;
            record.expected_weight_g = 620.0;
            record.packaging = "BOX-S";
            record.packer =
                packer_name(mixed_ ? packer(random_) : station_index / (kStations / kPackers));
            record.confirmed_at_ms = at;
            record.sent_at_ms = at;
            record.sequence = index + 1;
            record.payload = shipment_payload_;
            if (with_started) {
                hub::StationEventRecord started =
                    event(record.station, "packing_started", at - 2 * kMinute, order_id);
                started.packer = record.packer;
                batch.emplace_back(std::move(started));
            }
            batch.emplace_back(std::move(record));
            if (batch.size() >= kBatch && !ingest(batch, until_ms, error)) return false;
        }
        const char* const kinds[] = {"exception", "exception", "exception", "override",
                                     "manual_entry"};
        std::uniform_int_distribution<int> kind(0, 4);
        for (int index = 0; index < kSupervisorEventsPerShift; ++index) {
            // The current shift's list starts with a few from the shift before.
            const std::int64_t at = !with_started && index < kSupervisorEventsPerShift / 10
                                        ? from_ms - 1 - index * kMinute / 10
                                        : when(random_);
            batch.emplace_back(event(station_name(station(random_)), kinds[kind(random_)], at,
                                     "SO-" + std::to_string(index)));
            if (batch.size() >= kBatch && !ingest(batch, until_ms, error)) return false;
        }
        return ingest(batch, until_ms, error);
    }

    hub::StationEventRecord event(const std::string& station, const std::string& kind,
                                  std::int64_t sent_at_ms, const std::string& order_id) {
        hub::StationEventRecord record;
        record.event_id = hub::new_event_id();
        record.site = "ams1";
        record.station = station;
        record.kind = kind;
        record.order_id = order_id;
        record.parcel_id = 42;
        record.packer = "packer-1";
        record.sent_at_ms = sent_at_ms;
        record.sequence = ++event_sequence_;
        json payload = {{"kind", kind}};
        if (kind == "exception") {
            record.check = "contents";
            record.reason = "contents.wrong_variant";
            record.message = "Order wants Red/M, you scanned Red/L";
            payload["details"] = json::array({{{"key", "expected"}, {"value", "TEE-RED-M"}},
                                              {{"key", "scanned"}, {"value", "TEE-RED-L"}}});
        } else if (kind == "override") {
            record.check = "customer";
            record.reason = "customer.phone_invalid";
            record.supervisor = "SUP-1";
            payload["override_reason"] = "verified-by-phone";
        } else if (kind == "manual_entry") {
            record.message = "typed 4006381333931";
            payload["details"] = json::array({{{"key", "code"}, {"value", "4006381333931"}},
                                              {{"key", "step"}, {"value", "scanning"}}});
        }
        record.payload = payload.dump();
        return record;
    }

    // Every station's latest status; the offline ones sent one while online
    // and then went away (their will), so the dashboard shows their last
    // picture too.
    bool fill_statuses(std::string& error) {
        const std::vector<std::string> sites = {"ams1"};
        std::vector<hub::StationRecord> online;
        std::vector<hub::StationRecord> wills;
        const auto record = [&](int index, bool offline, hub::StationRecord& into) {
            auto message = testing::status_message("ams1", station_name(index), 1000 + index,
                                                   offline ? kNow - kHour : kNow - 20000, offline);
            message.body["packer"] = packer_name(index / (kStations / kPackers));
            auto decision = hub::decide_ingest(message.topic, message.payload(), sites);
            if (decision.verdict != hub::IngestVerdict::Accepted)
                return failed(error, "status refused: " + decision.reason);
            into = std::get<hub::StatusRecord>(decision.record);
            return true;
        };
        for (int index = 0; index < kStations; ++index) {
            if (!record(index, false, online.emplace_back())) return false;
            const bool offline = index % (kStations / kOfflineStations) == 0 &&
                                 index / (kStations / kOfflineStations) < kOfflineStations;
            if (offline && !record(index, true, wills.emplace_back())) return false;
        }
        return ingest(online, kNow - kHour - 19000, error) && ingest(wills, kNow - 19000, error);
    }

    bool fill_orders(std::string& error) {
        json body = testing::mqtt_fixture("order.json");
        body.erase("ship_by_ms");
        body.erase("created_at_ms");
        std::uniform_int_distribution<std::int64_t> deadline(kNow - 72 * kHour, kNow + 48 * kHour);
        // The first 1,000 were shipped complete in this shift.
        const int first = order_counter_ - 1000;
        for (int index = 0; index < kOrders; ++index) {
            json order = body;
            order["order_id"] = "SO-" + std::to_string(first + index);
            order["status"] = index % 50 == 0 ? "on_hold" : index % 97 == 0 ? "cancelled" : "open";
            const int dating = index % 20;
            if (dating < 16) {
                order["ship_by_ms"] = deadline(random_);
            } else if (dating < 19) {
                order["created_at_ms"] = deadline(random_) - 24 * kHour;
            }  // else: no date at all
            const Status put =
                store_->put_catalogue({hub::CatalogueKind::Order, "ams1",
                                       order["order_id"].get<std::string>(), order.dump(), kShift});
            if (!put) return failed(error, put.error().to_string());
            ++rows_;
        }
        return true;
    }

    int history_days_;
    bool mixed_;
    std::mt19937_64 random_;
    std::filesystem::path dir_;
    std::string path_;
    std::unique_ptr<hub::HubStore> store_;
    std::unique_ptr<hub::DashboardQueries> queries_;
    const std::string shipment_payload_ = testing::mqtt_fixture("shipment.json").dump();
    int order_counter_ = 0;
    std::int64_t event_sequence_ = 0;
    std::int64_t rows_ = 0;
    double fill_seconds_ = 0;
};

// One database per history length, filled once per process.
HubFixture* fixture(int history_days, bool mixed, std::string& error) {
    static std::map<std::pair<int, bool>, std::unique_ptr<HubFixture>> fixtures;
    auto& slot = fixtures[{history_days, mixed}];
    if (!slot) {
        auto made = std::make_unique<HubFixture>(history_days, mixed);
        if (!made->fill(error)) return nullptr;
        slot = std::move(made);
    }
    return slot.get();
}

void BM_Snapshot(benchmark::State& state) {
    std::string error;
    HubFixture* hub = fixture(static_cast<int>(state.range(0)), state.range(1) != 0, error);
    if (hub == nullptr) {
        state.SkipWithError(error.c_str());
        return;
    }
    const hub::DashboardWindow window{kNow, kShift, 24, 200};
    std::size_t bytes = 0;
    for (auto _ : state) {
        auto snapshot = hub->queries().snapshot_json(window);
        if (!snapshot) {
            state.SkipWithError(snapshot.error().to_string().c_str());
            break;
        }
        bytes = snapshot->size();
        benchmark::DoNotOptimize(snapshot);
    }
    // What the document holds, once (to check the data set is the one meant).
    const auto document = json::parse(*hub->queries().snapshot_json(window));
    state.counters["snapshot_bytes"] = static_cast<double>(bytes);
    state.counters["rows"] = static_cast<double>(hub->rows());
    state.counters["db_MB"] = hub->database_bytes() / 1e6;
    state.counters["fill_s"] = hub->fill_seconds();
    state.counters["shift_shipments"] = document["totals"]["shipments_in_shift"].get<double>();
    state.counters["listed_orders"] = document["ship_by"]["listed"].get<double>();
    state.counters["stations_offline"] = document["totals"]["stations_offline"].get<double>();
}

void BM_DataVersion(benchmark::State& state) {
    std::string error;
    HubFixture* hub = fixture(0, false, error);
    if (hub == nullptr) {
        state.SkipWithError(error.c_str());
        return;
    }
    for (auto _ : state) {
        auto version = hub->queries().data_version();
        if (!version) {
            state.SkipWithError(version.error().to_string().c_str());
            break;
        }
        benchmark::DoNotOptimize(*version);
    }
}

BENCHMARK(BM_Snapshot)
    ->ArgNames({"history_days", "mixed"})
    ->Args({0, 0})
    ->Args({0, 1})
    ->Args({7, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_DataVersion)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
