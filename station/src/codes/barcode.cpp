// Scanner output -> product lookup key. AIM identifiers per ISO/IEC 15424 as
// listed in ../shared/reference/devices.md §2.3 (gs1/gs1-syntax-engine scandata.c).
#include "packline/station/barcode.h"

#include <algorithm>
#include <optional>

#include "packline/station/code_errors.h"

namespace packline::station {
namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_letter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool all_digits(std::string_view text) {
    return std::all_of(text.begin(), text.end(), is_digit);
}

bool is_control(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
}

std::string_view trim(std::string_view text) {
    const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && is_space(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && is_space(text.back()))
        text.remove_suffix(1);
    return text;
}

struct AimMeaning {
    Symbology symbology;
    bool gs1;
};

// The code character names the symbology; the modifier says whether FNC1 was in
// first position, i.e. whether the data is a GS1 element string.
AimMeaning aim_meaning(char code, char modifier, std::string_view payload) {
    switch (code) {
        case 'C':
            if (modifier == '1') return {Symbology::Gs1_128, true};
            return {Symbology::Code128, false};
        case 'E':
            // ]E0 carries EAN-13, UPC-A and UPC-E, normally as 13 digits; some
            // scanners drop the leading zero of UPC-A (12) or send UPC-E as 8.
            if (modifier == '4') return {Symbology::Ean8, false};
            if (modifier == '0') {
                if (payload.size() == 8) return {Symbology::UpcE, false};
                if (payload.size() == 12) return {Symbology::UpcA, false};
                if (payload.size() == 13 && payload.front() == '0') return {Symbology::UpcA, false};
            }
            return {Symbology::Ean13, false};
        case 'e':
            return {Symbology::DataBar, modifier == '0'};
        case 'A':
            return {Symbology::Code39, false};
        case 'I':
            return {Symbology::Itf, false};
        case 'd':
            if (modifier == '2') return {Symbology::Gs1DataMatrix, true};
            return {Symbology::DataMatrix, false};
        case 'Q':
            if (modifier == '3') return {Symbology::Gs1Qr, true};
            return {Symbology::QrCode, false};
        case 'J':
            if (modifier == '1') return {Symbology::Gs1DotCode, true};
            return {Symbology::DotCode, false};
        default:
            return {Symbology::Unknown, false};
    }
}

const Gs1Element* find_element(const std::vector<Gs1Element>& elements, std::string_view ai) {
    for (const Gs1Element& element : elements)
        if (element.ai == ai) return &element;
    return nullptr;
}

}  // namespace

std::string_view to_string(Symbology symbology) {
    return hardware::symbology_name(symbology);
}

ScanData parse_scan(std::string_view raw) {
    std::string cleaned;
    cleaned.reserve(raw.size());
    for (char c : raw)
        if (!is_control(c) || c == kGroupSeparator) cleaned += c;

    ScanData scan;
    std::string_view payload = cleaned;
    if (payload.size() >= 3 && payload[0] == ']' && is_letter(payload[1]) &&
        (is_digit(payload[2]) || is_letter(payload[2]))) {
        scan.aim_id = std::string(payload.substr(0, 3));
        payload.remove_prefix(3);
        const AimMeaning meaning = aim_meaning(scan.aim_id[1], scan.aim_id[2], payload);
        scan.symbology = meaning.symbology;
        scan.gs1 = meaning.gs1;
    }
    // FNC1 in first position sent as GS: the data is GS1 whatever the AIM id says.
    if (!payload.empty() && payload.front() == kGroupSeparator) {
        scan.gs1 = true;
        while (!payload.empty() && payload.front() == kGroupSeparator)
            payload.remove_prefix(1);
    }
    scan.payload = std::string(payload);
    return scan;
}

bool is_gtin(std::string_view code) {
    const std::size_t length = code.size();
    if (length != 8 && length != 12 && length != 13 && length != 14) return false;
    return gs1_check_digit_valid(code);
}

std::string normalize_barcode(std::string_view code) {
    const std::string_view trimmed = trim(code);
    if (is_gtin(trimmed)) return std::string(14 - trimmed.size(), '0') + std::string(trimmed);
    return std::string(trimmed);
}

std::string expand_upc_e(std::string_view upce) {
    if (!all_digits(upce) || upce.size() < 6 || upce.size() > 8) return {};
    const char number_system = upce.size() == 6 ? '0' : upce[0];
    if (number_system != '0' && number_system != '1') return {};
    const std::string_view d = upce.size() == 6 ? upce : upce.substr(1, 6);

    // UPC-E zero suppression: the last data digit says where the zeros were.
    std::string body(1, number_system);
    switch (d[5]) {
        case '0':
        case '1':
        case '2':
            body += std::string{d[0], d[1], d[5]} + "0000" + std::string(d.substr(2, 3));
            break;
        case '3':
            body += std::string(d.substr(0, 3)) + "00000" + std::string(d.substr(3, 2));
            break;
        case '4':
            body += std::string(d.substr(0, 4)) + "00000" + std::string(1, d[4]);
            break;
        default:
            body += std::string(d.substr(0, 5)) + "0000" + std::string(1, d[5]);
            break;
    }
    const std::optional<char> check = gs1_compute_check_digit(body);
    if (!check) return {};
    if (upce.size() == 8 && upce[7] != *check) return {};
    return body + *check;
}

Result<ProductScan> parse_product_scan(const ScanData& scan) {
    const std::string_view payload = scan.payload;
    if (payload.size() > kMaxPayloadBytes)
        return Error(errors::kBarcodeGarbage, "the scan is " + std::to_string(payload.size()) +
                                                  " bytes long; a product code has at most " +
                                                  std::to_string(kMaxPayloadBytes));
    for (char c : payload)
        if (is_control(c) && c != kGroupSeparator)
            return Error(errors::kBarcodeGarbage,
                         "the scan contains control characters; scan again");

    const std::string_view trimmed = trim(payload);
    const bool only_separators =
        std::all_of(trimmed.begin(), trimmed.end(), [](char c) { return c == kGroupSeparator; });
    if (trimmed.empty() || only_separators)
        return Error(errors::kBarcodeEmpty, "the scan is empty");

    ProductScan product;
    if (scan.gs1 || trimmed.find(kGroupSeparator) != std::string_view::npos) {
        auto elements = parse_gs1(trimmed);
        if (!elements) return elements.error().context("GS1 barcode");
        product.elements = std::move(elements).value();
        const Gs1Element* gtin = find_element(product.elements, "01");
        if (gtin == nullptr) gtin = find_element(product.elements, "02");
        if (gtin == nullptr)
            return Error(errors::kBarcodeNoGtin, "GS1 barcode " + to_bracketed(product.elements) +
                                                     " has no GTIN (AI 01 or 02) to look up");
        product.code = gtin->value;
        product.is_gtin = true;
        if (const Gs1Element* serial = find_element(product.elements, "21"))
            product.serial = serial->value;
        if (const Gs1Element* lot = find_element(product.elements, "10")) product.lot = lot->value;
        if (const Gs1Element* expiry = find_element(product.elements, "17"))
            product.expiry = expiry->value;
        return product;
    }

    if (scan.symbology == Symbology::UpcE) {
        const std::string upca = expand_upc_e(trimmed);
        if (!upca.empty()) {
            product.code = normalize_barcode(upca);
            product.is_gtin = true;
            return product;
        }
    }
    product.code = normalize_barcode(trimmed);
    product.is_gtin = is_gtin(trimmed);
    return product;
}

}  // namespace packline::station
