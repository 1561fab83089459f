// Internal to the registry: what the driver table shares with the recording
// decoders (the evdev decoding options, read in one place).
#pragma once

#include <vector>

#include "packline/drivers/driver_options.h"
#include "packline/drivers/evdev_decoder.h"

namespace packline::drivers {

// layout, tab_terminates, timeout_ms, gs_substitute, gs_on_f12: the evdev
// driver's, and a recording's header for an evdev recording.
const std::vector<OptionSpec>& evdev_decoding_options();
void read_evdev_decoding(const DriverOptions& options, EvdevDecoderOptions& decoding);

}  // namespace packline::drivers
