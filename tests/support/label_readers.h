// Independent readers for label tests: PNG loading (Cairo), ZXing-cpp
// decoding, zbar (zbarimg), an independent ZPL interpreter (zebrash from npm,
// tests/support/zpl-render) and pdftoppm. The programs are run as the user
// would run them; a missing one fails the test with what to install.
#pragma once

#include <cairo.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <tuple>
#include <vector>

#include "packline/drivers/camera_decode.h"

namespace packline::test {

struct GrayImage {
    int width = 0, height = 0;
    std::vector<unsigned char> pixels;  // 0 = black, 255 = white

    unsigned char at(int x, int y) const {
        return pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                      static_cast<std::size_t>(x)];
    }
};

// Any PNG Cairo reads (gray, RGB, with alpha over white).
inline GrayImage load_png(const std::string& path) {
    GrayImage image;
    cairo_surface_t* surface = cairo_image_surface_create_from_png(path.c_str());
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surface);
        return image;
    }
    image.width = cairo_image_surface_get_width(surface);
    image.height = cairo_image_surface_get_height(surface);
    const int stride = cairo_image_surface_get_stride(surface);
    const cairo_format_t format = cairo_image_surface_get_format(surface);
    const unsigned char* data = cairo_image_surface_get_data(surface);
    image.pixels.resize(static_cast<std::size_t>(image.width * image.height));
    for (int y = 0; y < image.height; ++y) {
        for (int x = 0; x < image.width; ++x) {
            int gray = 255;
            if (format == CAIRO_FORMAT_A8) {
                gray = data[y * stride + x];
            } else {
                std::uint32_t pixel = 0;
                std::copy_n(data + y * stride + x * 4, 4, reinterpret_cast<unsigned char*>(&pixel));
                const int alpha =
                    format == CAIRO_FORMAT_ARGB32 ? static_cast<int>(pixel >> 24) : 255;
                const int r = static_cast<int>((pixel >> 16) & 0xFF);
                const int g = static_cast<int>((pixel >> 8) & 0xFF);
                const int b = static_cast<int>(pixel & 0xFF);
                // Premultiplied over white.
                gray = (r * 299 + g * 587 + b * 114) / 1000 + (255 - alpha);
            }
            image.pixels[static_cast<std::size_t>(y * image.width + x)] =
                static_cast<unsigned char>(std::clamp(gray, 0, 255));
        }
    }
    cairo_surface_destroy(surface);
    return image;
}

struct Decoded {
    std::string format;  // "Code128", "QRCode", "DataMatrix"
    std::string text;
    friend bool operator<(const Decoded& a, const Decoded& b) {
        return std::tie(a.format, a.text) < std::tie(b.format, b.text);
    }
    friend bool operator==(const Decoded&, const Decoded&) = default;
};

// ZXing-cpp through the station's camera decode path (the one scan-back by
// camera uses), limited to the symbologies labels carry.
inline std::vector<Decoded> zxing_decode(const std::string& png_path) {
    drivers::DecodeOptions options;
    options.formats = {drivers::BarcodeFormat::Code128, drivers::BarcodeFormat::QrCode,
                       drivers::BarcodeFormat::DataMatrix};
    std::vector<Decoded> found;
    auto decoded = drivers::decode_image_file(png_path, options);
    if (!decoded.ok()) return found;
    for (const auto& barcode : decoded.value())
        found.push_back({barcode.format, barcode.text});
    std::sort(found.begin(), found.end());
    return found;
}

inline int run(const std::string& command, std::string* output = nullptr) {
    std::FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return -1;
    std::array<char, 4096> buffer{};
    std::string text;
    std::size_t n = 0;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
        text.append(buffer.data(), n);
    const int status = pclose(pipe);
    if (output != nullptr) *output = std::move(text);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

inline std::string quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// zbarimg's reading of QR codes and Code 128 (it has no Data Matrix).
inline std::vector<Decoded> zbar_decode(const std::string& png_path) {
    std::string output;
    run("zbarimg -q -Sdisable -Sqrcode.enable -Scode128.enable " + quoted(png_path) +
            " 2>/dev/null",
        &output);
    std::vector<Decoded> found;
    std::size_t start = 0;
    while (start < output.size()) {
        std::size_t end = output.find('\n', start);
        if (end == std::string::npos) end = output.size();
        const std::string line = output.substr(start, end - start);
        start = end + 1;
        const std::size_t colon = line.find(':');
        if (colon == std::string::npos) continue;
        const std::string symbology = line.substr(0, colon);
        found.push_back({symbology == "QR-Code"    ? "QRCode"
                         : symbology == "CODE-128" ? "Code128"
                                                   : symbology,
                         line.substr(colon + 1)});
    }
    std::sort(found.begin(), found.end());
    return found;
}

}  // namespace packline::test
