// The dashboard's data, read from a hub database filled the way the hub
// fills it (HubStore::ingest, put_catalogue): stations online and offline
// with their shift figures, the exception list, the ship-by buckets at their
// edges, confirmations per hour, the shift start in local time, and
// data_version moving when another connection commits.
#include "packline/hub/dashboard.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "hub_messages.h"
#include "packline/hub/hub_store.h"
#include "packline/hub/ingest.h"

namespace packline::hub {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;

constexpr std::int64_t kMinute = 60 * 1000;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;
// The shift began at 2026-11-23T14:00:00Z; it is now 16:30.
constexpr std::int64_t kShift = 1795442400000;
constexpr std::int64_t kNow = kShift + 2 * kHour + 30 * kMinute;

ShipmentRecord shipment(const std::string& station, const std::string& order_id,
                        const std::string& packer, std::int64_t confirmed_at_ms,
                        bool partial = false, const std::string& site = "ams1") {
    ShipmentRecord record;
    record.event_id = new_event_id();
    record.site = site;
    record.station = station;
    record.order_id = order_id;
    record.parcel_id = 1;
    record.partial = partial;
    record.carrier = "ups";
    record.tracking_number = "1Z" + record.event_id.substr(0, 8);
    record.packer = packer;
    record.confirmed_at_ms = confirmed_at_ms;
    record.payload = "{}";
    return record;
}

StationEventRecord event(const std::string& station, const std::string& kind,
                         std::int64_t sent_at_ms, const std::string& order_id = "1001") {
    StationEventRecord record;
    record.event_id = new_event_id();
    record.site = "ams1";
    record.station = station;
    record.kind = kind;
    record.order_id = order_id;
    record.parcel_id = 42;
    record.packer = "ana";
    record.sent_at_ms = sent_at_ms;
    record.sequence = sent_at_ms;
    json payload = {{"kind", kind}};
    if (kind == "exception") {
        record.check = "contents";
        record.reason = "contents.wrong_variant";
        record.message = "Order wants Red/M, you scanned Red/L";
    } else if (kind == "override") {
        record.check = "customer";
        record.reason = "customer.phone_invalid";
        record.supervisor = "SUP-1";
        payload["override_reason"] = "verified-by-phone";
    } else if (kind == "manual_entry") {
        record.message = "typed 4006381333931";
        payload["details"] = json::array({{{"key", "code"}, {"value", "4006381333931"}},
                                          {{"key", "step"}, {"value", "scanning"}}});
    } else if (kind == "error") {
        record.code = "sync.bad_message";
        record.message = "refused";
    }
    record.payload = payload.dump();
    return record;
}

json order(const std::string& id, const std::string& status, std::int64_t ship_by_ms,
           std::int64_t created_at_ms) {
    json body = testing::mqtt_fixture("order.json");
    body["order_id"] = id;
    body["status"] = status;
    body.erase("ship_by_ms");
    body.erase("created_at_ms");
    if (ship_by_ms > 0) body["ship_by_ms"] = ship_by_ms;
    if (created_at_ms > 0) body["created_at_ms"] = created_at_ms;
    return body;
}

class DashboardTest : public ::testing::Test {
  protected:
    void SetUp() override {
        char pattern[] = "/tmp/packline-dashboard-XXXXXX";
        ASSERT_NE(::mkdtemp(pattern), nullptr);
        dir_ = pattern;
        path_ = (dir_ / "hub.db").string();
        auto store = HubStore::open(path_, kShift);
        ASSERT_TRUE(store) << store.error().to_string();
        store_ = std::move(store).value();
        auto queries = DashboardQueries::open(path_);
        ASSERT_TRUE(queries) << queries.error().to_string();
        queries_ = std::move(queries).value();
    }
    void TearDown() override {
        queries_.reset();
        store_.reset();
        std::filesystem::remove_all(dir_);
    }

    void ingest(const std::vector<StationRecord>& records, std::int64_t received_at_ms) {
        auto outcomes = store_->ingest(records, received_at_ms);
        ASSERT_TRUE(outcomes) << outcomes.error().to_string();
    }

    static StationRecord status(const testing::StationMessage& message) {
        const std::vector<std::string> sites = {"ams1"};
        auto decision = decide_ingest(message.topic, message.payload(), sites);
        EXPECT_EQ(decision.verdict, IngestVerdict::Accepted) << decision.reason;
        return std::get<StatusRecord>(decision.record);
    }

    void put_order(const json& body, const std::string& site = "ams1") {
        ASSERT_TRUE(
            store_->put_catalogue({CatalogueKind::Order, site, body["order_id"].get<std::string>(),
                                   body.dump(), kShift}));
    }

    json snapshot(DashboardWindow window = {kNow, kShift, 24, 200}) {
        auto text = queries_->snapshot_json(window);
        EXPECT_TRUE(text) << text.error().to_string();
        return text ? json::parse(*text) : json();
    }

    std::filesystem::path dir_;
    std::string path_;
    std::unique_ptr<HubStore> store_;
    std::unique_ptr<DashboardQueries> queries_;
};

TEST_F(DashboardTest, AnEmptyHubGivesAnEmptyDashboard) {
    const json document = snapshot();
    EXPECT_EQ(document["schema"], "packline.hub-dashboard/1");
    EXPECT_EQ(document["generated_at_ms"], kNow);
    EXPECT_EQ(document["shift_start_ms"], kShift);
    EXPECT_EQ(document["stations"], json::array());
    EXPECT_EQ(document["exceptions"], json::array());
    EXPECT_EQ(document["ship_by"]["orders"], json::array());
    EXPECT_EQ(document["totals"]["shipments_in_shift"], 0);
    EXPECT_EQ(document["throughput"]["buckets"], 3);
    std::vector<std::string> keys;
    for (const auto& [key, value] : document.items())
        keys.push_back(key);
    EXPECT_THAT(keys, ::testing::UnorderedElementsAre("schema", "generated_at_ms", "shift_start_ms",
                                                      "ship_within_hours", "totals", "stations",
                                                      "exceptions", "ship_by", "throughput"));
}

TEST_F(DashboardTest, AnOfflineStationKeepsItsLastPictureAsLastKnown) {
    ingest({status(testing::status_message("ams1", "bench-1", 10, kNow - 60000))}, kNow - 59000);
    EXPECT_TRUE(snapshot()["stations"][0]["last_known"].is_null());  // online: the status itself
    // The broker publishes the will: the status is replaced, the picture kept.
    ingest({status(testing::status_message("ams1", "bench-1", 3, kNow - 3600000, true))},
           kNow - 1000);
    const json station = snapshot()["stations"][0];
    EXPECT_EQ(station["online"], false);
    EXPECT_TRUE(station["counters"].is_null());  // nothing current is claimed
    const json& last = station["last_known"];
    ASSERT_TRUE(last.is_object());
    const json fixture = testing::mqtt_fixture("station-status.json");
    EXPECT_EQ(last["at_ms"], kNow - 60000);
    EXPECT_EQ(last["packer"], "ana");
    EXPECT_EQ(last["current_order"], "1001");
    EXPECT_EQ(last["counters"], fixture["counters"]);
    EXPECT_EQ(last["exceptions_by_check"], fixture["exceptions_by_check"]);
    EXPECT_EQ(last["devices"], fixture["devices"]);

    // Back online and offline again: the newer picture is the one kept.
    ingest({status(testing::status_message("ams1", "bench-1", 20, kNow - 500))}, kNow - 400);
    EXPECT_TRUE(snapshot()["stations"][0]["last_known"].is_null());
    ingest({status(testing::status_message("ams1", "bench-1", 21, kNow - 300, true))}, kNow - 200);
    EXPECT_EQ(snapshot()["stations"][0]["last_known"]["at_ms"], kNow - 500);
}

TEST_F(DashboardTest, StationsOnlineAndOfflineWithTheirShiftFigures) {
    ingest({status(testing::status_message("ams1", "bench-1", 10, kNow - 30000)),
            status(testing::status_message("ams1", "bench-2", 11, kNow - 600000, true))},
           kNow - 29000);
    ingest({shipment("bench-1", "1001", "ana", kShift + 5 * kMinute),
            shipment("bench-1", "1002", "ana", kShift + 65 * kMinute),
            shipment("bench-1", "0999", "ana", kShift - 1),  // the shift before
            shipment("bench-2", "1003", "bo", kShift + 10 * kMinute),
            event("bench-1", "exception", kShift + 1), event("bench-1", "exception", kShift + 2),
            event("bench-1", "override", kShift + 3), event("bench-1", "manual_entry", kShift + 4),
            event("bench-1", "packing_started", kShift + 5), event("bench-1", "error", kShift + 6),
            event("bench-1", "exception", kShift - 1)},
           kNow);

    const json document = snapshot();
    const json& stations = document["stations"];
    ASSERT_EQ(stations.size(), 2u);
    const json& online = stations[0];
    EXPECT_EQ(online["site"], "ams1");
    EXPECT_EQ(online["station"], "bench-1");
    EXPECT_EQ(online["online"], true);
    EXPECT_EQ(online["state"], "weighing");
    EXPECT_EQ(online["offline_reason"], "");
    EXPECT_EQ(online["packer"], "ana");
    EXPECT_EQ(online["current_order"], "1001");
    const json fixture = testing::mqtt_fixture("station-status.json");
    EXPECT_EQ(online["counters"], fixture["counters"]);
    EXPECT_EQ(online["parcels_per_hour"], 41.5);
    EXPECT_EQ(online["exceptions_by_check"], fixture["exceptions_by_check"]);
    EXPECT_EQ(online["devices"], fixture["devices"]);
    EXPECT_EQ(online["tracking_pool"], fixture["tracking_pool"]);
    EXPECT_EQ(online["outbox_backlog"], 3);
    EXPECT_EQ(online["last_sync_ms"], 1795421150000);
    EXPECT_EQ(online["last_status_ms"], kNow - 30000);
    EXPECT_EQ(online["received_at_ms"], kNow - 29000);
    EXPECT_EQ(online["clock_skew_ms"], 1000);
    EXPECT_EQ(online["shipments_in_shift"], 2);
    EXPECT_EQ(online["exceptions_in_shift"], 2);
    EXPECT_EQ(online["overrides_in_shift"], 1);
    EXPECT_EQ(online["manual_entries_in_shift"], 1);

    const json& offline = stations[1];
    EXPECT_EQ(offline["station"], "bench-2");
    EXPECT_EQ(offline["online"], false);
    EXPECT_EQ(offline["state"], "offline");
    EXPECT_EQ(offline["offline_reason"], "connection_lost");
    EXPECT_EQ(offline["devices"], json::array());
    EXPECT_TRUE(offline["counters"].is_null());
    EXPECT_TRUE(offline["parcels_per_hour"].is_null());
    EXPECT_TRUE(offline["outbox_backlog"].is_null());
    EXPECT_TRUE(offline["clock_skew_ms"].is_null());
    EXPECT_EQ(offline["last_status_ms"], kNow - 600000);
    EXPECT_EQ(offline["shipments_in_shift"], 1);
    EXPECT_EQ(offline["exceptions_in_shift"], 0);

    const json& totals = document["totals"];
    EXPECT_EQ(totals["shipments_in_shift"], 3);
    EXPECT_EQ(totals["exceptions_in_shift"], 2);
    EXPECT_EQ(totals["overrides_in_shift"], 1);
    EXPECT_EQ(totals["manual_entries_in_shift"], 1);
    EXPECT_EQ(totals["stations_online"], 1);
    EXPECT_EQ(totals["stations_offline"], 1);
}

TEST_F(DashboardTest, TheExceptionListIsNewestFirstAndOnlyWhatSupervisorsWatch) {
    ingest({event("bench-1", "exception", kShift + 10 * kMinute, "A"),
            event("bench-2", "manual_entry", kShift + 30 * kMinute, "B"),
            event("bench-1", "override", kShift + 20 * kMinute, "C"),
            event("bench-1", "packing_started", kShift + 40 * kMinute, "D"),
            event("bench-1", "error", kShift + 50 * kMinute, "E"),
            event("bench-1", "exception", kShift - kMinute, "F")},
           kNow);
    json list = snapshot()["exceptions"];
    ASSERT_EQ(list.size(), 3u);
    EXPECT_EQ(list[0]["order_id"], "B");
    EXPECT_EQ(list[1]["order_id"], "C");
    EXPECT_EQ(list[2]["order_id"], "A");

    EXPECT_EQ(list[0]["kind"], "manual_entry");
    EXPECT_EQ(list[0]["station"], "bench-2");
    EXPECT_EQ(list[0]["message"], "typed 4006381333931");
    EXPECT_EQ(list[0]["details"][0], (json{{"key", "code"}, {"value", "4006381333931"}}));
    const json& override_event = list[1];
    EXPECT_EQ(override_event["at_ms"], kShift + 20 * kMinute);
    EXPECT_EQ(override_event["received_at_ms"], kNow);
    EXPECT_EQ(override_event["site"], "ams1");
    EXPECT_EQ(override_event["check"], "customer");
    EXPECT_EQ(override_event["reason"], "customer.phone_invalid");
    EXPECT_EQ(override_event["supervisor"], "SUP-1");
    EXPECT_EQ(override_event["override_reason"], "verified-by-phone");
    EXPECT_EQ(override_event["packer"], "ana");
    EXPECT_EQ(override_event["parcel_id"], 42);
    EXPECT_EQ(list[2]["message"], "Order wants Red/M, you scanned Red/L");
    EXPECT_EQ(list[2]["override_reason"], "");
    EXPECT_EQ(list[2]["details"], json::array());

    list = snapshot({kNow, kShift, 24, 2})["exceptions"];
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[1]["order_id"], "C");
}

TEST_F(DashboardTest, ShipByBucketsAtTheirEdges) {
    put_order(order("due-edge", "open", kNow + kDay, 0));   // exactly 24 h ahead: due
    put_order(order("later", "open", kNow + kDay + 1, 0));  // not listed
    put_order(order("due-soon", "open", kNow + 1, 0));      // due
    put_order(order("due-now", "open", kNow, 0));           // deadline now: overdue
    put_order(order("overdue-edge", "open", kNow - kDay + 1, 0));
    put_order(order("critical-edge", "open", kNow - kDay, 0));  // passed 24 h ago: critical
    // No ship_by: due 24 h after it was created; critical 48 h after.
    put_order(order("created-48h", "open", 0, kNow - 2 * kDay));
    put_order(order("created-48h-less", "open", 0, kNow - 2 * kDay + 1));
    put_order(order("held", "on_hold", kNow - kHour, 0));  // still open
    put_order(order("cancelled", "cancelled", kNow - kHour, 0));
    put_order(order("packed", "packed", kNow - kHour, 0));
    put_order(order("shipped", "shipped", kNow - kHour, 0));
    put_order(order("complete", "open", kNow - kHour, 0));  // shipped complete at the hub
    put_order(order("part-way", "open", kNow - kHour, 0));  // only a partial parcel yet
    put_order(order("undated", "open", 0, 0));
    put_order(order("elsewhere", "open", kNow - kHour, 0), "sha1");
    ingest({shipment("bench-1", "complete", "ana", kNow - 2 * kHour),
            shipment("bench-1", "part-way", "ana", kNow - 2 * kHour, true),
            // The same order id at another site does not close this one.
            shipment("bench-1", "elsewhere", "ana", kNow - 2 * kHour, false, "ams1")},
           kNow);

    const json ship_by = snapshot()["ship_by"];
    EXPECT_EQ(ship_by["due"], 2);
    EXPECT_EQ(ship_by["overdue"], 6);
    EXPECT_EQ(ship_by["critical"], 2);
    EXPECT_EQ(ship_by["undated"], 1);
    EXPECT_EQ(ship_by["listed"], 10);
    EXPECT_EQ(ship_by["truncated"], false);
    std::vector<std::string> ids;
    std::vector<std::string> buckets;
    for (const json& entry : ship_by["orders"]) {
        ids.push_back(entry["order_id"]);
        buckets.push_back(entry["bucket"]);
    }
    // Most urgent first: by deadline, then site and id.
    EXPECT_THAT(
        ids, ElementsAre("created-48h", "critical-edge", "created-48h-less", "overdue-edge", "held",
                         "part-way", "elsewhere", "due-now", "due-soon", "due-edge"));
    EXPECT_THAT(buckets, ElementsAre("critical", "critical", "overdue", "overdue", "overdue",
                                     "overdue", "overdue", "overdue", "due", "due"));

    // Equal deadlines: by site, then id.
    EXPECT_EQ(ship_by["orders"][0]["deadline_from"], "created_at");
    EXPECT_EQ(ship_by["orders"][0]["deadline_ms"], kNow - kDay);
    const json& edge = ship_by["orders"][1];
    EXPECT_EQ(edge["site"], "ams1");
    EXPECT_EQ(edge["status"], "open");
    EXPECT_EQ(edge["deadline_ms"], kNow - kDay);
    EXPECT_EQ(edge["deadline_from"], "ship_by");
    EXPECT_EQ(edge["recipient_name"], "Anna de Vries");
    EXPECT_EQ(edge["city"], "Amsterdam");
    EXPECT_EQ(edge["country"], "NL");
    EXPECT_EQ(edge["carrier"], "ups");
    EXPECT_EQ(ship_by["orders"][4]["status"], "on_hold");
    EXPECT_EQ(ship_by["orders"][6]["site"], "sha1");

    // Shipping within 48 h gives the orders without ship_by a day more.
    const json later = snapshot({kNow, kShift, 48, 200})["ship_by"];
    EXPECT_EQ(later["critical"], 1);
    EXPECT_EQ(later["overdue"], 6);
    EXPECT_EQ(later["due"], 3);
}

TEST_F(DashboardTest, AtMost500OrdersAreListedButAllAreCounted) {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw, "BEGIN", nullptr, nullptr, nullptr), SQLITE_OK);
    for (int index = 0; index < 505; ++index) {
        const std::string id = "bulk-" + std::to_string(1000 + index);
        const std::string sql = "INSERT INTO catalogue VALUES ('order', 'ams1', '" + id + "', '" +
                                order(id, "open", kNow - kHour - index, 0).dump() + "', 1)";
        ASSERT_EQ(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    }
    // A payload that is not JSON is skipped, not fatal.
    ASSERT_EQ(
        sqlite3_exec(raw, "INSERT INTO catalogue VALUES ('order', 'ams1', 'junk', '{not json', 1)",
                     nullptr, nullptr, nullptr),
        SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(raw);

    const json ship_by = snapshot()["ship_by"];
    EXPECT_EQ(ship_by["overdue"], 505);
    EXPECT_EQ(ship_by["listed"], kShipByListed);
    EXPECT_EQ(ship_by["orders"].size(), kShipByListed);
    EXPECT_EQ(ship_by["truncated"], true);
    EXPECT_EQ(ship_by["orders"][0]["order_id"], "bulk-1504");  // the oldest deadline
}

TEST_F(DashboardTest, ConfirmationsPerHourOfTheShift) {
    ingest({shipment("bench-1", "a", "ana", kShift),
            shipment("bench-1", "b", "ana", kShift + kHour - 1),
            shipment("bench-1", "c", "bo", kShift + kHour),
            shipment("bench-2", "d", "ana", kShift + 2 * kHour + 10 * kMinute),
            shipment("bench-2", "e", "bo", kShift - 1),  // before the shift
            // A station clock ahead of the hub's: counted in the current hour.
            shipment("bench-2", "f", "bo", kNow + 3 * kHour)},
           kNow);
    const json document = snapshot();
    const json& throughput = document["throughput"];
    EXPECT_EQ(throughput["bucket_ms"], kHour);
    EXPECT_EQ(throughput["buckets"], 3);
    const auto counts = [](const json& series) {
        std::vector<std::int64_t> result;
        for (const json& hour : series["hours"])
            result.push_back(hour["count"]);
        return result;
    };
    ASSERT_EQ(throughput["stations"].size(), 2u);
    const json& bench1 = throughput["stations"][0];
    EXPECT_EQ(bench1["station"], "bench-1");
    EXPECT_EQ(bench1["total"], 3);
    EXPECT_THAT(counts(bench1), ElementsAre(2, 1, 0));
    EXPECT_EQ(bench1["hours"][1]["start_ms"], kShift + kHour);
    const json& bench2 = throughput["stations"][1];
    EXPECT_EQ(bench2["total"], 2);
    EXPECT_THAT(counts(bench2), ElementsAre(0, 0, 2));

    ASSERT_EQ(throughput["packers"].size(), 2u);
    EXPECT_EQ(throughput["packers"][0]["packer"], "ana");
    EXPECT_EQ(throughput["packers"][0]["total"], 3);
    EXPECT_THAT(counts(throughput["packers"][0]), ElementsAre(2, 0, 1));
    EXPECT_EQ(throughput["packers"][1]["packer"], "bo");
    EXPECT_THAT(counts(throughput["packers"][1]), ElementsAre(0, 1, 1));
    EXPECT_EQ(document["totals"]["shipments_in_shift"], 5);

    // At the very start of a shift there is one (current) hour.
    const json start = snapshot({kShift, kShift, 24, 200})["throughput"];
    EXPECT_EQ(start["buckets"], 1);
}

TEST_F(DashboardTest, DataVersionMovesWhenTheHubCommits) {
    const auto before = queries_->data_version();
    ASSERT_TRUE(before) << before.error().to_string();
    EXPECT_EQ(*queries_->data_version(), *before);
    (void)snapshot();  // reading changes nothing
    EXPECT_EQ(*queries_->data_version(), *before);
    ingest({shipment("bench-1", "a", "ana", kShift)}, kNow);
    const auto after = queries_->data_version();
    ASSERT_TRUE(after);
    EXPECT_NE(*after, *before);
    EXPECT_EQ(snapshot()["totals"]["shipments_in_shift"], 1);
}

TEST_F(DashboardTest, AnUnmigratedDatabaseIsRefused) {
    const std::string old_path = (dir_ / "old.db").string();
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(old_path.c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw, "PRAGMA user_version = 1", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(raw);
    const auto refused = DashboardQueries::open(old_path);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "store.migration");
    EXPECT_FALSE(DashboardQueries::open((dir_ / "missing.db").string()));
}

// Runs a test body in a time zone, then puts the process's back.
class LocalTime {
  public:
    explicit LocalTime(const char* zone) {
        if (const char* current = ::getenv("TZ")) saved_ = current;
        ::setenv("TZ", zone, 1);
        ::tzset();
    }
    ~LocalTime() {
        if (saved_)
            ::setenv("TZ", saved_->c_str(), 1);
        else
            ::unsetenv("TZ");
        ::tzset();
    }
    LocalTime(const LocalTime&) = delete;
    LocalTime& operator=(const LocalTime&) = delete;

  private:
    std::optional<std::string> saved_;
};

TEST(ShiftStart, TheShiftThatHoldsNowAcrossMidnight) {
    LocalTime amsterdam("Europe/Amsterdam");
    const std::vector<std::string> starts = {"06:00", "14:00", "22:00"};
    // 2026-11-24 in Amsterdam is UTC+1: local 03:10 is 02:10Z; the shift
    // began yesterday at 22:00 local, 21:00Z.
    const std::int64_t night = 1795486200000;                          // 2026-11-24T02:10:00Z
    EXPECT_EQ(*current_shift_start_ms(starts, night), 1795467600000);  // 2026-11-23T21:00:00Z
    const std::int64_t six = 1795496400000;  // 2026-11-24T05:00:00Z = 06:00 local
    EXPECT_EQ(*current_shift_start_ms(starts, six), six);
    EXPECT_EQ(*current_shift_start_ms(starts, six - 1), 1795467600000);
    EXPECT_EQ(*current_shift_start_ms(starts, six + 8 * kHour - 1), six);
    EXPECT_EQ(*current_shift_start_ms(starts, six + 16 * kHour), six + 16 * kHour);  // 22:00
    EXPECT_EQ(*current_shift_start_ms(starts, six + 17 * kHour + 59 * kMinute), six + 16 * kHour);
    // In any order; one shift a day starts at midnight.
    const std::vector<std::string> unsorted = {"22:00", "06:00", "14:00"};
    EXPECT_EQ(*current_shift_start_ms(unsorted, night), 1795467600000);
    const std::vector<std::string> midnight = {"00:00"};
    EXPECT_EQ(*current_shift_start_ms(midnight, night), 1795474800000);  // 2026-11-23T23:00Z

    // Across a month's end: 2026-12-01 03:00 local is in the shift of
    // 2026-11-30 22:00 local (21:00Z).
    EXPECT_EQ(*current_shift_start_ms(starts, 1796090400000), 1796072400000);
    // Summer time: on 2026-07-01 06:00 local is 04:00Z.
    EXPECT_EQ(*current_shift_start_ms(starts, 1782885600000), 1782878400000);  // 06:00Z -> 04:00Z
}

TEST(ShiftStart, RefusesWhatIsNotAShiftStart) {
    LocalTime utc("UTC");
    EXPECT_EQ(current_shift_start_ms({}, 0).error().code, "dashboard.shift_starts");
    for (const char* bad : {"6:00", "24:00", "12:60", "12-00", "", "12:00 "}) {
        const std::vector<std::string> starts = {bad};
        EXPECT_FALSE(current_shift_start_ms(starts, 1795486200000)) << bad;
        EXPECT_FALSE(parse_shift_time(bad)) << bad;
    }
    EXPECT_EQ(parse_shift_time("23:59"), 23 * 60 + 59);
    EXPECT_EQ(parse_shift_time("00:00"), 0);
    const std::vector<std::string> starts = {"06:00"};
    EXPECT_EQ(*current_shift_start_ms(starts, 1795486200000), 1795413600000);  // 2026-11-23T06:00Z
}

}  // namespace
}  // namespace packline::hub
