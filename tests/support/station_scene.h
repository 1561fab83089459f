// A packing bench for station integration tests: the real PackingStation on
// a real SQLite store in a fresh directory, the simulated label printer, and
// the catalogue of packing_station_test (order A-1: a red tee and a mug).
// Helpers play the packer's scans; the label is scanned back from the code
// the label carries (labels::label_code_payload), not from rendered ZPL.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "packline/hardware/bounded_queue.h"
#include "packline/hardware/queue_sink.h"
#include "packline/hardware/simulated_label_printer.h"
#include "packline/labels/label_code.h"
#include "packline/station/barcode.h"
#include "packline/station/packing_station.h"
#include "packline/station/store.h"

namespace packline::station::testing {

class Screen final : public StationObserver {
  public:
    void on_verdict(const Verdict& verdict) override { verdicts.push_back(verdict); }
    const Verdict& last() const { return verdicts.back(); }
    bool said(std::string_view code) const {
        for (const Verdict& verdict : verdicts)
            if (verdict.code == code) return true;
        return false;
    }
    std::vector<Verdict> verdicts;
};

inline Sku scene_sku(std::string id, std::string style, std::string colour, double grams,
                     std::string barcode) {
    Sku sku;
    sku.sku = std::move(id);
    sku.name = colour + " " + style;
    sku.style = std::move(style);
    sku.colour = std::move(colour);
    sku.unit_weight_g = grams;
    sku.barcodes = {normalize_barcode(barcode)};
    return sku;
}

inline Order scene_order(std::string id, std::vector<OrderLine> lines,
                         std::string tracking = "1Z5R89390357567127") {
    Order order;
    order.id = std::move(id);
    order.site = "site-1";
    order.recipient = {
        "Jane Doe", "+1 415-555-0132", {{"1 Market St"}, "San Francisco", "CA", "94105", "US"}};
    order.carrier = "ups";
    order.tracking_number = std::move(tracking);
    order.packaging = "BOX";
    order.lines = std::move(lines);
    return order;
}

// Outbox rows on the station's `leaf` topic ("shipments", "events"), oldest first.
inline std::vector<OutboxMessage> outbox_rows(Store& store, std::string_view leaf) {
    auto outbox = store.pending_outbox(100000);
    EXPECT_TRUE(outbox.ok());
    std::vector<OutboxMessage> rows;
    for (OutboxMessage& message : outbox.value_or({}))
        if (message.topic.ends_with("/" + std::string(leaf))) rows.push_back(std::move(message));
    return rows;
}

// The "kind" of each station event in the outbox, oldest first.
inline std::vector<std::string> outbox_event_kinds(Store& store) {
    std::vector<std::string> kinds;
    for (const OutboxMessage& message : outbox_rows(store, "events")) {
        const auto json = nlohmann::json::parse(message.payload, nullptr, false);
        kinds.push_back(json.is_object() ? json.value("kind", "?") : "?");
    }
    return kinds;
}

class StationScene : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("packline-scene-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        config_.database = (dir_ / "station.db").string();
        config_.evidence.dir = (dir_ / "evidence").string();
        open_store();
        ImportBatch batch;
        batch.skus = {scene_sku("TEE-RED-L", "TEE", "Red", 200, "4006381333931"),
                      scene_sku("MUG", "MUG", "White", 350, "036000291452")};
        batch.packaging = {{"BOX", "Box", 100}};
        batch.orders = {scene_order("A-1", {{"TEE-RED-L", 1}, {"MUG", 1}})};
        ASSERT_TRUE(store_->import(batch).ok());
        ASSERT_TRUE(printer_.open(sink_).ok());
    }

    void TearDown() override {
        printer_.close();
        station_.reset();
        store_.reset();
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }

    void open_store() {
        auto store = Store::open(config_.database);
        ASSERT_TRUE(store.ok()) << store.error().message;
        store_ = std::move(store.value());
    }

    // (Re)starts the station on the same store, as a new process would.
    void start_station(hardware::Camera* camera = nullptr) {
        station_.reset();
        station_ = std::make_unique<PackingStation>(
            *store_, config_, StationDevices{&printer_, nullptr, camera}, *clock_, *ids_);
        screen_subscription_ = station_->add_observer(screen_);
        ASSERT_TRUE(station_->restore().ok());
    }

    void scan(const std::string& data) {
        station_->handle(hardware::ScanEvent{"scanner", data, 0});
    }

    void weigh(double grams) {
        station_->handle(
            hardware::WeightReading{"scale", grams, hardware::WeightStatus::Stable, 0});
    }

    void device(const std::string& id, hardware::DeviceKind kind, hardware::DeviceHealth health,
                std::string detail = {}) {
        station_->handle(hardware::DeviceStatusEvent{id, kind, health, std::move(detail), 0});
    }

    // Delivers what the simulated printer reported (its own thread posts).
    void pump_printer() {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (station_->parcel() && station_->parcel()->state == ParcelState::Printing &&
               std::chrono::steady_clock::now() < deadline) {
            if (auto event = queue_.pop_for(std::chrono::milliseconds(20)))
                station_->handle(*event);
        }
    }

    ParcelState state() const { return station_->parcel()->state; }

    void pack_a1_to_printing() {
        scan("A-1");
        scan("]E04006381333931");
        scan("036000291452");
        ASSERT_EQ(state(), ParcelState::Weighing);
        weigh(200 + 350 + 100 + 4);
        ASSERT_EQ(state(), ParcelState::Printing) << screen_.last().message;
    }

    void pack_a1_to_scan_back() {
        pack_a1_to_printing();
        pump_printer();
        ASSERT_EQ(state(), ParcelState::AwaitingScanBack) << screen_.last().message;
    }

    // The label's 2D code as the scanner reads it.
    std::string label_scan() const {
        return "]Q1" + labels::label_code_payload(station_->parcel()->order_id,
                                                  station_->parcel()->tracking_number);
    }

    std::vector<EventRecord> events_of(std::int64_t parcel_id, std::string_view type) {
        auto events = store_->events_for_parcel(parcel_id);
        EXPECT_TRUE(events.ok());
        std::vector<EventRecord> found;
        for (EventRecord& event : events.value_or({}))
            if (event.type == type) found.push_back(std::move(event));
        return found;
    }

    std::vector<OutboxMessage> outbox_rows(std::string_view leaf) {
        return testing::outbox_rows(*store_, leaf);
    }
    std::vector<std::string> outbox_event_kinds() { return testing::outbox_event_kinds(*store_); }

    // The one shipment confirmation in the outbox (station events go there too).
    std::string outbox_payload() {
        auto outbox = store_->pending_outbox(1000);
        EXPECT_TRUE(outbox.ok());
        std::vector<std::string> shipments;
        for (const OutboxMessage& message : outbox.value_or({}))
            if (message.topic.ends_with("/shipments")) shipments.push_back(message.payload);
        EXPECT_EQ(shipments.size(), 1u);
        return shipments.empty() ? "{}" : shipments.back();
    }

    std::filesystem::path dir_;
    StationConfig config_;
    // The station's clock: the wall clock, unless a test sets one before
    // start_station() (a ManualClock it moves itself).
    const Clock* clock_ = &system_clock();
    // Where its event ids come from: random, unless a test sets a source.
    IdSource* ids_ = &random_ids();
    std::unique_ptr<Store> store_;
    hardware::BoundedQueue<hardware::DeviceEvent> queue_{64};
    hardware::QueueSink sink_{queue_};
    hardware::SimulatedLabelPrinter printer_{"printer"};
    Screen screen_;
    std::unique_ptr<PackingStation> station_;
    ObserverSubscription screen_subscription_;
};

}  // namespace packline::station::testing
