#include "packline/hub/password_hash.h"

#include <argon2.h>

#include <array>
#include <cstdint>
#include <vector>

#include "packline/hub/hub_errors.h"
#include "packline/sync/text_checks.h"
#include "secure_random.h"

namespace packline::hub {
namespace {

// OWASP Password Storage Cheat Sheet (2023): Argon2id, 19 MiB, 2 passes, 1 lane.
constexpr std::uint32_t kTimeCost = 2;
constexpr std::uint32_t kMemoryKib = 19456;
constexpr std::uint32_t kParallelism = 1;
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;
// What every hash made today starts with (the PHC string's parameters).
constexpr std::string_view kCurrentPrefix = "$argon2id$v=19$m=19456,t=2,p=1$";

Error hash_error(int code) {
    return Error{errors::kAuthHash, std::string("argon2: ") + argon2_error_message(code)};
}

}  // namespace

Status check_password_policy(std::string_view password) {
    if (password.size() > kPasswordMaxBytes)
        return Error{errors::kAuthPasswordPolicy,
                     "the password is longer than " + std::to_string(kPasswordMaxBytes) + " bytes"};
    if (!sync::text::valid_utf8(password))
        return Error{errors::kAuthPasswordPolicy, "the password is not valid UTF-8 text"};
    if (sync::text::code_points(password) < kPasswordMinCharacters)
        return Error{errors::kAuthPasswordPolicy, "the password is shorter than " +
                                                      std::to_string(kPasswordMinCharacters) +
                                                      " characters"};
    return {};
}

Result<std::string> hash_password(std::string_view password) {
    if (auto policy = check_password_policy(password); !policy) return policy.error();
    std::array<std::uint8_t, kSaltBytes> salt{};
    if (auto random = fill_random(salt); !random) return random.error();
    std::vector<char> encoded(
        argon2_encodedlen(kTimeCost, kMemoryKib, kParallelism, kSaltBytes, kHashBytes, Argon2_id));
    const int code =
        argon2id_hash_encoded(kTimeCost, kMemoryKib, kParallelism, password.data(), password.size(),
                              salt.data(), salt.size(), kHashBytes, encoded.data(), encoded.size());
    if (code != ARGON2_OK) return hash_error(code);
    return std::string(encoded.data());
}

Result<bool> verify_password(std::string_view password, const std::string& encoded) {
    // Nothing longer was ever accepted; refusing it unhashed also keeps a
    // megabyte "password" from costing more than a short one.
    if (password.size() > kPasswordMaxBytes) return false;
    const int code = argon2id_verify(encoded.c_str(), password.data(), password.size());
    if (code == ARGON2_OK) return true;
    if (code == ARGON2_VERIFY_MISMATCH) return false;
    return hash_error(code);
}

bool password_hash_is_current(std::string_view encoded) {
    return encoded.starts_with(kCurrentPrefix);
}

}  // namespace packline::hub
