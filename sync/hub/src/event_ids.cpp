#include "packline/hub/event_ids.h"

#include <chrono>
#include <random>

namespace packline::hub {

std::string new_event_id() {
    // One generator per thread, seeded from the system's entropy: ids from
    // two hub instances (or two threads) must not collide.
    thread_local std::mt19937_64 generator = [] {
        std::random_device device;
        std::seed_seq seed{device(), device(), device(), device(), device(), device()};
        return std::mt19937_64(seed);
    }();
    std::uint64_t high = generator();
    std::uint64_t low = generator();
    high = (high & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
    low = (low & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;    // RFC 4122 variant
    static constexpr char kHex[] = "0123456789abcdef";
    std::string text;
    text.reserve(36);
    for (int index = 0; index < 32; ++index) {
        if (index == 8 || index == 12 || index == 16 || index == 20) text.push_back('-');
        const std::uint64_t word = index < 16 ? high : low;
        const int shift = (15 - (index % 16)) * 4;
        text.push_back(kHex[(word >> shift) & 0xf]);
    }
    return text;
}

std::int64_t wall_clock_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace packline::hub
