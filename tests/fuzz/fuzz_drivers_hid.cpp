// Arbitrary bytes as a sequence of HID reports through both HID POS parsers:
// the scale report parser (direct and through HidScaleStream) and the scanner
// packet assembler. Framing: each report is one length byte followed by that
// many bytes (a short tail is taken as it is). Nothing may crash, every
// reading must have finite grams, every scan must be non-empty and within
// kHidScannerMaxScanLength, and an answer and an error never come together.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>

#include "packline/drivers/hid_scale_report.h"
#include "packline/drivers/hid_scanner_report.h"

namespace {
void require(bool condition) {
    if (!condition) std::abort();
}

bool has_prefix(const std::string& text, std::string_view prefix) {
    return text.compare(0, prefix.size(), prefix) == 0;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace packline::drivers;
    const std::span<const std::uint8_t> input(data, size);
    HidScaleStream stream("fuzz-scale");
    HidScannerAssembler assembler;

    std::size_t offset = 0;
    while (offset < input.size()) {
        const std::size_t wanted = input[offset];
        ++offset;
        const std::size_t length = wanted < input.size() - offset ? wanted : input.size() - offset;
        const auto report = input.subspan(offset, length);
        offset += length;

        auto parsed = parse_hid_scale_report(report);
        if (parsed) {
            auto reading = to_weight_reading(*parsed, "fuzz-scale");
            require(reading.ok());
            require(std::isfinite(reading->grams));
            require(!hid_scale_status_text(parsed->status).empty());
        } else {
            require(has_prefix(parsed.error().code, "hid_scale."));
        }

        auto streamed = stream.feed(report);
        if (streamed) {
            require(std::isfinite(streamed->grams));
            require(!stream.last_error().has_value());
        }

        auto scan = assembler.feed(report);
        if (scan) {
            require(!scan->empty());
            require(scan->size() <= kHidScannerMaxScanLength);
            require(!assembler.last_error().has_value());
        } else if (auto error = assembler.last_error()) {
            require(has_prefix(error->code, "hid_scanner."));
        }
    }
    return 0;
}
