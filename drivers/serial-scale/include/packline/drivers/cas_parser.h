// CAS indicators (CI-600D, CI-150A, NT-200) and the many cheap indicators that
// copy them, the pure half. Source: shared reference devices.md §3.4. Lines end
// CR LF and come in two shapes that we tell apart by position:
//   "ST,GS,+  1.500kg"              (AND 18-byte style)
//   "ST,GS,<id><lamp>,0000013.5 kg" (CAS 22-byte: device id and lamp bytes)
// ST = stable, US = unstable, OL = overload; GS = gross, NT = net.
// The bare "CAS 10-byte" format (weight only, no state) is not accepted: it
// cannot tell a settled weight from a moving one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "packline/error.h"
#include "packline/hardware/events.h"

namespace packline::drivers {

struct CasReply {
    std::string state;                      // "ST", "US" or "OL"
    bool net = false;                       // "NT" (else "GS")
    std::optional<std::uint8_t> device_id;  // 22-byte format only
    std::optional<std::uint8_t> lamp;       // 22-byte format: bit6 stable, bit4 hold, bit3 printer,
                                            // bit2 gross, bit1 tare, bit0 zero
    std::optional<double> grams;            // absent when an OL line carries no number
    std::string unit;                       // as sent: "kg", "g", "lb", "oz"
};

// One line, with or without CR LF. Errors: "cas.bad_frame", "cas.bad_state",
// "cas.bad_mode", "cas.bad_weight", "cas.unknown_unit".
Result<CasReply> parse_cas(std::string_view line);

// OL -> Overload > negative -> UnderZero > US -> InMotion > ST -> Stable.
// at_ms is left 0.
Result<hardware::WeightReading> cas_to_reading(const CasReply& reply, std::string device);

}  // namespace packline::drivers
