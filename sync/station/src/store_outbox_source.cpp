#include "packline/sync/station/store_outbox_source.h"

#include <nlohmann/json.hpp>

#include "packline/station/messages.h"

namespace packline::sync {

StoreOutboxSource::StoreOutboxSource(std::string database, std::string station)
    : database_(std::move(database)), station_(std::move(station)) {}

Result<station::Store*> StoreOutboxSource::store() {
    if (!store_) {
        auto opened = station::Store::open(database_);
        if (!opened) return opened.error();
        store_ = std::move(opened.value());
    }
    return store_.get();
}

Result<std::vector<OutboxRow>> StoreOutboxSource::pending(int limit) {
    auto opened = store();
    if (!opened) return opened.error();
    auto messages = (*opened)->pending_outbox(limit);
    if (!messages) return messages.error();
    std::vector<OutboxRow> rows;
    rows.reserve(messages->size());
    for (station::OutboxMessage& message : messages.value())
        rows.push_back(OutboxRow{message.seq, std::move(message.event_id), std::move(message.topic),
                                 std::move(message.payload), message.attempts});
    return rows;
}

Status StoreOutboxSource::delivered(std::string_view event_id, std::int64_t at_ms) {
    auto opened = store();
    if (!opened) return opened.error();
    return (*opened)->mark_delivered(event_id, at_ms);
}

Status StoreOutboxSource::rejected(std::string_view event_id, std::string_view reason,
                                   std::int64_t at_ms) {
    auto opened = store();
    if (!opened) return opened.error();
    station::EventRecord record;
    record.event_id = station::new_event_id();
    record.at_ms = at_ms;
    record.station = station_;
    record.type = std::string(kOutboxRejectedEvent);
    record.payload = station::json_text(nlohmann::json{{"event_id", event_id}, {"reason", reason}});
    if (auto appended = (*opened)->append_event(record); !appended) return appended;
    return (*opened)->mark_delivered(event_id, at_ms);
}

Status StoreOutboxSource::attempted(std::string_view event_id) {
    auto opened = store();
    if (!opened) return opened.error();
    return (*opened)->record_outbox_attempt(event_id);
}

}  // namespace packline::sync
