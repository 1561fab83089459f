// The StreamDecoder for keyboard-wedge scanners: raw bytes read from
// /dev/input/eventN (24-byte input_event records, any split) -> ScanEvents.
// It wraps parse_input_events + WedgeDecoder (wedge_decoder.h) and is what both
// the evdev transport and the replay device feed.
//
// Clocks: the kernel stamps each record with its own clock (CLOCK_REALTIME by
// default, or whatever a recording captured days ago), while feed()/tick() get
// the caller's clock. Mixing them would end scans at random, so the decoder
// only trusts the kernel stamps for gaps *within* one chunk: the last complete
// record of a chunk is placed at `at_ms`, earlier ones before it by their
// kernel gaps, and times never run backwards. tick(now_ms) then compares like
// with like.
//
// Thread-bound: one thread at a time (the transport's or the replay's).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "packline/drivers/stream_decoder.h"
#include "packline/drivers/wedge_decoder.h"
#include "packline/error.h"

namespace packline::drivers {

// Decoding settings as a configuration file spells them, e.g.
//   layout = "de", gs_substitute = "~", inter_key_timeout_ms = 80
struct EvdevDecoderOptions {
    std::string layout = "us";               // "us", "de" or "fr" (scanner's keyboard country)
    bool tab_terminates = true;              // Enter and KP-Enter always end a scan
    std::int64_t inter_key_timeout_ms = 80;  // silence that ends a scan without terminator
    std::string gs_substitute;               // "" = none, else one ASCII character -> GS (0x1D)
    bool gs_on_f12 = false;                  // "function key emulation": F12 types GS
    std::size_t max_length = 4096;           // longer scans are dropped
};

// Checks and converts the settings ("layout: unknown 'xx' (want us, de or fr)").
Result<WedgeOptions> to_wedge_options(const EvdevDecoderOptions& options);

class EvdevDecoder final : public StreamDecoder {
  public:
    EvdevDecoder(std::string device_id, WedgeOptions options);

    void feed(std::span<const std::uint8_t> bytes, std::int64_t at_ms,
              std::vector<hardware::DeviceEvent>& out) override;
    void tick(std::int64_t now_ms, std::vector<hardware::DeviceEvent>& out) override;
    void reset() override;

    const WedgeDecoder& wedge() const { return wedge_; }
    // Bytes of an incomplete record waiting for the rest (0..23).
    std::size_t pending_bytes() const { return pending_.size(); }

  private:
    void post(std::optional<std::string> scan, std::int64_t at_ms,
              std::vector<hardware::DeviceEvent>& out) const;

    std::string device_id_;
    WedgeDecoder wedge_;
    std::vector<std::uint8_t> pending_;
    std::optional<std::int64_t> last_us_;  // last placed event time, caller's clock
};

// For the replay device and the registry: settings -> a ready decoder, or the
// settings error with context ("evdev decoder: gs_substitute: ...").
Result<std::unique_ptr<StreamDecoder>> make_evdev_decoder(std::string device_id,
                                                          const EvdevDecoderOptions& options);

}  // namespace packline::drivers
