// The error codes of drivers/common: stable and machine-readable, the code
// of a packline::Error (error.h). docs/error-codes.md lists every code
// of every module (tests/unit/project/error_codes_test.cpp keeps it so).
#pragma once

#include <array>

namespace packline::errors {

inline constexpr const char* kRecordingInvalid = "recording.invalid";
inline constexpr const char* kRecordingUnreadable = "recording.unreadable";
inline constexpr const char* kRecordingUnwritable = "recording.unwritable";

inline constexpr std::array kRecordingErrors{
    kRecordingInvalid,
    kRecordingUnreadable,
    kRecordingUnwritable,
};

}  // namespace packline::errors
