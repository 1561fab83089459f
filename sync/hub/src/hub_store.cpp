#include "packline/hub/hub_store.h"

#include "hub_database.h"
#include "hub_store_schema.h"
#include "packline/store_errors.h"

namespace packline::hub {

struct HubStore::Impl {
    sqlite::Database database;

    Status execute(std::string_view sql) { return database.execute(sql); }

    template <typename Body>
    Status transaction(Body body) {
        return database.immediate_transaction(std::move(body));
    }
};

namespace {

Result<sqlite::Query> query(HubStore::Impl& impl, std::string_view sql) {
    return impl.database.query(sql);
}

template <typename T>
void bind_optional_integer(sqlite::Query& statement, int index, const std::optional<T>& value) {
    if (value)
        statement.bind_integer(index, *value);
    else
        statement.bind_null(index);
}

Result<StoreOutcome> insert_shipment(HubStore::Impl& impl, const ShipmentRecord& record,
                                     std::int64_t received_at_ms) {
    auto statement = query(impl,
                           "INSERT INTO shipments (event_id, site, station, order_id, parcel_id, "
                           "parcel_sequence, partial, carrier, tracking_number, weight_g, "
                           "expected_weight_g, packaging, packer, confirmed_at_ms, sent_at_ms, "
                           "sequence, received_at_ms, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                           "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18) "
                           "ON CONFLICT (event_id) DO NOTHING");
    if (!statement) return statement.error();
    statement->bind_text(1, record.event_id)
        .bind_text(2, record.site)
        .bind_text(3, record.station)
        .bind_text(4, record.order_id)
        .bind_integer(5, record.parcel_id)
        .bind_integer(6, record.parcel_sequence)
        .bind_integer(7, record.partial ? 1 : 0)
        .bind_text(8, record.carrier)
        .bind_text(9, record.tracking_number)
        .bind_real(10, record.weight_g)
        .bind_real(11, record.expected_weight_g)
        .bind_text(12, record.packaging)
        .bind_text(13, record.packer)
        .bind_integer(14, record.confirmed_at_ms);
    bind_optional_integer(*statement, 15, record.sent_at_ms);
    bind_optional_integer(*statement, 16, record.sequence);
    statement->bind_integer(17, received_at_ms).bind_text(18, record.payload);
    if (auto done = statement->run(); !done) return done.error();
    return statement->changes() == 1 ? StoreOutcome::Stored : StoreOutcome::Duplicate;
}

Result<StoreOutcome> insert_event(HubStore::Impl& impl, const StationEventRecord& record,
                                  std::int64_t received_at_ms) {
    auto statement = query(impl,
                           "INSERT INTO station_events (event_id, site, station, kind, order_id, "
                           "parcel_id, \"check\", reason, code, message, packer, supervisor, "
                           "sent_at_ms, sequence, received_at_ms, payload) VALUES (?1, ?2, ?3, "
                           "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) "
                           "ON CONFLICT (event_id) DO NOTHING");
    if (!statement) return statement.error();
    statement->bind_text(1, record.event_id)
        .bind_text(2, record.site)
        .bind_text(3, record.station)
        .bind_text(4, record.kind)
        .bind_text(5, record.order_id);
    bind_optional_integer(*statement, 6, record.parcel_id);
    statement->bind_text(7, record.check)
        .bind_text(8, record.reason)
        .bind_text(9, record.code)
        .bind_text(10, record.message)
        .bind_text(11, record.packer)
        .bind_text(12, record.supervisor)
        .bind_integer(13, record.sent_at_ms)
        .bind_integer(14, record.sequence)
        .bind_integer(15, received_at_ms)
        .bind_text(16, record.payload);
    if (auto done = statement->run(); !done) return done.error();
    return statement->changes() == 1 ? StoreOutcome::Stored : StoreOutcome::Duplicate;
}

Result<StoreOutcome> upsert_status(HubStore::Impl& impl, const StatusRecord& record,
                                   std::int64_t received_at_ms) {
    // A will made when the station connected carries that moment's sequence,
    // older than the statuses it sent since: the first time the hub sees a
    // will it wins anyway (see hub_store.h).
    bool new_will = false;
    if (record.is_will()) {
        auto will = query(impl,
                          "INSERT INTO station_wills (event_id, site, station, received_at_ms) "
                          "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (event_id) DO NOTHING");
        if (!will) return will.error();
        will->bind_text(1, record.event_id)
            .bind_text(2, record.site)
            .bind_text(3, record.station)
            .bind_integer(4, received_at_ms);
        if (auto done = will->run(); !done) return done.error();
        new_will = will->changes() == 1;
    }
    auto statement = query(
        impl,
        "INSERT INTO station_status (site, station, event_id, state, offline_reason, version, "
        "packer, current_order, outbox_backlog, last_sync_ms, sent_at_ms, sequence, "
        "received_at_ms, clock_skew_ms, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
        "?10, ?11, ?12, ?13, ?14, ?15) ON CONFLICT (site, station) DO UPDATE SET "
        "event_id = excluded.event_id, state = excluded.state, offline_reason = "
        "excluded.offline_reason, version = excluded.version, packer = excluded.packer, "
        "current_order = excluded.current_order, outbox_backlog = excluded.outbox_backlog, "
        "last_sync_ms = excluded.last_sync_ms, sent_at_ms = excluded.sent_at_ms, sequence = "
        "excluded.sequence, received_at_ms = excluded.received_at_ms, clock_skew_ms = "
        "excluded.clock_skew_ms, payload = excluded.payload "
        "WHERE excluded.sequence > station_status.sequence OR ?16 = 1");
    if (!statement) return statement.error();
    statement->bind_text(1, record.site)
        .bind_text(2, record.station)
        .bind_text(3, record.event_id)
        .bind_text(4, record.state)
        .bind_text(5, record.offline_reason)
        .bind_text(6, record.version)
        .bind_text(7, record.packer)
        .bind_text(8, record.current_order)
        .bind_integer(9, record.outbox_backlog)
        .bind_integer(10, record.last_sync_ms)
        .bind_integer(11, record.sent_at_ms)
        .bind_integer(12, record.sequence)
        .bind_integer(13, received_at_ms)
        .bind_integer(14, received_at_ms - record.sent_at_ms)
        .bind_text(15, record.payload)
        .bind_integer(16, new_will ? 1 : 0);
    if (auto done = statement->run(); !done) return done.error();
    return statement->changes() == 1 ? StoreOutcome::Stored : StoreOutcome::Duplicate;
}

constexpr std::string_view kShipmentColumns =
    "event_id, site, station, order_id, parcel_id, parcel_sequence, partial, carrier, "
    "tracking_number, weight_g, expected_weight_g, packaging, packer, confirmed_at_ms, "
    "sent_at_ms, sequence, received_at_ms, payload";

ReceivedShipment read_shipment(const sqlite::Query& row) {
    ReceivedShipment received;
    ShipmentRecord& record = received.shipment;
    record.event_id = row.column_text(0);
    record.site = row.column_text(1);
    record.station = row.column_text(2);
    record.order_id = row.column_text(3);
    record.parcel_id = row.column_integer(4);
    record.parcel_sequence = row.column_integer(5);
    record.partial = row.column_integer(6) != 0;
    record.carrier = row.column_text(7);
    record.tracking_number = row.column_text(8);
    record.weight_g = row.column_real(9);
    record.expected_weight_g = row.column_real(10);
    record.packaging = row.column_text(11);
    record.packer = row.column_text(12);
    record.confirmed_at_ms = row.column_integer(13);
    if (!row.column_is_null(14)) record.sent_at_ms = row.column_integer(14);
    if (!row.column_is_null(15)) record.sequence = row.column_integer(15);
    received.received_at_ms = row.column_integer(16);
    record.payload = row.column_text(17);
    return received;
}

constexpr std::string_view kStatusColumns =
    "site, station, event_id, state, offline_reason, version, packer, current_order, "
    "outbox_backlog, last_sync_ms, sent_at_ms, sequence, received_at_ms, clock_skew_ms, payload";

StationStatusRow read_status(const sqlite::Query& row) {
    StationStatusRow result;
    StatusRecord& status = result.status;
    status.site = row.column_text(0);
    status.station = row.column_text(1);
    status.event_id = row.column_text(2);
    status.state = row.column_text(3);
    status.offline_reason = row.column_text(4);
    status.version = row.column_text(5);
    status.packer = row.column_text(6);
    status.current_order = row.column_text(7);
    status.outbox_backlog = row.column_integer(8);
    status.last_sync_ms = row.column_integer(9);
    status.sent_at_ms = row.column_integer(10);
    status.sequence = row.column_integer(11);
    result.received_at_ms = row.column_integer(12);
    result.clock_skew_ms = row.column_integer(13);
    status.payload = row.column_text(14);
    return result;
}

template <typename T, typename Read>
Result<std::vector<T>> collect(Result<sqlite::Query>& statement, Read read) {
    std::vector<T> rows;
    for (;;) {
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) return rows;
        rows.push_back(read(*statement));
    }
}

Result<std::int64_t> count(HubStore::Impl& impl, std::string_view sql) {
    auto statement = query(impl, sql);
    if (!statement) return statement.error();
    auto row = statement->step();
    if (!row) return row.error();
    return *row ? statement->column_integer(0) : 0;
}

}  // namespace

std::string_view to_string(StoreOutcome outcome) {
    return outcome == StoreOutcome::Stored ? "stored" : "duplicate";
}

std::string_view to_string(CatalogueKind kind) {
    switch (kind) {
        case CatalogueKind::Order:
            return "order";
        case CatalogueKind::Sku:
            return "sku";
        case CatalogueKind::Packaging:
            return "packaging";
    }
    return "unknown";
}

int HubStore::latest_schema_version() {
    return schema::migrations().back().version;
}

Result<std::unique_ptr<HubStore>> HubStore::open(const std::string& path, std::int64_t now_ms) {
    // WAL, synchronous=FULL (an acknowledgement promises the station its
    // message survives a power cut), a busy timeout for other instances and
    // tools, migrated (hub_database.h).
    auto connection = open_hub_database(path, now_ms);
    if (!connection) return connection.error();
    auto impl = std::make_unique<Impl>(Impl{std::move(connection).value()});
    return std::unique_ptr<HubStore>(new HubStore(std::move(impl)));
}

HubStore::HubStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HubStore::~HubStore() = default;

Result<int> HubStore::schema_version() {
    return schema::read_user_version(impl_->database);
}

Result<std::vector<StoreOutcome>> HubStore::ingest(std::span<const StationRecord> records,
                                                   std::int64_t received_at_ms) {
    std::vector<StoreOutcome> outcomes;
    outcomes.reserve(records.size());
    Status status = impl_->transaction([&]() -> Status {
        for (const StationRecord& record : records) {
            Result<StoreOutcome> outcome = std::visit(
                [&](const auto& value) -> Result<StoreOutcome> {
                    using T = std::decay_t<decltype(value)>;
                    if constexpr (std::is_same_v<T, ShipmentRecord>)
                        return insert_shipment(*impl_, value, received_at_ms);
                    else if constexpr (std::is_same_v<T, StationEventRecord>)
                        return insert_event(*impl_, value, received_at_ms);
                    else
                        return upsert_status(*impl_, value, received_at_ms);
                },
                record);
            if (!outcome) return outcome.error();
            outcomes.push_back(*outcome);
        }
        return {};
    });
    if (!status)
        return status.error().context("store " + std::to_string(records.size()) + " messages");
    return outcomes;
}

Result<std::vector<ReceivedShipment>> HubStore::shipments_received(std::int64_t since_ms,
                                                                   std::int64_t until_ms) {
    auto statement = query(*impl_, "SELECT " + std::string(kShipmentColumns) +
                                       " FROM shipments WHERE received_at_ms >= ?1 AND "
                                       "received_at_ms < ?2 ORDER BY received_at_ms, id");
    if (!statement) return statement.error();
    statement->bind_integer(1, since_ms).bind_integer(2, until_ms);
    return collect<ReceivedShipment>(statement, read_shipment);
}

Result<std::int64_t> HubStore::shipment_count() {
    return count(*impl_, "SELECT count(*) FROM shipments");
}

Result<std::int64_t> HubStore::station_event_count() {
    return count(*impl_, "SELECT count(*) FROM station_events");
}

Result<std::vector<StationEventRecord>> HubStore::station_events(std::string_view site,
                                                                 std::string_view station) {
    auto statement = query(*impl_,
                           "SELECT event_id, site, station, kind, order_id, parcel_id, \"check\", "
                           "reason, code, message, packer, supervisor, sent_at_ms, sequence, "
                           "payload FROM station_events WHERE site = ?1 AND station = ?2 "
                           "ORDER BY sequence, id");
    if (!statement) return statement.error();
    statement->bind_text(1, site).bind_text(2, station);
    return collect<StationEventRecord>(statement, [](const sqlite::Query& row) {
        StationEventRecord record;
        record.event_id = row.column_text(0);
        record.site = row.column_text(1);
        record.station = row.column_text(2);
        record.kind = row.column_text(3);
        record.order_id = row.column_text(4);
        if (!row.column_is_null(5)) record.parcel_id = row.column_integer(5);
        record.check = row.column_text(6);
        record.reason = row.column_text(7);
        record.code = row.column_text(8);
        record.message = row.column_text(9);
        record.packer = row.column_text(10);
        record.supervisor = row.column_text(11);
        record.sent_at_ms = row.column_integer(12);
        record.sequence = row.column_integer(13);
        record.payload = row.column_text(14);
        return record;
    });
}

Result<std::vector<StationStatusRow>> HubStore::station_statuses() {
    auto statement = query(*impl_, "SELECT " + std::string(kStatusColumns) +
                                       " FROM station_status ORDER BY site, station");
    if (!statement) return statement.error();
    return collect<StationStatusRow>(statement, read_status);
}

Result<std::optional<StationStatusRow>> HubStore::station_status(std::string_view site,
                                                                 std::string_view station) {
    auto statement = query(*impl_, "SELECT " + std::string(kStatusColumns) +
                                       " FROM station_status WHERE site = ?1 AND station = ?2");
    if (!statement) return statement.error();
    statement->bind_text(1, site).bind_text(2, station);
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row) return std::optional<StationStatusRow>();
    return std::optional<StationStatusRow>(read_status(*statement));
}

Status HubStore::put_catalogue(const CatalogueEntry& entry) {
    auto statement = query(*impl_,
                           "INSERT INTO catalogue (kind, site, id, payload, updated_at_ms) VALUES "
                           "(?1, ?2, ?3, ?4, ?5) ON CONFLICT (kind, site, id) DO UPDATE SET "
                           "payload = excluded.payload, updated_at_ms = excluded.updated_at_ms");
    if (!statement) return statement.error();
    statement->bind_text(1, to_string(entry.kind))
        .bind_text(2, entry.site)
        .bind_text(3, entry.id)
        .bind_text(4, entry.payload)
        .bind_integer(5, entry.updated_at_ms);
    return statement->run();
}

Result<bool> HubStore::delete_catalogue(CatalogueKind kind, std::string_view site,
                                        std::string_view id) {
    auto statement =
        query(*impl_, "DELETE FROM catalogue WHERE kind = ?1 AND site = ?2 AND id = ?3");
    if (!statement) return statement.error();
    statement->bind_text(1, to_string(kind)).bind_text(2, site).bind_text(3, id);
    if (auto done = statement->run(); !done) return done.error();
    return statement->changes() == 1;
}

Result<std::vector<CatalogueEntry>> HubStore::catalogue(std::string_view site) {
    auto statement = query(*impl_,
                           "SELECT kind, site, id, payload, updated_at_ms FROM catalogue "
                           "WHERE site = ?1 ORDER BY kind, id");
    if (!statement) return statement.error();
    statement->bind_text(1, site);
    return collect<CatalogueEntry>(statement, [](const sqlite::Query& row) {
        CatalogueEntry entry;
        const std::string kind = row.column_text(0);
        entry.kind = kind == "order" ? CatalogueKind::Order
                     : kind == "sku" ? CatalogueKind::Sku
                                     : CatalogueKind::Packaging;
        entry.site = row.column_text(1);
        entry.id = row.column_text(2);
        entry.payload = row.column_text(3);
        entry.updated_at_ms = row.column_integer(4);
        return entry;
    });
}

Result<PoolLoad> HubStore::load_pool(std::string_view carrier, std::span<const std::string> numbers,
                                     std::int64_t now_ms) {
    PoolLoad load;
    Status status = impl_->transaction([&]() -> Status {
        for (const std::string& number : numbers) {
            auto statement = query(*impl_,
                                   "INSERT INTO tracking_pool (carrier, number, loaded_at_ms) "
                                   "VALUES (?1, ?2, ?3) ON CONFLICT (carrier, number) DO NOTHING");
            if (!statement) return statement.error();
            statement->bind_text(1, carrier).bind_text(2, number).bind_integer(3, now_ms);
            if (auto done = statement->run(); !done) return done;
            if (statement->changes() == 1)
                ++load.loaded;
            else
                ++load.already_known;
        }
        return {};
    });
    if (!status) return status.error().context("load tracking numbers");
    return load;
}

Result<std::int64_t> HubStore::pool_available(std::string_view carrier) {
    auto statement = query(*impl_,
                           "SELECT count(*) FROM tracking_pool WHERE carrier = ?1 AND "
                           "station IS NULL");
    if (!statement) return statement.error();
    statement->bind_text(1, carrier);
    auto row = statement->step();
    if (!row) return row.error();
    return *row ? statement->column_integer(0) : 0;
}

Result<std::vector<std::string>> HubStore::give_numbers(
    std::string_view carrier, std::string_view site, std::string_view station,
    std::int64_t count_wanted, std::string_view top_up_event_id, std::int64_t now_ms) {
    std::vector<std::string> given;
    Status status = impl_->transaction([&]() -> Status {
        {
            auto free = query(*impl_,
                              "SELECT number FROM tracking_pool WHERE carrier = ?1 AND station IS "
                              "NULL ORDER BY loaded_at_ms, rowid LIMIT ?2");
            if (!free) return free.error();
            free->bind_text(1, carrier).bind_integer(2, count_wanted);
            for (;;) {
                auto row = free->step();
                if (!row) return row.error();
                if (!*row) break;
                given.push_back(free->column_text(0));
            }
        }
        for (const std::string& number : given) {
            auto give = query(*impl_,
                              "UPDATE tracking_pool SET site = ?3, station = ?4, given_at_ms = ?5, "
                              "top_up_event_id = ?6 WHERE carrier = ?1 AND number = ?2 AND "
                              "station IS NULL");
            if (!give) return give.error();
            give->bind_text(1, carrier)
                .bind_text(2, number)
                .bind_text(3, site)
                .bind_text(4, station)
                .bind_integer(5, now_ms)
                .bind_text(6, top_up_event_id);
            if (auto done = give->run(); !done) return done;
            if (give->changes() != 1)
                return Error{errors::kStoreConstraint, "tracking number " + number + " was taken"};
        }
        return {};
    });
    if (!status) return status.error().context("give tracking numbers");
    return given;
}

Result<std::vector<GivenNumber>> HubStore::given_numbers(std::string_view carrier) {
    auto statement =
        query(*impl_,
              "SELECT carrier, number, site, station, given_at_ms FROM tracking_pool "
              "WHERE carrier = ?1 AND station IS NOT NULL ORDER BY given_at_ms, rowid");
    if (!statement) return statement.error();
    statement->bind_text(1, carrier);
    return collect<GivenNumber>(statement, [](const sqlite::Query& row) {
        return GivenNumber{row.column_text(0), row.column_text(1), row.column_text(2),
                           row.column_text(3), row.column_integer(4)};
    });
}

}  // namespace packline::hub
