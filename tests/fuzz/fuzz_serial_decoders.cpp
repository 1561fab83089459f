// Random bytes in random splits through every serial stream decoder (the five
// names make_serial_decoder knows): nothing may crash, every reading is finite
// and names its device, a scan is never empty and never holds CR or LF, and
// replies stay bounded. The first input byte seeds the split sizes.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "packline/drivers/serial_decoders.h"

namespace {
using namespace packline::drivers;
namespace hw = packline::hardware;

void require(bool condition) {
    if (!condition) std::abort();
}

void check(const std::vector<hw::DeviceEvent>& events) {
    for (const auto& event : events) {
        if (const auto* reading = std::get_if<hw::WeightReading>(&event)) {
            require(std::isfinite(reading->grams));
            require(reading->device == "fuzz");
        } else if (const auto* scan = std::get_if<hw::ScanEvent>(&event)) {
            require(!scan->data.empty());
            require(scan->data.find_first_of("\r\n") == std::string::npos);
            require(scan->data.size() <= LineScannerDecoder::kMaxLine);
            require(scan->device == "fuzz");
        } else if (const auto* status = std::get_if<hw::DeviceStatusEvent>(&event)) {
            require(!status->detail.empty());
        }
    }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::uint32_t state = data[0] * 2654435761u + 1u;
    const std::span<const std::uint8_t> bytes(data + 1, size - 1);
    for (const char* protocol : {"mt-sics", "nci", "toledo", "cas", "line-scanner"}) {
        auto made = make_serial_decoder(protocol, "fuzz");
        require(made.ok());
        SerialDecoder& decoder = *made.value();
        std::vector<hw::DeviceEvent> events;
        std::size_t offset = 0;
        std::int64_t at = 0;
        while (offset < bytes.size()) {
            state = state * 1103515245u + 12345u;
            const std::size_t chunk = (state >> 16) % 40u + 1u;
            const std::size_t take = chunk < bytes.size() - offset ? chunk : bytes.size() - offset;
            events.clear();
            decoder.feed(bytes.subspan(offset, take), at++, events);
            check(events);
            require(decoder.take_replies().size() <= SerialDecoder::kMaxReplies);
            offset += take;
            if ((state & 0xFFu) == 0) decoder.reset();  // a reconnect now and then
        }
    }
    return 0;
}
