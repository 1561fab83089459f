// Per-report decode cost of every device family, through the same
// StreamDecoder the live transport and the replay driver use (bytes in,
// events out, including building the event). Budget context: a HID scale
// sends ~10 reports/s and a scanner a few codes/s, so anything under a few
// microseconds per report is noise next to the station's 2 ms scan budget.
#include <benchmark/benchmark.h>

#include <cstring>
#include <string>
#include <vector>

#include "packline/drivers/registry.h"

namespace {

using packline::drivers::make_decoder;

std::vector<std::uint8_t> bytes(const std::string& text) {
    return {text.begin(), text.end()};
}

void run(benchmark::State& state, const std::string& family,
         const std::vector<std::vector<std::uint8_t>>& reports) {
    auto decoder = make_decoder(family, "bench");
    if (!decoder.ok()) {
        state.SkipWithError(decoder.error().message.c_str());
        return;
    }
    std::vector<packline::hardware::DeviceEvent> events;
    std::int64_t at = 1'700'000'000'000;
    std::size_t produced = 0;
    for (auto _ : state) {
        for (const auto& report : reports) {
            decoder.value()->feed(report, at++, events);
            produced += events.size();
            events.clear();
        }
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(reports.size()));
    state.counters["events_per_report"] = benchmark::Counter(
        static_cast<double>(produced) /
        (static_cast<double>(state.iterations()) * static_cast<double>(reports.size())));
}

void HidScaleReport(benchmark::State& state) {
    run(state, "hid-scale",
        {{0x03, 0x04, 0x0B, 0xFF, 0x98, 0x00}, {0x03, 0x04, 0x02, 0x00, 0xF4, 0x01}});
}

void HidScannerReport(benchmark::State& state) {
    std::vector<std::uint8_t> report(64, 0);
    report[0] = 0x02;
    const std::string code = "]C10100012345678905";
    report[1] = static_cast<std::uint8_t>(code.size());
    std::memcpy(report.data() + 2, code.data(), code.size());
    run(state, "hid-scanner", {report});
}

void MtSicsLine(benchmark::State& state) {
    run(state, "mt-sics", {bytes("S S     100.00 g\r\n")});
}

void NciFrame(benchmark::State& state) {
    run(state, "nci", {bytes("\n0001.25LB\r\n00\r\x03")});
}

void CasLine(benchmark::State& state) {
    run(state, "cas", {bytes("ST,GS,+  1.500kg\r\n")});
}

void ToledoFrame(benchmark::State& state) {
    // STX SWA SWB SWC, 6-digit weight, 6-digit tare, CR, checksum: the
    // checksum makes the 7-bit sum of all 18 bytes zero.
    std::string frame =
        "\x02"
        "4"
        "0"
        " "
        "001234"
        "000000"
        "\r";
    unsigned sum = 0;
    for (char c : frame)
        sum += static_cast<unsigned char>(c);
    frame.push_back(static_cast<char>((128 - (sum & 0x7F)) & 0x7F));
    run(state, "toledo", {bytes(frame)});
}

void LineScanner(benchmark::State& state) {
    run(state, "line-scanner", {bytes("]E00012345678905\r\n")});
}

// One 13-digit scan typed by a wedge scanner: press+SYN and release+SYN per
// key (4 input_event records, 96 bytes) as one read, then Enter.
void EvdevScan(benchmark::State& state) {
    auto record = [](std::uint16_t type, std::uint16_t code, std::int32_t value) {
        std::vector<std::uint8_t> out(24, 0);
        std::memcpy(out.data() + 16, &type, 2);
        std::memcpy(out.data() + 18, &code, 2);
        std::memcpy(out.data() + 20, &value, 4);
        return out;
    };
    std::vector<std::vector<std::uint8_t>> reads;
    const std::uint16_t digits[] = {11, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 2, 3};  // 0123456789012
    for (std::uint16_t key : digits) {
        std::vector<std::uint8_t> read;
        for (auto part : {record(1, key, 1), record(0, 0, 0), record(1, key, 0), record(0, 0, 0)})
            read.insert(read.end(), part.begin(), part.end());
        reads.push_back(read);
    }
    auto enter = record(1, 28, 1);
    reads.push_back(enter);
    run(state, "evdev", reads);
}

BENCHMARK(HidScaleReport);
BENCHMARK(HidScannerReport);
BENCHMARK(MtSicsLine);
BENCHMARK(NciFrame);
BENCHMARK(CasLine);
BENCHMARK(ToledoFrame);
BENCHMARK(LineScanner);
BENCHMARK(EvdevScan);

}  // namespace

BENCHMARK_MAIN();
