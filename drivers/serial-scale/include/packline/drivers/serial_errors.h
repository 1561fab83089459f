// The error codes of drivers/serial-scale: stable and machine-readable, the code
// of a packline::Error (error.h). docs/error-codes.md lists every code
// of every module (tests/unit/project/error_codes_test.cpp keeps it so).
#pragma once

#include <array>

namespace packline::errors {

inline constexpr const char* kCasBadFrame = "cas.bad_frame";
inline constexpr const char* kCasBadMode = "cas.bad_mode";
inline constexpr const char* kCasBadState = "cas.bad_state";
inline constexpr const char* kCasBadWeight = "cas.bad_weight";
inline constexpr const char* kCasUnknownUnit = "cas.unknown_unit";
inline constexpr const char* kNciBadFrame = "nci.bad_frame";
inline constexpr const char* kNciBadStatus = "nci.bad_status";
inline constexpr const char* kNciBadWeight = "nci.bad_weight";
inline constexpr const char* kNciNoWeight = "nci.no_weight";
inline constexpr const char* kNciUnknownCommand = "nci.unknown_command";
inline constexpr const char* kNciUnknownUnit = "nci.unknown_unit";
inline constexpr const char* kSerialBadBaud = "serial.bad_baud";
inline constexpr const char* kSerialBadFraming = "serial.bad_framing";
inline constexpr const char* kSerialBadOption = "serial.bad_option";
inline constexpr const char* kSerialBusy = "serial.busy";
inline constexpr const char* kSerialClosed = "serial.closed";
inline constexpr const char* kSerialGone = "serial.gone";
inline constexpr const char* kSerialNoPath = "serial.no_path";
inline constexpr const char* kSerialNotConnected = "serial.not_connected";
inline constexpr const char* kSerialOpen = "serial.open";
inline constexpr const char* kSerialRead = "serial.read";
inline constexpr const char* kSerialSettings = "serial.settings";
inline constexpr const char* kSerialTimeout = "serial.timeout";
inline constexpr const char* kSerialUnknownProtocol = "serial.unknown_protocol";
inline constexpr const char* kSerialUnsupported = "serial.unsupported";
inline constexpr const char* kSerialWrite = "serial.write";
inline constexpr const char* kSicsBadReply = "sics.bad_reply";
inline constexpr const char* kSicsBadValue = "sics.bad_value";
inline constexpr const char* kSicsBusy = "sics.busy";
inline constexpr const char* kSicsEmpty = "sics.empty";
inline constexpr const char* kSicsLogical = "sics.logical";
inline constexpr const char* kSicsOverload = "sics.overload";
inline constexpr const char* kSicsSyntax = "sics.syntax";
inline constexpr const char* kSicsTransmission = "sics.transmission";
inline constexpr const char* kSicsUnderload = "sics.underload";
inline constexpr const char* kSicsUnexpectedReply = "sics.unexpected_reply";
inline constexpr const char* kSicsUnknownUnit = "sics.unknown_unit";
inline constexpr const char* kToledoBadChecksum = "toledo.bad_checksum";
inline constexpr const char* kToledoBadFrame = "toledo.bad_frame";
inline constexpr const char* kToledoBadWeight = "toledo.bad_weight";

inline constexpr std::array kSerialErrors{
    kCasBadFrame,       kCasBadMode,        kCasBadState,        kCasBadWeight,
    kCasUnknownUnit,    kNciBadFrame,       kNciBadStatus,       kNciBadWeight,
    kNciNoWeight,       kNciUnknownCommand, kNciUnknownUnit,     kSerialBadBaud,
    kSerialBadFraming,  kSerialBadOption,   kSerialBusy,         kSerialClosed,
    kSerialGone,        kSerialNoPath,      kSerialNotConnected, kSerialOpen,
    kSerialRead,        kSerialSettings,    kSerialTimeout,      kSerialUnknownProtocol,
    kSerialUnsupported, kSerialWrite,       kSicsBadReply,       kSicsBadValue,
    kSicsBusy,          kSicsEmpty,         kSicsLogical,        kSicsOverload,
    kSicsSyntax,        kSicsTransmission,  kSicsUnderload,      kSicsUnexpectedReply,
    kSicsUnknownUnit,   kToledoBadChecksum, kToledoBadFrame,     kToledoBadWeight,
};

}  // namespace packline::errors
