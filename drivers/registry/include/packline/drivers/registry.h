// The one table of device drivers: a descriptor per family (name, device
// kinds, options with types, defaults and help, how it opens, finds and
// records its devices). The daemon and the `packline` tool name a driver by
// its table name and hand it options from the configuration; only the table
// (io/driver_table.cpp) knows the concrete driver classes (habit: the daemon
// never names a concrete driver).
//
//   kind       driver        what it opens
//   scanner    hid-scanner   USB HID POS scanners (usage page 0x8C), libusb
//   scanner    evdev         keyboard-wedge scanners (/dev/input/event*)
//   scanner    serial        serial / CDC-ACM scanners (a code per line)
//   scale      hid-scale     USB HID POS scales (usage page 0x8D), libusb
//   scale      serial        MT-SICS, NCI/SCP, Toledo continuous, CAS scales
//   printer    cups          CUPS queues (raw ZPL, or PDF/PNG to driver queues)
//   camera     camera        V4L2 device, video file or image sequence
//   any        replay        a device recording played back (bug reports, tests)
//   any        simulated     the demo bench
//   scanner    auto          hid-scanner + evdev (name-matched), whichever is there
//   scale      auto          hid-scale (any HID POS scale)
//   printer    auto          cups, the default destination
//   camera     auto/none     none unless configured
//
// Thread-bound: create_devices() and detect_devices() run on the caller's
// thread; the devices they return follow packline/hardware/devices.h.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "packline/drivers/detected_device.h"
#include "packline/drivers/driver_options.h"
#include "packline/drivers/recording.h"
#include "packline/drivers/stream_decoder.h"
#include "packline/error.h"
#include "packline/hardware/devices.h"

namespace packline::drivers {

using Devices = std::vector<std::unique_ptr<hardware::Device>>;

struct CreateOptions {
    std::string id;                // device id prefix; default: the kind's config word
    Recorder* recorder = nullptr;  // record what the device sends (one device only)
};

// One driver family: what it is, what it takes, how it opens, finds and
// records its devices. The registry loops over these; nothing else names a
// driver.
struct DriverDescriptor {
    std::string name;                         // "serial"
    std::vector<hardware::DeviceKind> kinds;  // what it can be configured as
    std::string summary;                      // one line for `packline devices --drivers`
    std::vector<OptionSpec> options;          // everything it accepts

    // Opens the devices of `kind` from checked options.
    std::function<Result<Devices>(hardware::DeviceKind kind, const DriverOptions& options,
                                  const CreateOptions& create)>
        open;
    // Under `auto`: opens what the family finds unaided (none when empty).
    std::function<Result<Devices>(hardware::DeviceKind kind, const CreateOptions& create,
                                  const std::string& where)>
        open_found;
    // What `packline devices` lists for this family (none when empty).
    std::function<std::vector<DetectedDevice>()> detect;
    // The recording header's family for a device of `kind` ("mt-sics",
    // "evdev", ...) and the decoder options it carries; empty when the
    // family sends nothing to record.
    std::function<std::map<std::string, std::string>(hardware::DeviceKind kind,
                                                     const DeviceOptions& options)>
        recording;
};

// The table, in the order `auto` tries drivers and `packline devices` lists
// what they find. A name may appear once per kind ("serial" for scales and
// for scanners, with different options).
const std::vector<DriverDescriptor>& driver_table();

// The descriptor of `driver` for `kind`, if there is one.
const DriverDescriptor* find_driver(const std::string& driver, hardware::DeviceKind kind);

// "scanner", "scale", "printer", "camera", "indicator" (config words).
Result<hardware::DeviceKind> parse_device_kind(std::string_view word);
std::string_view config_word(hardware::DeviceKind kind);

// Makes the devices for one configured kind: usually one, two for a scanner
// on "auto", none for "none". Unknown drivers and options, and bad values,
// are errors that say what would be accepted ("devices.scale: unknown option
// 'pth' for driver serial (path, protocol, baud, ...)").
Result<Devices> create_devices(hardware::DeviceKind kind, const std::string& driver,
                               const DeviceOptions& options, const CreateOptions& create = {});

// Everything the drivers can find on this machine, present or not usable:
// USB HID scales and scanners, input devices that look like scanners, serial
// ports, CUPS queues, cameras. Never fails: a family that cannot look (no
// cupsd, no /sys) adds an entry saying why.
std::vector<DetectedDevice> detect_devices();

// The decoder for a recording's `family` header: hid-scale, hid-scanner,
// evdev, mt-sics, nci, toledo, cas, line-scanner. `options` are the
// recording's header (e.g. layout: de for evdev).
Result<std::unique_ptr<StreamDecoder>> make_decoder(const std::string& family,
                                                    const std::string& device_id,
                                                    const DeviceOptions& options = {});

// The header a recording of this device needs to be replayed: its family
// (hid-scale, evdev, mt-sics, ...) and the decoder options (layout, ...).
// Errors for drivers that send nothing to record (cups, camera, simulated).
Result<std::map<std::string, std::string>> recording_header(hardware::DeviceKind kind,
                                                            const std::string& driver,
                                                            const DeviceOptions& options);

// Which device kind a recording family produces.
Result<hardware::DeviceKind> family_kind(const std::string& family);

}  // namespace packline::drivers
