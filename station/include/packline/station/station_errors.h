// The error codes of station: stable and machine-readable, the code
// of a packline::Error (error.h). docs/error-codes.md lists every code
// of every module (tests/unit/project/error_codes_test.cpp keeps it so).
#pragma once

#include <array>

namespace packline::errors {

inline constexpr const char* kCameraUnavailable = "camera.unavailable";
inline constexpr const char* kCommandNotApplicable = "command.not_applicable";
inline constexpr const char* kEvidenceBadPhoto = "evidence.bad_photo";
inline constexpr const char* kEvidenceIo = "evidence.io";
inline constexpr const char* kImportUnknownFormat = "import.unknown_format";
inline constexpr const char* kImportUnreadable = "import.unreadable";
inline constexpr const char* kOrderUnknown = "order.unknown";
inline constexpr const char* kShiftLabel = "shift.label";
inline constexpr const char* kShiftScale = "shift.scale";
inline constexpr const char* kShiftScanner = "shift.scanner";
inline constexpr const char* kShiftTimeout = "shift.timeout";

inline constexpr std::array kStationErrors{
    kCameraUnavailable,   kCommandNotApplicable, kEvidenceBadPhoto, kEvidenceIo,
    kImportUnknownFormat, kImportUnreadable,     kOrderUnknown,     kShiftLabel,
    kShiftScale,          kShiftScanner,         kShiftTimeout,
};

}  // namespace packline::errors
