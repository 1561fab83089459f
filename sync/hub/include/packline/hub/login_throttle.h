// Sign-in throttling by client address (docs/dashboard.md, "Sign-in and
// sessions"): an address that keeps failing waits longer and longer between
// attempts, so whoever guesses slows down only themselves. The supervisor
// whose name is being guessed still signs in from their own desk; the name
// plays no part, so the throttle tells nothing about which names exist.
//
// The first kThrottleFreeFailures attempts of an address are heard at once;
// after that it must wait kThrottleFirstDelayMs after its last attempt,
// doubling with every further one up to kThrottleMaxDelayMs. An address
// without an attempt for kThrottleForgetMs starts afresh, and a successful
// sign-in from it clears it. An attempt counts when it is heard (before the
// password is verified), so a burst of parallel guesses cannot all slip in
// before the first is judged.
//
// Decisions only: the caller passes the clock, nothing here waits or stores.
// At most kThrottleMaxAddresses are remembered (the stalest go first), so a
// flood of addresses costs bounded memory. Not thread-safe: the caller locks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace packline::hub {

inline constexpr int kThrottleFreeFailures = 5;
inline constexpr std::int64_t kThrottleFirstDelayMs = 1000;
inline constexpr std::int64_t kThrottleMaxDelayMs = 5 * 60 * 1000;
inline constexpr std::int64_t kThrottleForgetMs = 15 * 60 * 1000;
inline constexpr std::size_t kThrottleMaxAddresses = 10000;

class LoginThrottle {
  public:
    // How long `address` must still wait before an attempt is heard; 0: now.
    [[nodiscard]] std::int64_t wait_ms(std::string_view address, std::int64_t now_ms) const;
    // An attempt is heard (call when wait_ms() was 0).
    void attempt(std::string_view address, std::int64_t now_ms);
    // A refusal while the address waits: true for the first of each wait
    // (worth an audit row), false for the rest (a flood writes nothing).
    bool refused(std::string_view address);
    // A successful sign-in: the address starts afresh.
    void succeeded(std::string_view address);

    [[nodiscard]] std::size_t addresses() const { return records_.size(); }

  private:
    struct Record {
        int attempts = 0;
        std::int64_t last_ms = 0;
        bool refusal_audited = false;
    };
    void make_room(std::int64_t now_ms);

    std::unordered_map<std::string, Record> records_;
};

}  // namespace packline::hub
