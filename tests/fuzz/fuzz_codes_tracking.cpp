// Arbitrary bytes as tracking numbers: no crash, and every answer is
// consistent (valid <=> no reason; a check-digit format on every verified one).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "packline/station/tracking.h"

namespace {
void require(bool condition) {
    if (!condition) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace packline::station;
    const std::string_view raw(reinterpret_cast<const char*>(data), size);

    const TrackingCheck detected = check_tracking_number(raw);
    require(detected.valid == detected.reason.empty());
    require(!detected.message.empty());
    if (detected.valid) {
        require(detected.carrier != Carrier::Unknown);
        // Detection is stable: the carrier it found accepts the number too.
        require(check_tracking_number(raw, detected.carrier).valid);
        // Normalising twice changes nothing.
        require(normalize_tracking_number(detected.number) == detected.number);
    }
    // The first byte picks an expected carrier, so every branch gets exercised.
    if (size > 0) {
        const auto expected = static_cast<Carrier>(data[0] % 11);
        const TrackingCheck check = check_tracking_number(raw.substr(1), expected);
        require(check.valid == check.reason.empty());
    }
    return 0;
}
