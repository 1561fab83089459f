// ZXing-cpp 1.4 adapter (test-harnesses.md §5: DecodeHints, ZX_USE_UTF8).
#define ZX_USE_UTF8 1
#include "packline/drivers/camera_decode.h"

#include <ZXing/ReadBarcode.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <vector>

#include "packline/base_errors.h"
#include "packline/drivers/camera_errors.h"
#include "packline/drivers/image_header.h"

namespace packline::drivers {
namespace {

struct FormatName {
    BarcodeFormat format;
    std::string_view name;
    ZXing::BarcodeFormat zxing;
};

constexpr FormatName kFormats[] = {
    {BarcodeFormat::Code128, "Code128", ZXing::BarcodeFormat::Code128},
    {BarcodeFormat::QrCode, "QRCode", ZXing::BarcodeFormat::QRCode},
    {BarcodeFormat::DataMatrix, "DataMatrix", ZXing::BarcodeFormat::DataMatrix},
    {BarcodeFormat::Ean13, "EAN-13", ZXing::BarcodeFormat::EAN13},
    {BarcodeFormat::Ean8, "EAN-8", ZXing::BarcodeFormat::EAN8},
    {BarcodeFormat::UpcA, "UPC-A", ZXing::BarcodeFormat::UPCA},
    {BarcodeFormat::UpcE, "UPC-E", ZXing::BarcodeFormat::UPCE},
    {BarcodeFormat::Code39, "Code39", ZXing::BarcodeFormat::Code39},
    {BarcodeFormat::Itf, "ITF", ZXing::BarcodeFormat::ITF},
    {BarcodeFormat::DataBar, "DataBar", ZXing::BarcodeFormat::DataBar},
    {BarcodeFormat::Pdf417, "PDF417", ZXing::BarcodeFormat::PDF417},
    {BarcodeFormat::Aztec, "Aztec", ZXing::BarcodeFormat::Aztec},
};

// "EAN-13" -> "ean13": what config names are compared as.
std::string squeeze(std::string_view name) {
    std::string out;
    for (char c : name) {
        if (c == '-' || c == '_' || c == ' ') continue;
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

std::optional<FormatName> find_format(ZXing::BarcodeFormat zxing) {
    for (const FormatName& entry : kFormats)
        if (entry.zxing == zxing) return entry;
    return std::nullopt;
}

ZXing::BarcodeFormats zxing_formats(const DecodeOptions& options) {
    ZXing::BarcodeFormats formats;
    const auto wanted = options.formats.empty() ? default_barcode_formats() : options.formats;
    for (BarcodeFormat format : wanted)
        for (const FormatName& entry : kFormats)
            if (entry.format == format) formats |= entry.zxing;
    return formats;
}

ZXing::DecodeHints hints_for(const DecodeOptions& options, ZXing::BarcodeFormats formats) {
    ZXing::DecodeHints hints;
    hints.setFormats(formats)
        .setTryHarder(options.try_harder)
        .setTryRotate(options.try_rotate)
        .setTryDownscale(options.try_downscale);
    return hints;
}

// Linear codes are read one at a time, each blanked out before the next
// read. Why not ReadBarcodes(): Debian's libzxing 1.4.0 is built with
// assertions, and its result de-duplication (Result::operator==,
// "assert(lineCount() == 1)") aborts the process when a linear code is found
// twice -- two identical labels in view, or one label in both the full and the
// downscaled image. ReadBarcode() stops at the first symbol and never compares.
// A frame with N linear codes costs N + 1 reads (more when a blanking missed
// part of a symbol), at most this many:
constexpr int kMaxLinearReads = 6;

// How alike two rows (or columns) of pixels are: normalized cross-correlation
// in -1..1, and the contrast (standard deviation) of `line`.
struct LineMatch {
    double correlation = 0;
    double contrast = 0;
};

LineMatch compare_lines(const cv::Mat& line, const cv::Mat& previous) {
    cv::Mat a;
    cv::Mat b;
    line.convertTo(a, CV_32F);
    previous.convertTo(b, CV_32F);
    a -= cv::mean(a)[0];
    b -= cv::mean(b)[0];
    const double aa = a.dot(a);
    const double bb = b.dot(b);
    LineMatch match;
    match.contrast = std::sqrt(aa / static_cast<double>(a.total()));
    if (aa > 0 && bb > 0) match.correlation = a.dot(b) / std::sqrt(aa * bb);
    return match;
}

// Blanks the symbol a linear result was read from. ZXing's position covers
// only the scan lines that read it, so the bars are followed across the scan
// direction while each line still looks like its neighbour (slanted labels
// included) and still has the contrast of bars.
void blank(cv::Mat& grey, const ZXing::Position& position) {
    int left = grey.cols, top = grey.rows, right = 0, bottom = 0;
    for (const auto& point : position) {
        left = std::clamp(std::min(left, point.x), 0, grey.cols - 1);
        right = std::clamp(std::max(right, point.x), 0, grey.cols - 1);
        top = std::clamp(std::min(top, point.y), 0, grey.rows - 1);
        bottom = std::clamp(std::max(bottom, point.y), 0, grey.rows - 1);
    }
    const bool horizontal = right - left >= bottom - top;
    const int length = horizontal ? right - left + 1 : bottom - top + 1;
    cv::Mat view = horizontal ? grey : grey.t();  // rows across the bars
    int first = horizontal ? top : left;
    int last = horizontal ? bottom : right;
    const int from = horizontal ? left : top;
    const cv::Range span(from, from + length);
    const double bars =
        compare_lines(view.row(first).colRange(span), view.row(first).colRange(span)).contrast;
    const auto walk = [&](int start, int step) {
        int edge = start;
        for (int line = start + step; line >= 0 && line < view.rows; line += step) {
            const LineMatch match =
                compare_lines(view.row(line).colRange(span), view.row(edge).colRange(span));
            if (match.correlation < 0.5 || match.contrast < bars / 2) break;
            edge = line;
        }
        return edge;
    };
    first = walk(first, -1);
    last = walk(last, +1);
    const int along = length / 16 + 6;  // the quiet zones
    const int across = 3;
    cv::Rect area(cv::Point(from - along, first - across),
                  cv::Point(from + length + along, last + across + 1));
    if (!horizontal) area = cv::Rect(area.y, area.x, area.height, area.width);
    area &= cv::Rect(0, 0, grey.cols, grey.rows);
    if (area.area() > 0) grey(area).setTo(cv::Scalar(255));
}

bool same_code(const ZXing::Result& left, const ZXing::Result& right) {
    return left.format() == right.format() && left.bytes() == right.bytes();
}

ZXing::ImageView view_of(const cv::Mat& grey) {
    return {grey.data, grey.cols, grey.rows, ZXing::ImageFormat::Lum,
            static_cast<int>(grey.step[0])};
}

// `grey` is not changed (blanking works on a copy).
ZXing::Results read_all(const cv::Mat& grey, const DecodeOptions& options) {
    const ZXing::ImageView view = view_of(grey);
    const ZXing::BarcodeFormats wanted = zxing_formats(options);
    ZXing::BarcodeFormats matrix;
    ZXing::BarcodeFormats linear;
    for (const FormatName& entry : kFormats) {
        if (!wanted.testFlag(entry.zxing)) continue;
        if (ZXing::BarcodeFormats(ZXing::BarcodeFormat::LinearCodes).testFlag(entry.zxing))
            linear |= entry.zxing;
        else
            matrix |= entry.zxing;
    }

    ZXing::Results results;
    if (!matrix.empty()) results = ZXing::ReadBarcodes(view, hints_for(options, matrix));
    if (linear.empty()) return results;

    const ZXing::DecodeHints hints = hints_for(options, linear);
    cv::Mat blanked;  // copied on the first blanking
    ZXing::ImageView current = view;
    std::vector<ZXing::Result> linear_results;
    for (int read = 0; read < kMaxLinearReads; ++read) {
        ZXing::Result result = ZXing::ReadBarcode(current, hints);
        if (!result.isValid()) break;
        if (blanked.empty()) blanked = grey.clone();
        blank(blanked, result.position());
        current = view_of(blanked);
        // Found again: the rest of a symbol the blanking missed, or a second
        // copy of the same label. Either way the code is already listed.
        const bool again = std::any_of(linear_results.begin(), linear_results.end(),
                                       [&](const auto& seen) { return same_code(seen, result); });
        if (!again) linear_results.push_back(std::move(result));
    }
    results.insert(results.end(), linear_results.begin(), linear_results.end());
    return results;
}

// UPC-E -> UPC-A zero expansion (GS1 General Specifications 5.2.2.4.2), so
// that the scan carries 13 digits like a scanner's "]E0". `upce` is 8 digits.
std::string expand_upce(const std::string& upce) {
    if (upce.size() != 8) return upce;
    const std::string d = upce.substr(1, 6);
    std::string body(1, upce[0]);
    switch (d[5]) {
        case '0':
        case '1':
        case '2':
            body += d.substr(0, 2) + d[5] + "0000" + d.substr(2, 3);
            break;
        case '3':
            body += d.substr(0, 3) + "00000" + d.substr(3, 2);
            break;
        case '4':
            body += d.substr(0, 4) + "00000" + d[4];
            break;
        default:
            body += d.substr(0, 5) + "0000" + d[5];
            break;
    }
    return body + upce[7];
}

// devices.md §2.3: the AIM identifier then the data; ZXing already gives
// internal FNC1 as GS and leaves out the FNC1 the identifier implies.
std::string scan_string(const ZXing::Result& result, const std::string& text) {
    std::string data = text;
    if (result.format() == ZXing::BarcodeFormat::UPCA && data.size() == 12) data = "0" + data;
    if (result.format() == ZXing::BarcodeFormat::UPCE && data.size() == 8)
        data = "0" + expand_upce(data);
    return result.symbologyIdentifier() + data;
}

// Frames above kMaxImagePixels are not decoded either: ZXing's passes over
// a huge frame would hold the capture thread for seconds.
bool view_is_valid(const PixelView& frame) {
    const int bytes_per_pixel = frame.format == PixelFormat::Bgr ? 3 : 1;
    return frame.data != nullptr && frame.width > 0 && frame.height > 0 &&
           frame.stride >= frame.width * bytes_per_pixel &&
           static_cast<std::uint64_t>(frame.width) * static_cast<std::uint64_t>(frame.height) <=
               kMaxImagePixels;
}

std::string megapixels(std::uint64_t pixels) {
    char text[32];
    std::snprintf(text, sizeof(text), "%.1f", static_cast<double>(pixels) / 1e6);
    return text;
}

Status check_pixels(const std::string& path, std::uint64_t width, std::uint64_t height) {
    if (width * height <= kMaxImagePixels) return {};
    return Error(errors::kCameraImageTooLarge,
                 path + ": " + std::to_string(width) + "x" + std::to_string(height) + " pixels (" +
                     megapixels(width * height) + " megapixels) is over the limit of " +
                     megapixels(kMaxImagePixels) + " megapixels; not decoded");
}

}  // namespace

std::string_view to_string(BarcodeFormat format) {
    for (const FormatName& entry : kFormats)
        if (entry.format == format) return entry.name;
    return "unknown";
}

Result<BarcodeFormat> parse_barcode_format(std::string_view name) {
    const std::string wanted = squeeze(name);
    if (wanted == "qr") return BarcodeFormat::QrCode;
    for (const FormatName& entry : kFormats)
        if (squeeze(entry.name) == wanted) return entry.format;
    std::string known;
    for (const FormatName& entry : kFormats)
        known += (known.empty() ? "" : ", ") + std::string(entry.name);
    return Error(errors::kConfigInvalid,
                 "unknown barcode format '" + std::string(name) + "' (known: " + known + ")");
}

std::vector<BarcodeFormat> default_barcode_formats() {
    return {BarcodeFormat::Code128, BarcodeFormat::QrCode, BarcodeFormat::DataMatrix,
            BarcodeFormat::Ean13,   BarcodeFormat::Ean8,   BarcodeFormat::UpcA,
            BarcodeFormat::UpcE};
}

std::vector<DecodedBarcode> decode_frame(const PixelView& frame, const DecodeOptions& options) {
    std::vector<DecodedBarcode> barcodes;
    if (!view_is_valid(frame)) return barcodes;
    ZXing::Results results;
    try {
        // One grey image for every pass (ZXing would convert BGR on each).
        const cv::Mat source(
            frame.height, frame.width, frame.format == PixelFormat::Bgr ? CV_8UC3 : CV_8UC1,
            const_cast<std::uint8_t*>(frame.data), static_cast<std::size_t>(frame.stride));
        cv::Mat converted;
        if (frame.format == PixelFormat::Bgr) cv::cvtColor(source, converted, cv::COLOR_BGR2GRAY);
        const cv::Mat& grey = frame.format == PixelFormat::Bgr ? converted : source;
        results = read_all(grey, options);
    } catch (const std::exception&) {
        return barcodes;  // no decoder or OpenCV failure may reach the capture thread
    }
    for (const ZXing::Result& result : results) {
        if (!result.isValid()) continue;
        const auto format = find_format(result.format());
        if (!format) continue;
        DecodedBarcode barcode;
        barcode.format = std::string(format->name);
        barcode.text = result.text();
        barcode.scan = scan_string(result, barcode.text);
        const ZXing::Position& position = result.position();
        for (std::size_t corner = 0; corner < 4; ++corner)
            barcode.position[corner] = ImagePoint{position[corner].x, position[corner].y};
        barcodes.push_back(std::move(barcode));
    }
    return barcodes;
}

Result<std::vector<DecodedBarcode>> decode_image_file(const std::string& path,
                                                      const DecodeOptions& options) {
    std::error_code error_code;
    if (!std::filesystem::is_regular_file(path, error_code))
        return Error(errors::kCameraImageUnreadable,
                     path + (std::filesystem::exists(path, error_code) ? ": not a regular file"
                                                                       : ": no such file"));
    // The file is read once and measured from its header before OpenCV
    // decodes it (image_header.h); a size no camera image has is refused
    // unread. (A compressed 40-megapixel image is far below this.)
    constexpr std::uintmax_t kMaxFileBytes = 256u << 20;
    if (std::filesystem::file_size(path, error_code) > kMaxFileBytes)
        return Error(errors::kCameraImageTooLarge,
                     path + ": over " + std::to_string(kMaxFileBytes >> 20) + " MB; not decoded");
    std::vector<std::uint8_t> bytes;
    {
        std::ifstream in(path, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        if (!in && !in.eof())
            return Error(errors::kCameraImageUnreadable, path + ": cannot read the file");
    }
    if (const auto dimensions = read_image_dimensions(bytes))
        if (auto fits = check_pixels(path, dimensions->width, dimensions->height); !fits)
            return fits.error();
    cv::Mat image;
    try {
        image = cv::imdecode(bytes, cv::IMREAD_GRAYSCALE);
    } catch (const std::exception& error) {
        return Error(errors::kCameraImageUnreadable, path + ": cannot read image: " + error.what());
    }
    if (image.empty())
        return Error(errors::kCameraImageUnreadable,
                     path + ": not a readable image (missing, unsupported format or corrupt)");
    // Formats whose header is not read above (TIFF, JPEG 2000, ...) are
    // measured after decoding, within OpenCV's own limit.
    if (auto fits = check_pixels(path, static_cast<std::uint64_t>(image.cols),
                                 static_cast<std::uint64_t>(image.rows));
        !fits)
        return fits.error();
    const PixelView view{image.data, image.cols, image.rows, static_cast<int>(image.step[0]),
                         PixelFormat::Grey};
    return decode_frame(view, options);
}

std::string format_decode_line(std::string_view file, const DecodedBarcode& barcode) {
    std::string line;
    line.reserve(file.size() + barcode.format.size() + barcode.text.size() + 2);
    line += file;
    line += '\t';
    line += barcode.format;
    line += '\t';
    for (char c : barcode.text) {
        switch (c) {
            case '\\':
                line += "\\\\";
                break;
            case '\t':
                line += "\\t";
                break;
            case '\r':
                line += "\\r";
                break;
            case '\n':
                line += "\\n";
                break;
            default:
                line += c;
        }
    }
    return line;
}

}  // namespace packline::drivers
