// A small ZPL II reader: enough of the language to check what a label says.
// Used by tests and by the simulated scan-back, where a simulated scanner
// "reads" the barcodes off the bytes the simulated printer received.
//
// Understood: ^XA/^XZ (one or more formats), ^FO/^FT field origins with ^LH,
// ^PW, ^LL, ^FH hex escapes, ^FD ... ^FS field data, ^FX comments, and the
// barcode commands (^BC Code 128 with its invocation codes, ^BQ QR with its
// mode prefix stripped, ^BX Data Matrix, and a few others by name). Every other
// command is skipped with its parameters. It never crashes on garbage: bad
// input gives an Error with code "label.bad_zpl".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "packline/error.h"

namespace packline::labels {

struct ZplBarcode {
    std::string type;  // "code128", "gs1-128", "qr", "datamatrix", "code39", ...
    std::string data;  // what a scanner would read (invocation codes resolved)
    int x = 0, y = 0;  // field origin in dots, label home included
};

struct ZplPoint {
    int x = 0, y = 0;
};

struct ZplDocument {
    std::vector<ZplBarcode> barcodes;
    std::vector<std::string> texts;  // text fields, ^FH escapes decoded
    int width = 0, length = 0;       // from ^PW / ^LL; 0 when not given
    std::vector<ZplPoint> origins;   // every ^FO / ^FT, label home included
};

Result<ZplDocument> inspect_zpl(std::string_view zpl);

// Well-formed, declares no more than width_dots x length_dots, every field
// origin inside that area, and at least one barcode. Errors: the inspect_zpl
// error, "label.out_of_bounds", "label.no_barcode".
Status validate_label_zpl(std::string_view zpl, int width_dots, int length_dots);

}  // namespace packline::labels
