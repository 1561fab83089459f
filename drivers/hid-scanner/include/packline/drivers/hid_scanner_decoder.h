// StreamDecoder for HID POS scanners: one feed() = one input report, report id
// included (devices.md §2.1). Wraps HidScannerAssembler and emits one
// ScanEvent per complete (possibly multi-packet) code. Header-only so the
// replay device can use it without libusb.
//
// Thread-bound: owned by one thread (the USB event thread, or a replay).
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "packline/drivers/hid_scanner_report.h"
#include "packline/drivers/stream_decoder.h"

namespace packline::drivers {

class HidScannerDecoder final : public StreamDecoder {
  public:
    explicit HidScannerDecoder(std::string device) : device_(std::move(device)) {}

    void feed(std::span<const std::uint8_t> bytes, std::int64_t at_ms,
              std::vector<hardware::DeviceEvent>& out) override {
        auto scan = assembler_.feed(bytes);
        if (!scan) return;
        out.emplace_back(hardware::ScanEvent{device_, std::move(*scan), at_ms});
    }

    void reset() override { assembler_.reset(); }

    // Why the latest report ended no scan (nullopt: fine, or more to come).
    std::optional<Error> last_error() const { return assembler_.last_error(); }

  private:
    std::string device_;
    HidScannerAssembler assembler_;
};

}  // namespace packline::drivers
