// Bytes from the kernel's random number generator (getrandom(2)), for salts
// and session tokens (internal header). Thread-safe.
#pragma once

#include <cstdint>
#include <span>

#include "packline/error.h"

namespace packline::hub {

// Fills `bytes`; blocks only until the kernel's pool is first seeded (early
// boot). Error "auth.random" when the kernel refuses.
Status fill_random(std::span<std::uint8_t> bytes);

}  // namespace packline::hub
