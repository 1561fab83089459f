#include "session_token.h"

#include <openssl/evp.h>

#include <array>
#include <cstdint>

#include "secure_random.h"

namespace packline::hub {
namespace {

constexpr std::string_view kBase64Url =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64url(std::span<const std::uint8_t> bytes) {
    std::string text;
    text.reserve((bytes.size() * 4 + 2) / 3);
    std::size_t index = 0;
    for (; index + 3 <= bytes.size(); index += 3) {
        const std::uint32_t group = (std::uint32_t{bytes[index]} << 16) |
                                    (std::uint32_t{bytes[index + 1]} << 8) | bytes[index + 2];
        for (int shift = 18; shift >= 0; shift -= 6)
            text.push_back(kBase64Url[(group >> shift) & 0x3f]);
    }
    const std::size_t rest = bytes.size() - index;
    if (rest > 0) {
        std::uint32_t group = std::uint32_t{bytes[index]} << 16;
        if (rest == 2) group |= std::uint32_t{bytes[index + 1]} << 8;
        // No padding: 1 byte left gives 2 characters, 2 bytes give 3.
        for (std::size_t character = 0; character <= rest; ++character)
            text.push_back(kBase64Url[(group >> (18 - 6 * character)) & 0x3f]);
    }
    return text;
}

}  // namespace

Result<std::string> new_session_token() {
    std::array<std::uint8_t, 32> bytes{};
    if (auto random = fill_random(bytes); !random) return random.error();
    return base64url(bytes);
}

bool looks_like_session_token(std::string_view token) {
    if (token.size() != kSessionTokenCharacters) return false;
    for (const char character : token)
        if (kBase64Url.find(character) == std::string_view::npos) return false;
    return true;
}

std::string session_token_hash(std::string_view token) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    // One-shot EVP digest; SHA-256 cannot fail short of memory exhaustion,
    // and then an empty hash matches no session.
    if (EVP_Digest(token.data(), token.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1)
        return {};
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(length * 2u);
    for (unsigned int index = 0; index < length; ++index) {
        hex.push_back(kHex[digest[index] >> 4]);
        hex.push_back(kHex[digest[index] & 0x0f]);
    }
    return hex;
}

}  // namespace packline::hub
