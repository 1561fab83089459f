// The error codes of station/web: stable and machine-readable, the code
// of a packline::Error (error.h). docs/error-codes.md lists every code
// of every module (tests/unit/project/error_codes_test.cpp keeps it so).
#pragma once

#include <array>

namespace packline::errors {

inline constexpr const char* kWebBadCode = "web.bad_code";
inline constexpr const char* kWebBadCommand = "web.bad_command";
inline constexpr const char* kWebBadRequest = "web.bad_request";
inline constexpr const char* kWebBusy = "web.busy";
inline constexpr const char* kWebConfig = "web.config";
inline constexpr const char* kWebContentType = "web.content_type";
inline constexpr const char* kWebHost = "web.host";
inline constexpr const char* kWebInternal = "web.internal";
inline constexpr const char* kWebLengthRequired = "web.length_required";
inline constexpr const char* kWebListen = "web.listen";
inline constexpr const char* kWebNotFound = "web.not_found";
inline constexpr const char* kWebOrigin = "web.origin";
inline constexpr const char* kWebStarting = "web.starting";
inline constexpr const char* kWebTooLarge = "web.too_large";

inline constexpr std::array kWebErrors{
    kWebBadCode,     kWebBadCommand, kWebBadRequest, kWebBusy,           kWebConfig,
    kWebContentType, kWebHost,       kWebInternal,   kWebLengthRequired, kWebListen,
    kWebNotFound,    kWebOrigin,     kWebStarting,   kWebTooLarge,
};

}  // namespace packline::errors
