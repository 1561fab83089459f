// The error codes of drivers/usb: stable and machine-readable, the code
// of a packline::Error (error.h). docs/error-codes.md lists every code
// of every module (tests/unit/project/error_codes_test.cpp keeps it so).
#pragma once

#include <array>

namespace packline::errors {

inline constexpr const char* kUsbInit = "usb.init";
inline constexpr const char* kUsbNotConnected = "usb.not_connected";
inline constexpr const char* kUsbStall = "usb.stall";
inline constexpr const char* kUsbTransfer = "usb.transfer";
inline constexpr const char* kUsbTableBadLine = "usb_table.bad_line";
inline constexpr const char* kUsbTableUnreadable = "usb_table.unreadable";

inline constexpr std::array kUsbErrors{
    kUsbInit, kUsbNotConnected, kUsbStall, kUsbTransfer, kUsbTableBadLine, kUsbTableUnreadable,
};

}  // namespace packline::errors
