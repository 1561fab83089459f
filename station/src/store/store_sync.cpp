// What sync keeps in the station's store: the inbox of applied messages, the
// message sequence and the station values that outlive a restart
// (docs/store.md, "Sync").
#include "packline/store_errors.h"
#include "store_impl.h"

namespace packline::station {
namespace {

constexpr std::string_view kSequenceKey = "sync.sequence_reserved_until";

}  // namespace

Result<std::optional<std::string>> Store::station_value(std::string_view key) {
    const std::string where = "store: station value '" + std::string(key) + "'";
    auto select = impl_->query("SELECT value FROM station_state WHERE key = ?1");
    if (!select) return select.error().context(where);
    select->bind_text(1, key);
    auto row = select->step();
    if (!row) return row.error().context(where);
    if (!*row) return std::optional<std::string>{};
    return std::optional<std::string>(select->column_text(0));
}

Status Store::set_station_value(std::string_view key, std::string_view value) {
    const std::string where = "store: set station value '" + std::string(key) + "'";
    auto upsert = impl_->query(R"sql(
INSERT INTO station_state (key, value, updated_at_ms) VALUES (?1, ?2, ?3)
ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at_ms = excluded.updated_at_ms
)sql");
    if (!upsert) return upsert.error().context(where);
    upsert->bind_text(1, key).bind_text(2, value).bind_integer(3, impl_->now_ms());
    if (auto status = upsert->run(); !status) return status.error().context(where);
    return {};
}

Status Store::clear_station_value(std::string_view key) {
    const std::string where = "store: clear station value '" + std::string(key) + "'";
    auto remove = impl_->query("DELETE FROM station_state WHERE key = ?1");
    if (!remove) return remove.error().context(where);
    remove->bind_text(1, key);
    if (auto status = remove->run(); !status) return status.error().context(where);
    return {};
}

Result<std::int64_t> Store::reserve_sequence(std::int64_t block) {
    const std::string where = "store: reserve message sequence";
    // The sequence is a JSON integer: it stays below 2^53.
    constexpr std::int64_t kLimit = std::int64_t{1} << 53;
    if (block < 1 || block > kLimit)
        return Error{errors::kStoreBadArgument, where + ": block must be 1 to 2^53"};
    auto reserve = [&]() -> Result<std::int64_t> {
        auto select = impl_->query("SELECT value FROM station_state WHERE key = ?1");
        if (!select) return select.error();
        select->bind_text(1, kSequenceKey);
        auto row = select->step();
        if (!row) return row.error();
        std::int64_t first = 1;
        if (*row) {
            const std::string text = select->column_text(0);
            try {
                std::size_t used = 0;
                first = std::stoll(text, &used);
                if (used != text.size() || first < 1 || first > kLimit || text.front() == ' ' ||
                    text.front() == '+')
                    throw std::invalid_argument(text);
            } catch (const std::exception&) {
                return Error{errors::kStoreCorrupt,
                             "the reserved sequence '" + text + "' is not a positive whole number"};
            }
        }
        if (first > kLimit - block)
            return Error{errors::kStoreCorrupt, "the message sequence would pass 2^53"};
        auto upsert = impl_->query(R"sql(
INSERT INTO station_state (key, value, updated_at_ms) VALUES (?1, ?2, ?3)
ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at_ms = excluded.updated_at_ms
)sql");
        if (!upsert) return upsert.error();
        upsert->bind_text(1, kSequenceKey)
            .bind_text(2, std::to_string(first + block))
            .bind_integer(3, impl_->now_ms());
        if (auto status = upsert->run(); !status) return status.error();
        return first;
    };
    // Synced: the block's numbers go out at once (a status is published
    // before any commit of the step is), so a power cut must not lose the
    // reservation and hand them out again.
    auto result = impl_->transaction(reserve, Durability::Full);
    if (!result) return result.error().context(where);
    return result;
}

Result<bool> Store::inbound_seen(std::string_view event_id) {
    const std::string where = "store: inbox lookup";
    auto select = impl_->query("SELECT 1 FROM inbox WHERE event_id = ?1");
    if (!select) return select.error().context(where);
    select->bind_text(1, event_id);
    auto row = select->step();
    if (!row) return row.error().context(where);
    return *row;
}

Result<bool> Store::remember_inbound(std::string_view event_id, std::string_view topic,
                                     std::int64_t at_ms) {
    const std::string where = "store: remember inbound '" + std::string(event_id) + "'";
    auto insert = impl_->query(R"sql(
INSERT INTO inbox (event_id, topic, received_at_ms) VALUES (?1, ?2, ?3)
ON CONFLICT (event_id) DO NOTHING
)sql");
    if (!insert) return insert.error().context(where);
    insert->bind_text(1, event_id).bind_text(2, topic).bind_integer(3, at_ms);
    if (auto status = insert->run(); !status) return status.error().context(where);
    return insert->changes() == 1;
}

Result<std::int64_t> Store::forget_inbound_before(std::int64_t before_ms) {
    const std::string where = "store: prune inbox";
    auto remove = impl_->query("DELETE FROM inbox WHERE received_at_ms < ?1");
    if (!remove) return remove.error().context(where);
    remove->bind_integer(1, before_ms);
    if (auto status = remove->run(); !status) return status.error().context(where);
    return static_cast<std::int64_t>(remove->changes());
}

Result<std::vector<Store::PoolStock>> Store::pool_stock() {
    const std::string where = "store: pool stock";
    // Carriers of open orders without a tracking number need the pool too,
    // also when it never held one of their numbers: listed with 0, so the
    // hub tops them up.
    auto select = impl_->query(R"sql(
SELECT carrier, sum(available) FROM (
    SELECT carrier, parcel_id IS NULL AS available FROM tracking_pool
    UNION ALL
    SELECT DISTINCT carrier, 0 FROM orders
    WHERE status IN ('open', 'on_hold') AND tracking_number = '' AND carrier <> ''
) GROUP BY carrier ORDER BY carrier
)sql");
    if (!select) return select.error().context(where);
    std::vector<PoolStock> stock;
    for (;;) {
        auto row = select->step();
        if (!row) return row.error().context(where);
        if (!*row) break;
        stock.push_back(PoolStock{select->column_text(0), select->column_integer(1)});
    }
    return stock;
}

}  // namespace packline::station
