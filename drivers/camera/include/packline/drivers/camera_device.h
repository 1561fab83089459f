// A camera that reads barcodes (label scan-back, DESIGN.md "Express check")
// and takes the parcel evidence photo. OpenCV VideoCapture behind a pimpl.
//
// Sources: a V4L2 node ("/dev/video0") or index ("0"), a video file
// ("cam.avi") or an image sequence ("dir/frame_%03d.png"); files and
// sequences are the fakes the tests (and a demo station) use.
//
// One capture thread reads frames; at most one frame per `frame_interval` is
// decoded (decode_frame()), and what survives the RepeatFilter is posted as
// ScanEvent{id, scan string, at_ms}. Files and sequences are read at one frame
// per `frame_interval`, as if a camera delivered them.
//
// Health: Present once the source opens and gives frames. Absent when it
// cannot be opened ("camera not found: /dev/video0"), when frames stop coming
// ("camera unplugged: no frames from /dev/video0") -- then it is reopened with
// backoff (retry_initial doubling to retry_max) -- and when a file source
// without `loop` reaches its end ("camera source ended: cam.avi"; not
// reopened). Faulty when the device node exists but cannot be read. A source
// missing at open() is not an error: open() succeeds and Absent is posted.
// OpenCV exceptions are caught in the capture thread and reported as Absent.
//
// Thread-safety: open()/close() from one thread (the station loop); close()
// joins the capture thread (a V4L2 read in progress finishes first, normally
// one frame period) and nothing is posted after close() returns.
// take_photo() may be called from any thread at any time.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "packline/drivers/camera_decode.h"
#include "packline/drivers/detected_device.h"
#include "packline/hardware/devices.h"

namespace packline::drivers {

// Capture defaults, here so that the driver table can show them without
// linking the camera (a plugin).
inline constexpr const char* kDefaultCameraSource = "/dev/video0";
inline constexpr int kDefaultFrameIntervalMs = 100;
inline constexpr int kDefaultRepeatWindowMs = 1500;

struct CameraOptions {
    std::string id = "camera";                  // device id in events and logs
    std::string source = kDefaultCameraSource;  // device path, index, video file or "%03d" pattern
    int width = 0;  // requested frame size (V4L2 only); 0 = as delivered
    int height = 0;
    DecodeOptions decoding;  // formats and ZXing aids
    // At most one decode per interval (10/s by default); also the frame pace of files.
    std::chrono::milliseconds frame_interval{kDefaultFrameIntervalMs};
    // The same scan string is not posted again until it was out of view this long.
    std::chrono::milliseconds repeat_window{kDefaultRepeatWindowMs};
    bool loop = false;            // files/sequences: start again at the end
    std::string photo_directory;  // where relative take_photo() paths go; empty = as given
    int photo_quality = 90;       // JPEG quality 1..100
    std::chrono::milliseconds retry_initial{250};
    std::chrono::milliseconds retry_max{5000};
};

// An evidence photo as written (hardware::Photo: path, sha256, width, height).
using CameraPhoto = hardware::Photo;

class CameraDevice final : public hardware::Camera {
  public:
    // Settings are checked here ("camera dock: frame_interval must be positive").
    static Result<std::unique_ptr<CameraDevice>> create(CameraOptions options);
    ~CameraDevice() override;
    CameraDevice(const CameraDevice&) = delete;
    CameraDevice& operator=(const CameraDevice&) = delete;

    std::string id() const override;
    Status open(hardware::EventSink& sink) override;
    void close() override;

    // Writes the latest frame as a JPEG to `path` (relative paths go under
    // photo_directory). Errors: "camera.no_frame" (not open / no frame yet),
    // "camera.photo" (encode or write failed).
    Result<CameraPhoto> take_photo(const std::string& path) override;

  private:
    struct State;
    explicit CameraDevice(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

// Lower-case hex SHA-256 (FIPS 180-4) of `bytes`; used for evidence photos.
std::string sha256_hex(std::span<const std::uint8_t> bytes);

struct CameraDetectOptions {
    std::string sysfs_root = "/sys/class/video4linux";  // overridable for tests
    std::string dev_root = "/dev";
};

// V4L2 video nodes named in /sys/class/video4linux/*/name. Nodes whose
// VIDIOC_QUERYCAP says they cannot capture (metadata nodes of UVC cameras) are
// left out; nodes that cannot be opened are listed Faulty ("no permission to
// read /dev/video0: add the user to the video group"), a missing /dev node
// Absent. driver "camera", id "camera-video0", address "/dev/video0";
// extra: "capabilities" ("capture", "unknown"), "card", "bus" when queried.
std::vector<DetectedDevice> detect_cameras(const CameraDetectOptions& options = {});

}  // namespace packline::drivers
