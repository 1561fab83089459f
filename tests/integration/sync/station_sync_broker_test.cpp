// StationSync (sync/station/station_sync.h) against a real mosquitto and the
// fake hub: a parcel packed on a running station loop reaches the hub as
// events and a confirmation, is retired only on the hub's ack, the retained
// status tells the truth (state, counters, devices, backlog, last sync,
// clock skew), retained orders and commands from the hub are applied once,
// a broken message comes back as an error event, and a clean stop leaves
// "offline (shutdown)" retained.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "eventually.h"
#include "mosquitto_broker.h"
#include "mqtt_fake_hub.h"
#include "packline/hardware/simulated_label_printer.h"
#include "packline/labels/label_code.h"
#include "packline/station/messages.h"
#include "packline/sync/schemas.h"
#include "packline/sync/station/station_sync.h"
#include "station_scene.h"

namespace packline::sync {
namespace {

using station::ParcelState;
using testing::eventually;

MqttSettings test_settings(const std::string& uri) {
    MqttSettings settings;
    settings.brokers = {uri};
    settings.connect_timeout = std::chrono::seconds(5);
    settings.keep_alive = std::chrono::seconds(5);
    settings.reconnect_min = std::chrono::milliseconds(100);
    settings.reconnect_max = std::chrono::milliseconds(400);
    return settings;
}

class StationSyncBrokerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        if (auto missing = testing::MosquittoBroker::missing_tool()) GTEST_SKIP() << *missing;
        ASSERT_TRUE(broker_.running()) << broker_.error();
        dir_ = std::filesystem::temp_directory_path() /
               ("packline-station-sync-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        config_.site = "ams1";
        config_.station_id = "bench-1";
        config_.database = (dir_ / "station.db").string();
        auto store = station::Store::open(config_.database);
        ASSERT_TRUE(store.ok()) << store.error().message;
        store_ = std::move(store.value());
        station::ImportBatch batch;
        batch.skus = {station::testing::scene_sku("TEE-RED-L", "TEE", "Red", 200, "4006381333931"),
                      station::testing::scene_sku("MUG", "MUG", "White", 350, "036000291452")};
        batch.packaging = {{"BOX", "Box", 100}};
        batch.orders = {station::testing::scene_order("A-1", {{"TEE-RED-L", 1}, {"MUG", 1}})};
        ASSERT_TRUE(store_->import(batch).ok());
        options_.mqtt = test_settings(broker_.uri());
        options_.mqtt.ack_timeout = std::chrono::milliseconds(2000);
        options_.status_interval = std::chrono::milliseconds(500);
        options_.status_min_interval = std::chrono::milliseconds(0);
        options_.devices = {{"printer", hardware::DeviceKind::LabelPrinter}};
    }

    void TearDown() override {
        stop_station();
        store_.reset();
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }

    // The station as packline-stationd runs it: loop thread, printer posting
    // into the loop, sync observing the station.
    void start_station() {
        station_ = std::make_unique<station::PackingStation>(
            *store_, config_, station::StationDevices{&printer_, nullptr, nullptr});
        ASSERT_TRUE(station_->restore().ok());
        loop_ = std::make_unique<station::StationLoop>(*station_);
        ASSERT_TRUE(printer_.open(*loop_).ok());
        auto made =
            StationSync::create(options_, *loop_, *station_, *store_, [this](std::string line) {
                std::lock_guard lock(log_mutex_);
                log_.push_back(std::move(line));
            });
        ASSERT_TRUE(made.ok()) << made.error().to_string();
        sync_ = std::move(made.value());
        sync_subscription_ = station_->add_observer(*sync_);
        loop_thread_ = std::thread([this] { loop_->run(); });
        ASSERT_TRUE(sync_->start().ok());
    }

    void stop_station() {
        if (!loop_) return;
        loop_->stop();
        loop_thread_.join();
        sync_->stop();
        printer_.close();
        sync_.reset();
        loop_.reset();
        station_.reset();
    }

    // Runs `work` on the loop thread and returns its result.
    template <typename Work>
    auto on_loop(Work work) {
        using Value = decltype(work(*station_));
        auto promise = std::make_shared<std::promise<Value>>();
        auto future = promise->get_future();
        loop_->post_task([promise, work](station::PackingStation& station) mutable {
            promise->set_value(work(station));
        });
        return future.get();
    }

    void scan(const std::string& data) { loop_->post(hardware::ScanEvent{"scanner", data, 0}); }

    std::optional<station::Parcel> parcel() {
        return on_loop([](station::PackingStation& station) { return station.parcel(); });
    }

    // Packs A-1 through every check; true when confirmed.
    bool pack_a1() {
        scan("A-1");
        scan("]E04006381333931");
        scan("036000291452");
        loop_->post(hardware::WeightReading{"scale", 654, hardware::WeightStatus::Stable, 0});
        if (!eventually([&] {
                auto now = parcel();
                return now && now->state == ParcelState::AwaitingScanBack;
            }))
            return false;
        const auto labelled = parcel();
        scan("]Q1" + labels::label_code_payload(labelled->order_id, labelled->tracking_number));
        return eventually([&] {
            auto now = parcel();
            return now && now->state == ParcelState::Confirmed;
        });
    }

    std::optional<nlohmann::json> last_status(testing::FakeHub& hub) {
        const auto statuses = hub.statuses();
        if (statuses.empty()) return std::nullopt;
        return nlohmann::json::parse(statuses.back());
    }

    // The station and `hub` connect together (hub_test_rig.h: one Paho
    // client connecting beside another costs seconds), then both are up.
    void start_beside(testing::FakeHub& hub) {
        hub.start_connect();
        start_station();
        ASSERT_EQ(hub.finish_connect(), "");
        ASSERT_TRUE(sync_->wait_connected(std::chrono::seconds(10)).ok());
    }

    bool logged(std::string_view text) { return lines_logged(text) > 0; }
    int lines_logged(std::string_view text) {
        std::lock_guard lock(log_mutex_);
        int lines = 0;
        for (const std::string& line : log_)
            lines += line.find(text) != std::string::npos ? 1 : 0;
        return lines;
    }

    testing::MosquittoBroker broker_;
    std::filesystem::path dir_;
    station::StationConfig config_;
    StationSyncOptions options_;
    std::unique_ptr<station::Store> store_;
    hardware::SimulatedLabelPrinter printer_{"printer"};
    std::unique_ptr<station::PackingStation> station_;
    std::unique_ptr<station::StationLoop> loop_;
    std::unique_ptr<StationSync> sync_;
    station::ObserverSubscription sync_subscription_;
    std::thread loop_thread_;
    std::mutex log_mutex_;
    std::vector<std::string> log_;
};

TEST_F(StationSyncBrokerTest, APackedParcelReachesTheHubAndIsRetiredOnlyOnItsAck) {
    testing::FakeHub hub(broker_.uri());
    hub.set_mode(testing::FakeHub::Mode::Hold);
    hub.start_connect();
    start_station();
    ASSERT_EQ(hub.finish_connect(), "");
    ASSERT_TRUE(sync_->wait_connected(std::chrono::seconds(10)).ok());

    // The status on connect: idle, the configured printer, nothing pending.
    ASSERT_TRUE(eventually([&] { return !hub.statuses().empty(); }));
    auto status = *last_status(hub);
    EXPECT_TRUE(validate_message("station-status", status.dump())) << status.dump();
    EXPECT_EQ(status["state"], "idle");
    EXPECT_EQ(status["devices"][0]["name"], "printer");
    EXPECT_EQ(status["devices"][0]["health"], "present");
    EXPECT_EQ(status["outbox_backlog"], 0);
    EXPECT_EQ(status["last_sync_ms"], 0);
    EXPECT_FALSE(status.contains("clock_skew_ms"));

    ASSERT_TRUE(pack_a1());
    ASSERT_TRUE(eventually([&] { return hub.distinct_count() >= 2; }));
    const auto order = hub.first_arrival_order();
    ASSERT_EQ(order.size(), 2u);
    // Unacknowledged, both stay in the outbox and the status says so.
    EXPECT_TRUE(eventually([&] {
        auto now = last_status(hub);
        return now && (*now)["outbox_backlog"] == 2 && (*now)["counters"]["confirmed"] == 1;
    })) << hub.statuses().back();
    EXPECT_EQ(sync_->stats().drain.delivered, 0);

    hub.ack_outstanding();
    ASSERT_TRUE(eventually([&] { return sync_->stats().drain.delivered == 2; }));
    EXPECT_TRUE(eventually([&] {
        auto now = last_status(hub);
        return now && (*now)["outbox_backlog"] == 0 && (*now)["last_sync_ms"] > 0 &&
               now->contains("clock_skew_ms") && (*now)["state"] == "idle";
    })) << hub.statuses().back();
    const auto skew = (*last_status(hub))["clock_skew_ms"].get<std::int64_t>();
    EXPECT_LT(std::llabs(skew), 1000);

    stop_station();
    auto pending = store_->pending_outbox(10);
    ASSERT_TRUE(pending.ok());
    EXPECT_TRUE(pending->empty());
    // The last retained status: offline, shut down cleanly.
    ASSERT_TRUE(eventually([&] { return (*last_status(hub))["state"] == "offline"; }));
    EXPECT_EQ((*last_status(hub))["offline_reason"], "shutdown");
}

TEST_F(StationSyncBrokerTest, RetainedOrdersAndCommandsFromTheHubAreAppliedOnce) {
    testing::FakeHub hub(broker_.uri());
    ASSERT_EQ(hub.connect(), "");
    // Published before the station ever connected: retained, so it arrives.
    std::ifstream fixture(std::string(PACKLINE_SOURCE_DIR) + "/tests/fixtures/mqtt/order.json");
    const std::string order_json((std::istreambuf_iterator<char>(fixture)),
                                 std::istreambuf_iterator<char>());
    ASSERT_TRUE(hub.publish("packline/v1/ams1/orders/1001", order_json, true));

    start_station();
    ASSERT_TRUE(sync_->wait_connected(std::chrono::seconds(10)).ok());
    ASSERT_TRUE(eventually([&] {
        return on_loop([&](station::PackingStation&) {
            auto found = store_->find_order("1001");
            return found.ok() && found.value().has_value();
        });
    }));

    const std::string pause_id = station::new_event_id();
    const nlohmann::json pause{{"schema", "packline.command/1"}, {"event_id", pause_id},
                               {"sent_at_ms", 1795421000000},    {"command", "pause"},
                               {"issued_by", "SUP-1"},           {"reason", "line check"}};
    const std::string commands = "packline/v1/ams1/stations/bench-1/commands";
    ASSERT_TRUE(hub.publish(commands, pause.dump()));
    ASSERT_TRUE(hub.publish(commands, pause.dump()));  // redelivered
    ASSERT_TRUE(eventually([&] {
        auto now = last_status(hub);
        return now && (*now)["state"] == "paused";
    }));
    ASSERT_TRUE(eventually([&] { return sync_->stats().inbox_duplicates == 1; }));
    scan("A-1");
    EXPECT_FALSE(parcel().has_value());

    nlohmann::json resume = pause;
    resume["event_id"] = station::new_event_id();
    resume["command"] = "resume";
    ASSERT_TRUE(hub.publish(commands, resume.dump()));
    ASSERT_TRUE(eventually([&] { return (*last_status(hub))["state"] == "idle"; }));
    scan("A-1");
    ASSERT_TRUE(eventually([&] { return parcel().has_value(); }));
    EXPECT_EQ(sync_->stats().inbox_applied, 3);  // order, pause, resume
}

TEST_F(StationSyncBrokerTest, ABrokenMessageComesBackAsAnErrorEventAndPackingGoesOn) {
    testing::FakeHub hub(broker_.uri());
    ASSERT_NO_FATAL_FAILURE(start_beside(hub));
    const std::string commands = "packline/v1/ams1/stations/bench-1/commands";
    ASSERT_TRUE(hub.publish(commands,
                            "{\"schema\":\"packline.command/1\",\"event_id\":"
                            "\"0b7e6f3a-54c1-4d2e-9a0f-7c1d2e3f4a5b\",\"command\":"
                            "\"self-destruct\"}"));
    ASSERT_TRUE(hub.publish(commands, std::string("\xff\xfe not json", 11)));
    // Both are counted; the first is reported at once, the second within a
    // minute with the count (one error event per topic kind a minute).
    ASSERT_TRUE(eventually([&] { return sync_->stats().inbox_refused == 2; }));
    ASSERT_TRUE(eventually([&] { return hub.distinct_count() >= 1; }));
    for (const auto& arrival : hub.arrivals())
        EXPECT_TRUE(arrival.topic.ends_with("/events"));
    EXPECT_TRUE(logged("refused a message"));
    ASSERT_TRUE(pack_a1());
}

TEST_F(StationSyncBrokerTest, AFloodOfBrokenMessagesIsCountedAndTheLogKeepsItsFirstLines) {
    testing::FakeHub hub(broker_.uri());
    ASSERT_NO_FATAL_FAILURE(start_beside(hub));
    const std::string commands = "packline/v1/ams1/stations/bench-1/commands";
    constexpr int kBroken = 60;
    for (int index = 0; index < kBroken; ++index)
        ASSERT_TRUE(hub.publish(commands, "not json " + std::to_string(index)));
    ASSERT_TRUE(eventually([&] { return sync_->stats().inbox_refused == kBroken; }));
    // Every one counted; the journal of an SD card gets the first 20 of the
    // minute (the rest are told as a count when the next minute starts).
    EXPECT_EQ(lines_logged("refused a message"), 20);
    ASSERT_TRUE(pack_a1());
}

TEST_F(StationSyncBrokerTest, AHubClockFarOffIsReportedAsSkew) {
    testing::FakeHub::Options hub_options;
    hub_options.clock_offset_ms = -30'000;  // the hub's clock is 30 s behind
    testing::FakeHub hub(broker_.uri(), hub_options);
    hub.start_connect();
    start_station();
    ASSERT_EQ(hub.finish_connect(), "");
    ASSERT_TRUE(pack_a1());
    ASSERT_TRUE(eventually([&] {
        auto now = last_status(hub);
        return now && now->contains("clock_skew_ms");
    }));
    const auto skew = (*last_status(hub))["clock_skew_ms"].get<std::int64_t>();
    EXPECT_GT(skew, 29'000);
    EXPECT_LT(skew, 32'000);
    EXPECT_TRUE(logged("WARNING: the station clock is"));
}

}  // namespace
}  // namespace packline::sync
