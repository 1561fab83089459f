// Arbitrary scanner bytes through every barcode parser: none may crash, and the
// results must hold their promises (no control characters in payloads, a GTIN
// key is 14 digits with a valid check digit).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "packline/station/barcode.h"
#include "packline/station/gs1.h"

namespace {
void require(bool condition) {
    if (!condition) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace packline::station;
    const std::string_view raw(reinterpret_cast<const char*>(data), size);

    const ScanData scan = parse_scan(raw);
    for (char c : scan.payload) {
        const auto byte = static_cast<unsigned char>(c);
        require(byte >= 0x20 || c == kGroupSeparator);
        require(byte != 0x7f);
    }
    if (const auto product = parse_product_scan(scan); product.ok()) {
        require(!product->code.empty());
        if (product->is_gtin)
            require(product->code.size() == 14 && gs1_check_digit_valid(product->code));
    } else {
        require(!product.error().code.empty());
    }

    if (const auto elements = parse_gs1(raw); elements.ok()) {
        require(!elements->empty());
        const auto again = parse_gs1_bracketed(to_bracketed(*elements));
        require(again.ok() && *again == *elements);
    }
    (void)parse_gs1_bracketed(raw);
    (void)normalize_barcode(raw);
    (void)expand_upc_e(raw);
    return 0;
}
