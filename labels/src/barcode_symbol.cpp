#define ZX_USE_UTF8 1
#include "barcode_symbol.h"

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <array>
#include <exception>

#include "packline/labels/label_errors.h"
#include "packline/text.h"

namespace packline::labels {
namespace {

// ZXing-cpp 1.4's Code 128 writer reads U+00F1 as FNC1.
constexpr std::string_view kZxingFnc1 = "\xC3\xB1";
// MultiFormatWriter's 0..8 scale: 5 and 6 are QR level Q (25 % recovery).
constexpr int kQrLevelQ = 5;

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

std::size_t digit_run(std::string_view data, std::size_t from) {
    std::size_t end = from;
    while (end < data.size() && is_digit(data[end]))
        ++end;
    return end - from;
}

}  // namespace

Status check_barcode_data(Symbology symbology, std::string_view data) {
    if (data.empty()) return Error(errors::kLabelBadField, "barcode data is empty");
    switch (symbology) {
        case Symbology::Code128:
            if (data.size() > 48)
                return Error(errors::kLabelBadField, "Code 128 data over 48 characters");
            for (char c : data)
                if (c < 0x20 || c > 0x7E || c == '^' || c == '~' || c == '>')
                    return Error(errors::kLabelBadField,
                                 "Code 128 data must be printable ASCII without ^ ~ >");
            return {};
        case Symbology::Gs1_128:
            if (data.size() > 48 || digit_run(data, 0) != data.size())
                return Error(errors::kLabelBadField, "GS1-128 data must be digits (AI and value)");
            return {};
        case Symbology::QrCode:
        case Symbology::DataMatrix: {
            if (data.size() > 300)
                return Error(errors::kLabelBadField, "2D code data over 300 bytes");
            std::size_t pos = 0;
            while (pos < data.size()) {
                char32_t code_point = 0;
                if (!text::next_code_point(data, pos, code_point))
                    return Error(errors::kLabelBadField, "2D code data is not UTF-8");
                if (code_point < 0x20 || code_point == 0x7F || code_point == U'^' ||
                    code_point == U'~')
                    return Error(errors::kLabelBadField,
                                 "2D code data must not hold ^ ~ or control characters");
            }
            return {};
        }
        default:
            break;
    }
    return Error(errors::kLabelBadField, "a label prints code128, gs1-128, qr or datamatrix, not " +
                                             std::string(hardware::symbology_name(symbology)));
}

Result<Symbol> encode_symbol(Symbology symbology, std::string_view data) {
    if (auto status = check_barcode_data(symbology, data); !status) return status.error();
    ZXing::BarcodeFormat format = ZXing::BarcodeFormat::Code128;
    std::string contents(data);
    Symbol symbol;
    switch (symbology) {
        case Symbology::Code128:
            symbol.quiet_modules = 10;
            break;
        case Symbology::Gs1_128:
            contents = std::string(kZxingFnc1) + contents;
            symbol.quiet_modules = 10;
            break;
        case Symbology::QrCode:
            format = ZXing::BarcodeFormat::QRCode;
            symbol.quiet_modules = 4;
            break;
        case Symbology::DataMatrix:
            format = ZXing::BarcodeFormat::DataMatrix;
            symbol.quiet_modules = 1;
            break;
        default:  // check_barcode_data refused it
            break;
    }
    try {
        ZXing::MultiFormatWriter writer(format);
        writer.setMargin(0);
        if (symbology == Symbology::QrCode) writer.setEccLevel(kQrLevelQ);
        bool ascii = true;
        for (char c : contents)
            ascii = ascii && static_cast<unsigned char>(c) < 0x80;
        if (!ascii && symbology != Symbology::Gs1_128)
            writer.setEncoding(ZXing::CharacterSet::UTF8);
        const ZXing::BitMatrix matrix = writer.encode(contents, 0, 0);
        symbol.linear = symbology == Symbology::Code128 || symbology == Symbology::Gs1_128;
        symbol.columns = matrix.width();
        symbol.rows = symbol.linear ? 1 : matrix.height();
        symbol.dark.resize(static_cast<std::size_t>(symbol.columns * symbol.rows));
        for (int row = 0; row < symbol.rows; ++row)
            for (int column = 0; column < symbol.columns; ++column)
                symbol.dark[static_cast<std::size_t>(row * symbol.columns + column)] =
                    matrix.get(column, row) ? 1 : 0;
    } catch (const std::exception& error) {
        return Error(errors::kLabelBadField, std::string("cannot encode barcode: ") + error.what());
    }
    if (symbol.columns <= 0 || symbol.rows <= 0)
        return Error(errors::kLabelBadField, "cannot encode barcode: empty symbol");
    return symbol;
}

int qr_modules_for_bytes(std::size_t bytes) {
    // Byte-mode capacity at level Q, versions 1..20 (ISO/IEC 18004 table 7).
    constexpr std::array<std::size_t, 20> kCapacity{11,  20,  32,  46,  60,  74,  86,
                                                    108, 130, 151, 177, 203, 241, 258,
                                                    292, 322, 364, 394, 442, 482};
    for (std::size_t version = 1; version <= kCapacity.size(); ++version)
        if (bytes <= kCapacity[version - 1]) return static_cast<int>(17 + 4 * version);
    return 0;
}

ZplCode128 zpl_code128(std::string_view data, bool gs1) {
    // Code set C packs two digits per symbol character. Start in C for four or
    // more leading digits (or an even run that is all there is), switch to C
    // for six or more digits inside, four or more at the end; an odd run
    // leaves its first digit in B. (GS1 General Specifications 5.4.7.7.)
    ZplCode128 result;
    int characters = 0;  // symbol characters between start and check
    bool in_c = false;
    std::size_t pos = 0;
    const std::size_t leading = digit_run(data, 0);
    if (gs1 || leading == data.size() ? leading % 2 == 0 && leading >= 2 : leading >= 4) {
        in_c = true;
        result.field_data = ">;";
    } else {
        result.field_data = ">:";
    }
    if (gs1) {
        result.field_data += ">8";
        ++characters;
    }
    while (pos < data.size()) {
        const std::size_t run = digit_run(data, pos);
        if (in_c) {
            const std::size_t pairs = run / 2;
            for (std::size_t i = 0; i < pairs; ++i) {
                result.field_data += data.substr(pos, 2);
                pos += 2;
                ++characters;
            }
            if (pos < data.size()) {
                result.field_data += ">6";
                ++characters;
                in_c = false;
            }
            continue;
        }
        const bool at_end = pos + run == data.size();
        if (run >= 6 || (at_end && run >= 4)) {
            if (run % 2 == 1) {
                result.field_data += data[pos++];
                ++characters;
            }
            result.field_data += ">5";
            ++characters;
            in_c = true;
            continue;
        }
        result.field_data += data[pos++];
        ++characters;
    }
    // start + data characters + check, 11 modules each; the stop has 13.
    result.modules = 11 * (characters + 2) + 13;
    if (!gs1 && !(leading == data.size() && leading % 2 == 0)) {
        result.automatic = true;
        result.field_data = std::string(data);
    }
    return result;
}

}  // namespace packline::labels
