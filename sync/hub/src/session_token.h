// Supervisor session tokens (internal header): 32 bytes from getrandom(2)
// (256 bits: guessing one is hopeless), written as base64url without padding
// (43 characters, safe in a cookie and a URL). The database keeps only the
// lower-case hex SHA-256 of the token's text, so a copy of the database (a
// backup, a support bundle) gives no usable session. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "packline/error.h"

namespace packline::hub {

inline constexpr std::size_t kSessionTokenCharacters = 43;

// Error "auth.random" when the kernel gives no randomness.
Result<std::string> new_session_token();

// True for 43 base64url characters: anything else cannot be a token, and is
// refused without a database lookup.
bool looks_like_session_token(std::string_view token);

// Lower-case hex SHA-256 of the token's text (64 characters).
std::string session_token_hash(std::string_view token);

}  // namespace packline::hub
