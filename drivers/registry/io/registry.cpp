#include "packline/drivers/registry.h"

#include <algorithm>

#include "families.h"
#include "packline/drivers/evdev_decoder.h"
#include "packline/drivers/hid_scale_decoder.h"
#include "packline/drivers/hid_scanner_decoder.h"
#include "packline/drivers/recording_errors.h"
#include "packline/drivers/registry_errors.h"
#include "packline/drivers/serial_decoders.h"

namespace packline::drivers {
namespace {

using hardware::DeviceKind;

const std::vector<std::string> kSerialFamilies{"mt-sics", "nci", "toledo", "cas"};

bool serves(const DriverDescriptor& driver, DeviceKind kind) {
    return std::find(driver.kinds.begin(), driver.kinds.end(), kind) != driver.kinds.end();
}

}  // namespace

const DriverDescriptor* find_driver(const std::string& driver, DeviceKind kind) {
    for (const DriverDescriptor& descriptor : driver_table())
        if (descriptor.name == driver && serves(descriptor, kind)) return &descriptor;
    return nullptr;
}

Result<DeviceKind> parse_device_kind(std::string_view word) {
    for (DeviceKind kind : {DeviceKind::Scanner, DeviceKind::Scale, DeviceKind::LabelPrinter,
                            DeviceKind::Camera, DeviceKind::Indicator})
        if (config_word(kind) == word) return kind;
    return Error(errors::kDevicesInvalid, "unknown device kind '" + std::string(word) +
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

Result<Devices> create_devices(DeviceKind kind, const std::string& driver,
                               const DeviceOptions& options, const CreateOptions& create) {
    const std::string where = "devices." + std::string(config_word(kind));
    const DriverDescriptor* descriptor = find_driver(driver, kind);
    if (descriptor == nullptr) {
        const bool known =
            std::any_of(driver_table().begin(), driver_table().end(),
                        [&](const DriverDescriptor& info) { return info.name == driver; });
        std::string accepted;
        for (const DriverDescriptor& info : driver_table())
            if (serves(info, kind)) accepted += (accepted.empty() ? "" : ", ") + info.name;
        return Error(errors::kDevicesInvalid,
                     where + ": " + (known ? "driver '" : "unknown driver '") + driver +
                         (known ? "' cannot be a " + std::string(config_word(kind)) : "'") + " (" +
                         accepted + ")");
    }
    auto checked = DriverOptions::parse(where + " (" + driver + ")", descriptor->options, options);
    if (!checked.ok()) return checked.error();
    return descriptor->open(kind, checked.value(), create);
}

std::vector<DetectedDevice> detect_devices() {
    std::vector<DetectedDevice> found;
    for (const DriverDescriptor& descriptor : driver_table()) {
        if (!descriptor.detect) continue;
        for (DetectedDevice& device : descriptor.detect())
            found.push_back(std::move(device));
    }
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
        for (const OptionSpec& spec : evdev_decoding_options())
            if (auto found = options.find(spec.name); found != options.end())
                decoding[spec.name] = found->second;
        auto checked =
            DriverOptions::parse("recording (evdev)", evdev_decoding_options(), decoding);
        if (!checked.ok()) return checked.error();
        EvdevDecoderOptions settings;
        read_evdev_decoding(checked.value(), settings);
        return make_evdev_decoder(device_id, settings);
    }
    if (family == "line-scanner" || std::find(kSerialFamilies.begin(), kSerialFamilies.end(),
                                              family) != kSerialFamilies.end()) {
        auto decoder = make_serial_decoder(family, device_id);
        if (!decoder.ok()) return decoder.error();
        return std::unique_ptr<StreamDecoder>(std::move(decoder.value()));
    }
    return Error(errors::kRecordingInvalid,
                 "unknown recording family '" + family +
                     "' (hid-scale, hid-scanner, evdev, mt-sics, nci, toledo, cas, line-scanner)");
}

Result<DeviceKind> family_kind(const std::string& family) {
    if (family == "hid-scale" || family == "mt-sics" || family == "nci" || family == "toledo" ||
        family == "cas")
        return DeviceKind::Scale;
    if (family == "hid-scanner" || family == "evdev" || family == "line-scanner")
        return DeviceKind::Scanner;
    return Error(errors::kRecordingInvalid,
                 "unknown recording family '" + family +
                     "' (hid-scale, hid-scanner, evdev, mt-sics, nci, toledo, cas, line-scanner)");
}

Result<std::map<std::string, std::string>> recording_header(DeviceKind kind,
                                                            const std::string& driver,
                                                            const DeviceOptions& options) {
    const DriverDescriptor* descriptor = find_driver(driver, kind);
    std::map<std::string, std::string> header;
    if (descriptor != nullptr && descriptor->recording)
        header = descriptor->recording(kind, options);
    if (header.empty()) {
        std::string recordable;
        for (const DriverDescriptor& info : driver_table())
            if (info.recording && info.name != "auto" &&
                recordable.find(info.name) == std::string::npos)
                recordable += (recordable.empty() ? "" : ", ") + info.name;
        return Error(errors::kDevicesInvalid, "devices." + std::string(config_word(kind)) +
                                                  ": driver '" + driver + "' cannot be recorded (" +
                                                  recordable +
                                                  " can; for a scanner on auto, name the driver)");
    }
    header["device"] = std::string(config_word(kind));
    if (options.count("path")) header["path"] = options.at("path");
    return header;
}

}  // namespace packline::drivers
