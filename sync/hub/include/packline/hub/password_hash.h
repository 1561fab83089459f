// Supervisor passwords: Argon2id (RFC 9106) with the OWASP 2023 minimum
// parameters, t = 2 passes over m = 19,456 KiB with p = 1 lane, a 16-byte
// salt from getrandom() and a 32-byte hash, kept as the PHC encoded string
// ("$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>"), which carries its own
// parameters: a hash made with other parameters still verifies, and
// password_hash_is_current() says when to make a new one.
//
// Policy: 10 characters (code points) at least, 1024 bytes at most, valid
// UTF-8. No composition rules: length is what makes a password hard to
// guess (NIST SP 800-63B).
//
// Pure functions, thread-safe. Each hash or verify takes about 19 MiB and
// tens of milliseconds: callers bound how many run at once.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "packline/error.h"

namespace packline::hub {

inline constexpr std::size_t kPasswordMinCharacters = 10;
inline constexpr std::size_t kPasswordMaxBytes = 1024;

// Error "auth.password_policy" saying what is wrong, never echoing the password.
Status check_password_policy(std::string_view password);

// The encoded Argon2id hash of a password that passes the policy. Errors
// "auth.password_policy", "auth.random" (no randomness from the kernel),
// "auth.hash" (libargon2 failed, e.g. out of memory).
Result<std::string> hash_password(std::string_view password);

// True when `password` matches `encoded`, false when it does not. Error
// "auth.hash" when `encoded` is not an Argon2id string libargon2 can read.
// Long passwords are refused (false) without hashing, like the policy.
Result<bool> verify_password(std::string_view password, const std::string& encoded);

// False when `encoded` was made with other parameters than today's (a login
// that verifies should store a new hash).
bool password_hash_is_current(std::string_view encoded);

}  // namespace packline::hub
