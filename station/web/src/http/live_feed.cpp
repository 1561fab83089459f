#include "packline/web/live_feed.h"

#include <algorithm>

#include "packline/hardware/events.h"
#include "packline/web/http_server.h"

namespace packline::web {

void LiveFeed::publish(std::string_view topic, std::string data) {
    {
        std::lock_guard lock(mutex_);
        auto found = latest_.find(topic);
        if (found == latest_.end()) found = latest_.emplace(std::string(topic), Entry{}).first;
        found->second.data = std::move(data);
        found->second.version = ++version_;
    }
    changed_.notify_all();
}

std::vector<LiveFeed::Item> LiveFeed::wait(std::uint64_t& seen, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [&] { return closed_ || version_ > seen; });
    std::vector<std::pair<std::uint64_t, Item>> newer;
    if (closed_) return {};
    for (const auto& [topic, entry] : latest_)
        if (entry.version > seen) newer.push_back({entry.version, Item{topic, entry.data}});
    seen = version_;
    lock.unlock();
    std::sort(newer.begin(), newer.end(),
              [](const auto& left, const auto& right) { return left.first < right.first; });
    std::vector<Item> items;
    items.reserve(newer.size());
    for (auto& [version, item] : newer)
        items.push_back(std::move(item));
    return items;
}

void LiveFeed::close() {
    {
        std::lock_guard lock(mutex_);
        closed_ = true;
    }
    changed_.notify_all();
}

bool LiveFeed::closed() const {
    std::lock_guard lock(mutex_);
    return closed_;
}

void serve_feed(LiveFeed& feed, EventStreamWriter& writer, std::chrono::milliseconds keep_alive,
                const std::function<bool()>& still_allowed) {
    std::uint64_t seen = 0;
    // Tell EventSource how soon to come back after a drop.
    if (!writer.comment("packline")) return;
    while (!writer.stopping()) {
        auto items = feed.wait(seen, keep_alive);
        if (feed.closed()) return;
        if (still_allowed && !still_allowed()) return;
        if (items.empty()) {
            // A named event, not a comment: EventSource hides comments from
            // the page, which wants to tell a quiet stream from a dead one.
            if (!writer.send("ping", std::to_string(hardware::now_ms()))) return;
            continue;
        }
        for (const LiveFeed::Item& item : items)
            if (!writer.send(item.topic, item.data)) return;
    }
}

}  // namespace packline::web
