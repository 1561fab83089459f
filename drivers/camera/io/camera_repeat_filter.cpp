#include "packline/drivers/camera_repeat_filter.h"

#include <algorithm>

namespace packline::drivers {

std::vector<std::string> RepeatFilter::admit(const std::vector<std::string>& scans,
                                             std::int64_t now_ms) {
    const std::int64_t window = window_.count();
    std::erase_if(last_seen_ms_,
                  [&](const auto& entry) { return now_ms - entry.second >= window; });
    std::vector<std::string> admitted;
    for (const std::string& scan : scans) {
        const auto [entry, inserted] = last_seen_ms_.try_emplace(scan, now_ms);
        if (inserted) {
            admitted.push_back(scan);
        } else {
            entry->second = now_ms;
        }
    }
    return admitted;
}

}  // namespace packline::drivers
