// The error codes of drivers/camera: stable and machine-readable, the code
// of a packline::Error (error.h). docs/error-codes.md lists every code
// of every module (tests/unit/project/error_codes_test.cpp keeps it so).
#pragma once

#include <array>

namespace packline::errors {

inline constexpr const char* kCameraImageTooLarge = "camera.image_too_large";
inline constexpr const char* kCameraImageUnreadable = "camera.image_unreadable";
inline constexpr const char* kCameraNoFrame = "camera.no_frame";
inline constexpr const char* kCameraPhoto = "camera.photo";

inline constexpr std::array kCameraErrors{
    kCameraImageTooLarge,
    kCameraImageUnreadable,
    kCameraNoFrame,
    kCameraPhoto,
};

}  // namespace packline::errors
