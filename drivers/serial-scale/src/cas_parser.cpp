#include "packline/drivers/cas_parser.h"

#include <algorithm>
#include <cmath>

#include "packline/drivers/serial_errors.h"
#include "packline/drivers/serial_weight.h"

namespace packline::drivers {
namespace {

using hardware::WeightReading;
using hardware::WeightStatus;

bool is_letter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

Error bad_frame(std::string_view why) {
    return Error(errors::kCasBadFrame, "CAS: " + std::string(why));
}

}  // namespace

Result<CasReply> parse_cas(std::string_view line) {
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n'))
        line.remove_suffix(1);
    // Fixed positions: "SS,MM," then the rest. The id and lamp bytes of the
    // 22-byte format are binary and may even be ',' so we never split on commas.
    if (line.size() < 7 || line[2] != ',' || line[5] != ',')
        return bad_frame("line is not \"ST,GS,...\"");
    CasReply reply;
    reply.state = std::string(line.substr(0, 2));
    if (reply.state != "ST" && reply.state != "US" && reply.state != "OL") {
        return Error(errors::kCasBadState,
                     "CAS: unknown state \"" + reply.state + "\" (want ST, US or OL)");
    }
    const std::string_view mode = line.substr(3, 2);
    if (mode != "GS" && mode != "NT") {
        return Error(errors::kCasBadMode,
                     "CAS: unknown mode \"" + std::string(mode) + "\" (want GS or NT)");
    }
    reply.net = mode == "NT";
    std::string_view rest = line.substr(6);
    if (rest.size() >= 3 && rest[2] == ',') {
        reply.device_id = static_cast<std::uint8_t>(rest[0]);
        reply.lamp = static_cast<std::uint8_t>(rest[1]);
        rest.remove_prefix(3);
    }
    std::size_t unit_start = rest.size();
    while (unit_start > 0 && is_letter(rest[unit_start - 1]))
        --unit_start;
    reply.unit = std::string(rest.substr(unit_start));
    const auto unit = parse_serial_unit(reply.unit);
    if (!unit || reply.unit == "mg" || reply.unit == "ct") {
        return Error(errors::kCasUnknownUnit,
                     "CAS: unknown weight unit \"" + reply.unit.substr(0, 8) + "\"");
    }
    const auto value = parse_serial_decimal(rest.substr(0, unit_start));
    if (value) {
        reply.grams = serial_to_grams(*value, *unit);
    } else if (reply.state != "OL") {
        return Error(errors::kCasBadWeight,
                     "CAS: weight \"" +
                         std::string(rest.substr(0, std::min<std::size_t>(unit_start, 24))) +
                         "\" is not a number");
    }
    return reply;
}

Result<WeightReading> cas_to_reading(const CasReply& reply, std::string device) {
    WeightReading reading;
    reading.device = std::move(device);
    reading.grams = reply.grams.value_or(0.0);
    if (!std::isfinite(reading.grams))
        return Error(errors::kCasBadWeight, "CAS: weight is not finite");
    if (reply.state == "OL") {
        reading.status = WeightStatus::Overload;
    } else if (reading.grams < 0) {
        reading.status = WeightStatus::UnderZero;
    } else if (reply.state == "US") {
        reading.status = WeightStatus::InMotion;
    } else if (reply.state == "ST") {
        reading.status = WeightStatus::Stable;
    } else {
        return Error(errors::kCasBadState, "CAS: unknown state \"" + reply.state + "\"");
    }
    if (!reply.grams && reading.status != WeightStatus::Overload) {
        return Error(errors::kCasBadWeight, "CAS: reading carries no weight");
    }
    return reading;
}

}  // namespace packline::drivers
