// Whatever a station (or anyone with access to its topics) publishes, the
// hub's ingest decision is accepted, rejected or unreadable, never a crash,
// a hang or an exception; what it accepts passed its schema and names the
// topic's site and station; what it rejects carries an event id the hub can
// always acknowledge "rejected" with its reason. No store: the decision only.
//
// Input framing (also of the seed corpus in corpus/hub_ingest/): the bytes
// up to the first '\n' are the topic, everything after it is the payload.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "packline/hub/ingest.h"
#include "packline/sync/objects.h"
#include "packline/sync/schemas.h"

namespace {

using namespace packline;

void require(bool condition) {
    if (!condition) std::abort();
}

template <typename Record>
void check_record(const hub::IngestDecision& decision, const Record& record) {
    require(record.event_id == decision.event_id);
    require(record.site == decision.site && record.station == decision.station);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t newline = input.find('\n');
    const std::string_view topic = input.substr(0, newline);
    const std::string_view payload =
        newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

    static const std::vector<std::string> sites = {"ams1", "site-1"};
    const hub::IngestDecision decision = hub::decide_ingest(topic, payload, sites);
    switch (decision.verdict) {
        case hub::IngestVerdict::Accepted: {
            const auto parsed = sync::parse_topic(topic);
            require(parsed.ok() && parsed->site == decision.site &&
                    parsed->station == decision.station);
            require(sync::validate_message(sync::channel_rule(decision.kind).schema, payload).ok());
            require(decision.event_id.size() == 36);
            if (const auto* shipment = std::get_if<hub::ShipmentRecord>(&decision.record)) {
                require(decision.kind == sync::TopicKind::Shipments && decision.wants_ack());
                check_record(decision, *shipment);
                require(shipment->payload == payload);
            } else if (const auto* event = std::get_if<hub::StationEventRecord>(&decision.record)) {
                require(decision.kind == sync::TopicKind::Events && decision.wants_ack());
                check_record(decision, *event);
            } else if (const auto* status = std::get_if<hub::StatusRecord>(&decision.record)) {
                require(decision.kind == sync::TopicKind::Status && !decision.wants_ack());
                check_record(decision, *status);
            } else {
                require(false);
            }
            // What the hub answers for it fits the ack schema.
            const sync::Ack stored{decision.event_id, sync::AckResult::Stored, ""};
            require(sync::ack_json({&stored, 1}, {decision.event_id, 1, 0}).ok());
            break;
        }
        case hub::IngestVerdict::Rejected: {
            require(decision.event_id.size() == 36 && !decision.reason.empty());
            require(!decision.site.empty() && !decision.station.empty());
            // The rejection can always be told to the station, whatever the
            // reason's bytes (cut as the hub cuts it).
            const sync::Ack rejected{decision.event_id, sync::AckResult::Rejected,
                                     decision.reason.substr(0, 300)};
            require(sync::ack_json({&rejected, 1}, {decision.event_id, 1, 0}).ok());
            break;
        }
        case hub::IngestVerdict::Unreadable:
            require(!decision.reason.empty() && !decision.wants_ack());
            break;
    }
    return 0;
}
