#include "packline/drivers/registry.h"

#include <algorithm>
#include <charconv>

#include "packline/drivers/camera_plugin.h"
#include "packline/drivers/cups_printer.h"
#include "packline/drivers/evdev_decoder.h"
#include "packline/drivers/evdev_scanner_device.h"
#include "packline/drivers/hid_scale_decoder.h"
#include "packline/drivers/hid_scale_device.h"
#include "packline/drivers/hid_scanner_decoder.h"
#include "packline/drivers/hid_scanner_device.h"
#include "packline/drivers/replay_device.h"
#include "packline/drivers/serial_decoders.h"
#include "packline/drivers/serial_port.h"
#include "packline/drivers/serial_scale_device.h"
#include "packline/drivers/serial_scanner_device.h"
#include "packline/drivers/usb_detect.h"
#include "packline/hardware/simulated_indicator.h"
#include "packline/hardware/simulated_label_printer.h"
#include "packline/hardware/simulated_scale.h"
#include "packline/hardware/simulated_scanner.h"
#include "packline/nearest_name.h"

namespace packline::drivers {
namespace {

using hardware::DeviceKind;
using Devices = std::vector<std::unique_ptr<hardware::Device>>;

const std::vector<std::string> kSerialProtocols{"mt-sics", "nci", "toledo", "cas"};

// Reads options out of the configured map, remembering which were used so
// that a misspelt option is an error rather than silently ignored.
class OptionReader {
  public:
    OptionReader(std::string where, const DeviceOptions& options)
        : where_(std::move(where)), options_(options) {}

    std::string text(const std::string& key, std::string fallback = {}) {
        used_.push_back(key);
        auto found = options_.find(key);
        return found == options_.end() ? fallback : found->second;
    }

    bool has(const std::string& key) const { return options_.count(key) != 0; }

    template <typename T>
    void number(const std::string& key, T& target, long long min, long long max) {
        used_.push_back(key);
        auto found = options_.find(key);
        if (found == options_.end()) return;
        long long value = 0;
        const std::string& given = found->second;
        auto [end, error] = std::from_chars(given.data(), given.data() + given.size(), value);
        if (error != std::errc() || end != given.data() + given.size() || value < min ||
            value > max) {
            fail(key + " must be a whole number from " + std::to_string(min) + " to " +
                 std::to_string(max) + ", got '" + given + "'");
            return;
        }
        target = static_cast<T>(value);
    }

    void millis(const std::string& key, std::chrono::milliseconds& target, long long min,
                long long max) {
        long long value = target.count();
        number(key, value, min, max);
        target = std::chrono::milliseconds(value);
    }

    void flag(const std::string& key, bool& target) {
        used_.push_back(key);
        auto found = options_.find(key);
        if (found == options_.end()) return;
        if (found->second == "true" || found->second == "yes" || found->second == "1")
            target = true;
        else if (found->second == "false" || found->second == "no" || found->second == "0")
            target = false;
        else
            fail(key + " must be true or false, got '" + found->second + "'");
    }

    void fail(const std::string& message) {
        if (!error_) error_ = Error("devices.invalid", where_ + ": " + message);
    }

    // The first problem, or an unknown option with the accepted ones listed.
    Status finish() {
        for (const auto& [key, value] : options_)
            if (std::find(used_.begin(), used_.end(), key) == used_.end()) {
                if (used_.empty())
                    return Error("devices.invalid", where_ + ": unknown option '" + key +
                                                        "' (this driver takes none)");
                const std::vector<std::string_view> accepted(used_.begin(), used_.end());
                return Error(
                    "devices.invalid",
                    where_ + ": " + text::unknown_name_message("option", key, "", accepted));
            }
        if (error_) return *error_;
        return {};
    }

    const std::string& where() const { return where_; }

  private:
    std::string where_;
    const DeviceOptions& options_;
    std::vector<std::string> used_;
    std::optional<Error> error_;
};

template <typename Device>
Result<Devices> one(Result<std::unique_ptr<Device>> made, const std::string& where) {
    if (!made.ok()) return made.error().context(where);
    Devices devices;
    devices.push_back(std::move(made.value()));
    return devices;
}

Result<Devices> finish_one(OptionReader& reader, auto make) {
    if (auto status = reader.finish(); !status.ok()) return status.error();
    return one(make(), reader.where());
}

std::string device_id(const CreateOptions& create, DeviceKind kind) {
    return create.id.empty() ? std::string(config_word(kind)) : create.id;
}

// The options HID POS scales and scanners share (HidScaleOptions and
// HidScannerOptions have the same USB selection fields).
template <typename Options>
void read_usb_selection(OptionReader& options, Options& settings) {
    if (auto text = options.text("usb_id"); !text.empty()) {
        settings.vid_pid = parse_usb_vid_pid(text);
        if (!settings.vid_pid) options.fail("usb_id must be VID:PID in hex, got '" + text + "'");
    }
    if (auto text = options.text("usb_address"); !text.empty()) {
        settings.bus_address = parse_usb_bus_address(text);
        if (!settings.bus_address)
            options.fail("usb_address must be BUS/ADDRESS, got '" + text + "'");
    }
    settings.usb_table_path = options.text("usb_table");
    options.flag("detach_kernel_driver", settings.detach_kernel_driver);
}

Result<Devices> make_hid_scale(OptionReader& options, const CreateOptions& create) {
    HidScaleOptions settings;
    settings.id = device_id(create, DeviceKind::Scale);
    settings.recorder = create.recorder;
    read_usb_selection(options, settings);
    return finish_one(options, [&] { return HidScaleDevice::create(settings); });
}

Result<Devices> make_hid_scanner(OptionReader& options, const CreateOptions& create) {
    HidScannerOptions settings;
    settings.id = device_id(create, DeviceKind::Scanner);
    settings.recorder = create.recorder;
    read_usb_selection(options, settings);
    return finish_one(options, [&] { return HidScannerDevice::create(settings); });
}

void read_evdev_decoding(OptionReader& options, EvdevDecoderOptions& decoding) {
    decoding.layout = options.text("layout", decoding.layout);
    options.flag("tab_terminates", decoding.tab_terminates);
    options.number("timeout_ms", decoding.inter_key_timeout_ms, 5, 5000);
    decoding.gs_substitute = options.text("gs_substitute", decoding.gs_substitute);
    options.flag("gs_on_f12", decoding.gs_on_f12);
}

Result<Devices> make_evdev(OptionReader& options, const CreateOptions& create) {
    EvdevScannerOptions settings;
    settings.id = device_id(create, DeviceKind::Scanner);
    settings.recorder = create.recorder;
    settings.path = options.text("path");
    settings.match_name = options.text("name");
    if (auto text = options.text("usb_id"); !text.empty()) {
        settings.match_usb_id = parse_usb_id(text);
        if (!settings.match_usb_id)
            options.fail("usb_id must be VID:PID in hex, got '" + text + "'");
    }
    read_evdev_decoding(options, settings.decoding);
    options.flag("grab", settings.grab);
    if (settings.path.empty() && settings.match_name.empty() && !settings.match_usb_id)
        options.fail("evdev needs path, name or usb_id (see `packline devices`)");
    return finish_one(options, [&] { return EvdevScannerDevice::create(settings); });
}

Result<Devices> make_serial_scale(OptionReader& options, const CreateOptions& create) {
    SerialScaleOptions settings;
    settings.id = device_id(create, DeviceKind::Scale);
    settings.recorder = create.recorder;
    settings.path = options.text("path");
    settings.protocol = options.text("protocol", settings.protocol);
    if (options.has("baud")) {
        int baud = 9600;
        options.number("baud", baud, 300, 230400);
        settings.baud = baud;
    } else {
        options.text("baud");
    }
    settings.framing = options.text("framing");
    options.number("poll_ms", settings.poll_interval_ms, 20, 60000);
    options.number("response_timeout_ms", settings.response_timeout_ms, 20, 60000);
    if (settings.path.empty()) options.fail("serial needs path (e.g. /dev/ttyUSB0)");
    if (std::find(kSerialProtocols.begin(), kSerialProtocols.end(), settings.protocol) ==
        kSerialProtocols.end())
        options.fail("protocol must be mt-sics, nci, toledo or cas, got '" + settings.protocol +
                     "'");
    return finish_one(options, [&] { return SerialScaleDevice::create(settings); });
}

Result<Devices> make_serial_scanner(OptionReader& options, const CreateOptions& create) {
    SerialScannerOptions settings;
    settings.id = device_id(create, DeviceKind::Scanner);
    settings.recorder = create.recorder;
    settings.path = options.text("path");
    options.number("baud", settings.baud, 300, 230400);
    settings.framing = options.text("framing", settings.framing);
    if (settings.path.empty()) options.fail("serial needs path (e.g. /dev/ttyACM0)");
    return finish_one(options, [&] { return SerialScannerDevice::create(settings); });
}

Result<Devices> make_cups(OptionReader& options, const CreateOptions& create) {
    CupsPrinterOptions settings;
    settings.id = device_id(create, DeviceKind::LabelPrinter);
    settings.destination = options.text("destination");
    settings.server = options.text("server");
    options.millis("job_timeout_ms", settings.job_timeout, 1000, 600000);
    options.millis("status_poll_ms", settings.status_poll_interval, 100, 60000);
    if (auto status = options.finish(); !status.ok()) return status.error();
    Devices devices;
    devices.push_back(std::make_unique<CupsPrinter>(settings));
    return devices;
}

Result<Devices> make_camera(OptionReader& options, const CreateOptions& create) {
    auto plugin = load_camera_plugin();
    if (!plugin.ok()) return plugin.error().context(options.where());
    CameraOptions settings = plugin.value()->default_options();
    settings.id = device_id(create, DeviceKind::Camera);
    settings.source = options.text("source", settings.source);
    options.number("width", settings.width, 0, 8192);
    options.number("height", settings.height, 0, 8192);
    options.millis("frame_interval_ms", settings.frame_interval, 1, 10000);
    options.millis("repeat_window_ms", settings.repeat_window, 0, 60000);
    options.flag("loop", settings.loop);
    settings.photo_directory = options.text("photo_directory");
    if (auto status = options.finish(); !status.ok()) return status.error();
    return one(plugin.value()->create(settings), options.where());
}

Result<Devices> make_replay(OptionReader& options, const CreateOptions& create, DeviceKind kind) {
    ReplayOptions settings;
    settings.id = create.id;
    const std::string path = options.text("recording");
    std::string speed = options.text("speed", "1");
    options.flag("loop", settings.loop);
    options.number("start_delay_ms", settings.start_delay_ms, 0, 3600000);
    try {
        settings.speed = std::stod(speed);
    } catch (...) {
        options.fail("speed must be a number, got '" + speed + "'");
    }
    if (path.empty())
        options.fail("replay needs recording (a file from `packline devices record`)");
    if (auto status = options.finish(); !status.ok()) return status.error();
    auto device = open_replay(path, settings);
    if (!device.ok()) return device.error().context(options.where());
    if (device.value()->kind() != kind)
        return Error("devices.invalid", options.where() + ": " + path + " records a " +
                                            std::string(config_word(device.value()->kind())) +
                                            ", not a " + std::string(config_word(kind)));
    Devices devices;
    devices.push_back(std::move(device.value()));
    return devices;
}

Result<Devices> make_simulated(OptionReader& options, const CreateOptions& create,
                               DeviceKind kind) {
    if (auto status = options.finish(); !status.ok()) return status.error();
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
            return Error("devices.invalid", options.where() +
                                                ": there is no simulated camera; use driver "
                                                "\"camera\" with an image sequence as source");
    }
    return devices;
}

// "auto": every driver of the kind that can find its device unaided.
Result<Devices> make_auto(OptionReader& options, const CreateOptions& create, DeviceKind kind) {
    if (auto status = options.finish(); !status.ok()) return status.error();
    Devices devices;
    auto add = [&](Result<Devices> made) -> Status {
        if (!made.ok()) return made.error();
        for (auto& device : made.value())
            devices.push_back(std::move(device));
        return {};
    };
    const DeviceOptions none;
    switch (kind) {
        case DeviceKind::Scanner: {
            CreateOptions hid = create;
            hid.id = create.id.empty() ? "scanner-hid" : create.id + "-hid";
            OptionReader hid_options(options.where(), none);
            if (auto status = add(make_hid_scanner(hid_options, hid)); !status.ok())
                return status.error();
            // Keyboard-wedge scanners are found by name ("barcode", "scanner"...).
            auto wedges = detect_evdev_scanners();
            int index = 0;
            for (const DetectedDevice& found : wedges) {
                if (found.address.empty()) continue;
                DeviceOptions wedge{{"path", found.address}};
                CreateOptions evdev = create;
                evdev.id = (create.id.empty() ? "scanner-wedge" : create.id + "-wedge") +
                           (index++ ? "-" + std::to_string(index) : "");
                OptionReader wedge_options(options.where(), wedge);
                if (auto status = add(make_evdev(wedge_options, evdev)); !status.ok())
                    return status.error();
            }
            break;
        }
        case DeviceKind::Scale: {
            OptionReader hid_options(options.where(), none);
            if (auto status = add(make_hid_scale(hid_options, create)); !status.ok())
                return status.error();
            break;
        }
        case DeviceKind::LabelPrinter: {
            OptionReader cups_options(options.where(), none);
            if (auto status = add(make_cups(cups_options, create)); !status.ok())
                return status.error();
            break;
        }
        case DeviceKind::Camera:
        case DeviceKind::Indicator:
            break;  // optional devices: only when configured
    }
    return devices;
}

bool serves(const DriverInfo& driver, DeviceKind kind) {
    return std::find(driver.kinds.begin(), driver.kinds.end(), kind) != driver.kinds.end();
}

}  // namespace

const std::vector<DriverInfo>& driver_table() {
    using K = DeviceKind;
    static const std::vector<DriverInfo> table{
        {"hid-scale",
         {K::Scale},
         "USB HID POS scales (usage page 0x8D) through libusb",
         {"usb_id", "usb_address", "usb_table", "detach_kernel_driver"}},
        {"hid-scanner",
         {K::Scanner},
         "USB HID POS barcode scanners (usage page 0x8C)",
         {"usb_id", "usb_address", "usb_table", "detach_kernel_driver"}},
        {"evdev",
         {K::Scanner},
         "keyboard-wedge scanners (/dev/input/event*), grabbed",
         {"path", "name", "usb_id", "layout", "tab_terminates", "timeout_ms", "gs_substitute",
          "gs_on_f12", "grab"}},
        {"serial",
         {K::Scale, K::Scanner},
         "serial and USB-serial scales (mt-sics, nci, toledo, cas) and CDC-ACM scanners",
         {"path", "protocol", "baud", "framing", "poll_ms", "response_timeout_ms"}},
        {"cups",
         {K::LabelPrinter},
         "label printers through CUPS (raw ZPL or PDF/PNG)",
         {"destination", "server", "job_timeout_ms", "status_poll_ms"}},
        {"camera",
         {K::Camera},
         "OpenCV capture + ZXing decode (V4L2, video file, images)",
         {"source", "width", "height", "frame_interval_ms", "repeat_window_ms", "loop",
          "photo_directory"}},
        {"replay",
         {K::Scanner, K::Scale},
         "a recording from `packline devices record`",
         {"recording", "speed", "loop", "start_delay_ms"}},
        {"simulated",
         {K::Scanner, K::Scale, K::LabelPrinter, K::Indicator},
         "the demo bench (stdin scanner, scripted scale)",
         {}},
        {"auto",
         {K::Scanner, K::Scale, K::LabelPrinter, K::Camera, K::Indicator},
         "find the kind's devices: HID POS + wedge scanners, HID scales, CUPS default",
         {}},
        {"none",
         {K::Scanner, K::Scale, K::LabelPrinter, K::Camera, K::Indicator},
         "leave the kind out",
         {}},
    };
    return table;
}

Result<DeviceKind> parse_device_kind(std::string_view word) {
    for (DeviceKind kind : {DeviceKind::Scanner, DeviceKind::Scale, DeviceKind::LabelPrinter,
                            DeviceKind::Camera, DeviceKind::Indicator})
        if (config_word(kind) == word) return kind;
    return Error("devices.invalid", "unknown device kind '" + std::string(word) +
                                        "' (scanner, scale, printer, camera, indicator)");
}

std::string_view config_word(DeviceKind kind) {
    switch (kind) {
        case DeviceKind::Scanner:
            return "scanner";
        case DeviceKind::Scale:
            return "scale";
        case DeviceKind::LabelPrinter:
            return "printer";
        case DeviceKind::Camera:
            return "camera";
        case DeviceKind::Indicator:
            return "indicator";
    }
    return "device";
}

Result<std::vector<std::unique_ptr<hardware::Device>>> create_devices(DeviceKind kind,
                                                                      const std::string& driver,
                                                                      const DeviceOptions& options,
                                                                      const CreateOptions& create) {
    const std::string where = "devices." + std::string(config_word(kind));
    auto entry = std::find_if(driver_table().begin(), driver_table().end(),
                              [&](const DriverInfo& info) { return info.name == driver; });
    if (entry == driver_table().end() || !serves(*entry, kind)) {
        std::string accepted;
        for (const DriverInfo& info : driver_table())
            if (serves(info, kind)) accepted += (accepted.empty() ? "" : ", ") + info.name;
        return Error("devices.invalid",
                     where + ": " +
                         (entry == driver_table().end() ? "unknown driver '" : "driver '") +
                         driver +
                         (entry == driver_table().end()
                              ? "'"
                              : "' cannot be a " + std::string(config_word(kind))) +
                         " (" + accepted + ")");
    }
    OptionReader reader(where + " (" + driver + ")", options);
    if (driver == "none") {
        if (auto status = reader.finish(); !status.ok()) return status.error();
        return Devices{};
    }
    if (driver == "auto") return make_auto(reader, create, kind);
    if (driver == "simulated") return make_simulated(reader, create, kind);
    if (driver == "replay") return make_replay(reader, create, kind);
    if (driver == "hid-scale") return make_hid_scale(reader, create);
    if (driver == "hid-scanner") return make_hid_scanner(reader, create);
    if (driver == "evdev") return make_evdev(reader, create);
    if (driver == "serial")
        return kind == DeviceKind::Scale ? make_serial_scale(reader, create)
                                         : make_serial_scanner(reader, create);
    if (driver == "cups") return make_cups(reader, create);
    if (driver == "camera") return make_camera(reader, create);
    return Error("devices.invalid", where + ": driver '" + driver + "' has no factory");
}

std::vector<DetectedDevice> detect_devices() {
    std::vector<DetectedDevice> found;
    auto append = [&](std::vector<DetectedDevice> more) {
        for (auto& device : more)
            found.push_back(std::move(device));
    };
    append(detect_usb_devices());
    append(detect_evdev_scanners());
    append(detect_serial_ports());
    // A family that cannot be asked at all is listed absent, with the reason.
    auto unreachable = [&](DeviceKind kind, const std::string& driver, const std::string& name,
                           const std::string& address, const std::string& matched_by,
                           const Error& error) {
        DetectedDevice entry;
        entry.kind = kind;
        entry.driver = driver;
        entry.id = driver;
        entry.name = name;
        entry.address = address;
        entry.matched_by = matched_by;
        entry.health = hardware::DeviceHealth::Absent;
        entry.detail = error.message;
        found.push_back(std::move(entry));
    };
    if (auto printers = list_cups_destinations(); printers.ok())
        append(std::move(printers.value()));
    else
        unreachable(DeviceKind::LabelPrinter, "cups", "CUPS", "cupsd",
                    "CUPS client settings (CUPS_SERVER, client.conf)", printers.error());
    // Cameras only when the camera driver can be loaded.
    if (auto plugin = load_camera_plugin(); plugin.ok())
        append(plugin.value()->detect(CameraDetectOptions{}));
    else
        unreachable(DeviceKind::Camera, "camera", "Cameras (V4L2)", "/dev/video*",
                    "the camera driver plugin", plugin.error());
    return found;
}

Result<std::unique_ptr<StreamDecoder>> make_decoder(const std::string& family,
                                                    const std::string& device_id,
                                                    const DeviceOptions& options) {
    if (family == "hid-scale")
        return std::unique_ptr<StreamDecoder>(new HidScaleDecoder(device_id));
    if (family == "hid-scanner")
        return std::unique_ptr<StreamDecoder>(new HidScannerDecoder(device_id));
    if (family == "evdev") {
        // The recording's header carries the layout and friends; other
        // header keys (model, notes, ...) are not decoder options.
        DeviceOptions decoding;
        for (const char* key :
             {"layout", "tab_terminates", "timeout_ms", "gs_substitute", "gs_on_f12"})
            if (options.count(key)) decoding[key] = options.at(key);
        OptionReader reader("recording (evdev)", decoding);
        EvdevDecoderOptions settings;
        read_evdev_decoding(reader, settings);
        if (auto status = reader.finish(); !status.ok()) return status.error();
        return make_evdev_decoder(device_id, settings);
    }
    if (family == "line-scanner" || std::find(kSerialProtocols.begin(), kSerialProtocols.end(),
                                              family) != kSerialProtocols.end()) {
        auto decoder = make_serial_decoder(family, device_id);
        if (!decoder.ok()) return decoder.error();
        return std::unique_ptr<StreamDecoder>(std::move(decoder.value()));
    }
    return Error("recording.invalid",
                 "unknown recording family '" + family +
                     "' (hid-scale, hid-scanner, evdev, mt-sics, nci, toledo, cas, line-scanner)");
}

Result<DeviceKind> family_kind(const std::string& family) {
    if (family == "hid-scale" || family == "mt-sics" || family == "nci" || family == "toledo" ||
        family == "cas")
        return DeviceKind::Scale;
    if (family == "hid-scanner" || family == "evdev" || family == "line-scanner")
        return DeviceKind::Scanner;
    return Error("recording.invalid",
                 "unknown recording family '" + family +
                     "' (hid-scale, hid-scanner, evdev, mt-sics, nci, toledo, cas, line-scanner)");
}

Result<std::map<std::string, std::string>> recording_header(DeviceKind kind,
                                                            const std::string& driver,
                                                            const DeviceOptions& options) {
    std::map<std::string, std::string> header;
    if (driver == "hid-scale" || (driver == "auto" && kind == DeviceKind::Scale)) {
        header["family"] = "hid-scale";
    } else if (driver == "hid-scanner") {
        header["family"] = "hid-scanner";
    } else if (driver == "evdev") {
        header["family"] = "evdev";
        for (const char* key :
             {"layout", "tab_terminates", "timeout_ms", "gs_substitute", "gs_on_f12"})
            if (options.count(key)) header[key] = options.at(key);
    } else if (driver == "serial") {
        header["family"] = kind == DeviceKind::Scale
                               ? (options.count("protocol") ? options.at("protocol") : "mt-sics")
                               : "line-scanner";
    } else {
        return Error("devices.invalid",
                     "devices." + std::string(config_word(kind)) + ": driver '" + driver +
                         "' cannot be recorded (hid-scale, hid-scanner, evdev, serial can; "
                         "for a scanner on auto, name the driver)");
    }
    header["device"] = std::string(config_word(kind));
    if (options.count("path")) header["path"] = options.at("path");
    return header;
}

}  // namespace packline::drivers
