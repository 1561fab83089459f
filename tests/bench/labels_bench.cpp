// Label rendering budget (DESIGN.md): ZPL label render <= 1 ms.
#include <benchmark/benchmark.h>

#include "packline/labels/shipping_label.h"
#include "packline/labels/zpl_inspect.h"

namespace {

packline::labels::ShippingLabel sample() {
    packline::labels::ShippingLabel label;
    label.order_id = "SO-10001";
    label.parcel_sequence = 1;
    label.parcel_count = 2;
    label.recipient_name = "佐藤花子";
    label.phone = "+81 3-1234-5678";
    label.address_lines = {"千代田1-1", "Marunouchi Building 12F"};
    label.city = "千代田区";
    label.region = "東京都";
    label.postal_code = "100-0001";
    label.country = "JP";
    label.sender_name = "Packline Demo Warehouse";
    label.sender_address = "1 Bench Road, Test City";
    label.carrier_name = "UPS";
    label.service = "standard";
    label.tracking_number = "1Z5R89390357567127";
    label.weight_g = 812;
    label.station = "bench-3";
    return label;
}

void BM_RenderZpl(benchmark::State& state) {
    const auto label = sample();
    std::size_t bytes = 0;
    for (auto _ : state) {
        auto zpl = packline::labels::render_zpl(label);
        if (!zpl.ok()) {
            state.SkipWithError(zpl.error().message.c_str());
            break;
        }
        bytes = zpl.value().size();
        benchmark::DoNotOptimize(zpl);
    }
    state.counters["label_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_RenderZpl)->Unit(benchmark::kMicrosecond);

void BM_InspectZpl(benchmark::State& state) {
    const auto zpl = packline::labels::render_zpl(sample());
    for (auto _ : state)
        benchmark::DoNotOptimize(packline::labels::inspect_zpl(zpl.value()));
}
BENCHMARK(BM_InspectZpl)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
