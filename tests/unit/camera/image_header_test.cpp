// read_image_dimensions(): the size an image declares, from its first bytes,
// for every format it reads; against what OpenCV writes, and hand-made
// headers for the rest.
#include "packline/drivers/image_header.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>

namespace packline::drivers {
namespace {

std::vector<std::uint8_t> bytes_of(std::string_view text) {
    return std::vector<std::uint8_t>(text.begin(), text.end());
}

void expect_size(const std::vector<std::uint8_t>& bytes, std::string_view format,
                 std::uint32_t width, std::uint32_t height) {
    const auto dimensions = read_image_dimensions(bytes);
    ASSERT_TRUE(dimensions.has_value()) << format;
    EXPECT_EQ(dimensions->format, format);
    EXPECT_EQ(dimensions->width, width) << format;
    EXPECT_EQ(dimensions->height, height) << format;
}

TEST(ImageHeader, ReadsWhatOpenCvWrites) {
    const cv::Mat image(123, 321, CV_8UC1, cv::Scalar(200));
    for (const auto& [extension, format] : std::vector<std::pair<std::string, std::string_view>>{
             {".png", "PNG"}, {".jpg", "JPEG"}, {".bmp", "BMP"}, {".pgm", "PNM"}}) {
        std::vector<std::uint8_t> encoded;
        ASSERT_TRUE(cv::imencode(extension, image, encoded)) << extension;
        expect_size(encoded, format, 321, 123);
        // The header alone is enough (JPEG: up to its frame header).
        encoded.resize(std::min<std::size_t>(encoded.size(), 700));
        expect_size(encoded, format, 321, 123);
    }
}

TEST(ImageHeader, HandMadeHeaders) {
    expect_size(bytes_of(std::string("GIF89a\x20\x4E\x10\x27", 10)), "GIF", 20000, 10000);
    // BMP with a negative (top-down) height.
    std::string bmp(26, '\0');
    bmp[0] = 'B';
    bmp[1] = 'M';
    bmp[14] = 40;
    bmp[18] = '\x20';
    bmp[19] = '\x4E';  // 20000
    bmp[22] = '\xE0';
    bmp[23] = '\xB1';
    bmp[24] = '\xFF';
    bmp[25] = '\xFF';  // -20000
    expect_size(bytes_of(bmp), "BMP", 20000, 20000);
    // WebP VP8X: canvas 16384 x 3 (stored minus one, 24 bits).
    expect_size(
        bytes_of(std::string("RIFF\0\0\0\0WEBPVP8X\x0A\0\0\0\0\0\0\0\xFF\x3F\0\x02\0\0", 30)),
        "WebP", 16384, 3);
    expect_size(bytes_of("P5\n# a comment\n20000 30000\n255\n"), "PNM", 20000, 30000);
}

TEST(ImageHeader, OtherOrShortBytesSayNothing) {
    for (const std::string& text :
         {std::string(), std::string("not an image"), std::string("\x89PNG\r\n\x1a\n", 8),
          std::string("\xFF\xD8\xFF\xE0\x00\x10JFIF", 10), std::string("GIF89a\x01", 7),
          std::string("P5 x"), std::string("P6 99999999999 1")})
        EXPECT_FALSE(read_image_dimensions(bytes_of(text)).has_value()) << text;
}

}  // namespace
}  // namespace packline::drivers
