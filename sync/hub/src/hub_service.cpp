#include "packline/hub/hub_service.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

#include "packline/hub/event_ids.h"
#include "packline/hub/hub_errors.h"
#include "packline/hub/ingest.h"
#include "packline/log_budget.h"
#include "packline/sync/mqtt_client.h"
#include "packline/sync/objects.h"
#include "packline/sync/schemas.h"
#include "packline/sync/sync_errors.h"
#include "packline/sync/topics.h"

namespace packline::hub {
namespace {

// Messages waiting for the worker, at most; Paho's delivery waits beyond.
constexpr std::size_t kMaxQueued = 20000;
// A rejected ack's reason, in bytes: long enough to say why, short enough
// that a full ack message stays well under the payload limit.
constexpr std::size_t kMaxReasonBytes = 300;
// Ack messages are also cut by size (ids alone would allow 1000 per message).
constexpr std::size_t kMaxAckBytes = sync::kMaxPayloadBytes / 2;
// Refused messages logged per minute (all are counted): a station stuck
// re-sending a bad message, or someone flooding a topic, must not flood the log.
constexpr int kMaxRefusalsLogged = 20;
constexpr int kMaxStoreFailuresLogged = 10;
constexpr std::chrono::minutes kRefusalLogPeriod{1};

struct Incoming {
    std::string topic;
    std::string payload;
};

std::string printable(std::string_view text, std::size_t limit = 160) {
    std::string out;
    for (const char c : text.substr(0, limit)) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            static constexpr char kHex[] = "0123456789abcdef";
            out += "\\x";
            out.push_back(kHex[byte >> 4]);
            out.push_back(kHex[byte & 0xf]);
        } else {
            out.push_back(c);
        }
    }
    if (text.size() > limit) out += "...";
    return out;
}

}  // namespace

struct Hub::Impl {
    HubOptions options;
    std::unique_ptr<HubStore> store;
    std::unique_ptr<sync::MqttClient> client;

    mutable std::mutex mutex;
    std::condition_variable changed;
    std::deque<Incoming> queue;
    bool stopping = false;
    bool worker_done = false;
    bool started = false;
    bool stopped = false;
    HubCounters totals;
    std::thread worker;

    // Worker-only state.
    // (site, station, carrier) -> sequence of the status that got a top-up.
    std::map<std::tuple<std::string, std::string, std::string>, std::int64_t> topped_up;
    LogBudget refusal_lines{kMaxRefusalsLogged, kRefusalLogPeriod};
    LogBudget store_failure_lines{kMaxStoreFailuresLogged, kRefusalLogPeriod};
    std::chrono::steady_clock::time_point next_summary{};

    std::int64_t now() const { return options.clock ? options.clock() : wall_clock_ms(); }
    void log(std::string_view line) const {
        if (options.log) options.log(line);
    }

    // --- Paho's threads ---
    void enqueue(std::string_view topic, std::string_view payload) {
        std::unique_lock lock(mutex);
        changed.wait(lock, [this] { return queue.size() < kMaxQueued || worker_done; });
        if (worker_done) return;  // stopping: the station sends it again
        queue.push_back(Incoming{std::string(topic), std::string(payload)});
        if (queue.size() == 1) changed.notify_all();
    }

    template <typename Change>
    void count(Change change) {
        std::lock_guard lock(mutex);
        change(totals);
    }

    // --- the worker ---
    void run() {
        next_summary = std::chrono::steady_clock::now() + options.summary_interval;
        std::vector<Incoming> batch;
        for (;;) {
            {
                std::unique_lock lock(mutex);
                changed.wait_for(lock, std::chrono::milliseconds(500),
                                 [this] { return stopping || !queue.empty(); });
                if (queue.empty() && stopping) {
                    worker_done = true;
                    changed.notify_all();
                    return;
                }
                while (!queue.empty() && batch.size() < options.max_batch) {
                    batch.push_back(std::move(queue.front()));
                    queue.pop_front();
                }
                changed.notify_all();  // room in the queue again
            }
            if (!batch.empty()) process(batch);
            batch.clear();
            if (options.summary_interval.count() > 0 &&
                std::chrono::steady_clock::now() >= next_summary) {
                log("hub: " + summary_line());
                next_summary = std::chrono::steady_clock::now() + options.summary_interval;
            }
        }
    }

    // Whether a line of `budget`'s kind may be written now; first tells how
    // many of the last minute's were held back (`what`: "refused messages").
    bool may_log(LogBudget& budget, const std::string& what) {
        const auto admitted = budget.admit(std::chrono::steady_clock::now());
        if (admitted.held_back > 0)
            log("hub: " + std::to_string(admitted.held_back) + " more " + what +
                " were not logged");
        return admitted.write;
    }

    void process(const std::vector<Incoming>& batch) {
        std::vector<IngestDecision> decisions;
        decisions.reserve(batch.size());
        std::vector<StationRecord> records;
        std::vector<std::size_t> record_of;  // decision index of each record
        for (const Incoming& message : batch) {
            decisions.push_back(decide_ingest(message.topic, message.payload, options.sites));
            IngestDecision& decision = decisions.back();
            if (decision.verdict == IngestVerdict::Accepted) {
                std::visit(
                    [&](auto& value) {
                        using T = std::decay_t<decltype(value)>;
                        if constexpr (!std::is_same_v<T, std::monostate>)
                            records.emplace_back(std::move(value));
                    },
                    decision.record);
                record_of.push_back(decisions.size() - 1);
            } else if (may_log(refusal_lines, "refused messages")) {
                if (decision.verdict == IngestVerdict::Unreadable)
                    log("hub: refused a message on '" + printable(message.topic) +
                        "' (no event id to answer): " + printable(decision.reason, 300));
                else
                    log("hub: rejected " + decision.event_id + " on '" + printable(message.topic) +
                        "': " + printable(decision.reason, 300));
            }
        }

        const std::int64_t received_at = now();
        std::vector<std::optional<StoreOutcome>> outcome_of(decisions.size());
        bool committed = true;
        if (!records.empty()) {
            auto outcomes = store->ingest(records, received_at);
            if (!outcomes) {
                committed = false;
                // A failing disk fails every batch: its first lines say why.
                if (may_log(store_failure_lines,
                            "failed batches (not acknowledged; stations send again)"))
                    log("hub: " + outcomes.error().to_string() +
                        " (not acknowledged; stations send again)");
            } else {
                for (std::size_t index = 0; index < outcomes->size(); ++index)
                    outcome_of[record_of[index]] = (*outcomes)[index];
            }
        }

        HubCounters delta;
        delta.received = static_cast<std::int64_t>(batch.size());
        if (!committed) delta.store_failures = 1;
        // Acknowledgements per station, in arrival order.
        std::map<std::pair<std::string, std::string>, std::vector<sync::Ack>> acks;
        for (std::size_t index = 0; index < decisions.size(); ++index) {
            const IngestDecision& decision = decisions[index];
            if (decision.verdict == IngestVerdict::Unreadable) {
                ++delta.unreadable;
                continue;
            }
            if (decision.verdict == IngestVerdict::Rejected) {
                ++delta.rejected;
                if (decision.wants_ack())
                    acks[{decision.site, decision.station}].push_back(
                        sync::Ack{decision.event_id, sync::AckResult::Rejected,
                                  std::string(decision.reason.substr(
                                      0, std::min(decision.reason.size(), kMaxReasonBytes)))});
                continue;
            }
            if (!outcome_of[index]) continue;  // not committed
            const bool stored = *outcome_of[index] == StoreOutcome::Stored;
            if (decision.kind == sync::TopicKind::Status) {
                ++(stored ? delta.statuses_kept : delta.statuses_stale);
                continue;
            }
            ++(stored ? delta.stored : delta.duplicates);
            acks[{decision.site, decision.station}].push_back(
                sync::Ack{decision.event_id,
                          stored ? sync::AckResult::Stored : sync::AckResult::Duplicate, ""});
        }
        const auto retry_until = batch_retry_deadline();
        for (const auto& [station, list] : acks)
            publish_acks(station.first, station.second, list, delta, retry_until);

        // Top-ups, from the statuses kept in this batch.
        if (committed && options.pool_low_water > 0)
            for (std::size_t index = 0; index < records.size(); ++index)
                if (const auto* status = std::get_if<StatusRecord>(&records[index]);
                    status != nullptr && outcome_of[record_of[index]] == StoreOutcome::Stored)
                    top_up(*status, delta);

        count([&](HubCounters& totals_now) {
            totals_now.received += delta.received;
            totals_now.stored += delta.stored;
            totals_now.duplicates += delta.duplicates;
            totals_now.rejected += delta.rejected;
            totals_now.unreadable += delta.unreadable;
            totals_now.statuses_kept += delta.statuses_kept;
            totals_now.statuses_stale += delta.statuses_stale;
            totals_now.acks += delta.acks;
            totals_now.ack_messages += delta.ack_messages;
            totals_now.ack_failures += delta.ack_failures;
            totals_now.store_failures += delta.store_failures;
            totals_now.top_ups += delta.top_ups;
            totals_now.numbers_given += delta.numbers_given;
        });
    }

    // QoS 1 without waiting. When Paho has too many messages in flight or
    // queued ("sync.mqtt_publish"), tries again until `retry_until`, which
    // the caller sets once per batch: a broker that stays that slow must not
    // stall the worker for every acknowledgement of the batch (that is how a
    // backlog grows until stations time out and send everything again). An
    // acknowledgement that cannot go out is not lost work: the station sends
    // the message again after its ack timeout and gets "duplicate".
    Status publish(const std::string& topic, const std::string& payload,
                   std::chrono::steady_clock::time_point retry_until) {
        for (;;) {
            Status sent = client->publish(topic, payload);
            if (sent || sent.error().code != errors::kSyncMqttPublish ||
                std::chrono::steady_clock::now() >= retry_until)
                return sent;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    }

    // How long one batch may wait for room in Paho's queue, in total.
    static std::chrono::steady_clock::time_point batch_retry_deadline() {
        return std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
    }

    void publish_acks(const std::string& site, const std::string& station,
                      const std::vector<sync::Ack>& list, HubCounters& delta,
                      std::chrono::steady_clock::time_point retry_until) {
        auto topic = sync::build_topic(sync::Topic{sync::TopicKind::Acks, site, station, ""});
        if (!topic) {
            log("hub: " + topic.error().to_string());
            return;
        }
        std::size_t first = 0;
        while (first < list.size()) {
            std::size_t last = first;
            std::size_t bytes = 200;
            while (last < list.size() && last - first < sync::kMaxAcksPerMessage &&
                   bytes + 80 + list[last].reason.size() * 6 < kMaxAckBytes) {
                bytes += 80 + list[last].reason.size() * 6;  // \u escapes at worst
                ++last;
            }
            const std::span<const sync::Ack> chunk(list.data() + first, last - first);
            first = last;
            auto message = sync::ack_json(chunk, sync::Envelope{new_event_id(), now(), 0});
            if (!message) {
                log("hub: " + message.error().to_string());
                ++delta.ack_failures;
                continue;
            }
            if (Status sent = publish(*topic, *message, retry_until); !sent) {
                log("hub: acknowledgement to " + site + "/" + station + ": " +
                    sent.error().to_string() + " (the station sends again)");
                ++delta.ack_failures;
                continue;
            }
            delta.acks += static_cast<std::int64_t>(chunk.size());
            ++delta.ack_messages;
        }
    }

    void top_up(const StatusRecord& status, HubCounters& delta) {
        if (status.state == "offline") return;
        for (const CarrierStock& stock : status.tracking_pool) {
            if (stock.available >= options.pool_low_water) continue;
            auto key = std::make_tuple(status.site, status.station, stock.carrier);
            if (auto found = topped_up.find(key);
                found != topped_up.end() && found->second >= status.sequence)
                continue;
            auto available = store->pool_available(stock.carrier);
            if (!available) {
                log("hub: tracking pool: " + available.error().to_string());
                continue;
            }
            if (*available == 0) continue;
            const std::string event_id = new_event_id();
            const std::int64_t wanted =
                std::min<std::int64_t>(options.pool_batch, sync::kMaxAcksPerMessage);
            auto numbers = store->give_numbers(stock.carrier, status.site, status.station, wanted,
                                               event_id, now());
            if (!numbers) {
                log("hub: tracking pool: " + numbers.error().to_string());
                continue;
            }
            if (numbers->empty()) continue;
            topped_up[key] = status.sequence;
            auto payload =
                sync::tracking_pool_json(sync::StationIdentity{status.site, status.station},
                                         sync::TrackingPoolTopUp{stock.carrier, *numbers},
                                         sync::Envelope{event_id, now(), 0});
            auto topic = sync::build_topic(
                sync::Topic{sync::TopicKind::TrackingPool, status.site, status.station, ""});
            if (!payload || !topic) {
                log("hub: tracking pool: " +
                    (payload ? topic.error() : payload.error()).to_string());
                continue;
            }
            if (Status sent = publish(*topic, *payload, batch_retry_deadline()); !sent) {
                // The numbers stay given: a number is never handed out twice,
                // even when its first delivery may have failed.
                log("hub: tracking pool for " + status.site + "/" + status.station + ": " +
                    sent.error().to_string());
                continue;
            }
            ++delta.top_ups;
            delta.numbers_given += static_cast<std::int64_t>(numbers->size());
            log("hub: gave " + std::to_string(numbers->size()) + " " + stock.carrier +
                " tracking numbers to " + status.site + "/" + status.station + " (it had " +
                std::to_string(stock.available) + ")");
        }
    }

    std::string summary_line() const {
        HubCounters now_counters;
        std::size_t queued = 0;
        {
            std::lock_guard lock(mutex);
            now_counters = totals;
            queued = queue.size();
        }
        const bool is_connected = client && client->connected();
        return "stored " + std::to_string(now_counters.stored) + ", duplicates " +
               std::to_string(now_counters.duplicates) + ", rejected " +
               std::to_string(now_counters.rejected) + ", unreadable " +
               std::to_string(now_counters.unreadable) + ", statuses " +
               std::to_string(now_counters.statuses_kept) + ", acks " +
               std::to_string(now_counters.acks) + " in " +
               std::to_string(now_counters.ack_messages) + " messages, top-ups " +
               std::to_string(now_counters.top_ups) + ", queued " + std::to_string(queued) +
               (is_connected ? ", connected" : ", not connected");
    }
};

Result<std::unique_ptr<Hub>> Hub::create(HubOptions options, std::unique_ptr<HubStore> store) {
    if (!store) return Error{errors::kHubOptions, "the hub needs a store"};
    if (options.max_batch == 0) return Error{errors::kHubOptions, "max_batch must be at least 1"};
    if (options.pool_low_water < 0 || options.pool_batch < 1 || options.pool_batch > 1000)
        return Error{errors::kHubOptions, "pool: low_water must be >= 0 and batch 1 to 1000"};
    if (options.instance.empty() || !sync::valid_topic_id(options.instance))
        return Error{errors::kHubOptions,
                     "instance '" + options.instance +
                         "' must be 1 to 128 characters without '/', '+', '#'"};
    auto subscriptions = hub_subscriptions(options.sites, options.share_group);
    if (!subscriptions) return subscriptions.error().context("hub subscriptions");

    auto impl = std::make_unique<Impl>();
    impl->options = std::move(options);
    impl->store = std::move(store);
    Impl* raw = impl.get();
    sync::MqttHandlers handlers;
    handlers.message = [raw](std::string_view topic, std::string_view payload) {
        raw->enqueue(topic, payload);
    };
    handlers.connection = [raw](bool is_connected) {
        raw->log(is_connected ? "hub: connected to " + raw->options.mqtt.brokers.front()
                              : std::string("hub: connection lost; reconnecting"));
    };
    auto client = sync::MqttClient::create_service(
        raw->options.mqtt,
        sync::ServiceClientOptions{"packline-hub-" + raw->options.instance,
                                   std::move(subscriptions).value()},
        std::move(handlers));
    if (!client) return client.error();
    impl->client = std::move(client).value();
    return std::unique_ptr<Hub>(new Hub(std::move(impl)));
}

Hub::Hub(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Hub::~Hub() {
    (void)stop();
}

Status Hub::start() {
    {
        std::lock_guard lock(impl_->mutex);
        if (impl_->stopped) return Error{errors::kHubStopped, "the hub was stopped"};
        if (impl_->started) return {};
        impl_->started = true;
    }
    impl_->worker = std::thread([impl = impl_.get()] { impl->run(); });
    return impl_->client->start();
}

Status Hub::wait_connected(std::chrono::milliseconds timeout) {
    return impl_->client->wait_connected(timeout);
}

Status Hub::stop() {
    {
        std::lock_guard lock(impl_->mutex);
        if (impl_->stopped) return {};
        impl_->stopped = true;
        impl_->stopping = true;
    }
    impl_->changed.notify_all();
    // The worker stores and acknowledges what is queued while the connection
    // is still up; then the connection goes.
    if (impl_->worker.joinable()) impl_->worker.join();
    {
        std::lock_guard lock(impl_->mutex);
        impl_->worker_done = true;
    }
    impl_->changed.notify_all();
    return impl_->client->stop();
}

bool Hub::connected() const {
    return impl_->client->connected();
}

HubCounters Hub::counters() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->totals;
}

std::string Hub::summary() const {
    return impl_->summary_line();
}

const std::string& Hub::client_id() const {
    return impl_->client->client_id();
}

}  // namespace packline::hub
