// Label rendering budgets (DESIGN.md, issue 4): ZPL <= 1 ms, PNG 4x6 in at
// 203 dpi <= 15 ms, PDF <= 30 ms. Every template and format, for a Latin and
// a Chinese order (CJK text goes to ZPL as bitmaps).
#include <benchmark/benchmark.h>

#include "label_samples.h"
#include "packline/labels/render.h"
#include "packline/labels/template.h"
#include "packline/labels/zpl_inspect.h"

namespace {

using namespace packline::labels;

LabelData sample(const std::string& name) {
    for (auto& s : packline::test::label_samples())
        if (s.name == name) return s.data;
    return {};
}

void BM_Render(benchmark::State& state, const std::string& template_name,
               const std::string& sample_name, LabelFormat format) {
    auto label_template = load_template(template_name);
    if (!label_template.ok()) {
        state.SkipWithError(label_template.error().message.c_str());
        return;
    }
    const LabelData data = sample(sample_name);
    std::size_t bytes = 0;
    for (auto _ : state) {
        auto rendered = render_label(*label_template, data, format);
        if (!rendered.ok()) {
            state.SkipWithError(rendered.error().message.c_str());
            break;
        }
        bytes = rendered->bytes.size();
        benchmark::DoNotOptimize(rendered);
    }
    state.counters["bytes"] = static_cast<double>(bytes);
}

void BM_InspectZpl(benchmark::State& state) {
    auto label_template = load_template(kDefaultTemplate);
    const auto zpl = render_label(*label_template, sample("latin"), LabelFormat::Zpl);
    for (auto _ : state)
        benchmark::DoNotOptimize(inspect_zpl(zpl->bytes));
}
BENCHMARK(BM_InspectZpl)->Unit(benchmark::kMicrosecond);

int register_all() {
    for (const auto& info : list_templates()) {
        auto label_template = load_template(info.name);
        if (!label_template.ok()) continue;
        for (const char* sample_name : {"latin", "chinese"}) {
            for (LabelFormat format : {LabelFormat::Zpl, LabelFormat::Png, LabelFormat::Pdf}) {
                if (!label_template->allows(to_string(format))) continue;
                const std::string name = "BM_Render/" + info.name + "/" + sample_name + "/" +
                                         std::string(to_string(format));
                benchmark::RegisterBenchmark(name.c_str(), BM_Render, info.name,
                                             std::string(sample_name), format)
                    ->Unit(benchmark::kMillisecond);
            }
        }
    }
    return 0;
}
const int registered = register_all();

}  // namespace

BENCHMARK_MAIN();
