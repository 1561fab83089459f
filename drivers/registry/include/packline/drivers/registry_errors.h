// The error codes of drivers/registry: stable and machine-readable, the code
// of a packline::Error (error.h). docs/error-codes.md lists every code
// of every module (tests/unit/project/error_codes_test.cpp keeps it so).
#pragma once

#include <array>

namespace packline::errors {

inline constexpr const char* kDevicesInvalid = "devices.invalid";
inline constexpr const char* kDevicesPlugin = "devices.plugin";
inline constexpr const char* kReplayUnsupported = "replay.unsupported";

inline constexpr std::array kRegistryErrors{
    kDevicesInvalid,
    kDevicesPlugin,
    kReplayUnsupported,
};

}  // namespace packline::errors
