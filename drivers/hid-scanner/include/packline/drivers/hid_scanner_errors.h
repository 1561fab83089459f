// The error codes of drivers/hid-scanner: stable and machine-readable, the code
// of a packline::Error (error.h). docs/error-codes.md lists every code
// of every module (tests/unit/project/error_codes_test.cpp keeps it so).
#pragma once

#include <array>

namespace packline::errors {

inline constexpr const char* kHidScannerBadReportId = "hid_scanner.bad_report_id";
inline constexpr const char* kHidScannerEmpty = "hid_scanner.empty";
inline constexpr const char* kHidScannerShortReport = "hid_scanner.short_report";
inline constexpr const char* kHidScannerTooLong = "hid_scanner.too_long";
inline constexpr const char* kHidScannerTruncated = "hid_scanner.truncated";

inline constexpr std::array kHidScannerErrors{
    kHidScannerBadReportId, kHidScannerEmpty,     kHidScannerShortReport,
    kHidScannerTooLong,     kHidScannerTruncated,
};

}  // namespace packline::errors
