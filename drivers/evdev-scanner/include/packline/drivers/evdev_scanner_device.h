// A keyboard-wedge barcode scanner read from Linux evdev (/dev/input/eventN).
//
// The device is opened O_RDONLY|O_NONBLOCK|O_CLOEXEC and grabbed with
// EVIOCGRAB so scans never leak into a console or a desktop (devices.md §2.2).
// One thread polls the fd; the poll timeout drives the inter-key timeout.
// Raw bytes go to the optional Recorder, then to an EvdevDecoder.
//
// Health: Present while open; a read error, ENODEV, EOF or hang-up means
// "scanner unplugged" (Absent): the fd is released and reopened with backoff
// (250 ms doubling to 2 s) until the path comes back (Present again). A device
// that is missing at open() is not an error: open() succeeds, Absent is posted
// and the device keeps looking. Faulty (and retried like Absent): no read
// permission ("install the udev rules"), or another program holds the grab
// (EBUSY: every scan would go to it). Any other grab failure (a FIFO in tests)
// is noted in the Present detail and not fatal.
//
// Thread-safety: open()/close() from one thread (the station loop); close() may
// be called while the device thread is in poll(): it wakes it through an
// eventfd, joins it, and nothing is posted after close() returns.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "packline/drivers/detected_device.h"
#include "packline/drivers/evdev_decoder.h"
#include "packline/hardware/devices.h"

namespace packline::drivers {

class Recorder;

// "05e0:1200" -> {0x05e0, 0x1200}; nullopt unless two 1..4-digit hex numbers.
struct UsbId {
    std::uint16_t vendor = 0;
    std::uint16_t product = 0;
    friend bool operator==(const UsbId&, const UsbId&) = default;
};
std::optional<UsbId> parse_usb_id(std::string_view text);

struct EvdevScannerOptions {
    std::string id = "scanner";  // device id in events and logs
    // Which input device: an explicit path (best: /dev/input/by-id/usb-...-event-kbd,
    // stable across replugs) or, when empty, the first event device whose name
    // contains `match_name` (case-insensitive) and/or whose USB id is `match_usb_id`.
    // One of the three is required (never "any keyboard").
    std::string path;
    std::string match_name;
    std::optional<UsbId> match_usb_id;
    EvdevDecoderOptions decoding;  // layout, terminators, inter-key timeout, GS substitute
    bool grab = true;              // EVIOCGRAB (exclusive); see Health above
    Recorder* recorder = nullptr;  // not owned; outlives the device's open period
    std::chrono::milliseconds retry_initial{250};
    std::chrono::milliseconds retry_max{2000};
};

class EvdevScannerDevice final : public hardware::Scanner {
  public:
    // Settings are checked here ("scanner front: layout: unknown 'xx' ...").
    static Result<std::unique_ptr<EvdevScannerDevice>> create(EvdevScannerOptions options);
    ~EvdevScannerDevice() override;
    EvdevScannerDevice(const EvdevScannerDevice&) = delete;
    EvdevScannerDevice& operator=(const EvdevScannerDevice&) = delete;

    std::string id() const override;
    Status open(hardware::EventSink& sink) override;
    void close() override;

  private:
    struct State;
    explicit EvdevScannerDevice(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

// What detect_evdev_scanners() looks for beyond the built-in name and vendor
// hints ("scanner", "barcode", Honeywell, Zebra, ...).
struct EvdevDetectOptions {
    std::vector<UsbId> usb_ids;           // configured vid:pid pairs, always listed
    std::vector<std::string> name_hints;  // extra name substrings (case-insensitive)
};

// Keyboard-like input devices that look like scanners, from /sys/class/input
// and /dev/input/by-id. driver "evdev", id "evdev-<vid>:<pid>-eventN" (names
// the node, so not stable across replugs: configure `address` instead).
// `address` is the by-id path when there is one, else
// /dev/input/eventN; extra: "event", "vendor", "product", "by-id". Faulty when
// the event node is not readable ("no permission: install the udev rules").
std::vector<DetectedDevice> detect_evdev_scanners(const EvdevDetectOptions& options = {});

}  // namespace packline::drivers
