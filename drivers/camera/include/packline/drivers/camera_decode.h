// Barcode decoding of camera frames and image files (ZXing-cpp behind a pimpl).
//
// A decoded barcode carries the scan string a handheld scanner would send for
// the same symbol: the AIM symbology identifier (devices.md §2.3, taken from
// ZXing's symbologyIdentifier()) followed by the data, with internal FNC1 as
// GS (0x1D). EAN/UPC follow ISO/IEC 15424 "]E0 = 13 digits": UPC-A gains a
// leading 0 and UPC-E is expanded to its UPC-A form with a leading 0, as a
// scanner in its default configuration sends them.
//
// Everything here is a pure function of its inputs and safe to call from any
// thread at the same time.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "packline/error.h"
#include "packline/hardware/symbology.h"

namespace packline::drivers {

// The symbologies the camera can be asked to look for: Code128 (which
// includes GS1-128, FNC1 first -> "]C1"), QrCode, DataMatrix, Ean13, Ean8,
// UpcA, UpcE (the default set, what the station needs), Code39, Itf, DataBar,
// Pdf417 and Aztec for sites that print them. Values of the product's one
// list of symbologies (hardware/symbology.h).
using BarcodeFormat = hardware::Symbology;

// ZXing's display names: "Code128", "QRCode", "DataMatrix", "EAN-13", "EAN-8",
// "UPC-A", "UPC-E", "Code39", "ITF", "DataBar", "PDF417", "Aztec".
std::string_view to_string(BarcodeFormat format);

// A config name -> format: the display names above, case-insensitive, with or
// without '-'/'_' ("ean13", "qr" and "qrcode" work too).
Result<BarcodeFormat> parse_barcode_format(std::string_view name);

// Code128, QRCode, DataMatrix, EAN-13, EAN-8, UPC-A, UPC-E.
std::vector<BarcodeFormat> default_barcode_formats();

enum class PixelFormat {
    Grey,  // 1 byte per pixel
    Bgr,   // 3 bytes per pixel, OpenCV's order
};

// A non-owning view of pixels; `stride` is bytes per row (>= width * bytes per pixel).
struct PixelView {
    const std::uint8_t* data = nullptr;
    int width = 0;
    int height = 0;
    int stride = 0;
    PixelFormat format = PixelFormat::Grey;
};

struct DecodeOptions {
    std::vector<BarcodeFormat> formats = default_barcode_formats();  // empty means the default
    // ZXing's accuracy aids. With the default format set all three together
    // keep a 1280x720 frame well under 20 ms (tests/bench/camera_decode_bench.cpp).
    bool try_harder = true;     // more scan lines, slower binarizer fallback
    bool try_rotate = true;     // also 90/180/270 degrees
    bool try_downscale = true;  // also a downscaled copy (large, blurry codes)
};

struct ImagePoint {
    int x = 0;
    int y = 0;
    friend bool operator==(const ImagePoint&, const ImagePoint&) = default;
};

struct DecodedBarcode {
    std::string format;  // to_string(BarcodeFormat): "Code128", "QRCode", "EAN-13", ...
    std::string text;    // the data as ZXing gives it (GS between GS1 fields)
    std::string scan;    // what a scanner would send: "]C1" + data, "]E0" + 13 digits, ...
    // Corners in the frame: top-left, top-right, bottom-right, bottom-left
    // (for linear codes, the ends of the scan line that read it).
    std::array<ImagePoint, 4> position{};
};

// All barcodes of the wanted formats in one frame, in ZXing's order. A view
// with no data, a size <= 0, a stride too small for its width or more than
// kMaxImagePixels (image_header.h) decodes nothing.
std::vector<DecodedBarcode> decode_frame(const PixelView& frame, const DecodeOptions& options = {});

// Reads an image file (any format OpenCV reads: PNG, JPEG, BMP, ...) and
// decodes it. Errors: "camera.image_unreadable" (missing, not an image, corrupt),
// "camera.image_too_large" (over kMaxImagePixels, image_header.h: measured
// from the file's header before decoding for PNG, JPEG, BMP, GIF, WebP and
// PNM; a file over 256 MB is not read at all).
Result<std::vector<DecodedBarcode>> decode_image_file(const std::string& path,
                                                      const DecodeOptions& options = {});

// One line of `packline decode FILE...` output, without the newline:
// FILE<TAB>FORMAT<TAB>TEXT, with backslash, tab, CR and LF inside TEXT written
// as \\, \t, \r and \n so that every barcode stays on one line.
std::string format_decode_line(std::string_view file, const DecodedBarcode& barcode);

}  // namespace packline::drivers
