// The outbox drain: publishes the station's outbox rows (shipment
// confirmations, station events) and retires each one only when the hub
// acknowledges its event_id (docs/mqtt/README.md, "Delivery rules"). A
// broker PUBACK proves nothing here: the broker may lose the message (a
// restart without persistence), and only the hub's ack says it is stored.
//
//   - Rows go out in outbox order, at most `window` published and not yet
//     acknowledged (MqttSettings::window).
//   - An ack "stored" or "duplicate" marks the row delivered. So does an ack
//     for a row this drain did not publish (sent before a restart): the hub
//     has it. An ack for an event id the outbox does not know is ignored
//     (counted in unknown_acks); a repeated ack is harmless.
//   - An ack "rejected" means the hub will never store the message. The row
//     is handed to OutboxSource::rejected(), which retires it and records the
//     rejection for a supervisor (the README's rule: the row is done, the
//     rejection is raised); it is never retried, silently or otherwise.
//   - A row not acknowledged within `ack_timeout` of its last publication is
//     published again, and so is every unacknowledged row after a
//     reconnect. The hub stores by event id, so these duplicates are
//     harmless. Every publication is counted in the row's attempts.
//   - Publications fail only locally (disconnected, client refused): the
//     row stays unsent and goes out after the next connection.
//
// Threads. post_acks(), handle_inbound(), post_connection(),
// notify_outbox_changed(), stats() and wait_for_work() may be called from
// any thread (Paho's callbacks call the first three); they only queue and
// wake. pump() does the work: it calls the OutboxSource and the publisher,
// and must always be called from the same thread, the one that owns the
// OutboxSource (for the Store: the thread that opened it). Two ways to run it:
//   - a dedicated sync thread with its own Store on the station's database
//     (WAL lets it write beside the loop):  while (!stop) { wait_for_work(..); pump(); }
//   - the station loop: set_wakeup() posts a task that calls pump(), and
//     the loop's tick calls pump() for the ack timeouts.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "packline/error.h"
#include "packline/sync/inbound.h"
#include "packline/sync/message_publisher.h"
#include "packline/sync/mqtt_settings.h"

namespace packline::sync {

// One outbox row as the drain needs it.
struct OutboxRow {
    std::int64_t seq = 0;  // outbox order
    std::string event_id;
    std::string topic;
    std::string payload;
    int attempts = 0;  // publications so far
};

// The station's outbox, seen from the drain; the station's Store is the real
// one. Every call comes from the thread that calls OutboxDrain::pump().
class OutboxSource {
  public:
    virtual ~OutboxSource() = default;
    // The oldest undelivered rows, in outbox order, at most `limit`.
    virtual Result<std::vector<OutboxRow>> pending(int limit) = 0;
    // The hub stored the message (now or before). "store.not_found" for an
    // event id the outbox does not hold; repeating it is harmless.
    virtual Status delivered(std::string_view event_id, std::int64_t at_ms) = 0;
    // The hub refused the message for good, for `reason`: retire the row
    // and record the rejection where a supervisor sees it.
    virtual Status rejected(std::string_view event_id, std::string_view reason,
                            std::int64_t at_ms) = 0;
    // The row is being published (again): count the attempt.
    virtual Status attempted(std::string_view event_id) = 0;
};

struct DrainStats {
    std::int64_t published = 0;      // publications, re-sends included
    std::int64_t republished = 0;    // re-sends (ack timeout, reconnect)
    std::int64_t delivered = 0;      // rows retired by a stored/duplicate ack
    std::int64_t rejected = 0;       // rows retired by a rejected ack
    std::int64_t repeated_acks = 0;  // stored/duplicate acks for rows not in flight (acked
                                     // already, or published before a restart)
    std::int64_t unknown_acks = 0;   // acks naming an event id the outbox does not hold
    std::int64_t in_flight = 0;      // published, not yet acknowledged
    std::int64_t max_in_flight = 0;
    std::string last_error;  // the last failure of the source or the publisher, "" if none
};

class OutboxDrain {
  public:
    using Clock = std::chrono::steady_clock;

    // window and ack_timeout come from `settings`. `wall_clock_ms` stamps
    // deliveries (default: the system clock). Starts disconnected: nothing
    // is published before post_connection(true).
    OutboxDrain(OutboxSource& source, MessagePublisher& publisher, const MqttSettings& settings,
                std::function<std::int64_t()> wall_clock_ms = {});
    ~OutboxDrain();
    OutboxDrain(const OutboxDrain&) = delete;
    OutboxDrain& operator=(const OutboxDrain&) = delete;

    // --- any thread: queue and wake ---
    // Acks from the hub (decode_inbound of the acks topic).
    void post_acks(AckBatch batch);
    // Decodes a message from the client; an ack batch is queued (and true
    // returned). Anything else returns false untouched, for the caller to
    // route elsewhere. A refused ack message is counted in last_error and
    // returns true: it was on the acks topic.
    bool handle_inbound(std::string_view topic, std::string_view payload);
    // The client (re)connected or lost its connection.
    void post_connection(bool connected);
    // The station committed new outbox rows.
    void notify_outbox_changed();
    // Called (from whichever thread queued something) when there is work
    // for pump(); the station loop posts a task from it. Set it before the
    // drain is used; it must not call pump() itself.
    void set_wakeup(std::function<void()> wakeup);
    // Blocks until something was queued or `timeout` passed, and at most
    // until the next ack timeout is due. True if woken by queued work.
    bool wait_for_work(std::chrono::milliseconds timeout);
    [[nodiscard]] DrainStats stats() const;

    // --- the owner thread ---
    // Applies queued acks, re-sends what is due, fills the window from the
    // source. Returns the first failure of the source (the work it could do
    // is done; call again later).
    Status pump();

    struct State;  // opaque: the queue and the rows in flight

  private:
    std::unique_ptr<State> state_;
};

}  // namespace packline::sync
