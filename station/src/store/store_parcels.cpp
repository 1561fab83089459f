// Parcels and events: the packing transition and the look-ups the checks need.
#include <utility>

#include "packline/store_errors.h"
#include "store_impl.h"

namespace packline::station {
namespace {

constexpr std::string_view kParcelColumns = R"sql(
SELECT id, order_id, sequence, station, packer, state, weight_g, expected_weight_g, packaging,
       carrier, tracking_number, label_job_id, label_attempts, customer_check, contents_check,
       express_check, exception_check, exception_reason, exception_message, closed_partial,
       created_at_ms, updated_at_ms, confirmed_at_ms, photo_path, photo_sha256, photo_taken_at_ms,
       photo_pruned_at_ms
FROM parcels WHERE id = ?1
)sql";

constexpr std::string_view kInsertParcel = R"sql(
INSERT INTO parcels (order_id, sequence, station, packer, state, weight_g, expected_weight_g,
                     packaging, carrier, tracking_number, label_job_id, label_attempts,
                     customer_check, contents_check, express_check, exception_check,
                     exception_reason, exception_message, closed_partial, created_at_ms,
                     updated_at_ms, confirmed_at_ms, photo_path, photo_sha256, photo_taken_at_ms)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
        ?20, ?21, ?22, ?24, ?25, ?26)
)sql";

constexpr std::string_view kUpdateParcel = R"sql(
UPDATE parcels SET order_id = ?1, sequence = ?2, station = ?3, packer = ?4, state = ?5,
    weight_g = ?6, expected_weight_g = ?7, packaging = ?8, carrier = ?9, tracking_number = ?10,
    label_job_id = ?11, label_attempts = ?12, customer_check = ?13, contents_check = ?14,
    express_check = ?15, exception_check = ?16, exception_reason = ?17, exception_message = ?18,
    closed_partial = ?19, created_at_ms = ?20, updated_at_ms = ?21, confirmed_at_ms = ?22,
    photo_path = ?24, photo_sha256 = ?25, photo_taken_at_ms = ?26
WHERE id = ?23
)sql";

constexpr std::string_view kInsertEvent = R"sql(
INSERT INTO events (event_id, at_ms, station, type, order_id, parcel_id, payload)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
)sql";

void bind_parcel(sqlite::Query& query, const Parcel& parcel) {
    query.bind_text(1, parcel.order_id)
        .bind_integer(2, parcel.sequence)
        .bind_text(3, parcel.station)
        .bind_text(4, parcel.packer)
        .bind_text(5, to_string(parcel.state))
        .bind_optional_real(6, parcel.weight_g)
        .bind_real(7, parcel.expected_weight_g)
        .bind_text(8, parcel.packaging)
        .bind_text(9, parcel.carrier)
        .bind_text(10, parcel.tracking_number)
        .bind_text(11, parcel.label_job_id)
        .bind_integer(12, parcel.label_attempts)
        .bind_text(13, to_string(parcel.customer))
        .bind_text(14, to_string(parcel.contents))
        .bind_text(15, to_string(parcel.express))
        .bind_integer(19, parcel.closed_partial ? 1 : 0)
        .bind_integer(20, parcel.created_at_ms)
        .bind_integer(21, parcel.updated_at_ms)
        .bind_integer(22, parcel.confirmed_at_ms);
    if (parcel.exception) {
        query.bind_text(16, parcel.exception->check)
            .bind_text(17, parcel.exception->reason)
            .bind_text(18, parcel.exception->message);
    } else {
        query.bind_null(16).bind_null(17).bind_null(18);
    }
    // ?23 is the id of an update. The pruning time is not written here: only
    // Store::mark_photo_pruned sets it, so a stale Parcel cannot undo it.
    if (parcel.photo) {
        query.bind_text(24, parcel.photo->path)
            .bind_text(25, parcel.photo->sha256)
            .bind_integer(26, parcel.photo->taken_at_ms);
    } else {
        query.bind_null(24).bind_null(25).bind_null(26);
    }
}

Result<CheckStatus> check_status_column(const sqlite::Query& query, int column) {
    const std::string text = query.column_text(column);
    auto status = check_status_from_string(text);
    if (!status) return Error{errors::kStoreCorrupt, "unknown check status '" + text + "'"};
    return *status;
}

Result<std::optional<Parcel>> load_parcel(Store::Impl& impl, std::int64_t id) {
    Parcel parcel;
    {
        auto select = impl.query(kParcelColumns);
        if (!select) return select.error();
        select->bind_integer(1, id);
        auto row = select->step();
        if (!row) return row.error();
        if (!*row) return std::optional<Parcel>{};
        parcel.id = select->column_integer(0);
        parcel.order_id = select->column_text(1);
        parcel.sequence = select->column_int(2);
        parcel.station = select->column_text(3);
        parcel.packer = select->column_text(4);
        const std::string state = select->column_text(5);
        auto parsed = parcel_state_from_string(state);
        if (!parsed) return Error{errors::kStoreCorrupt, "unknown parcel state '" + state + "'"};
        parcel.state = *parsed;
        parcel.weight_g = select->column_optional_real(6);
        parcel.expected_weight_g = select->column_real(7);
        parcel.packaging = select->column_text(8);
        parcel.carrier = select->column_text(9);
        parcel.tracking_number = select->column_text(10);
        parcel.label_job_id = select->column_text(11);
        parcel.label_attempts = select->column_int(12);
        CheckStatus* checks[] = {&parcel.customer, &parcel.contents, &parcel.express};
        for (int index = 0; index < 3; ++index) {
            auto status = check_status_column(*select, 13 + index);
            if (!status) return status.error();
            *checks[index] = *status;
        }
        if (!select->column_is_null(16)) {
            parcel.exception = ParcelException{
                select->column_text(16), select->column_text(17), select->column_text(18), {}};
        }
        parcel.closed_partial = select->column_integer(19) != 0;
        parcel.created_at_ms = select->column_integer(20);
        parcel.updated_at_ms = select->column_integer(21);
        parcel.confirmed_at_ms = select->column_integer(22);
        if (!select->column_is_null(24)) {
            parcel.photo = EvidencePhoto{select->column_text(23), select->column_text(24),
                                         select->column_integer(25),
                                         select->column_integer(26)};  // NULL reads as 0
        }
    }
    {
        auto items = impl.query(
            "SELECT sku, barcode, serial, lot, at_ms, manual FROM parcel_items WHERE parcel_id = "
            "?1 "
            "ORDER BY seq");
        if (!items) return items.error();
        items->bind_integer(1, id);
        for (;;) {
            auto row = items->step();
            if (!row) return row.error();
            if (!*row) break;
            parcel.items.push_back(ScannedItem{
                items->column_text(0), items->column_text(1), items->column_text(2),
                items->column_text(3), items->column_integer(4), items->column_integer(5) != 0});
        }
    }
    if (parcel.exception) {
        auto details = impl.query(
            "SELECT key, value FROM parcel_exception_details WHERE parcel_id = ?1 ORDER BY "
            "position");
        if (!details) return details.error();
        details->bind_integer(1, id);
        for (;;) {
            auto row = details->step();
            if (!row) return row.error();
            if (!*row) break;
            parcel.exception->details.push_back(
                Detail{details->column_text(0), details->column_text(1)});
        }
    }
    return std::optional<Parcel>(std::move(parcel));
}

Result<std::vector<std::int64_t>> select_ids(Store::Impl& impl, std::string_view sql,
                                             std::string_view argument) {
    auto select = impl.query(sql);
    if (!select) return select.error();
    select->bind_text(1, argument);
    std::vector<std::int64_t> ids;
    for (;;) {
        auto row = select->step();
        if (!row) return row.error();
        if (!*row) break;
        ids.push_back(select->column_integer(0));
    }
    return ids;
}

Status replace_children(Store::Impl& impl, const Parcel& parcel, std::int64_t id) {
    for (std::string_view sql : {"DELETE FROM parcel_items WHERE parcel_id = ?1",
                                 "DELETE FROM parcel_exception_details WHERE parcel_id = ?1"}) {
        auto remove = impl.query(sql);
        if (!remove) return remove.error();
        remove->bind_integer(1, id);
        if (auto status = remove->run(); !status) return status;
    }
    std::int64_t seq = 0;
    for (const ScannedItem& item : parcel.items) {
        auto insert = impl.query(R"sql(
INSERT INTO parcel_items (parcel_id, seq, sku, barcode, serial, lot, at_ms, manual)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
)sql");
        if (!insert) return insert.error();
        insert->bind_integer(1, id)
            .bind_integer(2, ++seq)
            .bind_text(3, item.sku)
            .bind_text(4, item.barcode)
            .bind_text(5, item.serial)
            .bind_text(6, item.lot)
            .bind_integer(7, item.at_ms)
            .bind_integer(8, item.manual ? 1 : 0);
        if (auto status = insert->run(); !status)
            return status.error().context("item " + std::to_string(seq));
    }
    if (!parcel.exception) return {};
    std::int64_t position = 0;
    for (const Detail& detail : parcel.exception->details) {
        auto insert = impl.query(
            "INSERT INTO parcel_exception_details (parcel_id, position, key, value) "
            "VALUES (?1, ?2, ?3, ?4)");
        if (!insert) return insert.error();
        insert->bind_integer(1, id)
            .bind_integer(2, position++)
            .bind_text(3, detail.key)
            .bind_text(4, detail.value);
        if (auto status = insert->run(); !status) return status;
    }
    return {};
}

Result<std::int64_t> write_parcel(Store::Impl& impl, const Parcel& parcel) {
    std::int64_t id = parcel.id;
    if (id == 0) {
        auto insert = impl.query(kInsertParcel);
        if (!insert) return insert.error();
        bind_parcel(*insert, parcel);
        if (auto status = insert->run(); !status) return status.error();
        id = impl.database.last_insert_rowid();
    } else {
        auto update = impl.query(kUpdateParcel);
        if (!update) return update.error();
        bind_parcel(*update, parcel);
        update->bind_integer(23, id);
        if (auto status = update->run(); !status) return status.error();
        if (update->changes() == 0)
            return Error{errors::kStoreNotFound, "no parcel with id " + std::to_string(id)};
    }
    if (auto status = replace_children(impl, parcel, id); !status) return status.error();
    return id;
}

Status write_outbox(Store::Impl& impl, const OutboxMessage& message, const EventRecord& event) {
    auto insert = impl.query(R"sql(
INSERT INTO outbox (event_id, topic, payload, created_at_ms, attempts) VALUES (?1, ?2, ?3, ?4, 0)
)sql");
    if (!insert) return insert.error();
    const std::string& event_id = message.event_id.empty() ? event.event_id : message.event_id;
    insert->bind_text(1, event_id)
        .bind_text(2, message.topic)
        .bind_text(3, message.payload)
        .bind_integer(4, message.created_at_ms != 0 ? message.created_at_ms : event.at_ms);
    if (auto status = insert->run(); !status)
        return status.error().context("outbox '" + event_id + "'");
    return {};
}

Status write_order_status(Store::Impl& impl, const std::string& order_id, OrderStatus status_value,
                          std::int64_t at_ms) {
    auto update = impl.query("UPDATE orders SET status = ?2, updated_at_ms = ?3 WHERE id = ?1");
    if (!update) return update.error();
    update->bind_text(1, order_id).bind_text(2, to_string(status_value)).bind_integer(3, at_ms);
    if (auto status = update->run(); !status) return status.error().context("order status");
    if (update->changes() == 0)
        return Error{errors::kStoreNotFound, "order status: no order '" + order_id + "'"};
    return {};
}

Status take_pool_number(Store::Impl& impl, const std::string& number, std::int64_t parcel_id,
                        std::int64_t at_ms) {
    {
        auto update = impl.query(R"sql(
UPDATE tracking_pool SET parcel_id = ?2, taken_at_ms = ?3 WHERE number = ?1 AND parcel_id IS NULL
)sql");
        if (!update) return update.error();
        update->bind_text(1, number).bind_integer(2, parcel_id).bind_integer(3, at_ms);
        if (auto status = update->run(); !status) return status.error().context("pool number");
        if (update->changes() == 1) return {};
    }
    auto holder = impl.query("SELECT parcel_id FROM tracking_pool WHERE number = ?1");
    if (!holder) return holder.error();
    holder->bind_text(1, number);
    auto row = holder->step();
    if (!row) return row.error();
    if (!*row)
        return Error{errors::kStoreNotFound,
                     "pool number '" + number + "' is not in the tracking pool"};
    return Error{errors::kStorePoolNumberTaken, "pool number '" + number +
                                                    "' is already taken by parcel " +
                                                    std::to_string(holder->column_integer(0))};
}

Status write_confirmation(Store::Impl& impl, const Parcel& parcel, std::int64_t id,
                          const EventRecord& event) {
    auto insert = impl.query(R"sql(
INSERT INTO confirmations (parcel_id, order_id, tracking_number, confirmed_at_ms, event_id)
VALUES (?1, ?2, ?3, ?4, ?5)
)sql");
    if (!insert) return insert.error();
    insert->bind_integer(1, id)
        .bind_text(2, parcel.order_id)
        .bind_text(3, parcel.tracking_number)
        .bind_integer(4, parcel.confirmed_at_ms != 0 ? parcel.confirmed_at_ms : event.at_ms)
        .bind_text(5, event.event_id);
    if (auto status = insert->run(); !status) return status.error().context("confirmation");
    return {};
}

}  // namespace

Status insert_event(Store::Impl& impl, const EventRecord& event) {
    if (event.event_id.empty()) return Error{errors::kStoreInvalid, "event has no event_id"};
    if (event.type.empty()) return Error{errors::kStoreInvalid, "event has no type"};
    auto insert = impl.query(kInsertEvent);
    if (!insert) return insert.error();
    insert->bind_text(1, event.event_id)
        .bind_integer(2, event.at_ms)
        .bind_text(3, event.station)
        .bind_text(4, event.type)
        .bind_text(5, event.order_id)
        .bind_text(
            7, event.payload.empty() ? std::string_view("{}") : std::string_view(event.payload));
    if (event.parcel_id != 0)
        insert->bind_integer(6, event.parcel_id);
    else
        insert->bind_null(6);
    if (auto status = insert->run(); !status)
        return status.error().context("event " + event.type + " '" + event.event_id + "'");
    return {};
}

Result<std::int64_t> Store::commit(Transition& transition) {
    const Parcel& parcel = transition.parcel;
    const std::string where = parcel.id != 0
                                  ? "store: commit parcel " + std::to_string(parcel.id)
                                  : "store: commit new parcel for order '" + parcel.order_id + "'";
    if (transition.confirm && parcel.state != ParcelState::Confirmed)
        return Error{errors::kStoreInvalid,
                     "a confirmation needs the parcel in state confirmed, not " +
                         std::string(to_string(parcel.state))}
            .context(where);

    const Durability durability = transition.confirm ? Durability::Full : Durability::Normal;
    auto id = impl_->transaction(
        [&]() -> Result<std::int64_t> {
            auto written = write_parcel(*impl_, parcel);
            if (!written) return written;
            const std::int64_t parcel_id = *written;

            EventRecord event = transition.event;
            event.parcel_id = parcel_id;
            if (event.order_id.empty()) event.order_id = parcel.order_id;
            if (auto status = insert_event(*impl_, event); !status) return status.error();
            if (transition.outbox) {
                OutboxMessage outbox = *transition.outbox;
                // A new parcel's id is known only now; messages about it name it.
                if (transition.outbox_payload)
                    outbox.payload = transition.outbox_payload(parcel_id);
                if (auto status = write_outbox(*impl_, outbox, event); !status)
                    return status.error();
            }
            if (transition.order_status) {
                if (auto status = write_order_status(*impl_, parcel.order_id,
                                                     *transition.order_status, event.at_ms);
                    !status)
                    return status.error();
            }
            if (!transition.take_pool_number.empty()) {
                if (auto status = take_pool_number(*impl_, transition.take_pool_number, parcel_id,
                                                   event.at_ms);
                    !status)
                    return status.error();
            }
            if (transition.confirm) {
                if (auto status = write_confirmation(*impl_, parcel, parcel_id, event); !status)
                    return status.error();
            }
            return parcel_id;
        },
        durability);
    if (!id) return id.error().context(where);
    // Written back only once the transaction is durable.
    transition.parcel.id = *id;
    transition.event.parcel_id = *id;
    if (transition.event.order_id.empty()) transition.event.order_id = parcel.order_id;
    return id;
}

Status Store::append_event(const EventRecord& event) {
    auto status = insert_event(*impl_, event);
    if (!status) return status.error().context("store: append event");
    return status;
}

Status Store::append_event(const EventRecord& event, const OutboxMessage& outbox) {
    auto status = impl_->transaction([&]() -> Status {
        if (auto inserted = insert_event(*impl_, event); !inserted) return inserted;
        return write_outbox(*impl_, outbox, event);
    });
    if (!status) return status.error().context("store: append event with outbox row");
    return status;
}

Result<std::optional<Parcel>> Store::active_parcel(std::string_view station) {
    const std::string where = "store: active parcel of station '" + std::string(station) + "'";
    auto ids = select_ids(*impl_, R"sql(
SELECT id FROM parcels WHERE station = ?1 AND state NOT IN ('confirmed', 'abandoned')
ORDER BY id DESC LIMIT 1
)sql",
                          station);
    if (!ids) return ids.error().context(where);
    if (ids->empty()) return std::optional<Parcel>{};
    auto parcel = load_parcel(*impl_, ids->front());
    if (!parcel) return parcel.error().context(where);
    return parcel;
}

Result<std::optional<Parcel>> Store::find_parcel(std::int64_t id) {
    auto parcel = load_parcel(*impl_, id);
    if (!parcel) return parcel.error().context("store: find parcel " + std::to_string(id));
    return parcel;
}

Result<std::vector<Parcel>> Store::parcels_for_order(std::string_view order_id) {
    const std::string where = "store: parcels of order '" + std::string(order_id) + "'";
    auto ids = select_ids(
        *impl_, "SELECT id FROM parcels WHERE order_id = ?1 ORDER BY sequence, id", order_id);
    if (!ids) return ids.error().context(where);
    std::vector<Parcel> parcels;
    parcels.reserve(ids->size());
    for (std::int64_t id : *ids) {
        auto parcel = load_parcel(*impl_, id);
        if (!parcel) return parcel.error().context(where);
        if (*parcel) parcels.push_back(std::move(**parcel));
    }
    return parcels;
}

Result<bool> Store::tracking_number_used(std::string_view number, std::int64_t except_parcel_id) {
    if (number.empty()) return false;
    auto select = impl_->query(R"sql(
SELECT EXISTS (SELECT 1 FROM parcels
               WHERE tracking_number = ?1 AND id <> ?2 AND state <> 'abandoned')
    OR EXISTS (SELECT 1 FROM confirmations WHERE tracking_number = ?1 AND parcel_id <> ?2)
)sql");
    if (!select) return select.error().context("store: tracking number used");
    select->bind_text(1, number).bind_integer(2, except_parcel_id);
    auto row = select->step();
    if (!row) return row.error().context("store: tracking number used");
    return *row && select->column_integer(0) != 0;
}

Result<bool> Store::serial_used(std::string_view sku, std::string_view serial,
                                std::int64_t except_parcel_id) {
    if (serial.empty()) return false;
    auto select = impl_->query(R"sql(
SELECT EXISTS (SELECT 1 FROM parcel_items JOIN parcels ON parcels.id = parcel_items.parcel_id
               WHERE parcel_items.sku = ?1 AND parcel_items.serial = ?2 AND parcel_items.serial <> ''
                 AND parcels.id <> ?3 AND parcels.state <> 'abandoned')
)sql");
    if (!select) return select.error().context("store: serial used");
    select->bind_text(1, sku).bind_text(2, serial).bind_integer(3, except_parcel_id);
    auto row = select->step();
    if (!row) return row.error().context("store: serial used");
    return *row && select->column_integer(0) != 0;
}

Result<std::vector<EventRecord>> Store::events_for_parcel(std::int64_t parcel_id) {
    const std::string where = "store: events of parcel " + std::to_string(parcel_id);
    auto select = impl_->query(R"sql(
SELECT event_id, at_ms, station, type, order_id, parcel_id, payload
FROM events WHERE parcel_id = ?1 ORDER BY seq
)sql");
    if (!select) return select.error().context(where);
    select->bind_integer(1, parcel_id);
    std::vector<EventRecord> events;
    for (;;) {
        auto row = select->step();
        if (!row) return row.error().context(where);
        if (!*row) break;
        events.push_back(EventRecord{select->column_text(0), select->column_integer(1),
                                     select->column_text(2), select->column_text(3),
                                     select->column_text(4), select->column_integer(5),
                                     select->column_text(6)});
    }
    return events;
}

}  // namespace packline::station
