// The running hub: one MQTT connection (sync's MqttClient as a service
// client: persistent session, QoS 1, reconnect with back-off, TLS and
// credentials from MqttSettings) subscribed to its sites' stations
// (hub_subscriptions(), shared when a share group is set), and one worker
// thread that owns the HubStore.
//
// For every message: decide_ingest (ingest.h); the accepted ones of a batch
// (up to max_batch messages waiting) are stored in one transaction
// (synchronous=FULL); only after the commit are the acknowledgements
// published, grouped per station, at most kMaxAcksPerMessage ids per message,
// with the hub's clock in sent_at_ms. A kept status whose tracking pool is
// below pool_low_water for a carrier the hub has stock for gets pool_batch
// numbers (recorded in the store before they are published), once per
// station, carrier and status.
//
// Threads: Paho's threads only enqueue (a bounded queue; a full queue holds
// the delivery back); the worker does everything else. start(), stop() and
// the destructor from the owner's thread; counters(), summary() and
// connected() from any thread. `log` is called from the worker and Paho's
// threads and must be thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "packline/error.h"
#include "packline/hub/hub_store.h"
#include "packline/sync/mqtt_settings.h"

namespace packline::hub {

struct HubOptions {
    std::vector<std::string> sites;
    // "$share/<share_group>/..." subscriptions; empty: plain subscriptions
    // (one hub instance only).
    std::string share_group = "packline-hub";
    // Names this instance: the client id is "packline-hub-<instance>" unless
    // mqtt.client_id is set. Instances sharing a broker need distinct ones.
    std::string instance = "1";
    sync::MqttSettings mqtt;
    // A station reporting fewer than this many numbers of a carrier gets
    // pool_batch more (at most 1000, one message). 0: no top-ups.
    std::int64_t pool_low_water = 20;
    std::int64_t pool_batch = 100;
    // Messages stored per transaction, at most.
    std::size_t max_batch = 500;
    // A one-line summary through `log` this often; zero: never.
    std::chrono::milliseconds summary_interval{60000};
    // The hub's wall clock (ms since the epoch); default wall_clock_ms().
    std::function<std::int64_t()> clock;
    // One line per event worth telling (connections, refused messages,
    // failures, summaries). Default: nothing.
    std::function<void(std::string_view line)> log;
};

struct HubCounters {
    std::int64_t received = 0;    // messages taken from the queue
    std::int64_t stored = 0;      // shipments and events stored now
    std::int64_t duplicates = 0;  // shipments and events stored before
    std::int64_t rejected = 0;    // refused, with an event id
    std::int64_t unreadable = 0;  // refused, nothing to answer
    std::int64_t statuses_kept = 0;
    std::int64_t statuses_stale = 0;  // not newer than the one kept
    std::int64_t acks = 0;            // event ids acknowledged
    std::int64_t ack_messages = 0;
    std::int64_t ack_failures = 0;    // ack messages that could not be published
    std::int64_t store_failures = 0;  // batches that did not commit (not acknowledged)
    std::int64_t top_ups = 0;
    std::int64_t numbers_given = 0;
};

class Hub {
  public:
    // Checks the options, prepares the client; no I/O. Takes the store: the
    // worker thread owns it from start() on.
    static Result<std::unique_ptr<Hub>> create(HubOptions options, std::unique_ptr<HubStore> store);
    ~Hub();  // stop()s
    Hub(const Hub&) = delete;
    Hub& operator=(const Hub&) = delete;

    // Starts the worker and the connection; returns at once.
    Status start();
    // Waits until connected and subscribed, or the attempt failed (see
    // MqttClient::wait_connected).
    Status wait_connected(std::chrono::milliseconds timeout);
    // Stores and acknowledges what is queued, then disconnects. Idempotent.
    Status stop();

    [[nodiscard]] bool connected() const;
    [[nodiscard]] HubCounters counters() const;
    // "stored 12, duplicates 1, rejected 0, unreadable 0, statuses 3, acks 13 in 4
    // messages, top-ups 0, queued 0, connected".
    [[nodiscard]] std::string summary() const;
    [[nodiscard]] const std::string& client_id() const;

    struct Impl;

  private:
    explicit Hub(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace packline::hub
