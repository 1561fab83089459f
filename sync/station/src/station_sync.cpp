#include "packline/sync/station/station_sync.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "packline/hardware/events.h"
#include "packline/log_budget.h"
#include "packline/station/message_sequence.h"
#include "packline/station/messages.h"
#include "packline/sync/inbound.h"
#include "packline/sync/mqtt_client.h"
#include "packline/sync/station/inbox.h"
#include "packline/sync/station/store_outbox_source.h"
#include "packline/sync/sync_errors.h"
#include "packline/sync/topics.h"

namespace packline::sync {
namespace {

using Clock = std::chrono::steady_clock;

std::int64_t wall_clock_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Start of the current UTC day: counters cover it when nobody signed in.
std::int64_t start_of_day_ms(std::int64_t now_ms) {
    constexpr std::int64_t kDay = 24LL * 3600 * 1000;
    return now_ms - now_ms % kDay;
}

}  // namespace

struct StationSync::Impl {
    StationSyncOptions options;
    station::StationLoop& loop;
    station::PackingStation& station;
    std::function<void(std::string)> log;
    StationIdentity identity;
    std::string version;
    std::string status_topic;
    std::string source_path;  // the station's database
    station::MessageSequence* sequence = nullptr;

    Inbox inbox;               // loop thread
    StoreOutboxSource source;  // worker thread
    std::unique_ptr<MqttClient> client;
    std::unique_ptr<OutboxDrain> drain;
    std::thread worker;

    mutable std::mutex mutex;
    std::condition_variable wake;
    bool running = false;
    bool stopping = false;
    bool work = false;
    bool status_wanted = true;               // publish at the first connection
    station::StationSnapshot snapshot;       // the latest the loop handed over
    station::StationSnapshot loop_snapshot;  // loop thread: the last one handed over
    InboxStats inbox_stats;                  // copied from the loop
    std::atomic<std::int64_t> last_ack_ms{0};
    std::atomic<std::int64_t> clock_skew_ms{0};
    std::atomic<bool> skew_known{false};
    std::atomic<bool> skew_flagged{false};
    std::atomic<std::int64_t> statuses_published{0};
    // Paho's callback thread only (on_message).
    LogBudget refusal_lines{20, std::chrono::minutes(1)};

    Impl(StationSyncOptions options_, station::StationLoop& loop_,
         station::PackingStation& station_, station::Store& loop_store,
         std::function<void(std::string)> log_, StationIdentity identity_)
        : options(std::move(options_)),
          loop(loop_),
          station(station_),
          log(std::move(log_)),
          identity(identity_),
          inbox(loop_store, station_, identity_, wall_clock_ms),
          source(loop_store.path(), identity_.station) {}

    void say(std::string line) {
        if (log) log(std::move(line));
    }

    Envelope next_envelope() {
        return Envelope{station::new_event_id(), wall_clock_ms(), sequence->next()};
    }

    void poke(bool want_status) {
        {
            std::lock_guard lock(mutex);
            work = true;
            if (want_status) status_wanted = true;
        }
        wake.notify_one();
    }

    // ---- Paho threads -------------------------------------------------

    void on_message(std::string_view topic, std::string_view payload) {
        auto decoded = decode_inbound(topic, payload);
        if (!decoded) {
            // Every refusal is counted and sampled in the store (the inbox);
            // the log gets the first ones of each minute.
            const auto admitted = refusal_lines.admit(std::chrono::steady_clock::now());
            if (admitted.held_back > 0)
                say("sync: " + std::to_string(admitted.held_back) +
                    " more refused messages were not logged");
            if (admitted.write)
                say("sync: refused a message on " + std::string(topic).substr(0, 200) + ": " +
                    decoded.error().to_string());
            loop.post_task([this, error = decoded.error(), topic = std::string(topic),
                            payload = std::string(payload)](station::PackingStation&) {
                if (auto reported = inbox.refuse(error, topic, payload); !reported)
                    say("sync: could not record the refusal: " + reported.error().to_string());
                after_inbox_task(false);
            });
            return;
        }
        if (auto* acks = std::get_if<AckBatch>(&decoded->body)) {
            const std::int64_t now = wall_clock_ms();
            last_ack_ms = now;
            if (decoded->sent_at_ms > 0) note_clock_skew(now - decoded->sent_at_ms);
            drain->post_acks(std::move(*acks));
            return;
        }
        loop.post_task([this, message = std::move(decoded.value()), topic = std::string(topic),
                        payload = std::string(payload)](station::PackingStation&) {
            auto effect = inbox.apply(message, topic, payload);
            if (!effect)
                say("sync: " + std::string(to_string(message.topic.kind)) +
                    " not applied: " + effect.error().to_string());
            after_inbox_task(effect && *effect == Inbox::Effect::Pool);
        });
    }

    // Loop thread, after every inbox task: a refusal wrote an outbox row, a
    // pool top-up changed what the status reports.
    void after_inbox_task(bool status_changed) {
        {
            std::lock_guard lock(mutex);
            inbox_stats = inbox.stats();
        }
        drain->notify_outbox_changed();
        if (status_changed) poke(true);
    }

    void note_clock_skew(std::int64_t skew) {
        clock_skew_ms = skew;
        skew_known = true;
        const bool large = std::llabs(skew) > options.clock_skew_warning.count();
        if (large != skew_flagged.exchange(large)) {
            if (large)
                say("sync: WARNING: the station clock is " + std::to_string(skew) +
                    " ms off the hub's (station minus hub); check NTP. Times in messages "
                    "stay as the station measured them; the sequence orders them.");
            else
                say("sync: the station clock agrees with the hub's again (" + std::to_string(skew) +
                    " ms)");
            poke(true);
        }
    }

    void on_connection(bool connected) {
        drain->post_connection(connected);
        if (connected) {
            say("sync: connected to the broker (MQTT " +
                std::string(client->mqtt_version() == 5 ? "5" : "3.1.1") + ")");
            poke(true);
        } else {
            say("sync: connection lost; packing goes on, the outbox keeps everything");
        }
    }

    // ---- worker thread ------------------------------------------------

    void run_worker() {
        auto next_status = Clock::now();
        auto last_status = Clock::time_point{};
        auto next_prune = Clock::now();
        auto next_refusal_check = Clock::now();
        std::string last_error;
        for (;;) {
            bool status_now = false;
            station::StationSnapshot current;
            {
                std::unique_lock lock(mutex);
                const auto deadline =
                    std::min(Clock::now() + std::chrono::milliseconds(250), next_status);
                wake.wait_until(lock, deadline, [&] { return stopping || work; });
                if (stopping) return;
                work = false;
                const bool due = Clock::now() >= next_status;
                const bool allowed = Clock::now() - last_status >= options.status_min_interval;
                if ((status_wanted && allowed) || due) {
                    status_now = true;
                    status_wanted = false;
                    current = snapshot;
                }
            }
            if (auto pumped = drain->pump(); !pumped) {
                if (pumped.error().message != last_error) {
                    last_error = pumped.error().message;
                    say("sync: outbox: " + pumped.error().to_string());
                }
            } else {
                last_error.clear();
            }
            if (status_now && client->connected()) {
                if (auto published = publish_status(current); !published)
                    say("sync: status not published: " + published.error().to_string());
                last_status = Clock::now();
                next_status = last_status + options.status_interval;
            } else if (status_now) {
                // Offline: the status goes out at the next connection.
                std::lock_guard lock(mutex);
                status_wanted = true;
                next_status = Clock::now() + options.status_interval;
            }
            // Refusals counted but not yet reported (the inbox reports at
            // most one a minute per topic kind) go out once their minute is up.
            if (Clock::now() >= next_refusal_check) {
                next_refusal_check = Clock::now() + std::chrono::seconds(5);
                bool unreported = false;
                {
                    std::lock_guard lock(mutex);
                    unreported = inbox_stats.unreported > 0;
                }
                if (unreported)
                    loop.post_task([this](station::PackingStation&) {
                        if (auto reported = inbox.report_refusals(); !reported)
                            say("sync: could not record refusals: " + reported.error().to_string());
                        after_inbox_task(false);
                    });
            }
            if (Clock::now() >= next_prune) {
                next_prune = Clock::now() + std::chrono::hours(1);
                const std::int64_t before =
                    wall_clock_ms() -
                    std::chrono::duration_cast<std::chrono::milliseconds>(options.inbox_retention)
                        .count();
                loop.post_task([this, before](station::PackingStation&) {
                    (void)inbox.forget_before(before);
                });
            }
        }
    }

    Status publish_status(const station::StationSnapshot& current) {
        auto store = source.store();
        if (!store) return store.error();
        const std::int64_t now = wall_clock_ms();
        const std::int64_t since =
            current.packer_since_ms > 0 ? current.packer_since_ms : start_of_day_ms(now);
        auto counters = (*store)->counters(identity.station, since, now + 1);
        if (!counters) return counters.error();
        auto last_hour = (*store)->counters(identity.station, now - 3'600'000, now + 1);
        if (!last_hour) return last_hour.error();
        auto pool = (*store)->pool_stock();
        if (!pool) return pool.error();

        StationStatus status;
        status.state = current.state.empty() ? "idle" : current.state;
        status.packer = current.packer;
        status.current_order = current.current_order;
        status.counters = *counters;  // the ShiftCounters part
        status.parcels_per_hour = static_cast<double>(last_hour->confirmed);
        for (const auto& device : current.devices)
            status.devices.push_back({device.name, std::string(hardware::to_string(device.kind)),
                                      std::string(hardware::to_string(device.health)),
                                      device.detail});
        for (const auto& [name, kind] : options.devices) {
            const bool reported =
                std::any_of(current.devices.begin(), current.devices.end(),
                            [&name = name](const auto& device) { return device.name == name; });
            if (!reported)
                status.devices.push_back(
                    {name, std::string(hardware::to_string(kind)), "present", ""});
        }
        status.outbox_backlog = counters->outbox_pending;
        {
            std::lock_guard lock(mutex);
            status.refused_messages = inbox_stats.refused;
        }
        status.last_sync_ms = last_ack_ms;
        if (skew_known) status.clock_skew_ms = clock_skew_ms.load();
        status.tracking_pool = std::move(*pool);
        auto text = station_status_json(identity, next_envelope(), version, status);
        if (!text) return text.error();
        if (auto sent = client->publish_retained(status_topic, *text); !sent) return sent;
        ++statuses_published;
        return {};
    }
};

StationSync::StationSync(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

StationSync::~StationSync() {
    stop();
}

Result<std::unique_ptr<StationSync>> StationSync::create(StationSyncOptions options,
                                                         station::StationLoop& loop,
                                                         station::PackingStation& station,
                                                         station::Store& loop_store,
                                                         std::function<void(std::string)> log) {
    const station::StationConfig& config = station.config();
    StationIdentity identity{config.site, config.station_id};
    auto status_topic = build_topic(Topic{TopicKind::Status, identity.site, identity.station, {}});
    if (!status_topic) return status_topic.error().context("sync");
    if (loop_store.path() == ":memory:")
        return Error{errors::kSyncMqttSettings,
                     "sync needs a database file (the outbox drain opens its own connection)"};
    auto sequence = station.message_sequence();
    if (!sequence) return sequence.error().context("sync");

    auto impl = std::make_unique<Impl>(std::move(options), loop, station, loop_store,
                                       std::move(log), identity);
    Impl& state = *impl;
    state.version = state.options.version.empty() ? PACKLINE_VERSION : state.options.version;
    state.status_topic = *status_topic;
    state.source_path = loop_store.path();
    state.sequence = *sequence;
    state.snapshot = station.snapshot();
    state.loop_snapshot = state.snapshot;

    MqttHandlers handlers;
    handlers.message = [&state](std::string_view topic, std::string_view payload) {
        state.on_message(topic, payload);
    };
    handlers.connection = [&state](bool connected) { state.on_connection(connected); };
    handlers.next_envelope = [&state] { return state.next_envelope(); };
    auto client =
        MqttClient::create(state.options.mqtt, identity, state.version, std::move(handlers));
    if (!client) return client.error();
    state.client = std::move(client.value());
    state.drain = std::make_unique<OutboxDrain>(state.source, *state.client, state.options.mqtt);
    state.drain->set_wakeup([&state] { state.poke(false); });
    return std::unique_ptr<StationSync>(new StationSync(std::move(impl)));
}

Status StationSync::start() {
    Impl& state = *impl_;
    {
        std::lock_guard lock(state.mutex);
        if (state.running) return {};
        state.running = true;
        state.stopping = false;
    }
    state.worker = std::thread([&state] { state.run_worker(); });
    if (auto started = state.client->start(); !started) return started;
    return {};
}

void StationSync::stop() {
    if (!impl_) return;
    Impl& state = *impl_;
    {
        std::lock_guard lock(state.mutex);
        if (!state.running) return;
        state.running = false;
        state.stopping = true;
    }
    state.wake.notify_all();
    if (state.worker.joinable()) state.worker.join();
    if (auto stopped = state.client->stop(); !stopped)
        state.say("sync: " + stopped.error().to_string() + " (the will tells the hub instead)");
}

void StationSync::on_verdict(const station::Verdict&) {
    Impl& state = *impl_;
    state.drain->notify_outbox_changed();
    station::StationSnapshot current = state.station.snapshot();
    if (current == state.loop_snapshot) return;
    state.loop_snapshot = current;
    {
        std::lock_guard lock(state.mutex);
        state.snapshot = std::move(current);
    }
    state.poke(true);
}

StationSyncStats StationSync::stats() const {
    const Impl& state = *impl_;
    StationSyncStats stats;
    stats.connected = state.client->connected();
    stats.mqtt_version = state.client->mqtt_version();
    stats.drain = state.drain->stats();
    {
        std::lock_guard lock(state.mutex);
        stats.inbox_applied = state.inbox_stats.applied;
        stats.inbox_duplicates = state.inbox_stats.duplicates;
        stats.inbox_refused = state.inbox_stats.refused;
    }
    stats.statuses_published = state.statuses_published;
    stats.last_ack_ms = state.last_ack_ms;
    if (state.skew_known) stats.clock_skew_ms = state.clock_skew_ms.load();
    return stats;
}

Status StationSync::wait_connected(std::chrono::milliseconds timeout) {
    return impl_->client->wait_connected(timeout);
}

Status StationSync::wait_drained(std::chrono::milliseconds timeout) {
    auto store = station::Store::open(impl_->source_path);
    if (!store) return store.error();
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        auto pending = store.value()->count_pending_outbox();
        if (!pending) return pending.error();
        if (*pending == 0) return {};
        if (Clock::now() >= deadline)
            return Error{errors::kSyncNotDrained,
                         std::to_string(*pending) + " outbox messages not acknowledged by the hub"};
        impl_->drain->notify_outbox_changed();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

}  // namespace packline::sync
