// The error codes of station/src/codes (barcodes and GS1): stable and machine-readable, the code
// of a packline::Error (error.h). docs/error-codes.md lists every code
// of every module (tests/unit/project/error_codes_test.cpp keeps it so).
#pragma once

#include <array>

namespace packline::errors {

inline constexpr const char* kBarcodeEmpty = "barcode.empty";
inline constexpr const char* kBarcodeGarbage = "barcode.garbage";
inline constexpr const char* kBarcodeNoGtin = "barcode.no_gtin";
inline constexpr const char* kGs1BadCharacter = "gs1.bad_character";
inline constexpr const char* kGs1BadCheckDigit = "gs1.bad_check_digit";
inline constexpr const char* kGs1BadDate = "gs1.bad_date";
inline constexpr const char* kGs1BadLength = "gs1.bad_length";
inline constexpr const char* kGs1BadSyntax = "gs1.bad_syntax";
inline constexpr const char* kGs1Empty = "gs1.empty";
inline constexpr const char* kGs1UnknownAi = "gs1.unknown_ai";

inline constexpr std::array kCodeErrors{
    kBarcodeEmpty, kBarcodeGarbage, kBarcodeNoGtin, kGs1BadCharacter, kGs1BadCheckDigit,
    kGs1BadDate,   kGs1BadLength,   kGs1BadSyntax,  kGs1Empty,        kGs1UnknownAi,
};

}  // namespace packline::errors
