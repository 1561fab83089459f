#include "packline/drivers/image_header.h"

#include <cstddef>

namespace packline::drivers {
namespace {

std::uint32_t big_endian(std::span<const std::uint8_t> bytes, std::size_t at, int count) {
    std::uint32_t value = 0;
    for (int i = 0; i < count; ++i)
        value = (value << 8) | bytes[at + static_cast<std::size_t>(i)];
    return value;
}

std::uint32_t little_endian(std::span<const std::uint8_t> bytes, std::size_t at, int count) {
    std::uint32_t value = 0;
    for (int i = count - 1; i >= 0; --i)
        value = (value << 8) | bytes[at + static_cast<std::size_t>(i)];
    return value;
}

bool starts_with(std::span<const std::uint8_t> bytes, std::string_view prefix, std::size_t at = 0) {
    if (bytes.size() < at + prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (bytes[at + i] != static_cast<std::uint8_t>(prefix[i])) return false;
    return true;
}

// PNG (ISO/IEC 15948): the signature, then IHDR first with width and height
// as 4-byte big-endian numbers.
std::optional<ImageDimensions> png(std::span<const std::uint8_t> bytes) {
    if (bytes.size() < 24 || !starts_with(bytes, "IHDR", 12)) return std::nullopt;
    return ImageDimensions{"PNG", big_endian(bytes, 16, 4), big_endian(bytes, 20, 4)};
}

// JPEG (ITU T.81, B.1.1): segments FF xx with a 2-byte length, until a
// start-of-frame marker (C0-CF but C4 DHT, C8 JPG, CC DAC) whose header holds
// the height then the width.
std::optional<ImageDimensions> jpeg(std::span<const std::uint8_t> bytes) {
    std::size_t at = 2;
    while (at + 4 <= bytes.size()) {
        if (bytes[at] != 0xFF) return std::nullopt;
        const std::uint8_t marker = bytes[at + 1];
        if (marker == 0xFF) {  // fill byte
            ++at;
            continue;
        }
        if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
            at += 2;  // markers without a length
            continue;
        }
        const std::uint32_t length = big_endian(bytes, at + 2, 2);
        if (length < 2) return std::nullopt;
        if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 &&
            marker != 0xCC) {
            if (at + 9 > bytes.size()) return std::nullopt;
            return ImageDimensions{"JPEG", big_endian(bytes, at + 7, 2),
                                   big_endian(bytes, at + 5, 2)};
        }
        if (marker == 0xD9 || marker == 0xDA) return std::nullopt;  // no frame header before
        at += 2 + length;
    }
    return std::nullopt;
}

// BMP: BITMAPINFOHEADER and later have 4-byte signed width and height (a
// negative height is a top-down image); the OS/2 BITMAPCOREHEADER has 2-byte ones.
std::optional<ImageDimensions> bmp(std::span<const std::uint8_t> bytes) {
    if (bytes.size() < 26) return std::nullopt;
    const std::uint32_t header_size = little_endian(bytes, 14, 4);
    if (header_size == 12)
        return ImageDimensions{"BMP", little_endian(bytes, 18, 2), little_endian(bytes, 20, 2)};
    const auto width = static_cast<std::int32_t>(little_endian(bytes, 18, 4));
    const auto height = static_cast<std::int32_t>(little_endian(bytes, 22, 4));
    auto magnitude = [](std::int32_t value) {
        return value < 0 ? static_cast<std::uint32_t>(-(static_cast<std::int64_t>(value)))
                         : static_cast<std::uint32_t>(value);
    };
    return ImageDimensions{"BMP", magnitude(width), magnitude(height)};
}

// GIF: the logical screen's width and height, 2-byte little-endian.
std::optional<ImageDimensions> gif(std::span<const std::uint8_t> bytes) {
    if (bytes.size() < 10) return std::nullopt;
    return ImageDimensions{"GIF", little_endian(bytes, 6, 2), little_endian(bytes, 8, 2)};
}

// WebP (RFC 9649): RIFF....WEBP, then a VP8, VP8L or VP8X chunk.
std::optional<ImageDimensions> webp(std::span<const std::uint8_t> bytes) {
    if (bytes.size() < 30) return std::nullopt;
    if (starts_with(bytes, "VP8 ", 12))  // key frame: start code at 23, sizes at 26 (14 bits)
        return ImageDimensions{"WebP", little_endian(bytes, 26, 2) & 0x3FFF,
                               little_endian(bytes, 28, 2) & 0x3FFF};
    if (starts_with(bytes, "VP8L", 12)) {  // 0x2F, then 14 bits width - 1, 14 bits height - 1
        const std::uint32_t bits = little_endian(bytes, 21, 4);
        return ImageDimensions{"WebP", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1};
    }
    if (starts_with(bytes, "VP8X", 12))  // 24-bit canvas width - 1 and height - 1
        return ImageDimensions{"WebP", little_endian(bytes, 24, 3) + 1,
                               little_endian(bytes, 27, 3) + 1};
    return std::nullopt;
}

// Binary PNM: "P4"/"P5"/"P6", then width and height as decimal text, with
// white space and # comments between.
std::optional<ImageDimensions> pnm(std::span<const std::uint8_t> bytes) {
    std::size_t at = 2;
    std::uint32_t numbers[2] = {0, 0};
    for (std::uint32_t& number : numbers) {
        for (;;) {
            if (at >= bytes.size()) return std::nullopt;
            const std::uint8_t c = bytes[at];
            if (c == '#') {
                while (at < bytes.size() && bytes[at] != '\n')
                    ++at;
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                ++at;
            } else {
                break;
            }
        }
        std::size_t digits = 0;
        std::uint64_t value = 0;
        while (at < bytes.size() && bytes[at] >= '0' && bytes[at] <= '9') {
            value = value * 10 + (bytes[at] - '0');
            if (value > 0xFFFFFFFFULL) return std::nullopt;
            ++at;
            ++digits;
        }
        if (digits == 0) return std::nullopt;
        number = static_cast<std::uint32_t>(value);
    }
    return ImageDimensions{"PNM", numbers[0], numbers[1]};
}

}  // namespace

std::optional<ImageDimensions> read_image_dimensions(std::span<const std::uint8_t> head) {
    if (starts_with(head, "\x89PNG\r\n\x1a\n")) return png(head);
    if (starts_with(head, "\xFF\xD8\xFF")) return jpeg(head);
    if (starts_with(head, "BM")) return bmp(head);
    if (starts_with(head, "GIF87a") || starts_with(head, "GIF89a")) return gif(head);
    if (starts_with(head, "RIFF") && starts_with(head, "WEBP", 8)) return webp(head);
    if (starts_with(head, "P4") || starts_with(head, "P5") || starts_with(head, "P6"))
        return pnm(head);
    return std::nullopt;
}

}  // namespace packline::drivers
