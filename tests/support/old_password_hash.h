// An Argon2id hash made with weaker parameters than the hub's (t=1,
// m=4 MiB): an account from an older hub, for the password tests.
#pragma once

#include <argon2.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace packline::testing {

inline std::string old_argon2id_hash(const std::string& password) {
    const std::array<std::uint8_t, 16> salt = {1, 2,  3,  4,  5,  6,  7,  8,
                                               9, 10, 11, 12, 13, 14, 15, 16};
    std::vector<char> encoded(argon2_encodedlen(1, 4096, 1, salt.size(), 32, Argon2_id));
    if (argon2id_hash_encoded(1, 4096, 1, password.data(), password.size(), salt.data(),
                              salt.size(), 32, encoded.data(), encoded.size()) != ARGON2_OK)
        return {};
    return std::string(encoded.data());
}

}  // namespace packline::testing
