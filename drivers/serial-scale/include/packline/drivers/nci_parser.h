// Avery Weigh-Tronix / NCI Standard Communication Protocol (SCP-01, SCP-02,
// SCP-12; Brecknell/Salter PS-USB), the pure half. Source: shared reference
// devices.md §3.2. Replies run from LF to ETX on a 7E1 line:
//   weight  <LF>xxxx.xxUU<CR><LF>hh<CR><ETX>   (PS-USB: <LF>xxxx.xxUU<CR>hh<ETX>)
//   lb-oz   <LF>xxlb xx.xoz<CR><LF>hh<CR><ETX>
//   status  <LF>hh<CR><ETX>   (SCP-02 prefixes the status with 'S')
//   unknown command  <LF>?<CR><ETX>
// Parsing is tolerant as the reference advises: start at LF, end at ETX, split
// on CR/LF.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "packline/error.h"
#include "packline/hardware/events.h"

namespace packline::drivers {

// The status bytes (bits 4 and 5 always set, so each is ASCII '0'..'?').
struct NciStatus {
    bool in_motion = false;           // byte 1 bit 0
    bool at_zero = false;             // byte 1 bit 1
    bool ram_error = false;           // byte 1 bit 2
    bool eeprom_error = false;        // byte 1 bit 3
    bool under_capacity = false;      // byte 2 bit 0
    bool over_capacity = false;       // byte 2 bit 1
    bool rom_error = false;           // byte 2 bit 2
    bool faulty_calibration = false;  // byte 2 bit 3
    std::optional<int> range;         // byte 3 bits 0-1 (0 low .. 3 high) when sent
    bool net = false;                 // byte 3 bit 2
    bool initial_zero_error = false;  // byte 3 bit 3
};

struct NciReply {
    std::optional<double> grams;  // absent for a status-only reply or a non-numeric weight field
    std::string unit;             // as sent: "LB", "KG", "OZ", "G", or "lb-oz"
    NciStatus status;
};

// One frame as the framer returns it (LF ... ETX; parity bits are masked).
// Errors: "nci.unknown_command" for "?", "nci.bad_frame", "nci.bad_status",
// "nci.bad_weight", "nci.unknown_unit".
Result<NciReply> parse_nci(std::string_view frame);

// 1 to 3 status bytes, optionally prefixed with 'S'. Error: "nci.bad_status".
Result<NciStatus> parse_nci_status(std::string_view bytes);

// Fault (any RAM/ROM/EEPROM/calibration/initial zero error) > Overload (over
// capacity) > UnderZero (under capacity or negative) > InMotion > AtZero >
// Stable. A reply without weight gives "nci.no_weight" unless the status alone
// says Fault, Overload or UnderZero (then grams is 0). at_ms is left 0.
Result<hardware::WeightReading> nci_to_reading(const NciReply& reply, std::string device);

enum class NciCommand { Weight, Status, Zero, ChangeUnits };

// "W\r", "S\r", "Z\r", "U\r".
std::string nci_command(NciCommand command);

}  // namespace packline::drivers
