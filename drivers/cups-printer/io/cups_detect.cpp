#include <optional>

#include "cups_ipp.h"
#include "packline/drivers/cups_printer.h"
#include "packline/drivers/cups_status.h"
#include "packline/hardware/device_errors.h"

namespace packline::drivers {
namespace {

// What cupsd calls a queue made with `lpadmin -m raw` (devices.md §4.3).
constexpr std::string_view kRawMakeAndModel = "Local Raw Printer";
constexpr std::chrono::milliseconds kConnectTimeout{3000};

std::string first(ipp_t* message, const char* name) {
    std::vector<std::string> values = cups_io::strings_of(message, name);
    return values.empty() ? std::string() : values.front();
}

}  // namespace

Result<std::vector<DetectedDevice>> list_cups_destinations(const std::string& server) {
    Result<cups_io::Connection> connected = cups_io::connect(server, kConnectTimeout);
    if (!connected) return connected.error().context("list cups destinations");
    http_t* http = connected->get();
    const std::optional<std::string> default_queue = cups_io::default_destination(http);

    static const char* const requested[] = {"printer-name",
                                            "printer-make-and-model",
                                            "device-uri",
                                            "printer-state",
                                            "printer-state-reasons",
                                            "printer-state-message",
                                            "printer-is-accepting-jobs",
                                            "printer-info"};
    ipp_t* request = ippNewRequest(IPP_OP_CUPS_GET_PRINTERS);
    ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                  static_cast<int>(std::size(requested)), nullptr, requested);
    cups_io::IppMessage response(cupsDoRequest(http, request, "/"));
    if (response == nullptr) {
        // An empty server answers "not found": no queues is not an error.
        if (cupsLastError() == IPP_STATUS_ERROR_NOT_FOUND) return std::vector<DetectedDevice>{};
        return Error(errors::kPrinterCups, "list cups destinations: cupsd " +
                                               cups_io::server_label() + ": " +
                                               cupsLastErrorString());
    }

    std::vector<DetectedDevice> devices;
    // The answer is one printer-attributes group per queue; walk the groups.
    ipp_t* group = ippNew();
    auto flush = [&](ipp_t* attributes) {
        const std::string name = first(attributes, "printer-name");
        if (name.empty()) return;
        CupsPrinterObservation printer;
        if (ipp_attribute_t* state = ippFindAttribute(attributes, "printer-state", IPP_TAG_ENUM))
            printer.state = ippGetInteger(state, 0);
        printer.reasons = cups_io::strings_of(attributes, "printer-state-reasons");
        printer.message = first(attributes, "printer-state-message");
        if (ipp_attribute_t* accepting =
                ippFindAttribute(attributes, "printer-is-accepting-jobs", IPP_TAG_BOOLEAN))
            printer.accepting = ippGetBoolean(accepting, 0) != 0;
        const CupsHealthVerdict health = judge_cups_printer(printer);
        const std::string make_and_model = first(attributes, "printer-make-and-model");
        const bool raw = make_and_model == kRawMakeAndModel || make_and_model.empty();
        const bool is_default = default_queue && *default_queue == name;

        DetectedDevice device;
        device.kind = hardware::DeviceKind::LabelPrinter;
        device.driver = "cups";
        device.id = "cups-" + name;
        device.name = (make_and_model.empty() ? std::string("CUPS queue") : make_and_model) +
                      " (queue " + name + ")";
        device.address = first(attributes, "device-uri");
        device.matched_by = is_default ? "cups default destination" : "cups queue";
        device.health = health.health;
        device.detail = health.detail;
        device.extra["queue"] = name;
        device.extra["server"] = cups_io::server_label();
        device.extra["make_and_model"] = make_and_model;
        device.extra["device_uri"] = device.address;
        device.extra["queue_type"] = raw ? "raw" : "driver";
        device.extra["label_printer"] =
            looks_like_label_printer(name, make_and_model) ? "yes" : "no";
        device.extra["default"] = is_default ? "yes" : "no";
        devices.push_back(std::move(device));
    };
    for (ipp_attribute_t* attribute = ippFirstAttribute(response.get()); attribute != nullptr;
         attribute = ippNextAttribute(response.get())) {
        if (ippGetGroupTag(attribute) != IPP_TAG_PRINTER) {
            flush(group);
            ippDelete(group);
            group = ippNew();
            continue;
        }
        ippCopyAttribute(group, attribute, 0);
    }
    flush(group);
    ippDelete(group);
    return devices;
}

std::vector<DetectedDevice> detect_cups_printers(const std::string& server) {
    Result<std::vector<DetectedDevice>> devices = list_cups_destinations(server);
    if (!devices) return {};
    return std::move(devices.value());
}

}  // namespace packline::drivers
