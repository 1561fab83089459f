// Event ids and the clock of messages the hub makes. Thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace packline::hub {

// A random (version 4) UUID in lower-case hex, as envelope.schema.json wants.
std::string new_event_id();

// The hub's wall clock: milliseconds since the Unix epoch.
std::int64_t wall_clock_ms();

}  // namespace packline::hub
