// The error codes of base: stable and machine-readable, the code
// of a packline::Error (error.h). docs/error-codes.md lists every code
// of every module (tests/unit/project/error_codes_test.cpp keeps it so).
#pragma once

#include <array>

namespace packline::errors {

inline constexpr const char* kConfigInvalid = "config.invalid";
inline constexpr const char* kConfigUnreadable = "config.unreadable";

inline constexpr std::array kBaseErrors{
    kConfigInvalid,
    kConfigUnreadable,
};

}  // namespace packline::errors
