// Station latency budgets (DESIGN.md), measured on the real store on disk:
//   scan -> verdict with the store committed      p99 <= 2 ms
//   last check passed -> label job handed over     <= 100 ms
//   parcel confirmation commit (FULL) + outbox     p99 <= 20 ms
// Each iteration packs one whole parcel; every step is timed on its own and
// the percentiles are reported as counters (microseconds).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "bench_support.h"
#include "packline/hardware/bounded_queue.h"
#include "packline/hardware/queue_sink.h"
#include "packline/hardware/simulated_label_printer.h"
#include "packline/labels/label_code.h"
#include "packline/station/barcode.h"
#include "packline/station/packing_station.h"
#include "packline/station/store.h"

namespace {

using namespace packline;
using Clock = std::chrono::steady_clock;

class LastVerdict final : public station::StationObserver {
  public:
    void on_verdict(const station::Verdict& verdict) override { last = verdict; }
    station::Verdict last;
};

void BM_PackParcel(benchmark::State& state) {
    const auto dir = testing::bench_dir("bench");
    station::StationConfig config;
    config.database = (dir / "station.db").string();
    auto opened = station::Store::open(config.database);
    if (!opened.ok()) {
        state.SkipWithError(opened.error().message.c_str());
        return;
    }
    station::Store& store = *opened.value();

    station::ImportBatch batch;
    const char* codes[] = {"4006381333931", "4006381333948", "036000291452"};
    for (int i = 0; i < 3; ++i) {
        station::Sku sku;
        sku.sku = "SKU-" + std::to_string(i);
        sku.name = sku.sku;
        sku.style = "S" + std::to_string(i);
        sku.unit_weight_g = 100.0 * (i + 1);
        sku.barcodes = {station::normalize_barcode(codes[i])};
        batch.skus.push_back(sku);
    }
    const int parcels = 20000;
    std::vector<std::string> pool;
    for (int i = 0; i < parcels; ++i) {
        station::Order order;
        order.id = "B-" + std::to_string(i);
        order.recipient = {
            "Jane Doe", "+1 415-555-0132", {{"1 Market St"}, "San Francisco", "CA", "94105", "US"}};
        order.carrier = "sf";
        order.lines = {{"SKU-0", 1}, {"SKU-1", 1}, {"SKU-2", 1}};
        batch.orders.push_back(order);
        char number[32];
        std::snprintf(number, sizeof number, "SF%013d", 1000000 + i);
        pool.emplace_back(number);
    }
    if (!store.import(batch).ok() || !store.add_pool_numbers("sf", pool).ok()) {
        state.SkipWithError("could not load the benchmark orders");
        return;
    }

    hardware::BoundedQueue<hardware::DeviceEvent> queue(64);
    hardware::QueueSink sink(queue);
    hardware::SimulatedLabelPrinter printer("printer");
    (void)printer.open(sink);
    station::PackingStation station(store, config, station::StationDevices{&printer, nullptr});
    LastVerdict screen;
    const auto subscription = station.add_observer(screen);

    std::vector<double> scan_us;
    std::vector<double> label_us;
    std::vector<double> confirm_us;
    auto timed = [](auto&& step) {
        const auto start = Clock::now();
        step();
        return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
    };
    int next = 0;
    for (auto _ : state) {
        if (next >= parcels) {
            state.SkipWithError("ran out of prepared orders");
            break;
        }
        const std::string order = "B-" + std::to_string(next++);
        scan_us.push_back(timed([&] { station.handle(hardware::ScanEvent{"s", order, 0}); }));
        for (const char* code : codes)
            scan_us.push_back(timed([&] { station.handle(hardware::ScanEvent{"s", code, 0}); }));
        // Weight accepted -> tracking check -> ZPL rendered -> job handed over.
        label_us.push_back(timed([&] {
            station.handle(
                hardware::WeightReading{"scale", 750, hardware::WeightStatus::Stable, 0});
        }));
        while (station.parcel()->state == station::ParcelState::Printing)
            if (auto event = queue.pop_for(std::chrono::milliseconds(100))) station.handle(*event);
        const std::string qr =
            "]Q1" + labels::label_code_payload(order, station.parcel()->tracking_number);
        confirm_us.push_back(timed([&] { station.handle(hardware::ScanEvent{"s", qr, 0}); }));
        if (screen.last.kind != station::VerdictKind::Confirmed) {
            state.SkipWithError(("parcel not confirmed: " + screen.last.message).c_str());
            break;
        }
    }
    state.counters["scan_p50_us"] = testing::percentile(scan_us, 0.50);
    state.counters["scan_p99_us"] = testing::percentile(scan_us, 0.99);
    state.counters["label_handoff_p50_us"] = testing::percentile(label_us, 0.50);
    state.counters["label_handoff_p99_us"] = testing::percentile(label_us, 0.99);
    state.counters["confirm_p50_us"] = testing::percentile(confirm_us, 0.50);
    state.counters["confirm_p99_us"] = testing::percentile(confirm_us, 0.99);
    state.SetItemsProcessed(state.iterations());
    printer.close();
    std::filesystem::remove_all(dir);
}
BENCHMARK(BM_PackParcel)->Unit(benchmark::kMillisecond)->Iterations(2000);

}  // namespace

BENCHMARK_MAIN();
