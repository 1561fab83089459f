// A packing bench for power-cut and I/O-error tests (power_cut_vfs.h): the
// real PackingStation on a real Store, a label printer that answers when the
// test says so, and a packer who drives any parcel to Confirmed from
// whatever state the station is in (also after a restart). The database is
// copied from a template made once per test program, so every run starts
// from the same bytes.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "packline/hardware/devices.h"
#include "packline/labels/label_code.h"
#include "packline/station/barcode.h"
#include "packline/station/packing_station.h"
#include "packline/station/store.h"
#include "power_cut_vfs.h"

namespace packline::station::testing {

// A valid UPS number (shipper 5R8939, service 03) for package `package`.
inline std::string ups_number(int package) {
    std::string number = "1Z5R893903" + std::to_string(1000000 + package);
    int sum = 0;
    for (std::size_t i = 0; i < 15; ++i) {
        const char c = number[2 + i];
        int value = c >= '0' && c <= '9' ? c - '0' : (c - 3) % 10;
        if (i % 2 == 1) value *= 2;
        sum += value;
    }
    return number + std::to_string((10 - sum % 10) % 10);
}

// Accepts every job at once; the job's outcome comes when the packer's
// helper delivers it (a real printer reports it once).
class BenchPrinter final : public hardware::LabelPrinter {
  public:
    std::string id() const override { return "printer"; }
    Status open(hardware::EventSink&) override { return {}; }
    void close() override {}
    Result<std::string> submit(const hardware::PrintJob&) override {
        return "job-" + std::to_string(++jobs_);
    }

  private:
    int jobs_ = 0;
};

struct ConfirmedParcel {
    std::int64_t parcel_id = 0;
    std::string order_id;
    std::string tracking_number;
};

// What the packer saw.
class BenchScreen final : public StationObserver {
  public:
    void on_verdict(const Verdict& verdict) override {
        verdicts.push_back(verdict);
        if (verdict.kind == VerdictKind::Confirmed && verdict.parcel)
            confirmed.push_back(
                {verdict.parcel->id, verdict.parcel->order_id, verdict.parcel->tracking_number});
    }
    std::vector<Verdict> verdicts;
    std::vector<ConfirmedParcel> confirmed;
};

// One tee and one mug per order; orders P-1 ... P-n with their own numbers.
inline constexpr std::string_view kTee = "4006381333931";
inline constexpr std::string_view kMug = "036000291452";
inline constexpr double kParcelGrams = 200 + 350 + 100 + 4;

inline std::string bench_order_id(int n) {
    return "P-" + std::to_string(n);
}

// Makes the template database (once per program) and returns its path.
inline std::string bench_template(const std::filesystem::path& dir, int orders) {
    const std::filesystem::path path = dir / "template.db";
    if (std::filesystem::exists(path)) return path.string();
    std::filesystem::create_directories(dir);
    auto store = Store::open(path.string());
    EXPECT_TRUE(store.ok()) << store.error().message;
    if (!store.ok()) return {};
    ImportBatch batch;
    auto sku = [](std::string id, std::string style, double grams, std::string_view barcode) {
        Sku made;
        made.sku = std::move(id);
        made.name = style;
        made.style = std::move(style);
        made.unit_weight_g = grams;
        made.barcodes = {normalize_barcode(std::string(barcode))};
        return made;
    };
    batch.skus = {sku("TEE", "Tee", 200, kTee), sku("MUG", "Mug", 350, kMug)};
    batch.packaging = {{"BOX", "Box", 100}};
    for (int n = 1; n <= orders; ++n) {
        Order order;
        order.id = bench_order_id(n);
        order.site = "site-1";
        order.recipient = {
            "Jane Doe", "+1 415-555-0132", {{"1 Market St"}, "San Francisco", "CA", "94105", "US"}};
        order.carrier = "ups";
        order.tracking_number = ups_number(n);
        order.packaging = "BOX";
        order.lines = {{"TEE", 1}, {"MUG", 1}};
        batch.orders.push_back(std::move(order));
    }
    auto imported = store.value()->import(batch);
    EXPECT_TRUE(imported.ok()) << imported.error().message;
    return path.string();
}

// A station on a copy of the template, in its own directory.
class Bench {
  public:
    Bench(const std::filesystem::path& dir, const std::string& template_path) : dir_(dir) {
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        config_.database = (dir_ / "station.db").string();
        config_.station_id = "bench-1";
        std::filesystem::copy_file(template_path, config_.database);
    }
    ~Bench() {
        stop();
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }
    Bench(const Bench&) = delete;
    Bench& operator=(const Bench&) = delete;

    // Opens the store and (re)starts the station on it, as a new process would.
    ::testing::AssertionResult start() {
        stop();
        auto store = Store::open(config_.database);
        if (!store.ok()) return ::testing::AssertionFailure() << "open: " << store.error().message;
        store_ = std::move(store.value());
        station_ = std::make_unique<PackingStation>(*store_, config_,
                                                    StationDevices{&printer_, nullptr, nullptr});
        screen_subscription_ = station_->add_observer(screen_);
        if (auto restored = station_->restore(); !restored.ok())
            return ::testing::AssertionFailure() << "restore: " << restored.error().message;
        return ::testing::AssertionSuccess();
    }

    // Closes the station and its store (every file of the database closed).
    void stop() {
        station_.reset();
        store_.reset();
    }

    // One move of the packer towards confirming `order_id`: what a packer
    // does next in the state the station shows. False when there is nothing
    // left to do (the order is packed).
    bool step(const std::string& order_id) {
        const std::optional<Parcel>& parcel = station_->parcel();
        const bool done = parcel && (parcel->state == ParcelState::Confirmed ||
                                     parcel->state == ParcelState::Abandoned);
        if (!parcel || done || parcel->order_id != order_id) {
            if (order_packed(order_id)) return false;
            scan(order_id);
            return true;
        }
        switch (parcel->state) {
            case ParcelState::Scanning: {
                bool tee = false;
                for (const ScannedItem& item : parcel->items)
                    tee = tee || item.sku == "TEE";
                scan(std::string(tee ? kMug : kTee));
                return true;
            }
            case ParcelState::Weighing:
                // A scale sends its reading again and again while the parcel is on it.
                station_->handle(hardware::WeightReading{"scale", kParcelGrams,
                                                         hardware::WeightStatus::Stable, 0});
                return true;
            case ParcelState::Printing:
                if (reported_jobs_.insert(parcel->label_job_id).second) {
                    station_->handle(hardware::PrintJobUpdate{"printer",
                                                              parcel->label_job_id,
                                                              hardware::PrintJobState::Completed,
                                                              {},
                                                              0});
                } else {
                    // The printer reports a job once; the label is in the
                    // packer's hand, who scans it.
                    scan_label(*parcel);
                }
                return true;
            case ParcelState::AwaitingScanBack:
                scan_label(*parcel);
                return true;
            case ParcelState::Exception:
                scan("PL-CMD:RETRY");
                return true;
            case ParcelState::Confirmed:
            case ParcelState::Abandoned:
                return false;
        }
        return false;
    }

    // Steps until the order is packed; false if `max_steps` were not enough.
    bool pack(const std::string& order_id, int max_steps = 40) {
        for (int i = 0; i < max_steps; ++i)
            if (!step(order_id)) return true;
        return order_packed(order_id);
    }

    bool order_packed(const std::string& order_id) {
        auto order = store_->find_order(order_id);
        return order.ok() && order.value() && order.value()->status == OrderStatus::Packed;
    }

    void scan(const std::string& data) {
        station_->handle(hardware::ScanEvent{"scanner", data, 0});
    }
    void scan_label(const Parcel& parcel) {
        scan("]Q1" + labels::label_code_payload(parcel.order_id, parcel.tracking_number));
    }

    PackingStation& station() { return *station_; }
    Store& store() { return *store_; }
    BenchScreen& screen() { return screen_; }
    const std::string& database() const { return config_.database; }

  private:
    std::filesystem::path dir_;
    StationConfig config_;
    BenchPrinter printer_;
    BenchScreen screen_;
    std::set<std::string> reported_jobs_;
    std::unique_ptr<Store> store_;
    std::unique_ptr<PackingStation> station_;
    ObserverSubscription screen_subscription_;
};

// One number from the database through a connection of its own.
inline std::int64_t count_rows(const std::string& database, const std::string& sql) {
    sqlite3* raw = nullptr;
    std::int64_t count = -1;
    if (sqlite3_open_v2(database.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(raw, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK &&
            sqlite3_step(statement) == SQLITE_ROW)
            count = sqlite3_column_int64(statement, 0);
        sqlite3_finalize(statement);
    }
    sqlite3_close_v2(raw);
    return count;
}

// What must hold of a station's store at any time, power cut or not:
// every parcel the packer saw confirmed is there, confirmed, with its
// confirmation and exactly one shipment in the outbox; nothing is confirmed
// twice; every confirmation has its shipment and every shipment its
// confirmation; and the database is sound.
inline ::testing::AssertionResult store_keeps_promises(
    Store& store, const std::vector<ConfirmedParcel>& confirmed) {
    if (auto checked = store.integrity_check(); !checked.ok())
        return ::testing::AssertionFailure() << checked.error().message;
    const std::string& database = store.path();
    for (const ConfirmedParcel& promised : confirmed) {
        auto parcel = store.find_parcel(promised.parcel_id);
        if (!parcel.ok() || !parcel.value() || parcel.value()->state != ParcelState::Confirmed ||
            parcel.value()->tracking_number != promised.tracking_number)
            return ::testing::AssertionFailure()
                   << "parcel " << promised.parcel_id << " of " << promised.order_id
                   << " was reported confirmed but is not in the store as confirmed";
        const std::string id = std::to_string(promised.parcel_id);
        if (count_rows(database, "SELECT count(*) FROM confirmations WHERE parcel_id = " + id) != 1)
            return ::testing::AssertionFailure() << "no confirmation row for parcel " << id;
        if (count_rows(database,
                       "SELECT count(*) FROM outbox WHERE topic LIKE '%/shipments' AND "
                       "json_extract(payload, '$.parcel_id') = " +
                           id) != 1)
            return ::testing::AssertionFailure() << "not one shipment for parcel " << id;
    }
    const auto confirmations = count_rows(database, "SELECT count(*) FROM confirmations");
    const auto shipments =
        count_rows(database, "SELECT count(*) FROM outbox WHERE topic LIKE '%/shipments'");
    const auto orphans = count_rows(
        database,
        "SELECT count(*) FROM confirmations c WHERE (SELECT count(*) FROM outbox o WHERE o.topic "
        "LIKE '%/shipments' AND json_extract(o.payload, '$.parcel_id') = c.parcel_id) != 1");
    const auto twice =
        count_rows(database,
                   "SELECT count(*) FROM (SELECT order_id FROM confirmations GROUP BY order_id "
                   "HAVING count(*) > 1)");
    if (confirmations != shipments || orphans != 0 || twice != 0)
        return ::testing::AssertionFailure()
               << confirmations << " confirmations, " << shipments << " shipments, " << orphans
               << " confirmations without exactly one shipment, " << twice
               << " orders confirmed twice";
    return ::testing::AssertionSuccess();
}

}  // namespace packline::station::testing
