// The hub's decision on one message from a station, before anything is
// stored: the topic parses and is one the hub reads (shipments, events,
// status of one of its sites), the payload passes validate_message against
// the topic's schema, and its site and station equal the topic's. Pure and
// thread-safe; fuzzed (tests/fuzz/fuzz_hub_ingest.cpp).
//
//   Accepted    the record to store
//   Rejected    it will never pass; it carries a readable event id, so the
//               station can be told (ack "rejected") and stop retrying
//   Unreadable  it fails and names no event id (or came on a topic that
//               names no station): logged and counted, nothing to answer
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "packline/error.h"
#include "packline/hub/records.h"
#include "packline/sync/topics.h"

namespace packline::hub {

enum class IngestVerdict { Accepted, Rejected, Unreadable };
std::string_view to_string(IngestVerdict verdict);

struct IngestDecision {
    IngestVerdict verdict = IngestVerdict::Unreadable;
    // From the topic when it parsed (where an acknowledgement goes).
    sync::TopicKind kind = sync::TopicKind::Shipments;
    std::string site;
    std::string station;
    // The payload's event id when it is a readable UUID; else empty.
    std::string event_id;
    // Rejected, Unreadable: why ("sync.bad_message: ..."), printable.
    std::string reason;
    // Accepted only.
    std::variant<std::monostate, ShipmentRecord, StationEventRecord, StatusRecord> record;

    // Shipments and events travel through the station's outbox and are
    // acknowledged; a status is not (only the latest matters).
    [[nodiscard]] bool wants_ack() const {
        return verdict != IngestVerdict::Unreadable && !event_id.empty() &&
               (kind == sync::TopicKind::Shipments || kind == sync::TopicKind::Events);
    }
};

// `sites`: the sites this hub serves; a message for another site is
// Unreadable (the hub does not answer for sites it does not own).
IngestDecision decide_ingest(std::string_view topic, std::string_view payload,
                             std::span<const std::string> sites);

// The filters the hub subscribes to: for every site, its stations'
// shipments, events and status, each as "$share/<group>/<filter>" when
// `share_group` is not empty (several hub instances split the load).
// Error "sync.bad_topic" for a site that cannot be a topic level, or a share
// group that cannot be one.
Result<std::vector<std::string>> hub_subscriptions(std::span<const std::string> sites,
                                                   std::string_view share_group);

}  // namespace packline::hub
