// Arbitrary bytes from /dev/input/eventN through the keyboard-wedge decoder:
// nothing may crash, no scan may exceed max_length, none may be empty, and the
// parser must consume whole records only. The first input byte picks the
// options so every layout and GS mode gets fuzzed; every fourth event is
// followed by a tick at that event's time (plus a pause taken from its value).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>

#include "packline/drivers/wedge_decoder.h"

namespace {
void require(bool condition) {
    if (!condition) std::abort();
}

void check_scan(const std::optional<std::string>& scan, std::size_t max_length) {
    if (!scan) return;
    require(!scan->empty());
    require(scan->size() <= max_length);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace packline::drivers;
    if (size == 0) return 0;
    const std::uint8_t selector = data[0];
    const std::span<const std::uint8_t> bytes(data + 1, size - 1);

    WedgeOptions options;
    options.layout = static_cast<KeyboardLayout>(selector % 3);
    options.tab_terminates = (selector & 0x04) != 0;
    options.gs_on_f12 = (selector & 0x08) != 0;
    if ((selector & 0x10) != 0) options.gs_substitute = '~';
    options.max_length = (selector & 0x20) != 0 ? 8 : 64;
    options.inter_key_timeout = std::chrono::milliseconds{(selector & 0x40) != 0 ? 0 : 80};

    const ParsedInputEvents parsed = parse_input_events(bytes);
    require(parsed.consumed % kInputEventSize == 0);
    require(parsed.consumed <= bytes.size());
    require(bytes.size() - parsed.consumed < kInputEventSize);
    require(parsed.events.size() == parsed.consumed / kInputEventSize);

    WedgeDecoder decoder(options);
    std::size_t count = 0;
    for (const KeyEvent& event : parsed.events) {
        check_scan(decoder.feed(event), options.max_length);
        if (++count % 4 == 0) {
            const auto pause =
                static_cast<std::int64_t>(static_cast<std::uint32_t>(event.value) % 200'000u);
            check_scan(decoder.tick(event.at_us), options.max_length);
            const auto later = static_cast<std::int64_t>(static_cast<std::uint64_t>(event.at_us) +
                                                         static_cast<std::uint64_t>(pause));
            check_scan(decoder.tick(later), options.max_length);
        }
    }
    require(decoder.dropped() >= 0);
    require(decoder.unknown_keys() >= 0);
    decoder.reset();
    check_scan(decoder.tick(0), options.max_length);
    return 0;
}
