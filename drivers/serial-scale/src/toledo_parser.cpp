#include "packline/drivers/toledo_parser.h"

#include <cstdint>

#include "packline/drivers/serial_errors.h"
#include "packline/drivers/serial_weight.h"

namespace packline::drivers {
namespace {

using hardware::WeightReading;
using hardware::WeightStatus;

constexpr char kStx = 0x02;
constexpr char kCr = '\r';
constexpr std::size_t kDigits = 6;

// Six digits scaled by SWA's decimal code into an exact decimal.
std::optional<SerialDecimal> read_digits(std::string_view field, int decimal_code, bool negative) {
    SerialDecimal value;
    bool leading = true;
    for (const char c : field) {
        if (c == ' ' && leading) continue;
        if (c < '0' || c > '9') return std::nullopt;
        leading = false;
        value.mantissa = value.mantissa * 10 + (c - '0');
    }
    // code 0 = XXXXXX00, 1 = XXXXXX0, 2 = XXXXXX, 3 = XXXXX.X ... 7 = X.XXXXX
    const int exponent = 2 - decimal_code;
    for (int i = 0; i < exponent; ++i)
        value.mantissa *= 10;
    value.places = exponent < 0 ? -exponent : 0;
    value.negative = negative;
    return value;
}

double as_unit(const SerialDecimal& value) {
    double divisor = 1.0;
    for (int i = 0; i < value.places; ++i)
        divisor *= 10.0;
    const double result = static_cast<double>(value.mantissa) / divisor;  // one rounding
    return value.negative && value.mantissa != 0 ? -result : result;
}

}  // namespace

Result<ToledoFrame> parse_toledo(std::string_view raw) {
    const std::size_t size = raw.size();
    if (size != 11 && size != 12 && size != 17 && size != 18) {
        return Error(errors::kToledoBadFrame,
                     "Toledo: frame of " + std::to_string(size) + " bytes (want 11, 12, 17 or 18)");
    }
    std::string frame(raw);
    for (char& c : frame)
        c = static_cast<char>(static_cast<unsigned char>(c) & 0x7Fu);
    const bool full = size >= 17;
    const std::size_t cr = full ? 16 : 10;
    if (frame[0] != kStx)
        return Error(errors::kToledoBadFrame, "Toledo: frame does not start with STX");
    if (frame[cr] != kCr) return Error(errors::kToledoBadFrame, "Toledo: no CR after the digits");

    ToledoFrame result;
    result.checksum_present = size == cr + 2;
    if (result.checksum_present) {
        unsigned sum = 0;
        for (const char c : frame)
            sum += static_cast<unsigned char>(c);
        if ((sum & 0x7Fu) != 0) {
            return Error(errors::kToledoBadChecksum, "Toledo: checksum mismatch (7-bit sum " +
                                                         std::to_string(sum & 0x7Fu) + ")");
        }
    }
    const auto swa = static_cast<unsigned char>(frame[1]);
    const auto swb = static_cast<unsigned char>(frame[2]);
    const auto bit = [](unsigned value, unsigned index) { return ((value >> index) & 1u) != 0; };
    result.decimal_code = static_cast<int>(swa & 0x07u);
    result.net = bit(swb, 0);
    result.negative = bit(swb, 1);
    result.out_of_range = bit(swb, 2);
    result.in_motion = bit(swb, 3);
    result.kilograms = bit(swb, 4);
    result.power_up = bit(swb, 6);

    const auto weight = read_digits(std::string_view(frame).substr(4, kDigits), result.decimal_code,
                                    result.negative);
    if (!weight) return Error(errors::kToledoBadWeight, "Toledo: weight field is not six digits");
    result.weight = as_unit(*weight);
    result.grams =
        serial_to_grams(*weight, result.kilograms ? SerialUnit::Kilogram : SerialUnit::Pound);
    if (full) {
        const auto tare = read_digits(std::string_view(frame).substr(4 + kDigits, kDigits),
                                      result.decimal_code, false);
        if (!tare) return Error(errors::kToledoBadWeight, "Toledo: tare field is not six digits");
        result.tare = as_unit(*tare);
    }
    return result;
}

WeightReading toledo_to_reading(const ToledoFrame& frame, std::string device) {
    WeightReading reading;
    reading.device = std::move(device);
    reading.grams = frame.grams;
    if (frame.out_of_range) {
        reading.status = WeightStatus::Overload;
    } else if (frame.negative && frame.grams != 0.0) {
        reading.status = WeightStatus::UnderZero;
    } else if (frame.in_motion) {
        reading.status = WeightStatus::InMotion;
    } else {
        reading.status = WeightStatus::Stable;
    }
    return reading;
}

}  // namespace packline::drivers
