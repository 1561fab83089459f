// Toledo continuous output (as sent by many indicators: Kern FTC, MT IND445,
// Cardinal 225), the pure half. Source: shared reference devices.md §3.3.
// Frame: STX SWA SWB SWC, 6 weight digits, 6 tare digits (no point, no sign),
// CR, CHK, where CHK makes the 7-bit sum of all 18 bytes zero. The short
// format omits the tare; the checksum is optional (Cardinal 225 manual p.118).
// Each byte is masked with 0x7F first (7E1 lines).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "packline/error.h"
#include "packline/hardware/events.h"

namespace packline::drivers {

struct ToledoFrame {
    int decimal_code = 2;        // SWA bits 0-2; value = digits * 10^(2 - code)
    double weight = 0.0;         // displayed weight in `kilograms ? kg : lb`, sign applied
    std::optional<double> tare;  // absent in the short format
    bool kilograms = false;      // SWB bit 4 (else pounds)
    bool net = false;            // SWB bit 0
    bool negative = false;       // SWB bit 1
    bool out_of_range = false;   // SWB bit 2
    bool in_motion = false;      // SWB bit 3
    bool power_up = false;       // SWB bit 6 (not zeroed since power-up; ⚠ source)
    bool checksum_present = false;
    double grams = 0.0;  // weight converted exactly (1 lb = 453.59237 g)
};

// Accepts 11 bytes (short, no checksum), 12 (short + CHK), 17 (full, no
// checksum) or 18 (full + CHK), starting with STX and with CR before CHK.
// Errors: "toledo.bad_frame" (length, STX, CR), "toledo.bad_checksum",
// "toledo.bad_weight" (a non-digit in a weight or tare field; leading blanks
// are read as zeros).
Result<ToledoFrame> parse_toledo(std::string_view frame);

// Overload (out of range) > UnderZero (negative) > InMotion > Stable.
// power_up is reported in ToledoFrame but not mapped to Fault: its meaning is
// only sourced from one third-party parser. at_ms is left 0.
hardware::WeightReading toledo_to_reading(const ToledoFrame& frame, std::string device);

}  // namespace packline::drivers
