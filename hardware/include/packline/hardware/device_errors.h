// The error codes of hardware: stable and machine-readable, the code
// of a packline::Error (error.h). docs/error-codes.md lists every code
// of every module (tests/unit/project/error_codes_test.cpp keeps it so).
#pragma once

#include <array>

namespace packline::errors {

inline constexpr const char* kDeviceAlreadyOpen = "device.already_open";
inline constexpr const char* kDeviceIo = "device.io";
inline constexpr const char* kPrinterBadJob = "printer.bad_job";
inline constexpr const char* kPrinterCups = "printer.cups";
inline constexpr const char* kPrinterNotOpen = "printer.not_open";
inline constexpr const char* kPrinterOffline = "printer.offline";
inline constexpr const char* kPrinterSpoolFull = "printer.spool_full";
inline constexpr const char* kScaleFault = "scale.fault";
inline constexpr const char* kScaleInMotion = "scale.in_motion";
inline constexpr const char* kScaleOverload = "scale.overload";

inline constexpr std::array kDeviceErrors{
    kDeviceAlreadyOpen, kDeviceIo,         kPrinterBadJob, kPrinterCups,   kPrinterNotOpen,
    kPrinterOffline,    kPrinterSpoolFull, kScaleFault,    kScaleInMotion, kScaleOverload,
};

}  // namespace packline::errors
