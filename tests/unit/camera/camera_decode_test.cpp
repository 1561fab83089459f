// decode_frame()/decode_image_file(): generated barcodes, degraded like a dock
// camera sees them, decode to the exact scan string a handheld scanner sends
// (AIM identifier + data, GS between GS1 fields; devices.md §2.3); frames
// without a barcode decode to nothing.
#include "packline/drivers/camera_decode.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "camera_images.h"

namespace packline::drivers {
namespace {

using testing::decode;
using testing::encode_barcode;
using testing::kFnc1;
using testing::kGs;
using testing::scans_of;
using testing::scene;
namespace zx = ZXing;

const std::string kQrText = R"({"order":4711,"station":"S01"})";

// 3 pixels per module: a 10 cm label seen by a 720p camera about 40 cm away.
cv::Mat code128_label() {
    return encode_barcode(zx::BarcodeFormat::Code128, L"PKG-000123", 500, 120);
}

cv::Mat qr_label() {
    return encode_barcode(zx::BarcodeFormat::QRCode, L"{\"order\":4711,\"station\":\"S01\"}", 220,
                          220);
}

struct Case {
    const char* name;
    zx::BarcodeFormat format;
    std::wstring encoded;
    int width;
    int height;
    std::string format_name;
    std::string text;
    std::string scan;
};

class ScanStrings : public ::testing::TestWithParam<Case> {};

TEST_P(ScanStrings, DecodeToWhatAScannerSends) {
    const Case& c = GetParam();
    const cv::Mat frame = scene(encode_barcode(c.format, c.encoded, c.width, c.height));
    const auto barcodes = decode(frame);
    ASSERT_EQ(barcodes.size(), 1u) << c.name;
    EXPECT_EQ(barcodes[0].format, c.format_name);
    EXPECT_EQ(barcodes[0].text, c.text);
    EXPECT_EQ(barcodes[0].scan, c.scan);
    // The label was pasted at (480, 220): the position must point there.
    for (const ImagePoint& corner : barcodes[0].position) {
        EXPECT_GE(corner.x, 470);
        EXPECT_LE(corner.x, 480 + c.width + 10);
        EXPECT_GE(corner.y, 210);
        EXPECT_LE(corner.y, 220 + c.height + 10);
    }
}

INSTANTIATE_TEST_SUITE_P(
    Symbols, ScanStrings,
    ::testing::Values(
        Case{"Code128", zx::BarcodeFormat::Code128, L"PKG-000123", 360, 120, "Code128",
             "PKG-000123", "]C0PKG-000123"},
        Case{"QRCode", zx::BarcodeFormat::QRCode, L"{\"order\":4711,\"station\":\"S01\"}", 220, 220,
             "QRCode", kQrText, "]Q1" + kQrText},
        Case{"DataMatrix", zx::BarcodeFormat::DataMatrix, L"PKG-000123", 160, 160, "DataMatrix",
             "PKG-000123", "]d1PKG-000123"},
        Case{"Ean13", zx::BarcodeFormat::EAN13, L"4006381333931", 320, 140, "EAN-13",
             "4006381333931", "]E04006381333931"},
        Case{"Ean8", zx::BarcodeFormat::EAN8, L"96385074", 240, 140, "EAN-8", "96385074",
             "]E496385074"},
        // ]E0 carries 13 digits (ISO/IEC 15424): UPC-A gains a leading 0 ...
        Case{"UpcA", zx::BarcodeFormat::UPCA, L"036000291452", 320, 140, "UPC-A", "036000291452",
             "]E00036000291452"},
        // ... and UPC-E is sent zero-expanded: 0123456(5) -> 01234500006(5).
        Case{"UpcE", zx::BarcodeFormat::UPCE, L"01234565", 240, 140, "UPC-E", "01234565",
             "]E00012345000065"},
        // GS1-128 SSCC: FNC1 first gives ]C1 and is not itself sent.
        Case{"Gs1Sscc", zx::BarcodeFormat::Code128,
             std::wstring(1, kFnc1) + L"00395011010000000019", 460, 120, "Code128",
             "00395011010000000019", "]C100395011010000000019"},
        // GTIN + serial (variable length) + lot: FNC1 after the serial is GS.
        Case{"Gs1GtinSerialLot", zx::BarcodeFormat::Code128,
             std::wstring(1, kFnc1) + L"0109501101530003" + L"21ABC123" + kFnc1 + L"10LOT7", 600,
             120, "Code128", std::string("0109501101530003") + "21ABC123" + kGs + "10LOT7",
             std::string("]C10109501101530003") + "21ABC123" + kGs + "10LOT7"}),
    [](const ::testing::TestParamInfo<Case>& param) { return std::string(param.param.name); });

TEST(DecodeFrame, ReadsARotatedCode128) {
    for (double degrees : {7.0, -7.0, 90.0, 180.0}) {
        const cv::Mat label = testing::rotated(code128_label(), degrees);
        EXPECT_EQ(scans_of(decode(scene(label, {400, 150}))),
                  std::vector<std::string>{"]C0PKG-000123"})
            << degrees << " degrees";
    }
}

TEST(DecodeFrame, ReadsARotatedQrCode) {
    for (double degrees : {7.0, 30.0, 90.0, 180.0}) {
        const cv::Mat label = testing::rotated(qr_label(), degrees);
        EXPECT_EQ(scans_of(decode(scene(label, {400, 150}))),
                  std::vector<std::string>{"]Q1" + kQrText})
            << degrees << " degrees";
    }
}

TEST(DecodeFrame, ReadsBlurredNoisyAndFadedLabels) {
    const cv::Mat code = scene(code128_label());
    const cv::Mat qr = scene(qr_label());
    const std::vector<std::string> want_code{"]C0PKG-000123"};
    const std::vector<std::string> want_qr{"]Q1" + kQrText};
    EXPECT_EQ(scans_of(decode(testing::blurred(code, 1.5))), want_code);
    EXPECT_EQ(scans_of(decode(testing::blurred(qr, 2.0))), want_qr);
    EXPECT_EQ(scans_of(decode(testing::noisy(code, 25))), want_code);
    EXPECT_EQ(scans_of(decode(testing::noisy(qr, 25))), want_qr);
    EXPECT_EQ(scans_of(decode(testing::low_contrast(code, 100, 160))), want_code);
    EXPECT_EQ(scans_of(decode(testing::low_contrast(qr, 100, 160))), want_qr);
    // All at once: a slightly turned, soft, grainy, faded label.
    const cv::Mat worst = testing::low_contrast(
        testing::noisy(
            testing::blurred(scene(testing::rotated(code128_label(), 7), {400, 150}), 1.2), 12),
        70, 190);
    EXPECT_EQ(scans_of(decode(worst)), want_code);
}

TEST(DecodeFrame, ReadsBgrFramesAndRowPadding) {
    cv::Mat colour;
    cv::cvtColor(scene(qr_label()), colour, cv::COLOR_GRAY2BGR);
    EXPECT_EQ(scans_of(decode(colour)), std::vector<std::string>{"]Q1" + kQrText});
    // A region of a wider frame: stride > width * 3.
    cv::Mat wide(720, 1600, CV_8UC3, cv::Scalar(255, 255, 255));
    colour.copyTo(wide(cv::Rect(0, 0, 1280, 720)));
    EXPECT_EQ(scans_of(decode(wide(cv::Rect(0, 0, 1280, 720)))),
              std::vector<std::string>{"]Q1" + kQrText});
}

TEST(DecodeFrame, FindsSeveralBarcodesInOneFrame) {
    cv::Mat frame = scene(code128_label(), {420, 60});
    qr_label().copyTo(frame(cv::Rect(880, 60, 220, 220)));
    auto scans = scans_of(decode(frame));
    std::sort(scans.begin(), scans.end());
    EXPECT_EQ(scans, (std::vector<std::string>{"]C0PKG-000123", "]Q1" + kQrText}));
}

TEST(DecodeFrame, ReadsLinearCodesStackedOnOneLabel) {
    // A carrier label: routing code above the tracking number, 30 px apart.
    const cv::Mat routing = encode_barcode(zx::BarcodeFormat::Code128, L"420123459", 500, 100);
    const cv::Mat tracking =
        encode_barcode(zx::BarcodeFormat::Code128, L"1Z999AA10123456784", 560, 100);
    cv::Mat frame = scene(routing, {380, 150});
    tracking.copyTo(frame(cv::Rect(380, 280, tracking.cols, tracking.rows)));
    auto scans = scans_of(decode(frame));
    std::sort(scans.begin(), scans.end());
    EXPECT_EQ(scans, (std::vector<std::string>{"]C01Z999AA10123456784", "]C0420123459"}));
}

TEST(DecodeFrame, TwoCopiesOfOneLabelAreListedOnce) {
    // Two identical linear codes once aborted Debian's libzxing (an assert in
    // its de-duplication); the decoder must neither crash nor list it twice.
    cv::Mat frame = scene(code128_label(), {40, 100});
    code128_label().copyTo(frame(cv::Rect(700, 450, 500, 120)));
    EXPECT_EQ(scans_of(decode(frame)), std::vector<std::string>{"]C0PKG-000123"});
    DecodeOptions no_downscale;
    no_downscale.try_downscale = false;
    EXPECT_EQ(scans_of(decode(frame, no_downscale)), std::vector<std::string>{"]C0PKG-000123"});
}

TEST(DecodeFrame, FramesWithoutABarcodeDecodeToNothing) {
    EXPECT_TRUE(decode(scene()).empty());
    EXPECT_TRUE(decode(testing::noisy(scene(), 30)).empty());
    EXPECT_TRUE(decode(cv::Mat(720, 1280, CV_8UC1, cv::Scalar(255))).empty());
    EXPECT_TRUE(decode(cv::Mat(720, 1280, CV_8UC1, cv::Scalar(0))).empty());
    cv::Mat stripes(720, 1280, CV_8UC1, cv::Scalar(255));
    for (int x = 100; x < 1200; x += 24)
        cv::rectangle(stripes, {x, 200}, {x + 8, 500}, cv::Scalar(0), cv::FILLED);
    EXPECT_TRUE(decode(stripes).empty());  // even bars are not a Code 128
}

TEST(DecodeFrame, OnlyLooksForTheWantedFormats) {
    DecodeOptions only_qr;
    only_qr.formats = {drivers::BarcodeFormat::QrCode};
    EXPECT_TRUE(decode(scene(code128_label()), only_qr).empty());
    EXPECT_EQ(decode(scene(qr_label()), only_qr).size(), 1u);
    // Code 39 is not in the default set.
    const cv::Mat code39 = scene(encode_barcode(zx::BarcodeFormat::Code39, L"PKG123", 400, 120));
    EXPECT_TRUE(decode(code39).empty());
    DecodeOptions with_code39;
    with_code39.formats.push_back(drivers::BarcodeFormat::Code39);
    EXPECT_EQ(scans_of(decode(code39, with_code39)), std::vector<std::string>{"]A0PKG123"});
}

TEST(DecodeFrame, InvalidViewsDecodeToNothing) {
    const cv::Mat frame = scene(code128_label());
    PixelView view{frame.data, frame.cols, frame.rows, static_cast<int>(frame.step[0]),
                   PixelFormat::Grey};
    EXPECT_EQ(decode_frame(view).size(), 1u);
    PixelView no_data = view;
    no_data.data = nullptr;
    EXPECT_TRUE(decode_frame(no_data).empty());
    PixelView narrow = view;
    narrow.stride = frame.cols - 1;
    EXPECT_TRUE(decode_frame(narrow).empty());
    PixelView bgr_too_narrow = view;
    bgr_too_narrow.format = PixelFormat::Bgr;  // 1 byte per pixel is not enough for BGR
    EXPECT_TRUE(decode_frame(bgr_too_narrow).empty());
    PixelView empty = view;
    empty.height = 0;
    EXPECT_TRUE(decode_frame(empty).empty());
}

TEST(DecodeImageFile, ReadsPngAndJpeg) {
    testing::TempDir dir;
    ASSERT_FALSE(dir.path().empty());
    const cv::Mat frame = scene(code128_label());
    ASSERT_TRUE(cv::imwrite(dir.file("label.png"), frame));
    ASSERT_TRUE(cv::imwrite(dir.file("label.jpg"), frame, {cv::IMWRITE_JPEG_QUALITY, 80}));
    for (const char* name : {"label.png", "label.jpg"}) {
        auto decoded = decode_image_file(dir.file(name));
        ASSERT_TRUE(decoded.ok()) << decoded.error().message;
        EXPECT_EQ(scans_of(decoded.value()), std::vector<std::string>{"]C0PKG-000123"}) << name;
    }
}

TEST(DecodeImageFile, NonImagesGiveAClearError) {
    testing::TempDir dir;
    {
        std::ofstream text(dir.file("notes.png"));
        text << "this is not a picture\n";
    }
    for (const std::string& path :
         {dir.file("notes.png"), dir.file("missing.png"), dir.path() /* a directory */}) {
        auto decoded = decode_image_file(path);
        ASSERT_FALSE(decoded.ok()) << path;
        EXPECT_EQ(decoded.error().code, "camera.image_unreadable");
        EXPECT_NE(decoded.error().message.find(path), std::string::npos) << decoded.error().message;
    }
    // A truncated PNG: the header is right, the data is not there.
    std::vector<std::uint8_t> png;
    ASSERT_TRUE(cv::imencode(".png", scene(code128_label()), png));
    {
        std::ofstream half(dir.file("half.png"), std::ios::binary);
        half.write(reinterpret_cast<const char*>(png.data()), 200);
    }
    auto decoded = decode_image_file(dir.file("half.png"));
    ASSERT_FALSE(decoded.ok());
    EXPECT_EQ(decoded.error().code, "camera.image_unreadable");
}

std::uint32_t crc32(const std::uint8_t* data, std::size_t size) {
    std::uint32_t crc = 0xFFFFFFFF;
    for (std::size_t i = 0; i < size; ++i) {
        crc ^= data[i];
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ (0xEDB88320 & (0 - (crc & 1)));
    }
    return ~crc;
}

void put_big_endian(std::vector<std::uint8_t>& bytes, std::size_t at, std::uint32_t value,
                    int count) {
    for (int i = count - 1; i >= 0; --i, value >>= 8)
        bytes[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(value & 0xFF);
}

// Issue 14: a 439 KB PNG of 20000x20000 pixels took 917 MB and 6 s and
// printed nothing. The size is read from the header and refused before
// anything is decoded.
TEST(DecodeImageFile, ImagesOverFortyMegapixelsAreRefusedBeforeDecoding) {
    testing::TempDir dir;
    std::vector<std::uint8_t> png;
    ASSERT_TRUE(cv::imencode(".png", scene(code128_label()), png));
    put_big_endian(png, 16, 20000, 4);                       // IHDR width
    put_big_endian(png, 20, 20000, 4);                       // IHDR height
    put_big_endian(png, 29, crc32(png.data() + 12, 17), 4);  // IHDR's CRC, so libpng would read it
    std::vector<std::uint8_t> jpeg;
    ASSERT_TRUE(cv::imencode(".jpg", scene(code128_label()), jpeg));
    std::size_t frame = 2;  // the SOF0 marker
    while (frame + 1 < jpeg.size() && !(jpeg[frame] == 0xFF && jpeg[frame + 1] == 0xC0))
        ++frame;
    ASSERT_LT(frame + 9, jpeg.size());
    put_big_endian(jpeg, frame + 5, 9000, 2);  // height
    put_big_endian(jpeg, frame + 7, 9000, 2);  // width: 81 megapixels
    for (const auto& [name, bytes] :
         {std::pair{std::string("huge.png"), png}, std::pair{std::string("huge.jpg"), jpeg}}) {
        {
            std::ofstream out(dir.file(name), std::ios::binary);
            out.write(reinterpret_cast<const char*>(bytes.data()),
                      static_cast<std::streamsize>(bytes.size()));
        }
        auto decoded = decode_image_file(dir.file(name));
        ASSERT_FALSE(decoded.ok()) << name;
        EXPECT_EQ(decoded.error().code, "camera.image_too_large") << decoded.error().message;
        EXPECT_NE(decoded.error().message.find(dir.file(name)), std::string::npos);
        EXPECT_NE(decoded.error().message.find("over the limit of 40.0 megapixels"),
                  std::string::npos)
            << decoded.error().message;
    }
    EXPECT_NE(decode_image_file(dir.file("huge.png")).error().message.find("20000x20000"),
              std::string::npos);
}

TEST(FormatDecodeLine, TabSeparatedWithEscapes) {
    DecodedBarcode barcode;
    barcode.format = "QRCode";
    barcode.text = "a\\b\tc\rd\ne";
    EXPECT_EQ(format_decode_line("dir/photo 1.png", barcode),
              "dir/photo 1.png\tQRCode\ta\\\\b\\tc\\rd\\ne");
    barcode.format = "Code128";
    barcode.text = std::string("0109501101530003") + kGs + "10LOT";
    // GS is not escaped: only the characters that would break the line format.
    EXPECT_EQ(format_decode_line("x.jpg", barcode),
              std::string("x.jpg\tCode128\t0109501101530003") + kGs + "10LOT");
    barcode.text.clear();
    EXPECT_EQ(format_decode_line("x.jpg", barcode), "x.jpg\tCode128\t");
}

TEST(BarcodeFormats, NamesRoundTripAndConfigSpellingsParse) {
    for (drivers::BarcodeFormat format :
         {drivers::BarcodeFormat::Code128, drivers::BarcodeFormat::QrCode,
          drivers::BarcodeFormat::DataMatrix, drivers::BarcodeFormat::Ean13,
          drivers::BarcodeFormat::Ean8, drivers::BarcodeFormat::UpcA, drivers::BarcodeFormat::UpcE,
          drivers::BarcodeFormat::Code39, drivers::BarcodeFormat::Itf,
          drivers::BarcodeFormat::DataBar, drivers::BarcodeFormat::Pdf417,
          drivers::BarcodeFormat::Aztec}) {
        auto parsed = parse_barcode_format(to_string(format));
        ASSERT_TRUE(parsed.ok()) << to_string(format);
        EXPECT_EQ(parsed.value(), format);
    }
    EXPECT_EQ(parse_barcode_format("ean13").value(), drivers::BarcodeFormat::Ean13);
    EXPECT_EQ(parse_barcode_format("upc_a").value(), drivers::BarcodeFormat::UpcA);
    EXPECT_EQ(parse_barcode_format("qr").value(), drivers::BarcodeFormat::QrCode);
    EXPECT_EQ(parse_barcode_format("CODE128").value(), drivers::BarcodeFormat::Code128);
    auto unknown = parse_barcode_format("maxicode");
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, "config.invalid");
    EXPECT_NE(unknown.error().message.find("maxicode"), std::string::npos);
    EXPECT_EQ(default_barcode_formats().size(), 7u);
}

}  // namespace
}  // namespace packline::drivers
