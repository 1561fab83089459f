// Arbitrary text as a device recording (they arrive attached to bug reports).
// Nothing may crash; a recording that parses formats back to text that parses
// to the same chunks, and its offsets never go backwards.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "packline/drivers/recording.h"

namespace {
void require(bool condition) {
    if (!condition) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace packline::drivers;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto recording = parse_recording(text);
    if (!recording.ok()) {
        require(!recording.error().message.empty());
        return 0;
    }
    std::int64_t previous = 0;
    for (const RecordedChunk& chunk : recording.value().chunks) {
        require(chunk.offset_ms >= previous);
        previous = chunk.offset_ms;
        require((chunk.kind == RecordedChunk::Kind::Data) == !chunk.bytes.empty());
    }
    auto again = parse_recording(format_recording(recording.value()));
    require(again.ok());
    require(again.value().chunks.size() == recording.value().chunks.size());
    for (std::size_t i = 0; i < again.value().chunks.size(); ++i)
        require(again.value().chunks[i].bytes == recording.value().chunks[i].bytes);
    return 0;
}
