// The station's inbox: messages from the hub, decoded on the MQTT client's
// thread (decode_inbound), applied here on the station loop thread, the one
// that owns the PackingStation and its Store (docs/mqtt/README.md, "Delivery
// rules"; docs/ARCHITECTURE.md, "Sync").
//
//   - Deduplicated by event id (Store inbox table): a redelivered command or
//     pool top-up does nothing the second time. A command is remembered
//     before it is carried out (a crash in between loses the command rather
//     than printing twice); objects and pool numbers after they are stored
//     (applying them twice is harmless, losing them is not).
//   - Orders, SKUs and packaging are upserted into the store (an empty
//     retained payload removes them); a change to the order being packed
//     reaches the parcel at once (PackingStation::order_changed).
//   - Commands: pause, resume, a message to the packer, a supervisor's
//     reprint. A command past its expires_at_ms (station clock) is refused.
//   - Tracking-pool top-ups go into the store's pool (numbers it holds
//     already are ignored).
//   - Whatever is refused (a message that failed decoding, an expired or
//     inapplicable command, a store failure) is counted, and reported to the
//     hub as an error station-event through the outbox with an entry in the
//     local log: at once for the first refusal of a topic kind, then at most
//     once a minute for that kind, the event carrying how many it stands for
//     and one of their reasons. A flood of garbage on the commands topic
//     (10,000 messages made 9,117 outbox rows before) writes one row a minute.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "packline/error.h"
#include "packline/station/packing_station.h"
#include "packline/station/store.h"
#include "packline/sync/inbound.h"
#include "packline/sync/outbound.h"

namespace packline::sync {

struct InboxStats {
    std::int64_t applied = 0;     // messages applied
    std::int64_t duplicates = 0;  // already applied before: ignored
    std::int64_t refused = 0;     // refused, reported or not
    std::int64_t unreported = 0;  // refused, not yet in an error event (report_refusals)
};

// Refusals of one topic kind are reported at most this often.
inline constexpr std::int64_t kRefusalReportIntervalMs = 60'000;

class Inbox {
  public:
    // What an applied message changed, for the caller's status.
    enum class Effect { None, Catalogue, Pool, Station };

    // `wall_clock_ms` is the station clock (commands expire by it).
    Inbox(station::Store& store, station::PackingStation& station, StationIdentity identity,
          std::function<std::int64_t()> wall_clock_ms);

    // Loop thread. Applies `message` (received on `topic`, raw `payload` kept
    // for the error event) unless it was applied before. A failure has been
    // reported as an error event already when it returns.
    Result<Effect> apply(const InboundMessage& message, std::string_view topic,
                         std::string_view payload);

    // Loop thread. Counts a refused message and, unless its topic kind was
    // reported less than kRefusalReportIntervalMs ago, reports it to the hub
    // (error station-event through the outbox) and in the store's event log
    // with the count of the refusals it stands for.
    Status refuse(const Error& error, std::string_view topic, std::string_view payload);

    // Loop thread. Reports the refusals counted but not reported whose topic
    // kind's interval has passed (StationSync calls it now and then, so a
    // flood that stopped is still reported).
    Status report_refusals();

    // Loop thread. Forgets applied event ids received before `before_ms`.
    Result<std::int64_t> forget_before(std::int64_t before_ms);

    [[nodiscard]] const InboxStats& stats() const { return stats_; }

  private:
    Result<Effect> apply_body(const InboundMessage& message);
    Status run_command(const Command& command);
    Status report(const Error& error, std::string_view topic, std::string_view payload,
                  std::int64_t refused, std::int64_t now_ms);

    // Refusals of one topic kind since the last report.
    struct Refusals {
        std::int64_t reported_at_ms = 0;
        bool ever_reported = false;
        std::int64_t unreported = 0;
        Error sample;  // the latest unreported one
        std::string sample_topic;
    };

    station::Store& store_;
    station::PackingStation& station_;
    StationIdentity identity_;
    std::function<std::int64_t()> wall_clock_ms_;
    InboxStats stats_;
    std::map<std::string, Refusals, std::less<>> refusals_;  // by topic kind: a handful
};

}  // namespace packline::sync
