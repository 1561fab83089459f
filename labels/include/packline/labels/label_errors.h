// The error codes of labels: stable and machine-readable, the code
// of a packline::Error (error.h). docs/error-codes.md lists every code
// of every module (tests/unit/project/error_codes_test.cpp keeps it so).
#pragma once

#include <array>

namespace packline::errors {

inline constexpr const char* kLabelBadField = "label.bad_field";
inline constexpr const char* kLabelBadTemplate = "label.bad_template";
inline constexpr const char* kLabelBadZpl = "label.bad_zpl";
inline constexpr const char* kLabelMissingField = "label.missing_field";
inline constexpr const char* kLabelNoBarcode = "label.no_barcode";
inline constexpr const char* kLabelNoTemplate = "label.no_template";
inline constexpr const char* kLabelOutOfBounds = "label.out_of_bounds";
inline constexpr const char* kLabelRenderFailed = "label.render_failed";
inline constexpr const char* kLabelUnsupportedFormat = "label.unsupported_format";

inline constexpr std::array kLabelErrors{
    kLabelBadField,     kLabelBadTemplate,  kLabelBadZpl,
    kLabelMissingField, kLabelNoBarcode,    kLabelNoTemplate,
    kLabelOutOfBounds,  kLabelRenderFailed, kLabelUnsupportedFormat,
};

}  // namespace packline::errors
