#include "packline/hub/export.h"

#include <charconv>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

#include "packline/station/import.h"

namespace packline::hub {
namespace {

using nlohmann::json;

// One row's values, from the stored columns and the payload (items and
// checks live only there).
struct Row {
    const ReceivedShipment& received;
    json payload;
    std::int64_t item_count = 0;
    std::string serials;            // ';'-joined, items without a serial left out
    std::string overridden_checks;  // ';'-joined check names
};

Row row_of(const ReceivedShipment& received) {
    Row row{received, json::parse(received.shipment.payload, nullptr, false), 0, "", ""};
    if (!row.payload.is_object()) row.payload = json::object();
    if (const auto items = row.payload.find("items");
        items != row.payload.end() && items->is_array()) {
        row.item_count = static_cast<std::int64_t>(items->size());
        for (const json& item : *items) {
            const std::string serial = item.is_object() ? item.value("serial", "") : "";
            if (serial.empty()) continue;
            if (!row.serials.empty()) row.serials += ";";
            row.serials += serial;
        }
    }
    const json checks = row.payload.value("/evidence/checks"_json_pointer, json::object());
    if (checks.is_object())
        for (const char* check : {"customer", "contents", "express"})
            if (checks.value(check, "") == "overridden") {
                if (!row.overridden_checks.empty()) row.overridden_checks += ";";
                row.overridden_checks += check;
            }
    return row;
}

// Shortest text that reads back as the same double ("612.5", "620").
std::string number_text(double value) {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
    return std::string(buffer, result.ptr);
}

// RFC 4180: quoted when it holds a comma, a quote, CR or LF (or starts or
// ends with a space, which some readers trim); quotes doubled.
// A cell that starts with '=', '+', '-', '@', a tab or CR is a formula to a
// spreadsheet (=HYPERLINK(...) in an order id would run when the export is
// opened): such a cell gets a leading single quote and is quoted, as OWASP
// advises for "CSV injection". Every text an export holds came from outside.
std::string csv_field(std::string_view text) {
    const bool formula =
        !text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos;
    const bool quote = formula || text.find_first_of(",\"\r\n") != std::string_view::npos ||
                       (!text.empty() && (text.front() == ' ' || text.back() == ' '));
    if (!quote) return std::string(text);
    std::string out = formula ? "\"'" : "\"";
    for (const char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

}  // namespace

std::optional<ExportFormat> export_format_from_string(std::string_view text) {
    if (text == "csv") return ExportFormat::Csv;
    if (text == "json") return ExportFormat::Json;
    return std::nullopt;
}

const std::vector<std::string>& export_columns() {
    static const std::vector<std::string> columns = {
        "event_id",          "site",         "station",         "order_id",        "parcel_id",
        "parcel_sequence",   "partial",      "carrier",         "tracking_number", "weight_g",
        "expected_weight_g", "packaging",    "packer",          "item_count",      "serials",
        "overridden_checks", "confirmed_at", "confirmed_at_ms", "received_at",     "received_at_ms",
    };
    return columns;
}

std::string iso8601_utc(std::int64_t ms) {
    std::int64_t seconds = ms / 1000;
    std::int64_t millis = ms % 1000;
    if (millis < 0) {
        millis += 1000;
        --seconds;
    }
    const auto time = static_cast<std::time_t>(seconds);
    std::tm parts{};
    ::gmtime_r(&time, &parts);
    char buffer[96];  // room for any int the format could be given
    std::snprintf(buffer, sizeof(buffer), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                  parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour,
                  parts.tm_min, parts.tm_sec, static_cast<int>(millis));
    return buffer;
}

std::optional<std::int64_t> parse_export_time(std::string_view text) {
    // A bare date: midnight UTC.
    if (text.size() == 10 && text[4] == '-' && text[7] == '-')
        return station::parse_timestamp_ms(std::string(text) + "T00:00:00Z");
    return station::parse_timestamp_ms(text);
}

std::string export_csv(std::span<const ReceivedShipment> shipments) {
    std::string out;
    bool first = true;
    for (const std::string& column : export_columns()) {
        if (!first) out += ',';
        out += column;
        first = false;
    }
    out += "\r\n";
    for (const ReceivedShipment& received : shipments) {
        const Row row = row_of(received);
        const ShipmentRecord& shipment = received.shipment;
        const std::string fields[] = {
            shipment.event_id,
            shipment.site,
            shipment.station,
            shipment.order_id,
            std::to_string(shipment.parcel_id),
            std::to_string(shipment.parcel_sequence),
            shipment.partial ? "true" : "false",
            shipment.carrier,
            shipment.tracking_number,
            number_text(shipment.weight_g),
            number_text(shipment.expected_weight_g),
            shipment.packaging,
            shipment.packer,
            std::to_string(row.item_count),
            row.serials,
            row.overridden_checks,
            iso8601_utc(shipment.confirmed_at_ms),
            std::to_string(shipment.confirmed_at_ms),
            iso8601_utc(received.received_at_ms),
            std::to_string(received.received_at_ms),
        };
        first = true;
        for (const std::string& field : fields) {
            if (!first) out += ',';
            out += csv_field(field);
            first = false;
        }
        out += "\r\n";
    }
    return out;
}

std::string export_json(std::span<const ReceivedShipment> shipments, std::int64_t since_ms,
                        std::int64_t until_ms) {
    json entries = json::array();
    for (const ReceivedShipment& received : shipments) {
        Row row = row_of(received);
        const ShipmentRecord& shipment = received.shipment;
        entries.push_back(json{{"event_id", shipment.event_id},
                               {"site", shipment.site},
                               {"station", shipment.station},
                               {"order_id", shipment.order_id},
                               {"parcel_id", shipment.parcel_id},
                               {"parcel_sequence", shipment.parcel_sequence},
                               {"partial", shipment.partial},
                               {"carrier", shipment.carrier},
                               {"tracking_number", shipment.tracking_number},
                               {"weight_g", shipment.weight_g},
                               {"expected_weight_g", shipment.expected_weight_g},
                               {"packaging", shipment.packaging},
                               {"packer", shipment.packer},
                               {"item_count", row.item_count},
                               {"serials", row.serials},
                               {"overridden_checks", row.overridden_checks},
                               {"confirmed_at", iso8601_utc(shipment.confirmed_at_ms)},
                               {"confirmed_at_ms", shipment.confirmed_at_ms},
                               {"received_at", iso8601_utc(received.received_at_ms)},
                               {"received_at_ms", received.received_at_ms},
                               {"shipment", std::move(row.payload)}});
    }
    const json document{{"schema", "packline.hub-export/1"},
                        {"since_ms", since_ms},
                        {"until_ms", until_ms},
                        {"count", shipments.size()},
                        {"shipments", std::move(entries)}};
    return document.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace packline::hub
