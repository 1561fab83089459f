#include "packline/drivers/evdev_decoder.h"

#include <algorithm>
#include <utility>

#include "packline/base_errors.h"

namespace packline::drivers {

namespace {

// A chunk never spans more than this much device time in practice (the kernel
// buffers a few hundred events); larger gaps are clock jumps or garbage.
constexpr std::uint64_t kMaxGapUs = 60'000'000;
// Keeps milliseconds * 1000 far from overflow (about 31,000 years either way).
constexpr std::int64_t kClockLimitMs = 1'000'000'000'000'000;

std::int64_t to_microseconds(std::int64_t ms) {
    return std::clamp(ms, -kClockLimitMs, kClockLimitMs) * 1000;
}

}  // namespace

Result<WedgeOptions> to_wedge_options(const EvdevDecoderOptions& options) {
    WedgeOptions wedge;
    const auto layout = keyboard_layout_from_name(options.layout);
    if (!layout)
        return Error(errors::kConfigInvalid,
                     "layout: unknown '" + options.layout + "' (want us, de or fr)");
    wedge.layout = *layout;
    if (options.inter_key_timeout_ms < 1 || options.inter_key_timeout_ms > 10'000)
        return Error(errors::kConfigInvalid,
                     "inter_key_timeout_ms: " + std::to_string(options.inter_key_timeout_ms) +
                         " is outside 1..10000");
    wedge.inter_key_timeout = std::chrono::milliseconds{options.inter_key_timeout_ms};
    if (!options.gs_substitute.empty()) {
        const char substitute = options.gs_substitute.front();
        const auto code = static_cast<unsigned char>(substitute);
        if (options.gs_substitute.size() != 1 || code < 0x20 || code > 0x7e)
            return Error(errors::kConfigInvalid, "gs_substitute: '" + options.gs_substitute +
                                                     "' is not one printable ASCII character");
        wedge.gs_substitute = substitute;
    }
    wedge.tab_terminates = options.tab_terminates;
    wedge.gs_on_f12 = options.gs_on_f12;
    if (options.max_length == 0)
        return Error(errors::kConfigInvalid, "max_length: must be above 0");
    wedge.max_length = options.max_length;
    return wedge;
}

EvdevDecoder::EvdevDecoder(std::string device_id, WedgeOptions options)
    : device_id_(std::move(device_id)), wedge_(std::move(options)) {}

void EvdevDecoder::post(std::optional<std::string> scan, std::int64_t at_ms,
                        std::vector<hardware::DeviceEvent>& out) const {
    if (!scan) return;
    out.emplace_back(hardware::ScanEvent{device_id_, std::move(*scan), at_ms});
}

void EvdevDecoder::feed(std::span<const std::uint8_t> bytes, std::int64_t at_ms,
                        std::vector<hardware::DeviceEvent>& out) {
    pending_.insert(pending_.end(), bytes.begin(), bytes.end());
    ParsedInputEvents parsed = parse_input_events(pending_);
    if (!parsed.events.empty()) {
        const std::int64_t base_us = to_microseconds(at_ms);
        const std::int64_t last_kernel_us = parsed.events.back().at_us;
        for (KeyEvent& event : parsed.events) {
            std::uint64_t gap = 0;
            if (event.at_us < last_kernel_us)
                gap = std::min(static_cast<std::uint64_t>(last_kernel_us) -
                                   static_cast<std::uint64_t>(event.at_us),
                               kMaxGapUs);
            std::int64_t placed = base_us - static_cast<std::int64_t>(gap);
            if (last_us_) placed = std::max(placed, *last_us_);
            last_us_ = placed;
            event.at_us = placed;
            post(wedge_.feed(event), at_ms, out);
        }
    }
    pending_.erase(pending_.begin(),
                   pending_.begin() + static_cast<std::ptrdiff_t>(parsed.consumed));
}

void EvdevDecoder::tick(std::int64_t now_ms, std::vector<hardware::DeviceEvent>& out) {
    post(wedge_.tick(to_microseconds(now_ms)), now_ms, out);
}

void EvdevDecoder::reset() {
    wedge_.reset();
    pending_.clear();
    last_us_.reset();
}

Result<std::unique_ptr<StreamDecoder>> make_evdev_decoder(std::string device_id,
                                                          const EvdevDecoderOptions& options) {
    auto wedge = to_wedge_options(options);
    if (!wedge.ok()) return wedge.error().context("evdev decoder");
    return std::unique_ptr<StreamDecoder>(
        std::make_unique<EvdevDecoder>(std::move(device_id), std::move(wedge).value()));
}

}  // namespace packline::drivers
