#include "packline/hub/dashboard.h"

#include <algorithm>
#include <ctime>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <vector>

#include "hub_database.h"
#include "packline/hub/hub_errors.h"

namespace packline::hub {

namespace {

using Json = nlohmann::ordered_json;

constexpr int kDashboardSchemaVersion = 2;
constexpr std::int64_t kHourMs = 3600 * 1000;
constexpr std::int64_t kDayMs = 24 * kHourMs;

// What the dashboard calls exceptions: the events a supervisor looks at.
constexpr std::string_view kSupervisorKinds = "('exception', 'override', 'manual_entry')";
// Counted per station and in the totals: what supervisors act on, and
// parcels given up (nothing of them ships).
constexpr std::string_view kCountedKinds = "('exception', 'override', 'manual_entry', 'abandoned')";

Json parse_payload(const std::string& payload) {
    Json parsed = Json::parse(payload, nullptr, false);
    return parsed.is_object() ? parsed : Json::object();
}

// A member of a stored payload, or null (the hub stored it after validating
// it, but an older hub's rows are read the same careful way).
Json member(const Json& object, const char* name) {
    auto found = object.find(name);
    return found == object.end() ? Json() : *found;
}

std::string text_member(const Json& object, const char* name) {
    auto found = object.find(name);
    return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

struct ShiftCounts {
    std::int64_t shipments = 0;
    std::int64_t exceptions = 0;
    std::int64_t overrides = 0;
    std::int64_t manual_entries = 0;
    std::int64_t abandoned = 0;
};

using StationKey = std::pair<std::string, std::string>;  // site, station

// Confirmations per hour of the shift for one station or packer.
struct Series {
    std::vector<std::int64_t> counts;
    std::int64_t total = 0;
};

Json series_hours(const Series& series, std::int64_t shift_start_ms) {
    Json hours = Json::array();
    for (std::size_t index = 0; index < series.counts.size(); ++index)
        hours.push_back({{"start_ms", shift_start_ms + static_cast<std::int64_t>(index) * kHourMs},
                         {"count", series.counts[index]}});
    return hours;
}

// One json_extract of an order's payload, NULL when the payload is not JSON
// (json_extract would fail the whole query). SQLite keeps the last parses,
// so the checks and extractions of one row parse it once.
std::string order_field(std::string_view path) {
    return "CASE WHEN json_valid(c.payload) THEN json_extract(c.payload, '" + std::string(path) +
           "') END";
}

}  // namespace

struct DashboardQueries::Impl {
    std::mutex mutex;  // guards everything below
    sqlite::Database database;

    explicit Impl(sqlite::Database database_) : database(std::move(database_)) {}

    Result<sqlite::Query> query(std::string_view sql) { return database.query(sql); }

    Status stations(const DashboardWindow& window, Json& document);
    Status exceptions(const DashboardWindow& window, Json& document);
    Status ship_by(const DashboardWindow& window, Json& document);
    Result<std::map<StationKey, ShiftCounts>> event_counts(const DashboardWindow& window);
    Status throughput(const DashboardWindow& window, std::map<StationKey, ShiftCounts>& counts,
                      Json& document);
};

DashboardQueries::DashboardQueries(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

DashboardQueries::~DashboardQueries() = default;

Result<std::unique_ptr<DashboardQueries>> DashboardQueries::open(const std::string& path) {
    auto connection = open_hub_database_read_only(path, kDashboardSchemaVersion);
    if (!connection) return connection.error();
    auto impl = std::make_unique<Impl>(std::move(connection).value());
    return std::unique_ptr<DashboardQueries>(new DashboardQueries(std::move(impl)));
}

Result<std::int64_t> DashboardQueries::data_version() {
    std::lock_guard lock(impl_->mutex);
    auto statement = impl_->query("PRAGMA data_version");
    if (!statement) return statement.error();
    auto row = statement->step();
    if (!row) return row.error();
    return *row ? statement->column_integer(0) : 0;
}

Result<std::map<StationKey, ShiftCounts>> DashboardQueries::Impl::event_counts(
    const DashboardWindow& window) {
    auto statement =
        query("SELECT site, station, kind, count(*) FROM station_events WHERE kind IN " +
              std::string(kCountedKinds) + " AND sent_at_ms >= ?1 GROUP BY site, station, kind");
    if (!statement) return statement.error();
    statement->bind_integer(1, window.shift_start_ms);
    std::map<StationKey, ShiftCounts> counts;
    for (;;) {
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) return counts;
        ShiftCounts& station = counts[{statement->column_text(0), statement->column_text(1)}];
        const std::string kind = statement->column_text(2);
        const std::int64_t count = statement->column_integer(3);
        if (kind == "exception") station.exceptions += count;
        if (kind == "override") station.overrides += count;
        if (kind == "manual_entry") station.manual_entries += count;
        if (kind == "abandoned") station.abandoned += count;
    }
}

Status DashboardQueries::Impl::throughput(const DashboardWindow& window,
                                          std::map<StationKey, ShiftCounts>& counts,
                                          Json& document) {
    // The current, unfinished hour is the last bucket. A confirmation stamped
    // after now (a station clock ahead of the hub's) counts in it too, so the
    // buckets add up to the shift's total.
    const std::int64_t span = std::max<std::int64_t>(window.now_ms - window.shift_start_ms, 0);
    const std::size_t buckets = static_cast<std::size_t>(span / kHourMs) + 1;
    auto statement = query(
        "SELECT site, station, packer, (confirmed_at_ms - ?1) / 3600000, count(*) FROM "
        "shipments WHERE confirmed_at_ms >= ?1 GROUP BY 1, 2, 3, 4");
    if (!statement) return statement.error();
    statement->bind_integer(1, window.shift_start_ms);
    std::map<StationKey, Series> by_station;
    std::map<std::string, Series> by_packer;
    for (;;) {
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) break;
        const StationKey station{statement->column_text(0), statement->column_text(1)};
        const std::string packer = statement->column_text(2);
        const auto bucket =
            std::min(static_cast<std::size_t>(statement->column_integer(3)), buckets - 1);
        const std::int64_t count = statement->column_integer(4);
        for (Series* series : {&by_station[station], &by_packer[packer]}) {
            series->counts.resize(buckets, 0);
            series->counts[bucket] += count;
            series->total += count;
        }
        counts[station].shipments += count;
    }

    Json stations = Json::array();
    for (const auto& [key, series] : by_station)
        stations.push_back({{"site", key.first},
                            {"station", key.second},
                            {"total", series.total},
                            {"hours", series_hours(series, window.shift_start_ms)}});
    Json packers = Json::array();
    for (const auto& [packer, series] : by_packer)
        packers.push_back({{"packer", packer},
                           {"total", series.total},
                           {"hours", series_hours(series, window.shift_start_ms)}});
    document["throughput"] = {{"bucket_ms", kHourMs},
                              {"buckets", buckets},
                              {"stations", std::move(stations)},
                              {"packers", std::move(packers)}};
    return {};
}

Status DashboardQueries::Impl::stations(const DashboardWindow& window, Json& document) {
    auto counts = event_counts(window);
    if (!counts) return counts.error();
    if (auto status = throughput(window, *counts, document); !status) return status;

    ShiftCounts totals;
    for (const auto& [key, station] : *counts) {
        totals.shipments += station.shipments;
        totals.exceptions += station.exceptions;
        totals.overrides += station.overrides;
        totals.manual_entries += station.manual_entries;
        totals.abandoned += station.abandoned;
    }

    auto statement = query(
        "SELECT site, station, state, offline_reason, version, packer, current_order, "
        "outbox_backlog, last_sync_ms, sent_at_ms, received_at_ms, clock_skew_ms, payload, "
        "last_online_payload FROM station_status ORDER BY site, station");
    if (!statement) return statement.error();
    Json stations = Json::array();
    std::int64_t online_count = 0;
    for (;;) {
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) break;
        const StationKey key{statement->column_text(0), statement->column_text(1)};
        const std::string state = statement->column_text(2);
        const bool online = state != "offline";
        online_count += online ? 1 : 0;
        const Json payload = parse_payload(statement->column_text(12));
        // An offline status (a will, or a shutdown) carries no picture of the
        // station: what it does not say is null, not zero.
        const auto when_online = [&](Json value) { return online ? std::move(value) : Json(); };
        Json devices = online ? member(payload, "devices") : Json::array();
        if (!devices.is_array()) devices = Json::array();
        const ShiftCounts shift = counts->count(key) ? counts->at(key) : ShiftCounts{};
        // Offline: the picture the station last sent while online, so a
        // supervisor sees who was packing what when it went away.
        Json last_known;
        if (!online && !statement->column_is_null(13)) {
            const Json before = parse_payload(statement->column_text(13));
            if (before.is_object())
                last_known = {{"at_ms", member(before, "sent_at_ms")},
                              {"state", member(before, "state")},
                              {"packer", member(before, "packer")},
                              {"current_order", member(before, "current_order")},
                              {"counters", member(before, "counters")},
                              {"parcels_per_hour", member(before, "parcels_per_hour")},
                              {"exceptions_by_check", member(before, "exceptions_by_check")},
                              {"devices", member(before, "devices")},
                              {"outbox_backlog", member(before, "outbox_backlog")},
                              {"last_sync_ms", member(before, "last_sync_ms")}};
        }
        stations.push_back({
            {"site", key.first},
            {"station", key.second},
            {"online", online},
            {"state", state},
            {"offline_reason", statement->column_text(3)},
            {"version", statement->column_text(4)},
            {"packer", statement->column_text(5)},
            {"current_order", statement->column_text(6)},
            {"counters", when_online(member(payload, "counters"))},
            {"parcels_per_hour", when_online(member(payload, "parcels_per_hour"))},
            {"exceptions_by_check", when_online(member(payload, "exceptions_by_check"))},
            {"devices", std::move(devices)},
            {"tracking_pool", when_online(member(payload, "tracking_pool"))},
            {"outbox_backlog", when_online(statement->column_integer(7))},
            {"last_sync_ms", when_online(statement->column_integer(8))},
            {"last_status_ms", statement->column_integer(9)},
            {"received_at_ms", statement->column_integer(10)},
            // A will's sent_at_ms is when the station connected: no skew.
            {"clock_skew_ms", when_online(statement->column_integer(11))},
            {"shipments_in_shift", shift.shipments},
            {"exceptions_in_shift", shift.exceptions},
            {"overrides_in_shift", shift.overrides},
            {"manual_entries_in_shift", shift.manual_entries},
            {"abandoned_in_shift", shift.abandoned},
            {"last_known", std::move(last_known)},
        });
    }
    const auto station_count = static_cast<std::int64_t>(stations.size());
    document["totals"] = {{"shipments_in_shift", totals.shipments},
                          {"exceptions_in_shift", totals.exceptions},
                          {"overrides_in_shift", totals.overrides},
                          {"manual_entries_in_shift", totals.manual_entries},
                          {"abandoned_in_shift", totals.abandoned},
                          {"stations_online", online_count},
                          {"stations_offline", station_count - online_count}};
    document["stations"] = std::move(stations);
    return {};
}

Status DashboardQueries::Impl::exceptions(const DashboardWindow& window, Json& document) {
    auto statement = query(
        "SELECT sent_at_ms, received_at_ms, site, station, kind, order_id, parcel_id, "
        "\"check\", reason, code, message, packer, supervisor, payload FROM station_events "
        "WHERE kind IN " +
        std::string(kSupervisorKinds) +
        " AND sent_at_ms >= ?1 ORDER BY sent_at_ms DESC, id DESC LIMIT ?2");
    if (!statement) return statement.error();
    statement->bind_integer(1, window.shift_start_ms)
        .bind_integer(2, std::max<std::int64_t>(window.exceptions_limit, 0));
    Json list = Json::array();
    for (;;) {
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) break;
        const Json payload = parse_payload(statement->column_text(13));
        Json details = member(payload, "details");
        if (!details.is_array()) details = Json::array();
        list.push_back({
            {"at_ms", statement->column_integer(0)},
            {"received_at_ms", statement->column_integer(1)},
            {"site", statement->column_text(2)},
            {"station", statement->column_text(3)},
            {"kind", statement->column_text(4)},
            {"order_id", statement->column_text(5)},
            {"parcel_id",
             statement->column_is_null(6) ? Json() : Json(statement->column_integer(6))},
            {"check", statement->column_text(7)},
            {"reason", statement->column_text(8)},
            {"code", statement->column_text(9)},
            {"message", statement->column_text(10)},
            {"packer", statement->column_text(11)},
            {"supervisor", statement->column_text(12)},
            {"override_reason", text_member(payload, "override_reason")},
            {"details", std::move(details)},
        });
    }
    document["exceptions"] = std::move(list);
    return {};
}

Status DashboardQueries::Impl::ship_by(const DashboardWindow& window, Json& document) {
    const std::string ship_by = order_field("$.ship_by_ms");
    const std::string created = order_field("$.created_at_ms");
    // Open: not cancelled, shipped or packed in the catalogue, and no
    // complete (partial = 0) confirmation at the hub yet. Only deadlines up
    // to a day ahead matter; an order with no date at all is only counted.
    const std::string sql =
        "SELECT site, id, status, deadline_ms, from_ship_by, name, city, country, carrier FROM ("
        "SELECT c.site AS site, c.id AS id, coalesce(" +
        order_field("$.status") + ", '') AS status, CASE WHEN coalesce(" + ship_by +
        ", 0) > 0 THEN " + ship_by + " WHEN coalesce(" + created + ", 0) > 0 THEN " + created +
        " + ?2 END AS deadline_ms, coalesce(" + ship_by + ", 0) > 0 AS from_ship_by, coalesce(" +
        order_field("$.recipient.name") + ", '') AS name, coalesce(" +
        order_field("$.recipient.address.city") + ", '') AS city, coalesce(" +
        order_field("$.recipient.address.country") + ", '') AS country, coalesce(" +
        order_field("$.carrier") +
        ", '') AS carrier FROM catalogue c WHERE c.kind = 'order' AND NOT EXISTS (SELECT 1 FROM "
        "shipments s WHERE s.order_id = c.id AND s.site = c.site AND s.partial = 0)) "
        "WHERE status NOT IN ('', 'cancelled', 'shipped', 'packed') AND (deadline_ms IS NULL OR "
        "deadline_ms <= ?1) ORDER BY deadline_ms IS NULL, deadline_ms, site, id";
    auto statement = query(sql);
    if (!statement) return statement.error();
    statement->bind_integer(1, window.now_ms + kDayMs)
        .bind_integer(2, window.ship_within_hours * kHourMs);
    std::int64_t due = 0;
    std::int64_t overdue = 0;
    std::int64_t critical = 0;
    std::int64_t undated = 0;
    Json orders = Json::array();
    for (;;) {
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) break;
        if (statement->column_is_null(3)) {
            ++undated;
            continue;
        }
        const std::int64_t deadline_ms = statement->column_integer(3);
        // due: (now, now + 24 h]; overdue: (now - 24 h, now]; critical: the rest.
        std::string_view bucket = "critical";
        if (deadline_ms > window.now_ms) {
            bucket = "due";
            ++due;
        } else if (deadline_ms > window.now_ms - kDayMs) {
            bucket = "overdue";
            ++overdue;
        } else {
            ++critical;
        }
        if (orders.size() >= kShipByListed) continue;
        orders.push_back({
            {"order_id", statement->column_text(1)},
            {"site", statement->column_text(0)},
            {"status", statement->column_text(2)},
            {"deadline_ms", deadline_ms},
            {"deadline_from", statement->column_integer(4) != 0 ? "ship_by" : "created_at"},
            {"bucket", bucket},
            {"recipient_name", statement->column_text(5)},
            {"city", statement->column_text(6)},
            {"country", statement->column_text(7)},
            {"carrier", statement->column_text(8)},
        });
    }
    const std::int64_t dated = due + overdue + critical;
    document["ship_by"] = {{"due", due},
                           {"overdue", overdue},
                           {"critical", critical},
                           {"undated", undated},
                           {"listed", orders.size()},
                           {"truncated", dated > static_cast<std::int64_t>(orders.size())},
                           {"orders", std::move(orders)}};
    return {};
}

Result<std::string> DashboardQueries::snapshot_json(const DashboardWindow& window) {
    std::lock_guard lock(impl_->mutex);
    Json document = {{"schema", "packline.hub-dashboard/1"},
                     {"generated_at_ms", window.now_ms},
                     {"shift_start_ms", window.shift_start_ms},
                     {"ship_within_hours", window.ship_within_hours}};
    // One read transaction: every part sees the same commit of the hub.
    if (auto begun = impl_->database.execute("BEGIN"); !begun)
        return begun.error().context("dashboard");
    Status status = impl_->stations(window, document);
    if (status) status = impl_->exceptions(window, document);
    if (status) status = impl_->ship_by(window, document);
    (void)impl_->database.execute("COMMIT");
    if (!status) return status.error().context("dashboard");
    // Keys in a fixed order for people reading it; totals first after the header.
    Json ordered = Json::object();
    for (const char* key : {"schema", "generated_at_ms", "shift_start_ms", "ship_within_hours",
                            "totals", "stations", "exceptions", "ship_by", "throughput"})
        ordered[key] = std::move(document[key]);
    // Payload text is valid UTF-8 (validated on ingest); replace rather than
    // throw should an older row hold something else.
    return ordered.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::optional<int> parse_shift_time(std::string_view text) {
    const auto digit = [&](std::size_t index) { return text[index] >= '0' && text[index] <= '9'; };
    if (text.size() != 5 || text[2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4))
        return std::nullopt;
    const int hours = (text[0] - '0') * 10 + (text[1] - '0');
    const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
    if (hours > 23 || minutes > 59) return std::nullopt;
    return hours * 60 + minutes;
}

Result<std::int64_t> current_shift_start_ms(std::span<const std::string> shift_starts,
                                            std::int64_t now_ms) {
    if (shift_starts.empty())
        return Error{errors::kDashboardShiftStarts, "no shift start times (\"06:00\", ...)"};
    std::vector<int> starts;
    for (const std::string& start : shift_starts) {
        auto minutes = parse_shift_time(start);
        if (!minutes)
            return Error{errors::kDashboardShiftStarts,
                         "'" + start + "' is not a shift start time (HH:MM, 00:00 to 23:59)"};
        starts.push_back(*minutes);
    }
    const std::time_t now_seconds =
        static_cast<std::time_t>(now_ms >= 0 ? now_ms / 1000 : -((-now_ms + 999) / 1000));
    std::tm today{};
    if (::localtime_r(&now_seconds, &today) == nullptr)
        return Error{errors::kDashboardShiftStarts, "the local time is unknown"};
    // Today's starts first; only when none has begun yet, yesterday's.
    for (const int day : {0, -1}) {
        std::optional<std::int64_t> latest;
        for (const int start : starts) {
            std::tm candidate{};
            candidate.tm_year = today.tm_year;
            candidate.tm_mon = today.tm_mon;
            candidate.tm_mday = today.tm_mday + day;  // mktime carries into the month
            candidate.tm_hour = start / 60;
            candidate.tm_min = start % 60;
            candidate.tm_isdst = -1;  // whichever offset applies then
            const std::time_t seconds = std::mktime(&candidate);
            if (seconds == static_cast<std::time_t>(-1)) continue;
            const std::int64_t start_ms = static_cast<std::int64_t>(seconds) * 1000;
            if (start_ms <= now_ms && (!latest || start_ms > *latest)) latest = start_ms;
        }
        if (latest) return *latest;
    }
    return Error{errors::kDashboardShiftStarts, "no shift start before now"};
}

}  // namespace packline::hub
