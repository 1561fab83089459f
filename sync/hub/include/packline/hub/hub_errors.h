// The error codes of sync/hub: stable and machine-readable, the code
// of a packline::Error (error.h). docs/error-codes.md lists every code
// of every module (tests/unit/project/error_codes_test.cpp keeps it so).
#pragma once

#include <array>

namespace packline::errors {

inline constexpr const char* kAuthBadDisplayName = "auth.bad_display_name";
inline constexpr const char* kAuthBadUsername = "auth.bad_username";
inline constexpr const char* kAuthDisabled = "auth.disabled";
inline constexpr const char* kAuthExists = "auth.exists";
inline constexpr const char* kAuthExpired = "auth.expired";
inline constexpr const char* kAuthHash = "auth.hash";
inline constexpr const char* kAuthInvalid = "auth.invalid";
inline constexpr const char* kAuthPasswordPolicy = "auth.password_policy";
inline constexpr const char* kAuthRandom = "auth.random";
inline constexpr const char* kAuthSettings = "auth.settings";
inline constexpr const char* kAuthThrottled = "auth.throttled";
inline constexpr const char* kAuthUnknownUser = "auth.unknown_user";
inline constexpr const char* kDashboardShiftStarts = "dashboard.shift_starts";
inline constexpr const char* kDashboardTooManyStreams = "dashboard.too_many_streams";
inline constexpr const char* kHubOptions = "hub.options";
inline constexpr const char* kHubStopped = "hub.stopped";
inline constexpr const char* kPoolUnreadable = "pool.unreadable";
inline constexpr const char* kUserPassword = "user.password";

inline constexpr std::array kHubErrors{
    kAuthBadDisplayName,   kAuthBadUsername,
    kAuthDisabled,         kAuthExists,
    kAuthExpired,          kAuthHash,
    kAuthInvalid,          kAuthPasswordPolicy,
    kAuthRandom,           kAuthSettings,
    kAuthThrottled,        kAuthUnknownUser,
    kDashboardShiftStarts, kDashboardTooManyStreams,
    kHubOptions,           kHubStopped,
    kPoolUnreadable,       kUserPassword,
};

}  // namespace packline::errors
