// The pure half of every byte-speaking driver: bytes in, device events out.
//
// A transport (libusb, evdev fd, termios fd) reads what the device sends and
// hands it, unchanged, to a StreamDecoder; the replay device hands it the bytes
// of a recording instead. So a driver cannot tell a real device from a replayed
// one, and a recording from a real bench reproduces its bug in a test.
//
// Thread-bound: a decoder is used by one thread at a time (the transport's).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "packline/hardware/events.h"

namespace packline::drivers {

class StreamDecoder {
  public:
    virtual ~StreamDecoder() = default;

    // `bytes` is one unit as the transport received it: one HID input report,
    // a chunk of serial bytes (any split), or a run of whole or partial evdev
    // input_event records. Decoded events are appended to `out`.
    virtual void feed(std::span<const std::uint8_t> bytes, std::int64_t at_ms,
                      std::vector<hardware::DeviceEvent>& out) = 0;

    // Time passes without bytes: lets a decoder end a scan on an inter-key
    // timeout, or notice a scale that stopped talking. Default: nothing.
    virtual void tick(std::int64_t now_ms, std::vector<hardware::DeviceEvent>& out) {
        (void)now_ms;
        (void)out;
    }

    // The device went away or came back: forget partial frames and any
    // "first report is stale" state.
    virtual void reset() = 0;
};

}  // namespace packline::drivers
