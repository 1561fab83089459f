// Barcode symbologies: one list for the whole product. What a scanner's AIM
// identifier says it read (station/barcode.h), what the camera looks for and
// decodes (drivers/camera_decode.h), what a label template prints
// (labels/template.h) are values of this one enum; each module accepts the
// subset it handles and says so for the others.
#pragma once

#include <optional>
#include <string_view>

namespace packline::hardware {

enum class Symbology {
    Unknown,
    Code128,
    Gs1_128,  // Code 128 with FNC1 first (AIM ]C1)
    Ean13,
    Ean8,
    UpcA,
    UpcE,
    Code39,
    Itf,
    DataBar,
    DataMatrix,
    Gs1DataMatrix,
    QrCode,
    Gs1Qr,
    DotCode,
    Gs1DotCode,
    Pdf417,
    Aztec,
};

// "code128", "gs1-128", "ean13", "upca", "qrcode", "gs1-datamatrix", ...;
// "unknown" for Symbology::Unknown. The names the station logs and shows.
std::string_view symbology_name(Symbology symbology);

// The symbology with that name (symbology_name's spelling), if any.
std::optional<Symbology> symbology_from_name(std::string_view name);

}  // namespace packline::hardware
