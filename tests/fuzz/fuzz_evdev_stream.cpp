// Arbitrary bytes from /dev/input/eventN, cut into arbitrary chunks with
// arbitrary ticks in between, through EvdevDecoder: nothing may crash, every
// scan is non-empty, no longer than max_length and names the device, and the
// remainder kept between chunks is always less than one record.
//
// Input layout: byte 0 picks the options (layout, Tab, GS mode, max length,
// timeout); then a stream of commands. Each command byte c:
//   c % 4 == 0,1 -> feed the next (c >> 2) % 64 bytes (possibly mid-record)
//   c % 4 == 2   -> tick, the clock advances by (c >> 2) * 3 ms
//   c % 4 == 3   -> the clock advances by (c >> 2) ms; every 16th such: reset()
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "packline/drivers/evdev_decoder.h"

namespace {
void require(bool condition) {
    if (!condition) std::abort();
}

void check(const std::vector<packline::hardware::DeviceEvent>& events, std::size_t max_length) {
    for (const auto& event : events) {
        const auto* scan = std::get_if<packline::hardware::ScanEvent>(&event);
        require(scan != nullptr);
        require(!scan->data.empty());
        require(scan->data.size() <= max_length);
        require(scan->device == "fuzz");
    }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace packline::drivers;
    if (size == 0) return 0;
    const std::uint8_t selector = data[0];
    static constexpr const char* kLayouts[] = {"us", "de", "fr"};

    EvdevDecoderOptions options;
    options.layout = kLayouts[selector % 3];
    options.tab_terminates = (selector & 0x04) != 0;
    options.gs_on_f12 = (selector & 0x08) != 0;
    if ((selector & 0x10) != 0) options.gs_substitute = "~";
    options.max_length = (selector & 0x20) != 0 ? 8 : 256;
    options.inter_key_timeout_ms = (selector & 0x40) != 0 ? 1 : 80;
    auto made = make_evdev_decoder("fuzz", options);
    require(made.ok());
    auto& decoder = dynamic_cast<EvdevDecoder&>(*made.value());

    std::span<const std::uint8_t> rest(data + 1, size - 1);
    std::int64_t now_ms = (selector & 0x80) != 0 ? -5'000 : 1'700'000'000'000;
    std::vector<packline::hardware::DeviceEvent> out;
    int pauses = 0;
    while (!rest.empty()) {
        const std::uint8_t command = rest.front();
        rest = rest.subspan(1);
        const unsigned argument = command >> 2u;
        switch (command % 4u) {
            case 0:
            case 1: {
                const std::size_t take = std::min<std::size_t>(argument % 64u, rest.size());
                decoder.feed(rest.first(take), now_ms, out);
                rest = rest.subspan(take);
                require(decoder.pending_bytes() < kInputEventSize);
                break;
            }
            case 2:
                now_ms += static_cast<std::int64_t>(argument) * 3;
                decoder.tick(now_ms, out);
                break;
            default:
                now_ms += argument;
                if (++pauses % 16 == 0) {
                    decoder.reset();
                    require(decoder.pending_bytes() == 0);
                }
                break;
        }
        check(out, options.max_length);
        out.clear();
    }
    decoder.tick(now_ms + 100'000, out);
    check(out, options.max_length);
    return 0;
}
