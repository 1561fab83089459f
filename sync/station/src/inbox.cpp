#include "packline/sync/station/inbox.h"

#include <nlohmann/json.hpp>
#include <type_traits>

#include "packline/station/message_sequence.h"
#include "packline/station/messages.h"
#include "packline/sync/sync_errors.h"
#include "packline/sync/topics.h"

namespace packline::sync {

Inbox::Inbox(station::Store& store, station::PackingStation& station, StationIdentity identity,
             std::function<std::int64_t()> wall_clock_ms)
    : store_(store),
      station_(station),
      identity_(std::move(identity)),
      wall_clock_ms_(std::move(wall_clock_ms)) {}

Result<Inbox::Effect> Inbox::apply(const InboundMessage& message, std::string_view topic,
                                   std::string_view payload) {
    const bool deduplicated = !message.event_id.empty();
    const bool is_command = std::holds_alternative<Command>(message.body);
    if (deduplicated) {
        auto seen = store_.inbound_seen(message.event_id);
        if (!seen) {
            (void)refuse(seen.error(), topic, payload);
            return seen.error();
        }
        if (*seen) {
            ++stats_.duplicates;
            return Effect::None;
        }
        if (is_command) {
            // Remembered first: a crash before it is carried out loses the
            // command; the other order could reprint a label twice.
            auto remembered = store_.remember_inbound(message.event_id, topic, wall_clock_ms_());
            if (!remembered) {
                (void)refuse(remembered.error(), topic, payload);
                return remembered.error();
            }
        }
    }
    auto effect = apply_body(message);
    if (!effect) {
        (void)refuse(effect.error(), topic, payload);
        return effect.error();
    }
    if (deduplicated && !is_command) {
        auto remembered = store_.remember_inbound(message.event_id, topic, wall_clock_ms_());
        if (!remembered) {
            (void)refuse(remembered.error(), topic, payload);
            return remembered.error();
        }
    }
    ++stats_.applied;
    return effect;
}

Result<Inbox::Effect> Inbox::apply_body(const InboundMessage& message) {
    return std::visit(
        [&](const auto& body) -> Result<Effect> {
            using T = std::decay_t<decltype(body)>;
            if constexpr (std::is_same_v<T, station::Order>) {
                if (auto stored = store_.upsert_order(body); !stored) return stored.error();
                station_.order_changed(body.id);
                return Effect::Catalogue;
            } else if constexpr (std::is_same_v<T, station::Sku>) {
                if (auto stored = store_.upsert_sku(body); !stored) return stored.error();
                return Effect::Catalogue;
            } else if constexpr (std::is_same_v<T, station::Packaging>) {
                if (auto stored = store_.upsert_packaging(body); !stored) return stored.error();
                return Effect::Catalogue;
            } else if constexpr (std::is_same_v<T, ObjectDeleted>) {
                if (body.kind == TopicKind::Order) {
                    auto removed = store_.remove_order(body.id);
                    if (!removed) return removed.error();
                    station_.order_changed(body.id);
                } else if (body.kind == TopicKind::Sku) {
                    if (auto removed = store_.remove_sku(body.id); !removed) return removed.error();
                } else {
                    if (auto removed = store_.remove_packaging(body.id); !removed)
                        return removed.error();
                }
                return Effect::Catalogue;
            } else if constexpr (std::is_same_v<T, Command>) {
                if (auto done = run_command(body); !done) return done.error();
                return Effect::Station;
            } else if constexpr (std::is_same_v<T, TrackingPoolTopUp>) {
                if (auto added = store_.add_pool_numbers(body.carrier, body.numbers); !added)
                    return added.error();
                return Effect::Pool;
            } else {
                // Acks belong to the outbox drain; the client routes them there.
                return Error{errors::kSyncBadTopic,
                             "acknowledgements are not applied by the inbox"};
            }
        },
        message.body);
}

Status Inbox::run_command(const Command& command) {
    const std::int64_t now = wall_clock_ms_();
    if (command.expires_at_ms != 0 && now > command.expires_at_ms)
        return Error{errors::kSyncCommandExpired, std::string(to_string(command.kind)) + " from " +
                                                      command.issued_by + " expired " +
                                                      std::to_string(now - command.expires_at_ms) +
                                                      " ms before it arrived; not carried out"};
    const station::RemoteRequest request{command.issued_by, command.reason, command.text,
                                         command.order_id};
    switch (command.kind) {
        case CommandKind::Pause:
            return station_.pause(request);
        case CommandKind::Resume:
            return station_.resume(request);
        case CommandKind::Message:
            station_.show_message(request);
            return {};
        case CommandKind::Reprint:
            return station_.remote_reprint(request);
    }
    return {};
}

namespace {

// Refusals are grouped by the kind of topic they came on (orders, commands,
// ...), not by the topic itself: a flood over many order ids is one flood.
std::string topic_kind_of(std::string_view topic) {
    auto parsed = parse_topic(topic);
    return parsed ? std::string(to_string(parsed->kind)) : std::string("unparsed");
}

}  // namespace

Status Inbox::refuse(const Error& error, std::string_view topic, std::string_view payload) {
    ++stats_.refused;
    const std::int64_t now = wall_clock_ms_();
    const std::string kind = topic_kind_of(topic);
    auto found = refusals_.find(kind);
    if (found == refusals_.end()) found = refusals_.emplace(kind, Refusals{}).first;
    Refusals& refusals = found->second;
    // A clock set back does not silence the station: the interval restarts.
    const bool due = !refusals.ever_reported ||
                     now - refusals.reported_at_ms >= kRefusalReportIntervalMs ||
                     now < refusals.reported_at_ms;
    if (!due) {
        ++refusals.unreported;
        ++stats_.unreported;
        refusals.sample = error;
        refusals.sample_topic = std::string(topic.substr(0, 1024));
        return {};
    }
    const std::int64_t count = refusals.unreported + 1;
    stats_.unreported -= refusals.unreported;
    refusals.unreported = 0;
    refusals.ever_reported = true;
    refusals.reported_at_ms = now;
    return report(error, topic, payload, count, now);
}

Status Inbox::report_refusals() {
    const std::int64_t now = wall_clock_ms_();
    Status status;
    for (auto& [kind, refusals] : refusals_) {
        if (refusals.unreported == 0) continue;
        if (now - refusals.reported_at_ms < kRefusalReportIntervalMs &&
            now >= refusals.reported_at_ms)
            continue;
        const std::int64_t count = refusals.unreported;
        stats_.unreported -= count;
        refusals.unreported = 0;
        refusals.reported_at_ms = now;
        // The sample's payload is not kept (it may be large): no event id quoted.
        if (auto reported = report(refusals.sample, refusals.sample_topic, "", count, now);
            !reported && status.ok())
            status = reported;
    }
    return status;
}

Status Inbox::report(const Error& error, std::string_view topic, std::string_view payload,
                     std::int64_t refused, std::int64_t now_ms) {
    Envelope envelope;
    envelope.event_id = station::new_event_id();
    envelope.sent_at_ms = now_ms;
    auto sequence = station_.message_sequence();
    if (!sequence) return sequence.error();
    envelope.sequence = (*sequence)->next(&store_);
    auto text = error_event_json(identity_, envelope, error, topic, payload, refused);
    if (!text) return text.error();
    station::EventRecord event;
    event.event_id = envelope.event_id;
    event.at_ms = envelope.sent_at_ms;
    event.station = identity_.station;
    event.type = "sync.refused";
    event.payload = station::json_text(nlohmann::json{{"code", error.code},
                                                      {"message", error.message},
                                                      {"topic", std::string(topic)},
                                                      {"refused", refused}});
    station::OutboxMessage outbox;
    outbox.event_id = envelope.event_id;
    auto events_topic =
        build_topic(Topic{TopicKind::Events, identity_.site, identity_.station, {}});
    if (!events_topic) return events_topic.error();
    outbox.topic = *events_topic;
    outbox.payload = std::move(*text);
    outbox.created_at_ms = envelope.sent_at_ms;
    return store_.append_event(event, outbox);
}

Result<std::int64_t> Inbox::forget_before(std::int64_t before_ms) {
    return store_.forget_inbound_before(before_ms);
}

}  // namespace packline::sync
