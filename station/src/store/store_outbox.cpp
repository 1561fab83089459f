// The transactional outbox, the tracking-number pool and the shift counters.
#include <utility>

#include "packline/store_errors.h"
#include "store_impl.h"

namespace packline::station {
namespace {

Result<std::int64_t> single_integer(Store::Impl& impl, std::string_view sql) {
    auto select = impl.query(sql);
    if (!select) return select.error();
    auto row = select->step();
    if (!row) return row.error();
    if (!*row) return std::int64_t{0};
    return select->column_integer(0);
}

}  // namespace

Status Store::add_pool_numbers(std::string_view carrier, const std::vector<std::string>& numbers) {
    auto status = impl_->transaction([&]() -> Status {
        for (const std::string& number : numbers) {
            // A pool message replayed by the broker adds nothing twice.
            auto insert = impl_->query(R"sql(
INSERT INTO tracking_pool (number, carrier) VALUES (?1, ?2) ON CONFLICT (number) DO NOTHING
)sql");
            if (!insert) return insert.error();
            insert->bind_text(1, number).bind_text(2, carrier);
            if (auto inserted = insert->run(); !inserted)
                return inserted.error().context("number '" + number + "'");
        }
        return {};
    });
    if (!status)
        return status.error().context("store: add pool numbers for '" + std::string(carrier) + "'");
    return status;
}

Result<std::optional<std::string>> Store::next_pool_number(std::string_view carrier) {
    auto select = impl_->query(R"sql(
SELECT number FROM tracking_pool WHERE carrier = ?1 AND parcel_id IS NULL ORDER BY rowid LIMIT 1
)sql");
    const std::string where = "store: next pool number for '" + std::string(carrier) + "'";
    if (!select) return select.error().context(where);
    select->bind_text(1, carrier);
    auto row = select->step();
    if (!row) return row.error().context(where);
    if (!*row) return std::optional<std::string>{};
    return std::optional<std::string>(select->column_text(0));
}

Result<std::vector<OutboxMessage>> Store::pending_outbox(int limit) {
    auto select = impl_->query(R"sql(
SELECT seq, event_id, topic, payload, created_at_ms, attempts
FROM outbox WHERE delivered_at_ms IS NULL ORDER BY seq LIMIT ?1
)sql");
    if (!select) return select.error().context("store: pending outbox");
    select->bind_integer(1, limit);
    std::vector<OutboxMessage> messages;
    for (;;) {
        auto row = select->step();
        if (!row) return row.error().context("store: pending outbox");
        if (!*row) break;
        messages.push_back(OutboxMessage{select->column_integer(0), select->column_text(1),
                                         select->column_text(2), select->column_text(3),
                                         select->column_integer(4), select->column_int(5)});
    }
    return messages;
}

Status Store::mark_delivered(std::string_view event_id, std::int64_t at_ms) {
    const std::string where = "store: mark delivered '" + std::string(event_id) + "'";
    auto update = impl_->query(R"sql(
UPDATE outbox SET delivered_at_ms = ?2 WHERE event_id = ?1 AND delivered_at_ms IS NULL
)sql");
    if (!update) return update.error().context(where);
    update->bind_text(1, event_id).bind_integer(2, at_ms);
    if (auto status = update->run(); !status) return status.error().context(where);
    if (update->changes() == 1) return {};
    // At-least-once delivery: a second acknowledgement for the same event is normal.
    auto exists = impl_->query("SELECT 1 FROM outbox WHERE event_id = ?1");
    if (!exists) return exists.error().context(where);
    exists->bind_text(1, event_id);
    auto row = exists->step();
    if (!row) return row.error().context(where);
    if (!*row)
        return Error{errors::kStoreNotFound, "no outbox message with this event id"}.context(where);
    return {};
}

Status Store::record_outbox_attempt(std::string_view event_id) {
    const std::string where = "store: record outbox attempt '" + std::string(event_id) + "'";
    auto update = impl_->query("UPDATE outbox SET attempts = attempts + 1 WHERE event_id = ?1");
    if (!update) return update.error().context(where);
    update->bind_text(1, event_id);
    if (auto status = update->run(); !status) return status.error().context(where);
    if (update->changes() == 0)
        return Error{errors::kStoreNotFound, "no outbox message with this event id"}.context(where);
    return {};
}

Result<std::int64_t> Store::count_outbox() {
    auto count = single_integer(*impl_, "SELECT count(*) FROM outbox");
    if (!count) return count.error().context("store: count outbox");
    return count;
}

Result<std::int64_t> Store::count_pending_outbox() {
    auto count =
        single_integer(*impl_, "SELECT count(*) FROM outbox WHERE delivered_at_ms IS NULL");
    if (!count) return count.error().context("store: count pending outbox");
    return count;
}

Result<std::int64_t> Store::count_confirmations() {
    auto count = single_integer(*impl_, "SELECT count(*) FROM confirmations");
    if (!count) return count.error().context("store: count confirmations");
    return count;
}

Result<std::vector<std::string>> Store::station_ids() {
    // A skip scan over events_station_at: one index seek per station, not
    // one step per event (a year of events is millions of rows).
    auto select = impl_->query(R"sql(
WITH RECURSIVE seen(station) AS (
    SELECT min(station) FROM events
    UNION ALL
    SELECT (SELECT min(station) FROM events WHERE station > seen.station)
    FROM seen WHERE seen.station IS NOT NULL
)
SELECT station FROM seen WHERE station IS NOT NULL
)sql");
    if (!select) return select.error().context("store: station ids");
    std::vector<std::string> ids;
    for (;;) {
        auto row = select->step();
        if (!row) return row.error().context("store: station ids");
        if (!*row) break;
        ids.push_back(select->column_text(0));
    }
    return ids;
}

Result<Store::Counters> Store::counters(std::string_view station, std::int64_t from_ms,
                                        std::int64_t to_ms) {
    const std::string where = "store: counters";
    auto select = impl_->query(R"sql(
SELECT type, count(*) FROM events
WHERE (?1 = '' OR station = ?1) AND at_ms >= ?2 AND at_ms < ?3
GROUP BY type
)sql");
    if (!select) return select.error().context(where);
    select->bind_text(1, station).bind_integer(2, from_ms).bind_integer(3, to_ms);
    Counters counters;
    for (;;) {
        auto row = select->step();
        if (!row) return row.error().context(where);
        if (!*row) break;
        const std::string type = select->column_text(0);
        const std::int64_t count = select->column_integer(1);
        if (type == event_type::parcel_started)
            counters.parcels_started += count;
        else if (type == event_type::parcel_confirmed)
            counters.confirmed += count;
        else if (type == event_type::parcel_exception)
            counters.exceptions += count;
        else if (type == event_type::parcel_override)
            counters.overrides += count;
        else if (type == event_type::parcel_abandoned)
            counters.abandoned += count;
        else if (type == event_type::item_accepted || type == event_type::item_rejected)
            counters.scans += count;
    }
    auto by_check = impl_->query(R"sql(
SELECT json_extract(payload, '$.check'), count(*) FROM events
WHERE type = 'parcel.exception' AND (?1 = '' OR station = ?1) AND at_ms >= ?2 AND at_ms < ?3
GROUP BY 1
)sql");
    if (!by_check) return by_check.error().context(where);
    by_check->bind_text(1, station).bind_integer(2, from_ms).bind_integer(3, to_ms);
    for (;;) {
        auto row = by_check->step();
        if (!row) return row.error().context(where);
        if (!*row) break;
        const std::string check = by_check->column_text(0);
        const std::int64_t count = by_check->column_integer(1);
        if (check == "customer")
            counters.exceptions_customer += count;
        else if (check == "contents")
            counters.exceptions_contents += count;
        else if (check == "express")
            counters.exceptions_express += count;
    }
    auto pending = count_pending_outbox();
    if (!pending) return pending.error().context(where);
    counters.outbox_pending = *pending;
    return counters;
}

}  // namespace packline::station
