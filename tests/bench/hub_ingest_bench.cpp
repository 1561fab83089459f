// Hub ingest rate (issue 5, "Figures"): shipment confirmations stored and
// acknowledged per second.
//   BM_StoreIngest/<batch>: decide_ingest + HubStore::ingest (one
//     synchronous=FULL transaction per batch) + the ack message per batch,
//     no broker: the store's ceiling for that batch size.
//   BM_BrokerIngest/<n>: n confirmations published by one station client
//     (QoS 1, at most 256 unacknowledged, like the outbox drain's window) through a private
//     mosquitto to a running Hub, until every one is acknowledged "stored": the whole path.
// Counter: messages_per_s (stored and acknowledged per second of wall time).
// The database goes to $PACKLINE_BENCH_DIR or the temp directory.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "bench_support.h"
#include "hub_test_rig.h"
#include "mosquitto_broker.h"
#include "packline/hub/event_ids.h"
#include "packline/hub/hub_store.h"
#include "packline/hub/ingest.h"
#include "packline/sync/objects.h"

namespace {

using namespace packline;
using Clock = std::chrono::steady_clock;

// A confirmation as a station sends it (tests/fixtures/mqtt/shipment.json).
std::string shipment_payload(const std::string& event_id, int index) {
    const nlohmann::json body = {
        {"schema", "packline.shipment/1"},
        {"event_id", event_id},
        {"sent_at_ms", 1795000000000 + index},
        {"sequence", index + 1},
        {"site", "ams1"},
        {"station", "bench-3"},
        {"order_id", "SO-" + std::to_string(index)},
        {"parcel_id", index + 1},
        {"parcel_sequence", 1},
        {"partial", false},
        {"carrier", "ups"},
        {"tracking_number", "1Z5R89390357567127"},
        {"weight_g", 612.5},
        {"expected_weight_g", 620.0},
        {"packaging", "BOX-S"},
        {"items", {{{"sku", "TEE-RED-L"}, {"barcode", "04006381333931"}}}},
        {"packer", "ana"},
        {"confirmed_at_ms", 1795000000000 + index},
        {"evidence",
         {{"label_job_id", "sim-1"},
          {"label_attempts", 1},
          {"checks", {{"customer", "passed"}, {"contents", "passed"}, {"express", "passed"}}},
          {"overrides", nlohmann::json::array()}}}};
    return body.dump();
}

const std::string kTopic = "packline/v1/ams1/stations/bench-3/shipments";
// Confirmations in flight (published, not yet acknowledged), at most.
constexpr std::size_t kWindow = 256;

void BM_StoreIngest(benchmark::State& state) {
    const auto batch_size = static_cast<std::size_t>(state.range(0));
    const std::filesystem::path dir = testing::bench_dir("hub-bench");
    auto store = hub::HubStore::open((dir / "hub.db").string(), 1);
    if (!store) {
        state.SkipWithError(store.error().to_string().c_str());
        return;
    }
    const std::vector<std::string> sites = {"ams1"};
    int index = 0;
    std::int64_t messages = 0;
    double seconds = 0.0;
    for (auto _ : state) {
        std::vector<std::string> payloads;
        for (std::size_t n = 0; n < batch_size; ++n)
            payloads.push_back(shipment_payload(hub::new_event_id(), index++));
        const auto start = Clock::now();
        std::vector<hub::StationRecord> records;
        std::vector<sync::Ack> acks;
        for (const std::string& payload : payloads) {
            auto decision = hub::decide_ingest(kTopic, payload, sites);
            acks.push_back({decision.event_id, sync::AckResult::Stored, ""});
            records.emplace_back(std::move(std::get<hub::ShipmentRecord>(decision.record)));
        }
        auto outcomes = (*store)->ingest(records, 1);
        if (!outcomes) {
            state.SkipWithError(outcomes.error().to_string().c_str());
            break;
        }
        auto ack = sync::ack_json(acks, {hub::new_event_id(), 1, 0});
        benchmark::DoNotOptimize(ack);
        seconds += std::chrono::duration<double>(Clock::now() - start).count();
        messages += static_cast<std::int64_t>(batch_size);
    }
    state.counters["messages_per_s"] = seconds > 0 ? static_cast<double>(messages) / seconds : 0;
    store->reset();
    std::filesystem::remove_all(dir);
}

void BM_BrokerIngest(benchmark::State& state) {
    const int count = static_cast<int>(state.range(0));
    testing::MosquittoBroker broker;
    if (!broker.running()) {
        state.SkipWithError(broker.error().c_str());
        return;
    }
    const std::filesystem::path dir = testing::bench_dir("hub-bench");
    auto options = testing::hub_test_options(broker.uri(), "bench");
    options.log = nullptr;
    std::string error;
    auto hub = testing::make_hub(options, (dir / "hub.db").string(), &error);
    if (!hub) {
        state.SkipWithError(error.c_str());
        return;
    }
    testing::TestStation station(broker.uri(), "ams1", "bench-3");
    if (!hub->start() || !station.client().start() ||
        !hub->wait_connected(std::chrono::seconds(15)) ||
        !station.client().wait_connected(std::chrono::seconds(15))) {
        state.SkipWithError("no connection to the private broker");
        return;
    }
    std::vector<std::pair<std::string, std::string>> messages;
    for (int index = 0; index < count; ++index) {
        const std::string id = hub::new_event_id();
        messages.emplace_back(id, shipment_payload(id, index));
    }
    double seconds = 0.0;
    for (auto _ : state) {
        const auto start = Clock::now();
        std::size_t published = 0;
        int failures = 0;
        std::string last_failure;
        for (const auto& [id, payload] : messages) {
            // Like the outbox drain: at most kWindow unacknowledged (a broker
            // drops QoS 1 messages beyond a client's queue limit, mosquitto's
            // max_queued_messages defaults to 1000).
            while (published - station.acked_count() >= kWindow)
                std::this_thread::sleep_for(std::chrono::microseconds(200));
            // QoS 1 without waiting; while Paho's queue is full, again.
            Status sent = station.client().publish(kTopic, payload);
            for (int attempt = 0; !sent && attempt < 1000; ++attempt) {
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
                sent = station.client().publish(kTopic, payload);
            }
            if (!sent) {
                ++failures;
                last_failure = sent.error().to_string();
            }
            ++published;
        }
        if (!testing::eventually(
                [&] { return station.acked_count() >= static_cast<std::size_t>(count); },
                std::chrono::seconds(30))) {
            const std::string why = "acknowledged " + std::to_string(station.acked_count()) +
                                    " of " + std::to_string(count) + "; hub: " + hub->summary() +
                                    "; publish failures " + std::to_string(failures) + " " +
                                    last_failure;
            state.SkipWithError(why.c_str());
            break;
        }
        seconds = std::chrono::duration<double>(Clock::now() - start).count();
    }
    state.counters["messages_per_s"] = seconds > 0 ? count / seconds : 0;
    state.counters["ack_messages"] = static_cast<double>(station.ack_messages());
    (void)hub->stop();
    hub.reset();
    std::filesystem::remove_all(dir);
}

BENCHMARK(BM_StoreIngest)->Arg(1)->Arg(100)->Arg(500)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_BrokerIngest)->Arg(5000)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
