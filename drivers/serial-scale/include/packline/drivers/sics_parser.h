// Mettler Toledo MT-SICS (standard interface command set), the pure half:
// command strings out, reply lines in. Source: shared reference devices.md §3.1
// (MT AT/AL manual p.87; instrumentkit mt_sics tests). Every command and reply
// ends with CR LF; a reply is "<command> <status> [<value> <unit>]", the value
// right-aligned and blank-padded; "ES"/"ET"/"EL" are general errors.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "packline/error.h"
#include "packline/hardware/events.h"

namespace packline::drivers {

struct SicsReply {
    std::string command;          // "S", "Z", "@", or "ES"/"ET"/"EL" for general errors
    std::string status;           // "S", "D", "A", "I", "L", "+", "-"; empty for ES/ET/EL
    std::optional<double> value;  // the numeric field, in `unit`
    std::string value_text;       // that field as sent, so grams are computed from the digits
    std::string unit;             // as sent ("g", "kg", ...); empty when absent
    std::string text;             // a quoted field without quotes (`@ A "B123"`), else empty
};

// One reply line, with or without its CR LF. Errors: "sics.empty",
// "sics.bad_reply" (not command/status/value/unit), "sics.bad_value".
Result<SicsReply> parse_sics(std::string_view line);

// A weight reply of S or SI as a reading in grams (at_ms left 0 for the
// transport to stamp):
//   S S <w> <u> -> Stable (UnderZero when negative); S D <w> <u> -> InMotion;
//   S + -> Overload; S - -> UnderZero (grams 0 when no value was sent);
//   S I -> "sics.busy"; S L -> "sics.logical"; ES/ET/EL -> "sics.syntax",
//   "sics.transmission", "sics.logical"; unknown unit -> "sics.unknown_unit";
//   anything else -> "sics.unexpected_reply".
Result<hardware::WeightReading> sics_to_reading(const SicsReply& reply, std::string device);

// Acknowledgement of Z, ZI, T, TA, @: status "A" (or "S" for T, which some
// balances answer with the tare weight) is success; I -> "sics.busy",
// L -> "sics.logical", + -> "sics.overload", - -> "sics.underload",
// ES/ET/EL as above.
Status sics_acknowledged(const SicsReply& reply);

enum class SicsCommand {
    StableWeight,     // S
    ImmediateWeight,  // SI
    Zero,             // Z
    ZeroImmediately,  // ZI
    Tare,             // T
    TareWeight,       // TA (query the tare value)
    Reset,            // @
};

// The command line to send, CR LF included ("SI\r\n").
std::string sics_command(SicsCommand command);

}  // namespace packline::drivers
