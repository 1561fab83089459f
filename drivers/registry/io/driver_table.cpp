// The driver table: one descriptor per family, with the options it takes
// (defaults read from the drivers' own option structs), how it opens, finds
// and records its devices. The only file that names concrete drivers.
#include <algorithm>

#include "families.h"
#include "packline/drivers/camera_plugin.h"
#include "packline/drivers/cups_printer.h"
#include "packline/drivers/evdev_scanner_device.h"
#include "packline/drivers/hid_scale_device.h"
#include "packline/drivers/hid_scanner_device.h"
#include "packline/drivers/registry.h"
#include "packline/drivers/replay_device.h"
#include "packline/drivers/serial_port.h"
#include "packline/drivers/serial_scale_device.h"
#include "packline/drivers/serial_scanner_device.h"
#include "packline/drivers/usb_detect.h"
#include "packline/hardware/simulated_indicator.h"
#include "packline/hardware/simulated_label_printer.h"
#include "packline/hardware/simulated_scale.h"
#include "packline/hardware/simulated_scanner.h"

namespace packline::drivers {
namespace {

using hardware::DeviceKind;
using K = DeviceKind;
using T = OptionType;

const std::vector<std::string> kSerialProtocols{"mt-sics", "nci", "toledo", "cas"};

std::string number_text(long long value) {
    return std::to_string(value);
}
std::string flag_text(bool value) {
    return value ? "true" : "false";
}

template <typename Device>
Result<Devices> one(Result<std::unique_ptr<Device>> made, const std::string& where) {
    if (!made.ok()) return made.error().context(where);
    Devices devices;
    devices.push_back(std::move(made.value()));
    return devices;
}

std::string device_id(const CreateOptions& create, DeviceKind kind) {
    return create.id.empty() ? std::string(config_word(kind)) : create.id;
}

// Opens `descriptor` for `kind` with no options (what `auto` does).
Result<Devices> open_plain(const std::string& driver, DeviceKind kind, const CreateOptions& create,
                           const std::string& where) {
    const DriverDescriptor* descriptor = find_driver(driver, kind);
    auto options = DriverOptions::parse(where, descriptor->options, {});
    if (!options.ok()) return options.error();
    return descriptor->open(kind, options.value(), create);
}

// --- USB HID POS scales and scanners ---------------------------------------

std::vector<OptionSpec> usb_selection_options(bool detach_default) {
    return {
        {"usb_id", T::Text, "", "VID:PID in hex (\"0922:8003\"): only this model", 0, 0},
        {"usb_address", T::Text, "", "BUS/ADDRESS (\"001/004\"): only this port", 0, 0},
        {"usb_table", T::Text, "", "a VID:PID table file replacing the built-in one", 0, 0},
        {"detach_kernel_driver", T::Flag, flag_text(detach_default),
         "detach the kernel's usbhid before claiming the device", 0, 0},
    };
}

// HidScaleOptions and HidScannerOptions have the same USB selection fields.
template <typename Settings>
Status read_usb_selection(const DriverOptions& options, Settings& settings) {
    if (auto text = options.text("usb_id"); !text.empty()) {
        settings.vid_pid = parse_usb_vid_pid(text);
        if (!settings.vid_pid)
            return options.invalid("usb_id must be VID:PID in hex, got '" + text + "'");
    }
    if (auto text = options.text("usb_address"); !text.empty()) {
        settings.bus_address = parse_usb_bus_address(text);
        if (!settings.bus_address)
            return options.invalid("usb_address must be BUS/ADDRESS, got '" + text + "'");
    }
    settings.usb_table_path = options.text("usb_table");
    options.flag("detach_kernel_driver", settings.detach_kernel_driver);
    return {};
}

Result<Devices> open_hid_scale(DeviceKind, const DriverOptions& options,
                               const CreateOptions& create) {
    HidScaleOptions settings;
    settings.id = device_id(create, DeviceKind::Scale);
    settings.recorder = create.recorder;
    if (auto status = read_usb_selection(options, settings); !status.ok()) return status.error();
    return one(HidScaleDevice::create(settings), options.where());
}

Result<Devices> open_hid_scanner(DeviceKind, const DriverOptions& options,
                                 const CreateOptions& create) {
    HidScannerOptions settings;
    settings.id = device_id(create, DeviceKind::Scanner);
    settings.recorder = create.recorder;
    if (auto status = read_usb_selection(options, settings); !status.ok()) return status.error();
    return one(HidScannerDevice::create(settings), options.where());
}

// --- keyboard-wedge scanners -------------------------------------------------

std::vector<OptionSpec> evdev_options() {
    const EvdevScannerOptions defaults;
    std::vector<OptionSpec> options{
        {"path", T::Text, "", "the input device (/dev/input/by-id/...-event-kbd)", 0, 0},
        {"name", T::Text, "", "a substring of the input device's name", 0, 0},
        {"usb_id", T::Text, "", "VID:PID in hex; path, name or usb_id is needed", 0, 0},
    };
    for (const OptionSpec& spec : evdev_decoding_options())
        options.push_back(spec);
    options.push_back({"grab", T::Flag, flag_text(defaults.grab),
                       "take the device for the station alone (EVIOCGRAB)", 0, 0});
    return options;
}

Result<Devices> open_evdev(DeviceKind, const DriverOptions& options, const CreateOptions& create) {
    EvdevScannerOptions settings;
    settings.id = device_id(create, DeviceKind::Scanner);
    settings.recorder = create.recorder;
    settings.path = options.text("path");
    settings.match_name = options.text("name");
    if (auto text = options.text("usb_id"); !text.empty()) {
        settings.match_usb_id = parse_usb_id(text);
        if (!settings.match_usb_id)
            return options.invalid("usb_id must be VID:PID in hex, got '" + text + "'");
    }
    read_evdev_decoding(options, settings.decoding);
    options.flag("grab", settings.grab);
    if (settings.path.empty() && settings.match_name.empty() && !settings.match_usb_id)
        return options.invalid("evdev needs path, name or usb_id (see `packline devices`)");
    return one(EvdevScannerDevice::create(settings), options.where());
}

// `auto`: every input device whose name or maker says scanner.
Result<Devices> open_found_wedges(DeviceKind kind, const CreateOptions& create,
                                  const std::string& where) {
    Devices devices;
    int index = 0;
    for (const DetectedDevice& found : detect_evdev_scanners()) {
        if (found.address.empty()) continue;
        CreateOptions evdev = create;
        evdev.id = (create.id.empty() ? "scanner-wedge" : create.id + "-wedge") +
                   (index++ ? "-" + std::to_string(index) : "");
        const DriverDescriptor* descriptor = find_driver("evdev", kind);
        auto options = DriverOptions::parse(where, descriptor->options, {{"path", found.address}});
        if (!options.ok()) return options.error();
        auto made = open_evdev(kind, options.value(), evdev);
        if (!made.ok()) return made.error();
        for (auto& device : made.value())
            devices.push_back(std::move(device));
    }
    return devices;
}

std::map<std::string, std::string> evdev_recording(DeviceKind, const DeviceOptions& options) {
    std::map<std::string, std::string> header{{"family", "evdev"}};
    for (const OptionSpec& spec : evdev_decoding_options())
        if (auto found = options.find(spec.name); found != options.end())
            header[spec.name] = found->second;
    return header;
}

// --- serial scales and scanners ----------------------------------------------

std::vector<OptionSpec> serial_scale_options() {
    const SerialScaleOptions defaults;
    return {
        {"path", T::Text, "", "the tty (/dev/ttyUSB0, /dev/serial/by-id/...); needed", 0, 0},
        {"protocol", T::Text, defaults.protocol, "mt-sics, nci, toledo or cas", 0, 0},
        {"baud", T::Number, "", "the protocol's by default (9600 for each of the four)", 300,
         230400},
        {"framing", T::Text, "",
         "data bits, parity, stop bits; the protocol's by default (MT-SICS and CAS 8N1, NCI "
         "and Toledo 7E1)",
         0, 0},
        {"poll_ms", T::Number, number_text(defaults.poll_interval_ms),
         "request/response protocols: time between weight requests", 20, 60000},
        {"response_timeout_ms", T::Number, number_text(defaults.response_timeout_ms),
         "a request unanswered after this is a timeout", 20, 60000},
    };
}

Result<Devices> open_serial_scale(DeviceKind, const DriverOptions& options,
                                  const CreateOptions& create) {
    SerialScaleOptions settings;
    settings.id = device_id(create, DeviceKind::Scale);
    settings.recorder = create.recorder;
    settings.path = options.text("path");
    settings.protocol = options.text("protocol", settings.protocol);
    if (options.given("baud")) {
        int baud = 9600;
        options.number("baud", baud);
        settings.baud = baud;
    }
    settings.framing = options.text("framing");
    options.number("poll_ms", settings.poll_interval_ms);
    options.number("response_timeout_ms", settings.response_timeout_ms);
    if (settings.path.empty()) return options.invalid("serial needs path (e.g. /dev/ttyUSB0)");
    if (std::find(kSerialProtocols.begin(), kSerialProtocols.end(), settings.protocol) ==
        kSerialProtocols.end())
        return options.invalid("protocol must be mt-sics, nci, toledo or cas, got '" +
                               settings.protocol + "'");
    return one(SerialScaleDevice::create(settings), options.where());
}

std::vector<OptionSpec> serial_scanner_options() {
    const SerialScannerOptions defaults;
    return {
        {"path", T::Text, "", "the tty (/dev/ttyACM0, /dev/serial/by-id/...); needed", 0, 0},
        {"baud", T::Number, number_text(defaults.baud),
         "matters behind a USB-serial adapter, not for CDC-ACM", 300, 230400},
        {"framing", T::Text, defaults.framing, "data bits, parity, stop bits", 0, 0},
    };
}

Result<Devices> open_serial_scanner(DeviceKind, const DriverOptions& options,
                                    const CreateOptions& create) {
    SerialScannerOptions settings;
    settings.id = device_id(create, DeviceKind::Scanner);
    settings.recorder = create.recorder;
    settings.path = options.text("path");
    options.number("baud", settings.baud);
    settings.framing = options.text("framing", settings.framing);
    if (settings.path.empty()) return options.invalid("serial needs path (e.g. /dev/ttyACM0)");
    return one(SerialScannerDevice::create(settings), options.where());
}

// --- CUPS ----------------------------------------------------------------------

std::vector<OptionSpec> cups_options() {
    const CupsPrinterOptions defaults;
    return {
        {"destination", T::Text, "", "the CUPS queue; the CUPS default destination if left out", 0,
         0},
        {"server", T::Text, "", "host:port or a socket; CUPS_SERVER / client.conf if left out", 0,
         0},
        {"job_timeout_ms", T::Number, number_text(defaults.job_timeout.count()),
         "a job not completed by then has failed", 1000, 600000},
        {"status_poll_ms", T::Number, number_text(defaults.status_poll_interval.count()),
         "how often the printer's state is asked", 100, 60000},
    };
}

Result<Devices> open_cups(DeviceKind, const DriverOptions& options, const CreateOptions& create) {
    CupsPrinterOptions settings;
    settings.id = device_id(create, DeviceKind::LabelPrinter);
    settings.destination = options.text("destination");
    settings.server = options.text("server");
    options.millis("job_timeout_ms", settings.job_timeout);
    options.millis("status_poll_ms", settings.status_poll_interval);
    Devices devices;
    devices.push_back(std::make_unique<CupsPrinter>(settings));
    return devices;
}

// A family that cannot be asked at all is listed absent, with the reason.
struct Unreachable {
    DeviceKind kind;
    const char* driver;
    const char* name;
    const char* address;
    const char* matched_by;
};

std::vector<DetectedDevice> listed_absent(const Unreachable& family, const Error& why) {
    DetectedDevice entry;
    entry.kind = family.kind;
    entry.driver = entry.id = family.driver;
    entry.name = family.name;
    entry.address = family.address;
    entry.matched_by = family.matched_by;
    entry.health = hardware::DeviceHealth::Absent;
    entry.detail = why.message;
    return {entry};
}

std::vector<DetectedDevice> detect_cups() {
    auto printers = list_cups_destinations();
    if (printers.ok()) return std::move(printers.value());
    return listed_absent({DeviceKind::LabelPrinter, "cups", "CUPS", "cupsd",
                          "CUPS client settings (CUPS_SERVER, client.conf)"},
                         printers.error());
}

// --- camera (a plugin: camera_plugin.h) ---------------------------------------

std::vector<OptionSpec> camera_options() {
    return {
        {"source", T::Text, kDefaultCameraSource,
         "a V4L2 device, an index, a video file or an image sequence (dir/frame_%03d.png)", 0, 0},
        {"width", T::Number, "0", "requested frame width (V4L2); 0: as delivered", 0, 8192},
        {"height", T::Number, "0", "requested frame height (V4L2); 0: as delivered", 0, 8192},
        {"frame_interval_ms", T::Number, number_text(kDefaultFrameIntervalMs),
         "at most one decode per interval", 1, 10000},
        {"repeat_window_ms", T::Number, number_text(kDefaultRepeatWindowMs),
         "the same code is not posted again until out of view this long", 0, 60000},
        {"loop", T::Flag, "false", "files and sequences: start again at the end", 0, 0},
        {"photo_directory", T::Text, "", "where evidence photos go", 0, 0},
    };
}

Result<Devices> open_camera(DeviceKind, const DriverOptions& options, const CreateOptions& create) {
    auto plugin = load_camera_plugin();
    if (!plugin.ok()) return plugin.error().context(options.where());
    CameraOptions settings = plugin.value()->default_options();
    settings.id = device_id(create, DeviceKind::Camera);
    settings.source = options.text("source", settings.source);
    options.number("width", settings.width);
    options.number("height", settings.height);
    options.millis("frame_interval_ms", settings.frame_interval);
    options.millis("repeat_window_ms", settings.repeat_window);
    options.flag("loop", settings.loop);
    settings.photo_directory = options.text("photo_directory");
    return one(plugin.value()->create(settings), options.where());
}

std::vector<DetectedDevice> detect_camera_devices() {
    // Cameras only when the camera driver can be loaded.
    auto plugin = load_camera_plugin();
    if (plugin.ok()) return plugin.value()->detect(CameraDetectOptions{});
    return listed_absent(
        {DeviceKind::Camera, "camera", "Cameras (V4L2)", "/dev/video*", "the camera driver plugin"},
        plugin.error());
}

// --- replay, simulated, auto, none ---------------------------------------------

std::vector<OptionSpec> replay_options() {
    const ReplayOptions defaults;
    return {
        {"recording", T::Text, "", "a file from `packline devices record`; needed", 0, 0},
        {"speed", T::Decimal, "1", "2 plays twice as fast; 0 plays without waiting", 0, 1000},
        {"loop", T::Flag, flag_text(defaults.loop), "start again at the end", 0, 0},
        {"start_delay_ms", T::Number, number_text(defaults.start_delay_ms),
         "wait this long after opening before the first chunk", 0, 3600000},
    };
}

Result<Devices> open_recording(DeviceKind kind, const DriverOptions& options,
                               const CreateOptions& create) {
    ReplayOptions settings;
    settings.id = create.id;
    const std::string path = options.text("recording");
    options.decimal("speed", settings.speed);
    options.flag("loop", settings.loop);
    options.number("start_delay_ms", settings.start_delay_ms);
    if (path.empty())
        return options.invalid("replay needs recording (a file from `packline devices record`)");
    auto device = open_replay(path, settings);
    if (!device.ok()) return device.error().context(options.where());
    if (device.value()->kind() != kind)
        return options.invalid(path + " records a " +
                               std::string(config_word(device.value()->kind())) + ", not a " +
                               std::string(config_word(kind)));
    Devices devices;
    devices.push_back(std::move(device.value()));
    return devices;
}

Result<Devices> open_simulated(DeviceKind kind, const DriverOptions&, const CreateOptions& create) {
    const std::string id = create.id.empty() ? "sim-" + std::string(config_word(kind)) : create.id;
    Devices devices;
    switch (kind) {
        case DeviceKind::Scanner:
            devices.push_back(std::make_unique<hardware::SimulatedScanner>(id));
            break;
        case DeviceKind::Scale:
            devices.push_back(std::make_unique<hardware::SimulatedScale>(id));
            break;
        case DeviceKind::LabelPrinter:
            devices.push_back(std::make_unique<hardware::SimulatedLabelPrinter>(id));
            break;
        case DeviceKind::Indicator:
            devices.push_back(std::make_unique<hardware::SimulatedIndicator>(id));
            break;
        case DeviceKind::Camera:
            break;  // not in the descriptor's kinds
    }
    return devices;
}

// "auto": every family of the kind that finds its devices unaided, in table order.
Result<Devices> open_auto(DeviceKind kind, const DriverOptions& options,
                          const CreateOptions& create) {
    Devices devices;
    for (const DriverDescriptor& descriptor : driver_table()) {
        if (!descriptor.open_found || std::find(descriptor.kinds.begin(), descriptor.kinds.end(),
                                                kind) == descriptor.kinds.end())
            continue;
        auto made = descriptor.open_found(kind, create, options.where());
        if (!made.ok()) return made.error();
        for (auto& device : made.value())
            devices.push_back(std::move(device));
    }
    return devices;
}

Result<Devices> open_none(DeviceKind, const DriverOptions&, const CreateOptions&) {
    return Devices{};
}

}  // namespace

const std::vector<OptionSpec>& evdev_decoding_options() {
    static const std::vector<OptionSpec> options = [] {
        const EvdevDecoderOptions defaults;
        return std::vector<OptionSpec>{
            {"layout", T::Text, defaults.layout, "the scanner's keyboard country: us, de, fr", 0,
             0},
            {"tab_terminates", T::Flag, flag_text(defaults.tab_terminates),
             "Tab ends a scan (Enter always does)", 0, 0},
            {"timeout_ms", T::Number, number_text(defaults.inter_key_timeout_ms),
             "silence between keys that ends a scan without a terminator", 5, 5000},
            {"gs_substitute", T::Text, "", "one character the scanner types for GS (FNC1), e.g. ~",
             0, 0},
            {"gs_on_f12", T::Flag, flag_text(defaults.gs_on_f12),
             "F12 types GS (function key emulation)", 0, 0},
        };
    }();
    return options;
}

void read_evdev_decoding(const DriverOptions& options, EvdevDecoderOptions& decoding) {
    decoding.layout = options.text("layout", decoding.layout);
    options.flag("tab_terminates", decoding.tab_terminates);
    options.number("timeout_ms", decoding.inter_key_timeout_ms);
    decoding.gs_substitute = options.text("gs_substitute", decoding.gs_substitute);
    options.flag("gs_on_f12", decoding.gs_on_f12);
}

const std::vector<DriverDescriptor>& driver_table() {
    const std::vector<K> every{K::Scanner, K::Scale, K::LabelPrinter, K::Camera, K::Indicator};
    static const std::vector<DriverDescriptor> table{
        DriverDescriptor{
            "hid-scale",
            {K::Scale},
            "USB HID POS scales (usage page 0x8D) through libusb",
            usb_selection_options(HidScaleOptions{}.detach_kernel_driver),
            open_hid_scale,
            [](DeviceKind kind, const CreateOptions& create, const std::string& where) {
                return open_plain("hid-scale", kind, create, where);
            },
            [] { return detect_usb_devices(); },  // HID POS scales and scanners both
            [](DeviceKind, const DeviceOptions&) {
                return std::map<std::string, std::string>{{"family", "hid-scale"}};
            }},
        DriverDescriptor{
            "hid-scanner",
            {K::Scanner},
            "USB HID POS barcode scanners (usage page 0x8C)",
            usb_selection_options(HidScannerOptions{}.detach_kernel_driver),
            open_hid_scanner,
            [](DeviceKind kind, const CreateOptions& create, const std::string& where) {
                CreateOptions hid = create;
                hid.id = create.id.empty() ? "scanner-hid" : create.id + "-hid";
                return open_plain("hid-scanner", kind, hid, where);
            },
            nullptr,
            [](DeviceKind, const DeviceOptions&) {
                return std::map<std::string, std::string>{{"family", "hid-scanner"}};
            }},
        DriverDescriptor{"evdev",
                         {K::Scanner},
                         "keyboard-wedge scanners (/dev/input/event*), grabbed",
                         evdev_options(),
                         open_evdev,
                         open_found_wedges,
                         [] { return detect_evdev_scanners(); },
                         evdev_recording},
        DriverDescriptor{"serial",
                         {K::Scale},
                         "serial and USB-serial scales (mt-sics, nci, toledo, cas)",
                         serial_scale_options(),
                         open_serial_scale,
                         nullptr,
                         [] { return detect_serial_ports(); },
                         [](DeviceKind, const DeviceOptions& options) {
                             auto protocol = options.find("protocol");
                             return std::map<std::string, std::string>{
                                 {"family",
                                  protocol == options.end() ? "mt-sics" : protocol->second}};
                         }},
        DriverDescriptor{"serial",
                         {K::Scanner},
                         "CDC-ACM and serial scanners (a code per line)",
                         serial_scanner_options(),
                         open_serial_scanner,
                         nullptr,
                         nullptr,
                         [](DeviceKind, const DeviceOptions&) {
                             return std::map<std::string, std::string>{{"family", "line-scanner"}};
                         }},
        DriverDescriptor{
            "cups",
            {K::LabelPrinter},
            "label printers through CUPS (raw ZPL or PDF/PNG)",
            cups_options(),
            open_cups,
            [](DeviceKind kind, const CreateOptions& create, const std::string& where) {
                return open_plain("cups", kind, create, where);
            },
            detect_cups,
            nullptr},
        DriverDescriptor{"camera",
                         {K::Camera},
                         "OpenCV capture + ZXing decode (V4L2, video file, images)",
                         camera_options(),
                         open_camera,
                         nullptr,
                         detect_camera_devices,
                         nullptr},
        DriverDescriptor{"replay",
                         {K::Scanner, K::Scale},
                         "a recording from `packline devices record`",
                         replay_options(),
                         open_recording,
                         nullptr,
                         nullptr,
                         nullptr},
        DriverDescriptor{"simulated",
                         {K::Scanner, K::Scale, K::LabelPrinter, K::Indicator},
                         "the demo bench (scans and weights from standard input)",
                         {},
                         open_simulated,
                         nullptr,
                         nullptr,
                         nullptr},
        DriverDescriptor{
            "auto",
            every,
            "find the kind's devices: HID POS + wedge scanners, HID scales, the CUPS default",
            {},
            open_auto,
            nullptr,
            nullptr,
            // A scale on auto is a HID POS scale; scanners on auto may be several.
            [](DeviceKind kind, const DeviceOptions&) {
                return kind == K::Scale
                           ? std::map<std::string, std::string>{{"family", "hid-scale"}}
                           : std::map<std::string, std::string>{};
            }},
        DriverDescriptor{
            "none", every, "leave the kind out", {}, open_none, nullptr, nullptr, nullptr},
    };
    return table;
}

}  // namespace packline::drivers
