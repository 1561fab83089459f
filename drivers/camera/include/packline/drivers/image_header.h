// The width and height an image file declares, read from its first bytes
// before anything decodes it. A 439 KB PNG can declare 20000x20000 pixels:
// decoding it first would take 400 MB and seconds before any check could
// refuse it.
//
// A pure function of the bytes: safe from any thread, fuzzed
// (tests/fuzz/fuzz_camera_image_header.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace packline::drivers {

// The most pixels a frame or an image file may have to be decoded: 40
// megapixels is above any camera a station uses (a 4K frame is 8.3) and
// keeps a grey copy under 40 MB.
inline constexpr std::uint64_t kMaxImagePixels = 40'000'000;

struct ImageDimensions {
    std::string_view format;  // "PNG", "JPEG", "BMP", "GIF", "WebP", "PNM"
    std::uint32_t width = 0;
    std::uint32_t height = 0;
};

// The dimensions from a PNG (IHDR), JPEG (the first SOFn marker; the bytes
// must reach it), BMP, GIF, WebP (VP8, VP8L, VP8X) or binary PNM (P4/P5/P6)
// header; nullopt for other formats or bytes too short or malformed to say.
std::optional<ImageDimensions> read_image_dimensions(std::span<const std::uint8_t> head);

}  // namespace packline::drivers
