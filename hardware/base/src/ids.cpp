#include "packline/ids.h"

#include <cstdio>
#include <random>

namespace packline {

namespace {

// Formats two 64-bit words as a UUID, setting version 4 and the RFC 4122
// variant.
std::string uuid_text(std::uint64_t high, std::uint64_t low) {
    high = (high & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;
    low = (low & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
    char text[37];
    std::snprintf(text, sizeof text, "%08x-%04x-%04x-%04x-%012llx",
                  static_cast<unsigned>(high >> 32), static_cast<unsigned>((high >> 16) & 0xFFFF),
                  static_cast<unsigned>(high & 0xFFFF), static_cast<unsigned>(low >> 48),
                  static_cast<unsigned long long>(low & 0xFFFFFFFFFFFFULL));
    return text;
}

}  // namespace

std::string random_uuid() {
    thread_local std::mt19937_64 generator = [] {
        std::random_device device;
        std::seed_seq seed{device(), device(), device(), device(), device(), device()};
        return std::mt19937_64(seed);
    }();
    const std::uint64_t high = generator();
    const std::uint64_t low = generator();
    return uuid_text(high, low);
}

IdSource& random_ids() {
    static RandomIds ids;
    return ids;
}

std::string CountingIds::next_id() {
    return uuid_text(0, next_.fetch_add(1));
}

}  // namespace packline
