// Value types that devices post to the station loop. Plain data, copyable,
// no behaviour: drivers fill them, the station core reads them.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

namespace packline::hardware {

enum class DeviceKind { Scanner, Scale, LabelPrinter, Camera, Indicator };

std::string_view to_string(DeviceKind kind);

// The wall clock (packline/clock.h), for devices that stamp what they post.
// Code that decides by time takes a packline::Clock instead.
std::int64_t now_ms();

// One decoded barcode. `data` is exactly what the device delivered, including
// an AIM symbology identifier ("]C1...") when the scanner sends one, and GS
// (0x1D) separators; interpretation belongs to the station's barcode layer.
struct ScanEvent {
    std::string device;
    std::string data;
    std::int64_t at_ms = 0;
    // Typed by the packer on the screen because the barcode would not read:
    // recorded as manual so supervisors see it; never accepted for badges
    // or for the label's scan-back.
    bool manual = false;
};

// The status a scale reports with each reading (HID POS usages 0x71..0x78,
// MT-SICS S/D, NCI status bits, Toledo SWB all map onto this).
enum class WeightStatus {
    Stable,     // settled; the only status a weight check may accept
    InMotion,   // still settling
    AtZero,     // stable at centre of zero
    UnderZero,  // negative reading
    Overload,   // over the scale's capacity
    Fault,      // needs calibration / re-zeroing / hardware fault
};

std::string_view to_string(WeightStatus status);

struct WeightReading {
    std::string device;
    double grams = 0.0;
    WeightStatus status = WeightStatus::Fault;
    std::int64_t at_ms = 0;
};

enum class PrintJobState { Queued, Printing, Completed, Failed };

std::string_view to_string(PrintJobState state);

struct PrintJobUpdate {
    std::string device;
    std::string job_id;
    PrintJobState state = PrintJobState::Queued;
    std::string detail;  // printer-state-reasons or error text when Failed
    std::int64_t at_ms = 0;
};

// What a device can do right now. Every driver reports one of these with a
// reason the packer can read ("scale unplugged", "printer: media-empty").
enum class DeviceHealth {
    Present,  // connected and working
    Absent,   // not connected (unplugged, never found, tty gone)
    Faulty,   // connected but not usable (paused printer, scale needs calibration)
};

std::string_view to_string(DeviceHealth health);

// A device appeared, left, or changed health (hotplug is normal).
struct DeviceStatusEvent {
    std::string device;
    DeviceKind kind = DeviceKind::Scanner;
    DeviceHealth health = DeviceHealth::Absent;
    std::string detail;  // the reason, in plain words
    std::int64_t at_ms = 0;
};

using DeviceEvent = std::variant<ScanEvent, WeightReading, PrintJobUpdate, DeviceStatusEvent>;

// Where devices post their events. Implementations are thread-safe: any device
// thread may call post() at any time.
class EventSink {
  public:
    virtual ~EventSink() = default;
    // Blocks while the queue is full; returns false once the sink is closed.
    virtual bool post(DeviceEvent event) = 0;
    // Never blocks; returns false when full or closed. For high-rate sources
    // (scale readings) where a newer value will follow anyway.
    virtual bool try_post(DeviceEvent event) = 0;
};

}  // namespace packline::hardware
