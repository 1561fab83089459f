// USB HID POS scales (usage page 0x8D): the pure half of the driver. The
// transport (libusb or /dev/hidrawN) reads 6-byte Scale Data Reports and feeds
// them here; nothing in this header touches a device or a clock.
// Source for every byte and value: shared reference devices.md §1.1 (report
// layout, status and unit tables, control report) and §1.2 (quirks), from the
// HID POS report descriptor and erjiang/usbscale.
//
// Thread-bound: HidScaleStream is plain state, owned by one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "packline/error.h"
#include "packline/hardware/events.h"

namespace packline::drivers {

// One Scale Data Report, fields as the device sent them (§1.1):
// byte 0 report id, 1 status (1..8), 2 unit (1..12), 3 exponent (int8),
// 4-5 raw weight (uint16 little-endian). weight = raw x 10^exponent.
struct HidScaleReport {
    std::uint8_t report_id = 0;
    std::uint8_t status = 0;
    std::uint8_t unit = 0;
    std::int8_t exponent = 0;
    std::uint16_t raw = 0;

    friend bool operator==(const HidScaleReport&, const HidScaleReport&) = default;
};

inline constexpr std::size_t kHidScaleReportSize = 6;
inline constexpr std::uint8_t kHidScaleDataReportId = 0x03;
// usbscale also accepts 0x04 (devices.md §1.1, reason undocumented).
inline constexpr std::uint8_t kHidScaleAlternateReportId = 0x04;

// Decodes the first 6 bytes; longer reads are accepted and the rest ignored.
// Errors: hid_scale.short_report (< 6 bytes), hid_scale.bad_report_id (not
// 0x03/0x04), hid_scale.bad_status (not 1..8), hid_scale.bad_unit (not 1..12).
Result<HidScaleReport> parse_hid_scale_report(std::span<const std::uint8_t> bytes);

// Grams per one unit, for units 1..12 (§1.1 unit table); nullopt otherwise.
std::optional<double> hid_scale_grams_per_unit(std::uint8_t unit);

// "mg", "g", "kg", "ct", "tael", "gr", "dwt", "t", "ton", "ozt", "oz", "lb";
// "unknown" outside 1..12.
std::string_view hid_scale_unit_symbol(std::uint8_t unit);

// Human text for the status byte, keeping the detail WeightReading cannot
// hold (7 "requires calibration" and 8 "requires re-zeroing" both map to
// Fault). "unknown status" outside 1..8.
std::string_view hid_scale_status_text(std::uint8_t status);

// Converts to grams (raw x 10^exponent x grams per unit) and maps the status:
// 1 Fault, 2 AtZero, 3 InMotion, 4 Stable, 5 UnderZero (grams made negative,
// as the raw weight is unsigned), 6 Overload, 7 and 8 Fault. at_ms is left 0:
// the transport stamps the time it read the report.
// Errors: hid_scale.bad_status, hid_scale.bad_unit (for hand-built reports),
// hid_scale.out_of_range (result not finite; cannot happen for exponents
// -128..127 and raw <= 65535, kept as a guard).
Result<hardware::WeightReading> to_weight_reading(const HidScaleReport& report, std::string device);

// Output (control) report that asks the scale to zero itself: report id 0x02,
// bit 1 = Zero Scale (usage 0x80). §1.1; some scales ignore it.
std::vector<std::uint8_t> hid_scale_zero_report();

// One opened scale: turns each report into a reading, except the first one
// after open, which scales send from the previous weighing (§1.2 stale first
// report: usbscale discards one read). The first report is discarded whatever
// it contains, valid or not.
class HidScaleStream {
  public:
    explicit HidScaleStream(std::string device);

    // nullopt for the discarded first report and for reports that do not
    // decode; last_error() tells which.
    std::optional<hardware::WeightReading> feed(std::span<const std::uint8_t> bytes);

    // The error from the latest feed(), nullopt when it decoded (or was the
    // discarded first report).
    const std::optional<Error>& last_error() const { return last_error_; }

    // Call on every (re)open: the next report is stale again.
    void reset();

  private:
    std::string device_;
    bool first_report_pending_ = true;
    std::optional<Error> last_error_;
};

}  // namespace packline::drivers
