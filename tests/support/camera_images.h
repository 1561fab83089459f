// Test images for the camera: barcodes made with ZXing's writer (the same
// library that decodes them, so the symbols are correct by construction) and
// degraded with OpenCV the way a dock camera degrades them.
#pragma once

#define ZX_USE_UTF8 1
#include <ZXing/BitMatrix.h>
#include <ZXing/Matrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <unistd.h>

#include <filesystem>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <string>
#include <vector>

#include "packline/drivers/camera_decode.h"

namespace packline::testing {

// Code 128 writer escape for FNC1 (ZXing ODCode128Writer: U+00F1).
inline constexpr wchar_t kFnc1 = L'\u00f1';
inline constexpr char kGs = '\x1d';

// A grey barcode image (black on white) with a quiet zone of `margin` modules.
inline cv::Mat encode_barcode(ZXing::BarcodeFormat format, const std::wstring& text, int width,
                              int height, int margin = 10) {
    const ZXing::BitMatrix bits =
        ZXing::MultiFormatWriter(format).setMargin(margin).encode(text, width, height);
    const auto matrix = ZXing::ToMatrix<std::uint8_t>(bits, 0, 255);
    return cv::Mat(matrix.height(), matrix.width(), CV_8UC1,
                   const_cast<std::uint8_t*>(matrix.data()))
        .clone();
}

// A busy grey 1280x720 scene (blurred noise, a box, printed text) standing in
// for a packing table; `label` (if any) is pasted at `at`.
inline cv::Mat scene(const cv::Mat& label = {}, cv::Point at = {480, 220},
                     cv::Size size = {1280, 720}) {
    cv::Mat frame(size, CV_8UC1);
    cv::RNG random(7);
    random.fill(frame, cv::RNG::NORMAL, 120, 30);
    cv::GaussianBlur(frame, frame, {0, 0}, 3);
    cv::rectangle(frame, {60, 80}, {360, 520}, cv::Scalar(200), cv::FILLED);
    cv::rectangle(frame, {900, 400}, {1200, 680}, cv::Scalar(40), 8);
    cv::putText(frame, "SHIP TO: ACME LTD, 12 HARBOUR ROAD", {60, 640}, cv::FONT_HERSHEY_SIMPLEX,
                1.2, cv::Scalar(20), 2);
    cv::putText(frame, "FRAGILE 1/2 ||| ||| |||", {420, 120}, cv::FONT_HERSHEY_DUPLEX, 1.5,
                cv::Scalar(230), 3);
    if (!label.empty()) label.copyTo(frame(cv::Rect(at, label.size())));
    return frame;
}

// Turns `image` by `degrees` (counter-clockwise) on white paper, growing the canvas.
inline cv::Mat rotated(const cv::Mat& image, double degrees) {
    const cv::Point2f centre(static_cast<float>(image.cols) / 2.0f,
                             static_cast<float>(image.rows) / 2.0f);
    cv::Mat turn = cv::getRotationMatrix2D(centre, degrees, 1.0);
    const cv::Rect2f box =
        cv::RotatedRect(centre, image.size(), static_cast<float>(degrees)).boundingRect2f();
    turn.at<double>(0, 2) += static_cast<double>(box.width - centre.x * 2.0f) / 2.0;
    turn.at<double>(1, 2) += static_cast<double>(box.height - centre.y * 2.0f) / 2.0;
    cv::Mat out;
    cv::warpAffine(image, out, turn, box.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                   cv::Scalar(255));
    return out;
}

inline cv::Mat blurred(const cv::Mat& image, double sigma) {
    cv::Mat out;
    cv::GaussianBlur(image, out, {0, 0}, sigma);
    return out;
}

inline cv::Mat noisy(const cv::Mat& image, double sigma, std::uint64_t seed = 11) {
    cv::Mat noise(image.size(), CV_16SC1);
    cv::RNG random(seed);
    random.fill(noise, cv::RNG::NORMAL, 0, sigma);
    cv::Mat wide;
    image.convertTo(wide, CV_16SC1);
    wide += noise;
    cv::Mat out;
    wide.convertTo(out, CV_8UC1);  // saturates
    return out;
}

// Maps black..white onto low..high (a faded thermal label under poor light).
inline cv::Mat low_contrast(const cv::Mat& image, int low, int high) {
    cv::Mat out;
    image.convertTo(out, CV_8UC1, (high - low) / 255.0, low);
    return out;
}

inline std::vector<drivers::DecodedBarcode> decode(const cv::Mat& grey_or_bgr,
                                                   const drivers::DecodeOptions& options = {}) {
    const drivers::PixelView view{
        grey_or_bgr.data, grey_or_bgr.cols, grey_or_bgr.rows, static_cast<int>(grey_or_bgr.step[0]),
        grey_or_bgr.channels() == 3 ? drivers::PixelFormat::Bgr : drivers::PixelFormat::Grey};
    return drivers::decode_frame(view, options);
}

inline std::vector<std::string> scans_of(const std::vector<drivers::DecodedBarcode>& barcodes) {
    std::vector<std::string> scans;
    for (const auto& barcode : barcodes)
        scans.push_back(barcode.scan);
    return scans;
}

// Writes grey frames as an MJPG .avi (BGR, as a camera would deliver them).
inline bool write_mjpg(const std::string& path, const std::vector<cv::Mat>& frames,
                       double fps = 10) {
    if (frames.empty()) return false;
    cv::VideoWriter writer(path, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), fps,
                           frames.front().size());
    if (!writer.isOpened()) return false;
    for (const cv::Mat& frame : frames) {
        cv::Mat colour;
        cv::cvtColor(frame, colour, cv::COLOR_GRAY2BGR);
        writer.write(colour);
    }
    writer.release();
    return true;
}

// A fresh directory under the temp dir, removed by the destructor.
class TempDir {
  public:
    TempDir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "packline-camera-XXXXXX").string();
        path_ = ::mkdtemp(pattern.data()) != nullptr ? pattern : std::string();
    }
    ~TempDir() {
        std::error_code ignored;
        if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

  private:
    std::string path_;
};

}  // namespace packline::testing
