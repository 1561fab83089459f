// Outbox drain budget (DESIGN.md): to a local broker, QoS 1, hub-acknowledged,
// >= 2,000 confirmations/s. One iteration drains N outbox rows from the real
// Store on disk through a private mosquitto to a fake hub that acknowledges
// in batches (tests/support/mqtt_fake_hub.h), with the default window (64).
// Counters: confirmations_per_s (rows retired by a hub ack per second of
// wall time, from the first publication to the last ack), and p50/p99/max
// latency from a row's first publication to its acknowledgement being
// applied to the outbox (milliseconds); to_hub_p50_ms is the first leg
// alone. BM_DrainMemoryToHub keeps the rows in memory: the network path
// without SQLite. The broker runs mosquitto's defaults (no set_tcp_nodelay).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <unordered_map>

#include "bench_support.h"
#include "mosquitto_broker.h"
#include "mqtt_fake_hub.h"
#include "packline/station/store.h"
#include "packline/sync/mqtt_client.h"
#include "packline/sync/outbox_drain.h"
#include "store_outbox_source.h"
#include "sync_drain_rig.h"

namespace {

using namespace packline;
using Clock = std::chrono::steady_clock;

// The event id of one of fill_outbox()'s payloads: {"event_id":"...",...}.
std::string event_id_of(std::string_view payload) {
    const auto start = payload.find("\"event_id\":\"");
    if (start == std::string_view::npos) return "";
    return std::string(payload.substr(start + 12, 36));
}

// Times every row from its first publication to its acknowledgement. Both
// calls come from the drain's pump thread.
class TimingTap final : public sync::MessagePublisher, public sync::OutboxSource {
  public:
    TimingTap(sync::MessagePublisher& publisher, sync::OutboxSource& source)
        : publisher_(publisher), source_(source) {}

    Status publish(std::string_view topic, std::string_view payload) override {
        const Status published = publisher_.publish(topic, payload);
        if (published) {
            std::lock_guard lock(mutex_);
            first_publication_.try_emplace(event_id_of(payload), Clock::now());
        }
        return published;
    }
    Result<std::vector<sync::OutboxRow>> pending(int limit) override {
        return source_.pending(limit);
    }
    Status delivered(std::string_view event_id, std::int64_t at_ms) override {
        const Status applied = source_.delivered(event_id, at_ms);
        std::lock_guard lock(mutex_);
        if (const auto found = first_publication_.find(std::string(event_id));
            applied && found != first_publication_.end()) {
            latencies_ms_.push_back(
                std::chrono::duration<double, std::milli>(Clock::now() - found->second).count());
            last_ack_ = Clock::now();
        }
        return applied;
    }
    Status rejected(std::string_view event_id, std::string_view reason,
                    std::int64_t at_ms) override {
        return source_.rejected(event_id, reason, at_ms);
    }
    Status attempted(std::string_view event_id) override { return source_.attempted(event_id); }

    std::vector<double> latencies_ms() const {
        std::lock_guard lock(mutex_);
        return latencies_ms_;
    }
    Clock::time_point first_publication() const {
        std::lock_guard lock(mutex_);
        auto first = Clock::time_point::max();
        for (const auto& [id, at] : first_publication_)
            first = std::min(first, at);
        return first;
    }
    Clock::time_point publication_of(const std::string& event_id) const {
        std::lock_guard lock(mutex_);
        const auto found = first_publication_.find(event_id);
        return found == first_publication_.end() ? Clock::time_point{} : found->second;
    }
    Clock::time_point last_ack() const {
        std::lock_guard lock(mutex_);
        return last_ack_;
    }

  private:
    sync::MessagePublisher& publisher_;
    sync::OutboxSource& source_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Clock::time_point> first_publication_;
    std::vector<double> latencies_ms_;
    Clock::time_point last_ack_{};
};

// `use_store`: the rows live in the real Store (as in the station); otherwise
// in memory, which shows what the network path alone costs.
void drain_to_hub(benchmark::State& state, bool use_store) {
    const int rows = static_cast<int>(state.range(0));
    if (auto missing = testing::MosquittoBroker::missing_tool()) {
        state.SkipWithError(missing->c_str());
        return;
    }
    for (auto _ : state) {
        state.PauseTiming();
        const auto dir = testing::bench_dir("sync-bench");
        const std::string database = (dir / "station.db").string();
        testing::MemoryOutbox memory;
        if (!use_store) memory.add(rows);
        if (use_store) {
            auto store = station::Store::open(database);
            std::string error;
            if (!store || testing::fill_outbox(**store, testing::kTestSite, testing::kTestStation,
                                               rows, error)
                                  .size() != static_cast<std::size_t>(rows)) {
                state.SkipWithError(("fill outbox: " + error).c_str());
                return;
            }
        }
        testing::MosquittoBroker broker;
        if (!broker.running()) {
            state.SkipWithError(broker.error().c_str());
            return;
        }
        sync::MqttSettings settings = testing::test_settings(broker.uri());
        testing::StoreOutboxSource store_source(database, testing::kTestStation);

        // The station side, as StationSide wires it, with the tap between.
        std::unique_ptr<sync::OutboxDrain> drain;
        sync::MqttHandlers handlers;
        handlers.message = [&](std::string_view topic, std::string_view payload) {
            if (drain) drain->handle_inbound(topic, payload);
        };
        handlers.connection = [&](bool connected) {
            if (drain) drain->post_connection(connected);
        };
        std::int64_t sequence = 0;
        handlers.next_envelope = [&] {
            return sync::Envelope{station::new_event_id(), testing::StationSide::now_ms(),
                                  ++sequence};
        };
        auto client = sync::MqttClient::create(
            settings, {testing::kTestSite, testing::kTestStation}, "bench", std::move(handlers));
        if (!client) {
            state.SkipWithError(client.error().to_string().c_str());
            return;
        }
        TimingTap tap(**client, use_store ? static_cast<sync::OutboxSource&>(store_source)
                                          : static_cast<sync::OutboxSource&>(memory));
        drain = std::make_unique<sync::OutboxDrain>(tap, tap, settings);

        testing::FakeHub hub(broker.uri());
        hub.start_connect();
        (void)(*client)->start();
        const Status connected = (*client)->wait_connected(std::chrono::seconds(15));
        if (!connected || !hub.finish_connect().empty()) {
            state.SkipWithError("connect failed");
            return;
        }
        state.ResumeTiming();

        // The sync thread's loop, on this thread.
        const auto deadline = Clock::now() + std::chrono::seconds(120);
        while (drain->stats().delivered < rows && Clock::now() < deadline) {
            drain->wait_for_work(std::chrono::milliseconds(200));
            (void)drain->pump();
        }

        state.PauseTiming();
        const sync::DrainStats stats = drain->stats();
        const std::vector<double> latencies = tap.latencies_ms();
        const double seconds =
            std::chrono::duration<double>(tap.last_ack() - tap.first_publication()).count();
        // The first leg alone: publication to arrival at the hub.
        std::vector<double> to_hub;
        for (const auto& arrival : hub.arrivals())
            to_hub.push_back(std::chrono::duration<double, std::milli>(
                                 arrival.at - tap.publication_of(arrival.event_id))
                                 .count());
        state.counters["to_hub_p50_ms"] = testing::percentile(to_hub, 0.50);
        state.counters["rows"] = static_cast<double>(rows);
        state.counters["confirmations_per_s"] =
            seconds > 0 ? static_cast<double>(stats.delivered) / seconds : 0.0;
        state.counters["p50_ms"] = testing::percentile(latencies, 0.50);
        state.counters["p99_ms"] = testing::percentile(latencies, 0.99);
        state.counters["max_ms"] = testing::percentile(latencies, 1.0);
        state.counters["republished"] = static_cast<double>(stats.republished);
        state.counters["ack_messages"] = static_cast<double>(hub.ack_messages_sent());
        if (stats.delivered < rows)
            state.SkipWithError(("only " + std::to_string(stats.delivered) + " of " +
                                 std::to_string(rows) + " acknowledged")
                                    .c_str());
        (void)(*client)->stop();
        drain.reset();
        std::filesystem::remove_all(dir);
        state.ResumeTiming();
    }
}
void BM_DrainStoreToHub(benchmark::State& state) {
    drain_to_hub(state, true);
}
void BM_DrainMemoryToHub(benchmark::State& state) {
    drain_to_hub(state, false);
}
BENCHMARK(BM_DrainStoreToHub)
    ->Arg(5000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_DrainMemoryToHub)
    ->Arg(5000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
