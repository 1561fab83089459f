#include "packline/drivers/camera_device.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "packline/base_errors.h"
#include "packline/drivers/camera_errors.h"
#include "packline/drivers/camera_repeat_filter.h"
#include "packline/drivers/image_header.h"
#include "packline/durable_file.h"
#include "packline/hardware/device_errors.h"
#include "packline/hardware/simulated_post.h"

namespace packline::drivers {
namespace {

using hardware::DeviceHealth;

bool all_digits(const std::string& text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A live camera (V4L2) as opposed to a file or image sequence used as a fake.
bool is_live(const std::string& source) {
    return all_digits(source) || source.starts_with("/dev/");
}

struct OpenAttempt {
    std::optional<cv::VideoCapture> capture;
    DeviceHealth health = DeviceHealth::Absent;
    std::string detail;
};

// Frames as decode_frame() takes them; nullopt when the frame cannot be decoded.
std::optional<PixelView> view_of(const cv::Mat& frame, cv::Mat& scratch) {
    if (frame.empty() || frame.depth() != CV_8U) return std::nullopt;
    const cv::Mat* source = &frame;
    if (frame.channels() == 4) {
        cv::cvtColor(frame, scratch, cv::COLOR_BGRA2GRAY);
        source = &scratch;
    } else if (frame.channels() != 1 && frame.channels() != 3) {
        return std::nullopt;
    }
    return PixelView{source->data, source->cols, source->rows, static_cast<int>(source->step[0]),
                     source->channels() == 3 ? PixelFormat::Bgr : PixelFormat::Grey};
}

// Why the file at `path` cannot be a camera source, when its header
// declares more than kMaxImagePixels; nullopt otherwise (other formats are
// measured when opened). The first MiB holds the header of any JPEG but one
// with unusually large metadata.
std::optional<std::string> oversized_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::vector<std::uint8_t> head(1u << 20);
    in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    const auto dimensions = read_image_dimensions(head);
    if (!dimensions ||
        static_cast<std::uint64_t>(dimensions->width) * dimensions->height <= kMaxImagePixels)
        return std::nullopt;
    return "camera source " + path + ": " + std::to_string(dimensions->width) + "x" +
           std::to_string(dimensions->height) + " pixels (" + std::string(dimensions->format) +
           ") is over the limit of 40 megapixels";
}

}  // namespace

struct CameraDevice::State {
    CameraOptions options;
    bool live = false;

    std::mutex mutex;  // guards sink, closing and the thread handle
    std::condition_variable wake;
    bool closing = false;
    hardware::EventSink* sink = nullptr;
    std::thread thread;

    std::mutex frame_mutex;  // guards latest_frame (take_photo runs on any thread)
    cv::Mat latest_frame;

    // Capture-thread only.
    std::optional<cv::VideoCapture> capture;
    bool was_present = false;
    bool ended = false;  // a file source without loop reached its end
    int frames_since_open = 0;
    std::optional<std::pair<DeviceHealth, std::string>> last_status;
    RepeatFilter repeats;

    explicit State(CameraOptions options_)
        : options(std::move(options_)),
          live(is_live(options.source)),
          repeats(options.repeat_window) {}

    // Sleeps up to `timeout`; true when close() asked us to stop.
    bool wait_for_close(std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex);
        wake.wait_for(lock, timeout, [this] { return closing; });
        return closing;
    }

    bool is_closing() {
        std::lock_guard lock(mutex);
        return closing;
    }

    void post(const hardware::DeviceEvent& event) {
        std::unique_lock lock(mutex);
        hardware::post_until_stopped(*sink, event, lock, wake, closing);
    }

    void report(DeviceHealth health, const std::string& detail) {
        auto status = std::make_pair(health, detail);
        if (last_status == status) return;
        last_status = status;
        post(hardware::DeviceStatusEvent{options.id, hardware::DeviceKind::Camera, health, detail,
                                         hardware::now_ms()});
    }

    OpenAttempt try_open() const {
        OpenAttempt attempt;
        const std::string& source = options.source;
        const bool pattern = source.find('%') != std::string::npos;
        if (!all_digits(source) && !pattern) {
            struct stat info {};
            if (::stat(source.c_str(), &info) != 0) {
                attempt.detail = !live         ? "camera source not found: " + source
                                 : was_present ? "camera unplugged: " + source + " is gone"
                                               : "camera not found: " + source;
                return attempt;
            }
            if (::access(source.c_str(), R_OK) != 0) {
                attempt.health = DeviceHealth::Faulty;
                attempt.detail = "no permission to read " + source +
                                 (live ? ": add the user to the video group" : "");
                return attempt;
            }
        }
        // A still image or a video file as the source: its declared size is
        // checked before FFmpeg decodes a frame (image_header.h).
        if (!live && !pattern && !all_digits(source))
            if (auto refused = oversized_file(source)) {
                attempt.health = DeviceHealth::Faulty;
                attempt.detail = *refused;
                return attempt;
            }
        try {
            cv::VideoCapture opened;
            if (all_digits(source))
                opened.open(std::stoi(source), cv::CAP_V4L2);
            else if (live)
                opened.open(source, cv::CAP_V4L2);
            else  // FFmpeg reads both video files and %03d image sequences
                opened.open(source, cv::CAP_FFMPEG);
            if (!opened.isOpened()) {
                attempt.detail = "cannot open camera source " + source;
                return attempt;
            }
            if (live && options.width > 0 && options.height > 0) {
                opened.set(cv::CAP_PROP_FRAME_WIDTH, options.width);
                opened.set(cv::CAP_PROP_FRAME_HEIGHT, options.height);
            }
            // Videos and image sequences say their frame size when opened.
            const double width = opened.get(cv::CAP_PROP_FRAME_WIDTH);
            const double height = opened.get(cv::CAP_PROP_FRAME_HEIGHT);
            if (width * height > static_cast<double>(kMaxImagePixels)) {
                attempt.health = DeviceHealth::Faulty;
                attempt.detail = "camera source " + source + ": frames of " +
                                 std::to_string(static_cast<long long>(width)) + "x" +
                                 std::to_string(static_cast<long long>(height)) +
                                 " pixels are over the limit of 40 megapixels";
                return attempt;
            }
            attempt.capture = std::move(opened);
            attempt.health = DeviceHealth::Present;
        } catch (const std::exception& error) {
            attempt.detail = "cannot open camera source " + source + ": " + error.what();
        }
        return attempt;
    }

    void release() {
        if (!capture) return;
        try {
            capture->release();
        } catch (const std::exception&) {
            // Nothing to recover: the handle is dropped either way.
        }
        capture.reset();
    }

    // One frame into `frame`; false at the end of a file or when the camera stops.
    bool read(cv::Mat& frame, std::string& failure) {
        try {
            if (capture->read(frame) && !frame.empty()) return true;
            failure = "no frames from " + options.source;
        } catch (const std::exception& error) {
            failure = "reading " + options.source + ": " + error.what();
        }
        return false;
    }

    void decode(const cv::Mat& frame, std::int64_t at_ms, cv::Mat& scratch) {
        const auto view = view_of(frame, scratch);
        if (!view) return;
        std::vector<std::string> scans;
        for (const DecodedBarcode& barcode : decode_frame(*view, options.decoding))
            scans.push_back(barcode.scan);
        for (std::string& scan : repeats.admit(scans, at_ms))
            post(hardware::ScanEvent{options.id, std::move(scan), at_ms});
    }

    void keep(cv::Mat& frame) {
        std::lock_guard lock(frame_mutex);
        std::swap(latest_frame, frame);
    }

    void run() {
        auto retry = options.retry_initial;
        cv::Mat frame;
        cv::Mat scratch;
        auto next_frame_at = std::chrono::steady_clock::now();
        auto next_decode_at = next_frame_at;
        while (!is_closing()) {
            if (ended) {
                if (wait_for_close(std::chrono::hours(1))) break;
                continue;
            }
            if (!capture) {
                OpenAttempt attempt = try_open();
                if (!attempt.capture) {
                    report(attempt.health, attempt.detail);
                    if (wait_for_close(retry)) break;
                    retry = std::min(retry * 2, options.retry_max);
                    continue;
                }
                capture = std::move(attempt.capture);
                frames_since_open = 0;
            }

            if (!live) {
                // Files are paced like a camera: one frame per interval.
                const auto now = std::chrono::steady_clock::now();
                if (next_frame_at > now &&
                    wait_for_close(
                        std::chrono::ceil<std::chrono::milliseconds>(next_frame_at - now)))
                    break;
                // Never closer than the interval, even after a slow frame.
                next_frame_at = std::chrono::steady_clock::now() + options.frame_interval;
            }

            std::string failure;
            if (!read(frame, failure)) {
                const bool had_frames = frames_since_open > 0;
                release();
                if (!live && had_frames) {
                    if (options.loop) continue;  // reopen at the first frame
                    ended = true;
                    report(DeviceHealth::Absent, "camera source ended: " + options.source);
                    continue;
                }
                report(DeviceHealth::Absent,
                       was_present && live ? "camera unplugged: " + failure : failure);
                if (wait_for_close(retry)) break;
                retry = std::min(retry * 2, options.retry_max);
                continue;
            }
            ++frames_since_open;
            retry = options.retry_initial;
            // The frame becomes the photo frame first, so a photo can be taken
            // as soon as Present (or a scan) is seen. Only this thread writes
            // latest_frame, so it may read it below without the lock.
            keep(frame);
            if (frames_since_open == 1) {
                was_present = true;
                report(DeviceHealth::Present, "camera streaming: " + options.source + " (" +
                                                  std::to_string(latest_frame.cols) + "x" +
                                                  std::to_string(latest_frame.rows) + ")");
            }

            // Files are already paced: decode each of their frames. A live
            // camera delivers faster than we decode; a little slack keeps a
            // 10 fps rate from falling to 5 fps on jitter.
            const auto now = std::chrono::steady_clock::now();
            if (!live || now + options.frame_interval / 8 >= next_decode_at) {
                next_decode_at = now + options.frame_interval;
                decode(latest_frame, hardware::now_ms(), scratch);
            }
        }
        release();
    }
};

Result<std::unique_ptr<CameraDevice>> CameraDevice::create(CameraOptions options) {
    const std::string where = "camera " + options.id;
    if (options.source.empty()) return Error(errors::kConfigInvalid, where + ": source is empty");
    if (options.frame_interval.count() < 1)
        return Error(errors::kConfigInvalid, where + ": frame_interval must be positive");
    if (options.repeat_window.count() < 0)
        return Error(errors::kConfigInvalid, where + ": repeat_window must not be negative");
    if (options.width < 0 || options.height < 0)
        return Error(errors::kConfigInvalid, where + ": width and height must not be negative");
    if (options.photo_quality < 1 || options.photo_quality > 100)
        return Error(errors::kConfigInvalid, where + ": photo_quality must be 1..100");
    if (options.retry_initial.count() < 1 || options.retry_max < options.retry_initial)
        return Error(errors::kConfigInvalid, where + ": retry delays must be positive and ordered");
    return std::unique_ptr<CameraDevice>(
        new CameraDevice(std::make_unique<State>(std::move(options))));
}

CameraDevice::CameraDevice(std::unique_ptr<State> state) : state_(std::move(state)) {}

CameraDevice::~CameraDevice() {
    close();
}

std::string CameraDevice::id() const {
    return state_->options.id;
}

Status CameraDevice::open(hardware::EventSink& sink) {
    std::lock_guard lock(state_->mutex);
    if (state_->sink != nullptr)
        return Error(errors::kDeviceAlreadyOpen,
                     "camera " + state_->options.id + " is already open");
    state_->closing = false;
    state_->sink = &sink;
    state_->was_present = false;
    state_->ended = false;
    state_->last_status.reset();
    state_->repeats.reset();
    state_->thread = std::thread([state = state_.get()] { state->run(); });
    return {};
}

void CameraDevice::close() {
    {
        std::lock_guard lock(state_->mutex);
        if (state_->sink == nullptr) return;
        state_->closing = true;
        state_->wake.notify_all();
    }
    if (state_->thread.joinable()) state_->thread.join();
    {
        std::lock_guard lock(state_->frame_mutex);
        state_->latest_frame.release();
    }
    std::lock_guard lock(state_->mutex);
    state_->sink = nullptr;
}

Result<CameraPhoto> CameraDevice::take_photo(const std::string& path) {
    const std::string where = "camera " + state_->options.id + ": photo";
    cv::Mat frame;
    {
        std::lock_guard lock(state_->frame_mutex);
        if (state_->latest_frame.empty())
            return Error(errors::kCameraNoFrame,
                         where + ": no frame yet (camera closed or absent)");
        frame = state_->latest_frame.clone();
    }
    std::filesystem::path target(path);
    if (target.is_relative() && !state_->options.photo_directory.empty())
        target = std::filesystem::path(state_->options.photo_directory) / target;

    std::vector<std::uint8_t> jpeg;
    try {
        if (!cv::imencode(".jpg", frame, jpeg,
                          {cv::IMWRITE_JPEG_QUALITY, state_->options.photo_quality}))
            return Error(errors::kCameraPhoto, where + ": JPEG encoding failed");
    } catch (const std::exception& error) {
        return Error(errors::kCameraPhoto, where + ": JPEG encoding failed: " + error.what());
    }

    std::error_code ignored;
    if (target.has_parent_path())
        std::filesystem::create_directories(target.parent_path(), ignored);
    // Durable before the confirmation that names it commits: after a power
    // cut the photo is there whole or the parcel has none.
    const std::string_view bytes(reinterpret_cast<const char*>(jpeg.data()), jpeg.size());
    if (Status written = write_file_durably(target, bytes); !written.ok())
        return written.error().context(where);
    return CameraPhoto{target.string(), sha256_hex(jpeg), frame.cols, frame.rows};
}

}  // namespace packline::drivers
