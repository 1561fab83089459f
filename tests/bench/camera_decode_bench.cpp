// Decode time of one 1280x720 camera frame (DESIGN.md budget: <= 20 ms with
// the needed formats), per content and per format set. Frames are BGR, as
// VideoCapture delivers them, so the grey conversion is included.
#include <benchmark/benchmark.h>

#include <chrono>
#include <string>
#include <vector>

#include "camera_images.h"
#include "packline/drivers/camera_decode.h"

namespace {

using packline::drivers::BarcodeFormat;
using packline::drivers::DecodeOptions;
namespace zx = ZXing;

enum class Content { Code128, Qr, Ean13, Nothing };

cv::Mat frame_with(Content content) {
    cv::Mat label;
    switch (content) {
        case Content::Code128:
            label = packline::testing::encode_barcode(zx::BarcodeFormat::Code128,
                                                      L"1Z999AA10123456784", 560, 140);
            break;
        case Content::Qr:
            label = packline::testing::encode_barcode(
                zx::BarcodeFormat::QRCode, L"{\"order\":4711,\"station\":\"S01\"}", 220, 220);
            break;
        case Content::Ean13:
            label = packline::testing::encode_barcode(zx::BarcodeFormat::EAN13, L"4006381333931",
                                                      320, 160);
            break;
        case Content::Nothing:
            break;
    }
    cv::Mat colour;
    cv::cvtColor(packline::testing::scene(label, {420, 200}), colour, cv::COLOR_GRAY2BGR);
    return colour;
}

DecodeOptions options_for(int set) {
    DecodeOptions options;
    switch (set) {
        case 0:  // the station's default set, all ZXing aids
            break;
        case 1:
            options.formats = {BarcodeFormat::Code128};
            break;
        case 2:
            options.formats = {BarcodeFormat::QrCode, BarcodeFormat::DataMatrix};
            break;
        case 3:
            options.formats = {BarcodeFormat::Code128, BarcodeFormat::Ean13, BarcodeFormat::Ean8,
                               BarcodeFormat::UpcA, BarcodeFormat::UpcE};
            break;
        case 4:  // default set without try-harder/rotate/downscale
            options.try_harder = false;
            options.try_rotate = false;
            options.try_downscale = false;
            break;
        default:
            break;
    }
    return options;
}

const char* kSetNames[] = {"default", "code128", "qr+datamatrix", "linear", "default-fast"};
const char* kContentNames[] = {"code128", "qr", "ean13", "nothing"};

void BM_DecodeFrame(benchmark::State& state) {
    const auto content = static_cast<Content>(state.range(0));
    const int set = static_cast<int>(state.range(1));
    const cv::Mat frame = frame_with(content);
    const DecodeOptions options = options_for(set);
    std::size_t found = 0;
    double total_ms = 0;
    for (auto _ : state) {
        const auto start = std::chrono::steady_clock::now();
        const auto barcodes = packline::testing::decode(frame, options);
        total_ms +=
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count();
        found = barcodes.size();
        benchmark::DoNotOptimize(barcodes.data());
    }
    state.SetLabel(std::string(kContentNames[state.range(0)]) + " / " + kSetNames[set] +
                   " found=" + std::to_string(found));
    // Wall-clock milliseconds per frame, printed as a plain number.
    state.counters["ms_per_frame"] = total_ms / static_cast<double>(state.iterations());
}

BENCHMARK(BM_DecodeFrame)
    ->ArgsProduct({{0, 1, 2, 3}, {0, 1, 2, 3, 4}})
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
