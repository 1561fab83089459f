// What a scan means: AIM symbology identifiers, GTIN normalisation and the
// lookup key a product scan resolves to. Sources: ../shared/reference/devices.md
// §2.3 (AIM identifiers, GS for FNC1) and "GS1" (check digits, AIs).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "packline/error.h"
#include "packline/hardware/symbology.h"
#include "packline/station/gs1.h"

namespace packline::station {

// The product's one list of symbologies (hardware/symbology.h).
using Symbology = hardware::Symbology;

// "code128", "gs1-128", "ean13", ... ; "unknown" for Symbology::Unknown.
std::string_view to_string(Symbology symbology);

struct ScanData {
    std::string aim_id;  // "]C1", or empty when the scanner sent none
    Symbology symbology = Symbology::Unknown;
    std::string payload;  // without AIM id, suffix and control characters
                          // (GS kept: it separates GS1 elements)
    bool gs1 = false;     // payload is a GS1 element string
};

// Splits raw scanner output into AIM identifier and payload. Removes the
// trailing suffix (CR, LF, TAB) and every control character except GS. A
// payload that starts with GS (FNC1 sent as GS) is GS1 data; that GS is removed.
ScanData parse_scan(std::string_view raw);

// The lookup key for a product code: a GTIN-8/12/13/14 with a valid check digit
// becomes 14 digits, zero-padded, so UPC-A 036000291452 and EAN-13
// 0036000291452 give the same key. Anything else (wrong check digit, other
// lengths, internal codes) comes back trimmed but otherwise unchanged: internal
// codes are case-sensitive.
std::string normalize_barcode(std::string_view code);

// True when `code` is 8, 12, 13 or 14 digits with a valid GS1 check digit.
bool is_gtin(std::string_view code);

// UPC-E to UPC-A (12 digits). Accepts 8 digits (number system 0 or 1, six data
// digits, check digit, which must be right), 7 digits (number system + six data
// digits) and 6 digits (number system 0 implied). Empty when invalid.
std::string expand_upc_e(std::string_view upce);

struct ProductScan {
    std::string
        code;  // lookup key: GTIN-14 from AI 01/02 or a normalised EAN/UPC, else the payload
    bool is_gtin = false;
    std::string serial;                // AI 21
    std::string lot;                   // AI 10
    std::string expiry;                // AI 17, YYMMDD as printed
    std::vector<Gs1Element> elements;  // every GS1 element, in scan order
};

// Longest payload accepted as a product code; longer input is a misread or a
// stuck scanner, not a product.
inline constexpr std::size_t kMaxPayloadBytes = 512;

// Errors: barcode.empty, barcode.garbage (control characters other than GS, or
// longer than kMaxPayloadBytes), barcode.no_gtin (GS1 data without AI 01/02),
// and the gs1.* codes of parse_gs1.
Result<ProductScan> parse_product_scan(const ScanData& scan);

}  // namespace packline::station
