// The error codes of drivers/hid-scale: stable and machine-readable, the code
// of a packline::Error (error.h). docs/error-codes.md lists every code
// of every module (tests/unit/project/error_codes_test.cpp keeps it so).
#pragma once

#include <array>

namespace packline::errors {

inline constexpr const char* kHidScaleBadReportId = "hid_scale.bad_report_id";
inline constexpr const char* kHidScaleBadStatus = "hid_scale.bad_status";
inline constexpr const char* kHidScaleBadUnit = "hid_scale.bad_unit";
inline constexpr const char* kHidScaleNotConnected = "hid_scale.not_connected";
inline constexpr const char* kHidScaleOutOfRange = "hid_scale.out_of_range";
inline constexpr const char* kHidScaleShortReport = "hid_scale.short_report";
inline constexpr const char* kHidScaleZeroFailed = "hid_scale.zero_failed";
inline constexpr const char* kHidScaleZeroRefused = "hid_scale.zero_refused";

inline constexpr std::array kHidScaleErrors{
    kHidScaleBadReportId, kHidScaleBadStatus,   kHidScaleBadUnit,    kHidScaleNotConnected,
    kHidScaleOutOfRange,  kHidScaleShortReport, kHidScaleZeroFailed, kHidScaleZeroRefused,
};

}  // namespace packline::errors
