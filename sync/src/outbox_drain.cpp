#include "packline/sync/outbox_drain.h"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <unordered_map>
#include <variant>

#include "packline/store_errors.h"
#include "packline/sync/sync_errors.h"
#include "packline/sync/topics.h"

namespace packline::sync {
namespace {

std::int64_t system_clock_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

struct OutboxDrain::State {
    OutboxSource& source;
    MessagePublisher& publisher;
    std::size_t window = 64;
    std::chrono::milliseconds ack_timeout{30000};
    std::function<std::int64_t()> wall_clock_ms;

    // --- shared: under `mutex` ---
    mutable std::mutex mutex;
    std::condition_variable work_arrived;
    bool work_queued = false;
    std::vector<Ack> queued_acks;
    bool connected = false;             // as last posted
    std::int64_t connection_epoch = 0;  // +1 per posted connection
    std::function<void()> wakeup;
    Clock::time_point next_due = Clock::time_point::max();  // earliest ack timeout
    DrainStats stats;

    // --- the owner thread only ---
    struct Entry {
        std::string event_id;
        std::string topic;
        std::string payload;
        bool sent = false;  // false: taken from the outbox, not (or no longer) on the wire
        Clock::time_point sent_at{};
        int publications = 0;
    };
    std::map<std::int64_t, Entry> in_flight;  // by outbox seq: re-sends go in outbox order
    std::unordered_map<std::string, std::int64_t> seq_of;  // event id -> seq
    std::int64_t last_taken_seq = 0;
    bool owner_connected = false;
    std::int64_t owner_epoch = 0;

    State(OutboxSource& source_, MessagePublisher& publisher_)
        : source(source_), publisher(publisher_) {}

    // Marks work for pump() and calls the wakeup hook once per batch of work.
    template <typename Change>
    void queue(Change&& change) {
        std::function<void()> hook;
        {
            std::lock_guard lock(mutex);
            change();
            if (!work_queued) {
                work_queued = true;
                hook = wakeup;
            }
        }
        work_arrived.notify_all();
        if (hook) hook();
    }

    void note_error(Status& first, const Error& error) {
        {
            std::lock_guard lock(mutex);
            stats.last_error = error.to_string();
        }
        if (first) first = error;
    }

    // Retires the row named by one ack.
    void apply(const Ack& ack, std::int64_t now_ms, Status& first) {
        const Status applied = ack.result == AckResult::Rejected
                                   ? source.rejected(ack.event_id, ack.reason, now_ms)
                                   : source.delivered(ack.event_id, now_ms);
        const auto found = seq_of.find(ack.event_id);
        if (!applied) {
            if (applied.error().code == errors::kStoreNotFound) {
                std::lock_guard lock(mutex);
                ++stats.unknown_acks;
                // Gone from the outbox: publishing it again would be pointless.
                if (found != seq_of.end()) {
                    in_flight.erase(found->second);
                    seq_of.erase(found);
                }
                return;
            }
            // The row stays in flight: its re-send will bring another ack.
            note_error(first, applied.error().context("outbox drain: apply ack"));
            return;
        }
        std::lock_guard lock(mutex);
        if (ack.result == AckResult::Rejected)
            ++stats.rejected;
        else if (found != seq_of.end())
            ++stats.delivered;
        else
            ++stats.repeated_acks;
        if (found != seq_of.end()) {
            in_flight.erase(found->second);
            seq_of.erase(found);
        }
    }

    // Publishes one entry; false when the connection is gone (stop this round).
    bool send(Entry& entry, Status& first) {
        const Status published = publisher.publish(entry.topic, entry.payload);
        if (!published) {
            if (published.error().code == errors::kSyncMqttOffline) {
                entry.sent = false;
                return false;
            }
            // Refused by the client itself: try again after the ack timeout,
            // not on every pump.
            entry.sent = true;
            entry.sent_at = Clock::now();
            note_error(first, published.error().context("outbox drain: publish"));
            return true;
        }
        const bool again = entry.publications > 0;
        entry.sent = true;
        entry.sent_at = Clock::now();
        ++entry.publications;
        if (Status counted = source.attempted(entry.event_id); !counted)
            note_error(first, counted.error().context("outbox drain: count attempt"));
        std::lock_guard lock(mutex);
        ++stats.published;
        if (again) ++stats.republished;
        return true;
    }
};

OutboxDrain::OutboxDrain(OutboxSource& source, MessagePublisher& publisher,
                         const MqttSettings& settings, std::function<std::int64_t()> wall_clock_ms)
    : state_(std::make_unique<State>(source, publisher)) {
    state_->window = static_cast<std::size_t>(std::max(settings.window, 1));
    state_->ack_timeout = settings.ack_timeout;
    state_->wall_clock_ms = wall_clock_ms ? std::move(wall_clock_ms) : system_clock_ms;
}

OutboxDrain::~OutboxDrain() = default;

void OutboxDrain::post_acks(AckBatch batch) {
    state_->queue([&] {
        for (Ack& ack : batch.acks)
            state_->queued_acks.push_back(std::move(ack));
    });
}

bool OutboxDrain::handle_inbound(std::string_view topic, std::string_view payload) {
    // Parse the topic first: only the acks topic is decoded here, the rest
    // is the caller's to decode once.
    const auto parsed = parse_topic(topic);
    if (!parsed || parsed->kind != TopicKind::Acks) return false;
    auto message = decode_inbound(topic, payload);
    if (!message) {
        std::lock_guard lock(state_->mutex);
        state_->stats.last_error = message.error().context("outbox drain: ack").to_string();
        return true;
    }
    if (auto* batch = std::get_if<AckBatch>(&message->body)) post_acks(std::move(*batch));
    return true;
}

void OutboxDrain::post_connection(bool connected) {
    state_->queue([&] {
        state_->connected = connected;
        ++state_->connection_epoch;
    });
}

void OutboxDrain::notify_outbox_changed() {
    state_->queue([] {});
}

void OutboxDrain::set_wakeup(std::function<void()> wakeup) {
    std::lock_guard lock(state_->mutex);
    state_->wakeup = std::move(wakeup);
}

bool OutboxDrain::wait_for_work(std::chrono::milliseconds timeout) {
    std::unique_lock lock(state_->mutex);
    const auto deadline = std::min(Clock::now() + timeout, state_->next_due);
    state_->work_arrived.wait_until(lock, deadline, [this] { return state_->work_queued; });
    return state_->work_queued;
}

DrainStats OutboxDrain::stats() const {
    std::lock_guard lock(state_->mutex);
    return state_->stats;
}

Status OutboxDrain::pump() {
    State& state = *state_;
    Status first;

    std::vector<Ack> acks;
    bool connected = false;
    std::int64_t epoch = 0;
    {
        std::lock_guard lock(state.mutex);
        acks.swap(state.queued_acks);
        connected = state.connected;
        epoch = state.connection_epoch;
        state.work_queued = false;
    }

    const std::int64_t now_ms = state.wall_clock_ms();
    for (const Ack& ack : acks)
        state.apply(ack, now_ms, first);

    if (epoch != state.owner_epoch) {
        state.owner_epoch = epoch;
        state.owner_connected = connected;
        // A new connection: the broker may have lost what was in flight
        // (a restart without persistence), so everything goes out again.
        if (connected)
            for (auto& [seq, entry] : state.in_flight)
                entry.sent = false;
    }

    if (state.owner_connected) {
        const auto now = Clock::now();
        bool online = true;
        for (auto& [seq, entry] : state.in_flight) {
            if (entry.sent && now - entry.sent_at < state.ack_timeout) continue;
            if (!state.send(entry, first)) {
                online = false;
                break;
            }
        }
        while (online && state.in_flight.size() < state.window) {
            // The rows in flight are the oldest undelivered ones, so asking
            // for them plus the free slots yields exactly the next rows.
            const std::size_t limit = state.window;
            auto rows = state.source.pending(static_cast<int>(limit));
            if (!rows) {
                state.note_error(first, rows.error().context("outbox drain: read outbox"));
                break;
            }
            const bool more = rows->size() == limit;
            bool took = false;
            for (OutboxRow& row : rows.value()) {
                if (row.seq <= state.last_taken_seq || state.in_flight.contains(row.seq)) continue;
                state.last_taken_seq = row.seq;
                took = true;
                State::Entry entry{row.event_id, std::move(row.topic), std::move(row.payload)};
                entry.publications = row.attempts;
                state.seq_of[row.event_id] = row.seq;
                auto [where, inserted] = state.in_flight.emplace(row.seq, std::move(entry));
                if (!state.send(where->second, first)) {
                    online = false;
                    break;
                }
                if (state.in_flight.size() >= state.window) break;
            }
            if (!took || !more) break;  // the outbox has nothing newer
        }
    }

    // Offline, nothing is due: the next connection brings the re-sends.
    auto next_due = Clock::time_point::max();
    if (state.owner_connected)
        for (const auto& [seq, entry] : state.in_flight)
            if (entry.sent) next_due = std::min(next_due, entry.sent_at + state.ack_timeout);
    {
        std::lock_guard lock(state.mutex);
        state.next_due = next_due;
        state.stats.in_flight = static_cast<std::int64_t>(state.in_flight.size());
        state.stats.max_in_flight = std::max(state.stats.max_in_flight, state.stats.in_flight);
    }
    return first;
}

}  // namespace packline::sync
