#include "packline/hub/login_throttle.h"

#include <algorithm>

namespace packline::hub {

std::int64_t LoginThrottle::wait_ms(std::string_view address, std::int64_t now_ms) const {
    const auto found = records_.find(std::string(address));
    if (found == records_.end()) return 0;
    const Record& record = found->second;
    if (now_ms - record.last_ms >= kThrottleForgetMs) return 0;
    if (record.attempts < kThrottleFreeFailures) return 0;
    // 1 s after the fifth, 2 s after the sixth, ... (the shift is capped
    // long before it could overflow).
    const int doublings = std::min(record.attempts - kThrottleFreeFailures, 30);
    const std::int64_t delay =
        std::min(kThrottleMaxDelayMs, kThrottleFirstDelayMs * (std::int64_t{1} << doublings));
    return std::max<std::int64_t>(0, record.last_ms + delay - now_ms);
}

void LoginThrottle::attempt(std::string_view address, std::int64_t now_ms) {
    std::string key(address);
    auto found = records_.find(key);
    if (found == records_.end()) {
        make_room(now_ms);
        found = records_.emplace(std::move(key), Record{}).first;
    }
    Record& record = found->second;
    if (now_ms - record.last_ms >= kThrottleForgetMs) record.attempts = 0;
    ++record.attempts;
    record.last_ms = now_ms;
    record.refusal_audited = false;
}

bool LoginThrottle::refused(std::string_view address) {
    const auto found = records_.find(std::string(address));
    if (found == records_.end() || found->second.refusal_audited) return false;
    found->second.refusal_audited = true;
    return true;
}

void LoginThrottle::succeeded(std::string_view address) {
    records_.erase(std::string(address));
}

void LoginThrottle::make_room(std::int64_t now_ms) {
    if (records_.size() < kThrottleMaxAddresses) return;
    std::erase_if(records_, [&](const auto& entry) {
        return now_ms - entry.second.last_ms >= kThrottleForgetMs;
    });
    if (records_.size() < kThrottleMaxAddresses) return;
    // Every one is recent (a flood of addresses): forget the stalest.
    auto stalest = std::min_element(
        records_.begin(), records_.end(),
        [](const auto& a, const auto& b) { return a.second.last_ms < b.second.last_ms; });
    records_.erase(stalest);
}

}  // namespace packline::hub
