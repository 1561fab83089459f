#include "packline/drivers/hid_scale_report.h"

#include <array>
#include <cmath>
#include <utility>

#include "packline/drivers/hid_scale_errors.h"

namespace packline::drivers {
namespace {

struct UnitInfo {
    std::string_view symbol;
    double grams;
};

// Index = unit byte (HID POS usages 0x51..0x5C, devices.md §1.1). Factors are
// the legal definitions (exact in decimal; double keeps 15-16 digits).
constexpr std::array<UnitInfo, 13> kUnits{{
    {"unknown", 0.0},
    {"mg", 0.001},
    {"g", 1.0},
    {"kg", 1000.0},
    {"ct", 0.2},  // metric carat
    // ⚠ HID POS names "Tael" without defining it. We take the Hong Kong tael,
    // 1 1/3 avoirdupois ounce = 37.799364167 g (the tael used in Hong Kong
    // trade; not sourced in devices.md). Others exist: the mainland Chinese
    // market tael is 50 g, the Taiwanese 37.5 g, the Hong Kong troy (gold)
    // tael 37.429 g. Confirm against the scale's display before trusting it.
    {"tael", 37.799364167},
    {"gr", 0.06479891},   // grain, exactly 64.79891 mg
    {"dwt", 1.55517384},  // pennyweight = 24 grains
    {"t", 1'000'000.0},   // metric ton (tonne)
    // ⚠ "Avoirdupois ton" is ambiguous: we take the US short ton (2000 lb =
    // 907.18474 kg), since HID POS scales are US postal scales; the long ton
    // (2240 lb = 1016.0469088 kg) would be 12% more.
    {"ton", 907'184.74},
    {"ozt", 31.1034768},   // troy ounce
    {"oz", 28.349523125},  // avoirdupois ounce
    {"lb", 453.59237},     // avoirdupois pound
}};

constexpr std::array<std::string_view, 9> kStatusTexts{
    "unknown status",      "fault",      "stable at centre of zero", "in motion",
    "weight stable",       "under zero", "over weight limit",        "requires calibration",
    "requires re-zeroing",
};

bool valid_status(std::uint8_t status) {
    return status >= 1 && status <= 8;
}
bool valid_unit(std::uint8_t unit) {
    return unit >= 1 && unit <= 12;
}

Error bad_status(std::uint8_t status) {
    return Error(errors::kHidScaleBadStatus,
                 "status byte " + std::to_string(status) + " is not a HID POS scale status (1..8)");
}

Error bad_unit(std::uint8_t unit) {
    return Error(errors::kHidScaleBadUnit,
                 "unit byte " + std::to_string(unit) + " is not a HID POS weight unit (1..12)");
}

hardware::WeightStatus map_status(std::uint8_t status) {
    using hardware::WeightStatus;
    switch (status) {
        case 2:
            return WeightStatus::AtZero;
        case 3:
            return WeightStatus::InMotion;
        case 4:
            return WeightStatus::Stable;
        case 5:
            return WeightStatus::UnderZero;
        case 6:
            return WeightStatus::Overload;
        default:
            return WeightStatus::Fault;  // 1 fault, 7 calibrate, 8 re-zero
    }
}

// raw x 10^exponent. Dividing by 10^-exponent (exact in double up to 10^22)
// keeps "152, exp -1" at the double nearest 15.2 instead of 152 x 0.1.
double scaled(std::uint16_t raw, std::int8_t exponent) {
    const double value = static_cast<double>(raw);
    if (exponent < 0) return value / std::pow(10.0, -static_cast<int>(exponent));
    return value * std::pow(10.0, static_cast<int>(exponent));
}

}  // namespace

Result<HidScaleReport> parse_hid_scale_report(std::span<const std::uint8_t> bytes) {
    if (bytes.size() < kHidScaleReportSize) {
        return Error(errors::kHidScaleShortReport,
                     "scale report has " + std::to_string(bytes.size()) + " bytes, needs " +
                         std::to_string(kHidScaleReportSize));
    }
    HidScaleReport report;
    report.report_id = bytes[0];
    if (report.report_id != kHidScaleDataReportId &&
        report.report_id != kHidScaleAlternateReportId) {
        return Error(errors::kHidScaleBadReportId, "report id " + std::to_string(report.report_id) +
                                                       " is not a scale data report (3 or 4)");
    }
    report.status = bytes[1];
    if (!valid_status(report.status)) return bad_status(report.status);
    report.unit = bytes[2];
    if (!valid_unit(report.unit)) return bad_unit(report.unit);
    report.exponent = static_cast<std::int8_t>(bytes[3]);
    report.raw = static_cast<std::uint16_t>(bytes[4] | (bytes[5] << 8));
    return report;
}

std::optional<double> hid_scale_grams_per_unit(std::uint8_t unit) {
    if (!valid_unit(unit)) return std::nullopt;
    return kUnits[unit].grams;
}

std::string_view hid_scale_unit_symbol(std::uint8_t unit) {
    return valid_unit(unit) ? kUnits[unit].symbol : kUnits[0].symbol;
}

std::string_view hid_scale_status_text(std::uint8_t status) {
    return valid_status(status) ? kStatusTexts[status] : kStatusTexts[0];
}

Result<hardware::WeightReading> to_weight_reading(const HidScaleReport& report,
                                                  std::string device) {
    if (!valid_status(report.status)) return bad_status(report.status);
    if (!valid_unit(report.unit)) return bad_unit(report.unit);
    double grams = scaled(report.raw, report.exponent) * kUnits[report.unit].grams;
    if (!std::isfinite(grams)) {
        return Error(errors::kHidScaleOutOfRange, "weight " + std::to_string(report.raw) + "e" +
                                                      std::to_string(report.exponent) + " " +
                                                      std::string(kUnits[report.unit].symbol) +
                                                      " is not a finite number of grams");
    }
    // The raw weight is unsigned; status 5 is how a scale says "negative".
    if (report.status == 5) grams = -grams;
    hardware::WeightReading reading;
    reading.device = std::move(device);
    reading.grams = grams;
    reading.status = map_status(report.status);
    return reading;
}

std::vector<std::uint8_t> hid_scale_zero_report() {
    return {0x02, 0x02};
}

HidScaleStream::HidScaleStream(std::string device) : device_(std::move(device)) {}

std::optional<hardware::WeightReading> HidScaleStream::feed(std::span<const std::uint8_t> bytes) {
    last_error_.reset();
    if (first_report_pending_) {
        first_report_pending_ = false;
        return std::nullopt;
    }
    auto report = parse_hid_scale_report(bytes);
    if (!report) {
        last_error_ = report.error().context("hid scale " + device_);
        return std::nullopt;
    }
    auto reading = to_weight_reading(*report, device_);
    if (!reading) {
        last_error_ = reading.error().context("hid scale " + device_);
        return std::nullopt;
    }
    return std::move(reading).value();
}

void HidScaleStream::reset() {
    first_report_pending_ = true;
    last_error_.reset();
}

}  // namespace packline::drivers
