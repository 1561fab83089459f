// The device-kind interfaces. The station daemon only ever names these; it
// never names a concrete driver (real or simulated).
//
// Threading: open()/close() and the kind-specific calls are made from the
// station loop thread. Implementations may run their own threads, which only
// ever call EventSink::post()/try_post().
#pragma once

#include <memory>
#include <string>

#include "packline/error.h"
#include "packline/hardware/events.h"

namespace packline::hardware {

class Device {
  public:
    virtual ~Device() = default;
    virtual std::string id() const = 0;
    virtual DeviceKind kind() const = 0;
    // Starts delivering events to `sink`, which outlives the device's open period.
    virtual Status open(EventSink& sink) = 0;
    // Stops all device threads; no event is posted after close() returns.
    virtual void close() = 0;
};

// Delivers ScanEvents.
class Scanner : public Device {
  public:
    DeviceKind kind() const override { return DeviceKind::Scanner; }
};

// Delivers WeightReadings, at least on every change.
class Scale : public Device {
  public:
    DeviceKind kind() const override { return DeviceKind::Scale; }
    // Asks the scale to zero itself; not every scale can.
    virtual Status zero() = 0;
};

struct PrintJob {
    std::string title;
    std::string content_type;  // "application/vnd.zebra.zpl" for ZPL II
    std::string data;
};

// Accepts label jobs; progress arrives later as PrintJobUpdate events.
class LabelPrinter : public Device {
  public:
    DeviceKind kind() const override { return DeviceKind::LabelPrinter; }
    // Hands the job over; returns the printer's job id.
    virtual Result<std::string> submit(const PrintJob& job) = 0;
};

// A still photo as written to disk (the evidence of a packed parcel).
struct Photo {
    std::string path;    // where the JPEG is
    std::string sha256;  // lower-case hex of the file's bytes
    int width = 0;
    int height = 0;
};

// Delivers ScanEvents decoded from frames (label scan-back by camera), and
// takes stills of the packed parcel.
class Camera : public Device {
  public:
    DeviceKind kind() const override { return DeviceKind::Camera; }
    // Writes the latest frame as a JPEG to `path`. Callable from any thread.
    virtual Result<Photo> take_photo(const std::string& path) = 0;
};

// What the light tower / buzzer shows the packer.
enum class Signal { Idle, Working, Ok, Attention, Error };

std::string_view to_string(Signal signal);

class Indicator : public Device {
  public:
    DeviceKind kind() const override { return DeviceKind::Indicator; }
    virtual void show(Signal signal) = 0;
};

}  // namespace packline::hardware
