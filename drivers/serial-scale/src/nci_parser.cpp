#include "packline/drivers/nci_parser.h"

#include <cmath>
#include <vector>

#include "packline/drivers/serial_errors.h"
#include "packline/drivers/serial_weight.h"

namespace packline::drivers {
namespace {

using hardware::WeightReading;
using hardware::WeightStatus;

constexpr char kEtx = 0x03;

bool is_letter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

std::string masked_copy(std::string_view frame) {
    std::string text(frame);
    for (char& c : text)
        c = static_cast<char>(static_cast<unsigned char>(c) & 0x7Fu);
    return text;
}

std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> fields;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        if (i == text.size() || text[i] == '\r' || text[i] == '\n') {
            if (i > start) fields.push_back(text.substr(start, i - start));
            start = i + 1;
        }
    }
    return fields;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ')
        text.remove_suffix(1);
    return text;
}

Error bad_weight(std::string_view field) {
    return Error(errors::kNciBadWeight,
                 "NCI: weight field \"" + std::string(field.substr(0, 24)) + "\" is not a number");
}

// "xxlb xx.xoz": a pound is 16 ounces exactly, so sum in ounces, convert once.
Result<double> parse_pounds_ounces(std::string_view field) {
    const std::size_t lb = field.find("lb");
    if (lb == std::string_view::npos || field.size() < lb + 2) return bad_weight(field);
    std::string_view ounces = trim(field.substr(lb + 2));
    if (ounces.size() < 2 || ounces.substr(ounces.size() - 2) != "oz") return bad_weight(field);
    ounces.remove_suffix(2);
    const auto pounds_value = parse_serial_decimal(field.substr(0, lb));
    const auto ounces_value = parse_serial_decimal(ounces);
    if (!pounds_value || !ounces_value || pounds_value->places != 0 || ounces_value->negative ||
        pounds_value->mantissa > 1'000'000) {
        return bad_weight(field);
    }
    SerialDecimal total = *ounces_value;
    std::int64_t scale = 1;
    for (int i = 0; i < total.places; ++i)
        scale *= 10;
    total.mantissa += pounds_value->mantissa * 16 * scale;
    total.negative = pounds_value->negative;
    return serial_to_grams(total, SerialUnit::Ounce);
}

}  // namespace

Result<NciStatus> parse_nci_status(std::string_view bytes) {
    if (!bytes.empty() && bytes.front() == 'S') bytes.remove_prefix(1);
    if (bytes.empty() || bytes.size() > 3) {
        return Error(errors::kNciBadStatus,
                     "NCI: status must be 1 to 3 bytes, got " + std::to_string(bytes.size()));
    }
    std::vector<unsigned> values;
    for (const char c : bytes) {
        const auto byte = static_cast<unsigned char>(c) & 0x7Fu;
        if ((byte & 0x30u) != 0x30u)
            return Error(errors::kNciBadStatus, "NCI: status byte without bits 4 and 5 set");
        values.push_back(byte);
    }
    const auto bit = [](unsigned value, unsigned index) { return ((value >> index) & 1u) != 0; };
    NciStatus status;
    status.in_motion = bit(values[0], 0);
    status.at_zero = bit(values[0], 1);
    status.ram_error = bit(values[0], 2);
    status.eeprom_error = bit(values[0], 3);
    if (values.size() >= 2) {
        status.under_capacity = bit(values[1], 0);
        status.over_capacity = bit(values[1], 1);
        status.rom_error = bit(values[1], 2);
        status.faulty_calibration = bit(values[1], 3);
    }
    if (values.size() >= 3) {
        status.range = static_cast<int>(values[2] & 0x03u);
        status.net = bit(values[2], 2);
        status.initial_zero_error = bit(values[2], 3);
    }
    return status;
}

Result<NciReply> parse_nci(std::string_view frame) {
    const std::string text = masked_copy(frame);
    std::string_view body = text;
    if (body.empty() || body.front() != '\n')
        return Error(errors::kNciBadFrame, "NCI: reply does not start with LF");
    const std::size_t etx = body.find(kEtx);
    if (etx != std::string_view::npos) {
        if (etx + 1 != body.size()) return Error(errors::kNciBadFrame, "NCI: bytes after ETX");
        body.remove_suffix(1);
    }
    const std::vector<std::string_view> fields = split_lines(body);
    if (fields.size() == 1 && trim(fields[0]) == "?") {
        return Error(errors::kNciUnknownCommand, "NCI: scale did not recognise the command (?)");
    }
    NciReply reply;
    if (fields.size() == 1) {
        auto status = parse_nci_status(fields[0]);
        if (!status) return status.error();
        reply.status = *status;
        return reply;
    }
    if (fields.size() != 2) {
        return Error(errors::kNciBadFrame, "NCI: expected weight and status, got " +
                                               std::to_string(fields.size()) + " fields");
    }
    auto status = parse_nci_status(fields[1]);
    if (!status) return status.error();
    reply.status = *status;

    const std::string_view weight = trim(fields[0]);
    if (weight.find("lb") != std::string_view::npos &&
        weight.find("oz") != std::string_view::npos) {
        auto grams = parse_pounds_ounces(weight);
        if (!grams) return grams.error();
        reply.grams = *grams;
        reply.unit = "lb-oz";
        return reply;
    }
    std::size_t unit_start = weight.size();
    while (unit_start > 0 && is_letter(weight[unit_start - 1]))
        --unit_start;
    reply.unit = std::string(weight.substr(unit_start));
    const auto unit = parse_serial_unit(reply.unit);
    if (!unit)
        return Error(errors::kNciUnknownUnit,
                     "NCI: unknown weight unit \"" + reply.unit.substr(0, 8) + "\"");
    const auto value = parse_serial_decimal(weight.substr(0, unit_start));
    if (value) {
        reply.grams = serial_to_grams(*value, *unit);
    } else if (!reply.status.over_capacity && !reply.status.under_capacity) {
        // Out of range a scale may show dashes instead of digits; only then is it no error.
        return bad_weight(weight);
    }
    return reply;
}

Result<WeightReading> nci_to_reading(const NciReply& reply, std::string device) {
    const NciStatus& s = reply.status;
    WeightReading reading;
    reading.device = std::move(device);
    reading.grams = reply.grams.value_or(0.0);
    if (!std::isfinite(reading.grams))
        return Error(errors::kNciBadWeight, "NCI: weight is not finite");
    if (s.ram_error || s.rom_error || s.eeprom_error || s.faulty_calibration ||
        s.initial_zero_error) {
        reading.status = WeightStatus::Fault;
    } else if (s.over_capacity) {
        reading.status = WeightStatus::Overload;
    } else if (s.under_capacity || reading.grams < 0) {
        reading.status = WeightStatus::UnderZero;
    } else if (!reply.grams) {
        return Error(errors::kNciNoWeight, "NCI: reply carries no weight");
    } else if (s.in_motion) {
        reading.status = WeightStatus::InMotion;
    } else if (s.at_zero) {
        reading.status = WeightStatus::AtZero;
    } else {
        reading.status = WeightStatus::Stable;
    }
    return reading;
}

std::string nci_command(NciCommand command) {
    switch (command) {
        case NciCommand::Weight:
            return "W\r";
        case NciCommand::Status:
            return "S\r";
        case NciCommand::Zero:
            return "Z\r";
        case NciCommand::ChangeUnits:
            return "U\r";
    }
    return "";
}

}  // namespace packline::drivers
