// Barcode symbols as module grids (internal to packline_labels): ZXing-cpp's
// writer for PNG and PDF, and the Code 128 code-set plan that ZPL's ^BC needs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "packline/error.h"
#include "packline/labels/template.h"

namespace packline::labels {

struct Symbol {
    int columns = 0, rows = 0;       // modules; linear symbols have one row
    std::vector<std::uint8_t> dark;  // row-major, 1 = dark module
    bool linear = false;
    int quiet_modules = 0;  // required on each side (10 for Code 128, 4 for QR, 1 for Data Matrix)

    bool at(int column, int row) const {
        return dark[static_cast<std::size_t>(row * columns + column)] != 0;
    }
};

// Checks the data a symbology can carry on every output (ZPL included):
// Code 128 takes printable ASCII without ^ ~ >; GS1-128 digits only (whole
// element strings with fixed-length AIs); QR and Data Matrix UTF-8 without
// ^ ~ and control characters. Error "label.bad_field".
Status check_barcode_data(Symbology symbology, std::string_view data);

// The symbol as ZXing-cpp writes it (QR at error correction level Q).
Result<Symbol> encode_symbol(Symbology symbology, std::string_view data);

// Modules across the QR symbol a printer draws for `bytes` of data at error
// correction Q in byte mode (the largest it can choose in automatic mode), or
// 0 above version 20. Cheaper than encoding: ZPL needs only the size.
int qr_modules_for_bytes(std::size_t bytes);

// Code 128 for ZPL ^BC: the field data, the ^BC mode, and the width in
// modules of the symbol the printer draws (quiet zones excluded), computed
// for the optimal code-set plan (digit runs packed two per character, GS1
// General Specifications 5.4.7.7). Data of only digits, even in number (and
// GS1-128), is sent in mode N starting in code set C (">;", FNC1 ">8");
// anything else in mode A, where the printer makes the same plan itself:
// mid-symbol code-set invocations (">5") are not understood by every ZPL
// interpreter, automatic mode is (ZPL II guide, ^BC).
struct ZplCode128 {
    std::string field_data;
    bool automatic = false;
    int modules = 0;
};
ZplCode128 zpl_code128(std::string_view data, bool gs1);

}  // namespace packline::labels
