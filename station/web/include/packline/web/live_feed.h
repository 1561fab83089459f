// The latest state of a few named topics ("view", "scale"), handed from the
// thread that owns the state to any number of Server-Sent Events clients.
// Only the newest value of a topic is kept: a slow client skips states it
// had no time to show, it never falls behind (coalescing).
//
// Thread-safe: publish() from the owner's thread (the station loop, the
// dashboard poller), wait() from server threads.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace packline::web {

class EventStreamWriter;

class LiveFeed {
  public:
    struct Item {
        std::string topic;
        std::string data;
    };

    // Replaces the topic's value and wakes every waiting client.
    void publish(std::string_view topic, std::string data);

    // Blocks until a topic changed after `seen`, `timeout` passed or close();
    // returns the topics newer than `seen` (their latest values, in
    // publication order) and advances `seen`. With seen = 0 it returns every
    // topic at once.
    std::vector<Item> wait(std::uint64_t& seen, std::chrono::milliseconds timeout);

    // Wakes every waiter for good; wait() returns at once from then on.
    void close();
    bool closed() const;

  private:
    struct Entry {
        std::string data;
        std::uint64_t version = 0;
    };
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::map<std::string, Entry, std::less<>> latest_;
    std::uint64_t version_ = 0;
    bool closed_ = false;
};

// Streams `feed` to one client until the client goes, the feed closes or
// the server stops: every topic as an SSE event named after it, and an event
// `ping` (data: the server's clock in ms) after `keep_alive` of quiet, so
// proxies and the page see a live connection.
// `still_allowed`, when given, is asked at every wake-up; false ends the
// stream (a session that expired while its dashboard was open).
void serve_feed(LiveFeed& feed, EventStreamWriter& writer,
                std::chrono::milliseconds keep_alive = std::chrono::seconds(15),
                const std::function<bool()>& still_allowed = {});

}  // namespace packline::web
