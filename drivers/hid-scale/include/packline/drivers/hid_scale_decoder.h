// StreamDecoder for HID POS scales: one feed() = one Scale Data Report as the
// transport read it (devices.md §1.1). Wraps HidScaleStream, so the first
// report after construction and after every reset() is dropped as stale
// (§1.2), and unit + exponent are decoded on every report (§1.2 Dymo unit
// flip). Header-only so the replay device can use it without libusb.
//
// Thread-bound: owned by one thread (the USB event thread, or a replay).
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "packline/drivers/hid_scale_report.h"
#include "packline/drivers/stream_decoder.h"

namespace packline::drivers {

class HidScaleDecoder final : public StreamDecoder {
  public:
    explicit HidScaleDecoder(std::string device) : stream_(std::move(device)) {}

    void feed(std::span<const std::uint8_t> bytes, std::int64_t at_ms,
              std::vector<hardware::DeviceEvent>& out) override {
        auto reading = stream_.feed(bytes);
        if (!reading) return;
        reading->at_ms = at_ms;
        out.emplace_back(std::move(*reading));
    }

    void reset() override { stream_.reset(); }

    // Why the latest report gave no reading (nullopt: it did, or was stale).
    const std::optional<Error>& last_error() const { return stream_.last_error(); }

  private:
    HidScaleStream stream_;
};

}  // namespace packline::drivers
