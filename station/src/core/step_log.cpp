#include "step_log.h"

#include <type_traits>
#include <utility>
#include <variant>

#include "reprint_audit.h"

namespace packline::station {

namespace {

nlohmann::json details_json(const std::vector<Detail>& details) {
    nlohmann::json object = nlohmann::json::object();
    for (const Detail& detail : details)
        object[detail.key] = detail.value;
    return object;
}

// The station event the hub hears for this step, if any: packing started, a
// check failed, a supervisor override, a parcel abandoned (docs/mqtt/README.md).
std::optional<StationEventFields> station_event_for(const flow::StepRecord& step,
                                                    const Parcel& next) {
    StationEventFields fields;
    fields.order_id = next.order_id;
    fields.packer = next.packer;
    if (step.type == event_type::parcel_started) {
        fields.kind = "packing_started";
    } else if (step.type == event_type::parcel_exception) {
        fields.kind = "exception";
        fields.check = step.text("check");
        fields.reason = step.text("reason");
        fields.message = step.text("message");
        if (next.exception) fields.details = next.exception->details;
    } else if (step.type == "item.accepted" && step.flag("manual")) {
        fields.kind = "manual_entry";
        fields.message = "Typed by hand: " + step.text("code");
        fields.details = {{"code", step.text("code")}, {"step", "item"}, {"sku", step.text("sku")}};
    } else if (step.type == event_type::parcel_override) {
        fields.kind = "override";
        fields.check = step.text("check");
        fields.reason = step.text("reason");
        fields.override_reason = step.text("override_reason");
        fields.supervisor = step.text("supervisor");
    } else if (step.type == event_type::parcel_abandoned) {
        // The hub counts abandoned parcels as the station does; the
        // exception it was given up in says why.
        fields.kind = "abandoned";
        if (next.exception) {
            fields.check = next.exception->check;
            fields.reason = next.exception->reason;
        }
    } else {
        return std::nullopt;
    }
    return fields;
}

}  // namespace

nlohmann::json step_json(const flow::StepRecord& step) {
    nlohmann::json object = nlohmann::json::object();
    for (const flow::StepField& field : step.fields)
        std::visit(
            [&](const auto& value) {
                if constexpr (std::is_same_v<std::decay_t<decltype(value)>, std::vector<Detail>>)
                    object[field.key] = details_json(value);
                else
                    object[field.key] = value;
            },
            field.value);
    return object;
}

StepLog::StepLog(Store& store, const StationConfig& config, const Clock& clock, IdSource& ids)
    : store_(store), config_(config), clock_(clock), ids_(ids) {}

Transition StepLog::transition(Parcel next, const flow::StepRecord& record,
                               std::optional<OutboxMessage> shipment) {
    Transition transition;
    transition.confirm = shipment.has_value();
    std::optional<OutboxMessage> outbox = std::move(shipment);
    if (!outbox) {
        if (auto fields = station_event_for(record, next)) {
            // The parcel id is assigned inside the transaction for a new parcel.
            OutboxMessage message;
            message.event_id = ids_.next_id();
            message.topic = station_topic(config_, "events");
            message.created_at_ms = next.updated_at_ms;
            transition.outbox_payload = [this, fields = std::move(*fields),
                                         event_id = message.event_id, at_ms = message.created_at_ms,
                                         sequence_number =
                                             next_sequence()](std::int64_t parcel_id) mutable {
                fields.parcel_id = parcel_id;
                return station_event_json(config_, event_id, at_ms, sequence_number, fields);
            };
            outbox = std::move(message);
        }
    }
    nlohmann::json payload = step_json(record);
    payload["state"] = to_string(next.state);
    transition.event = event(record.type, next.order_id, next.id, payload);
    transition.parcel = std::move(next);
    transition.outbox = std::move(outbox);
    return transition;
}

OutboxMessage StepLog::shipment(const Parcel& next, const Order& order,
                                const std::vector<EventRecord>& trail) {
    OutboxMessage outbox;
    outbox.event_id = ids_.next_id();
    outbox.topic = station_topic(config_, "shipments");
    outbox.created_at_ms = next.confirmed_at_ms;
    outbox.payload =
        shipment_confirmation_json(next, order, config_, outbox.event_id, overrides_in(trail),
                                   count_reprints(trail), next.confirmed_at_ms, next_sequence());
    return outbox;
}

EventRecord StepLog::event(std::string type, const std::string& order_id, std::int64_t parcel_id,
                           const nlohmann::json& payload) const {
    EventRecord record;
    record.event_id = ids_.next_id();
    record.at_ms = clock_.now_ms();
    record.station = config_.station_id;
    record.type = std::move(type);
    record.order_id = order_id;
    record.parcel_id = parcel_id;
    record.payload = json_text(payload);
    return record;
}

void StepLog::append(std::string type, const std::string& order_id, std::int64_t parcel_id,
                     const nlohmann::json& payload) {
    (void)store_.append_event(event(std::move(type), order_id, parcel_id, payload));
}

void StepLog::manual_entry(const std::string& step, const std::string& code,
                           const std::string& order_id, std::int64_t parcel_id) {
    const EventRecord logged =
        event("scan.manual", order_id, parcel_id, {{"step", step}, {"code", code}});
    StationEventFields fields;
    fields.kind = "manual_entry";
    fields.order_id = logged.order_id;
    fields.parcel_id = logged.parcel_id;
    fields.packer = config_.packer;
    fields.message = "Typed by hand: " + code;
    fields.details = {{"code", code}, {"step", step}};
    OutboxMessage outbox;
    outbox.event_id = ids_.next_id();
    outbox.topic = station_topic(config_, "events");
    outbox.created_at_ms = logged.at_ms;
    outbox.payload =
        station_event_json(config_, outbox.event_id, logged.at_ms, next_sequence(), fields);
    // Best effort: the step itself is committed already.
    (void)store_.append_event(logged, outbox);
}

Result<MessageSequence*> StepLog::sequence() {
    if (!sequence_) {
        auto opened = MessageSequence::open(store_);
        if (!opened.ok()) return opened.error();
        sequence_ = std::move(opened.value());
    }
    return sequence_.get();
}

std::int64_t StepLog::next_sequence() {
    auto source = sequence();
    return source.ok() ? source.value()->next(&store_) : 0;
}

void StepLog::replenish() {
    if (sequence_) (void)sequence_->replenish(store_);  // retried next tick on failure
}

std::vector<OverrideRecord> overrides_in(const std::vector<EventRecord>& events) {
    std::vector<OverrideRecord> records;
    for (const EventRecord& event : events) {
        if (event.type != "parcel.override") continue;
        const auto payload = nlohmann::json::parse(event.payload, nullptr, false);
        if (!payload.is_object()) continue;
        records.push_back({payload.value("check", ""), payload.value("reason", ""),
                           payload.value("override_reason", ""), payload.value("supervisor", "")});
    }
    return records;
}

}  // namespace packline::station
