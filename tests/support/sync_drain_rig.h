// What the MQTT sync tests and the drain benchmark share: an in-memory
// outbox, and a station side wired the way packline-stationd will wire it
// (MqttClient -> OutboxDrain, a sync thread pumping the drain).
//
//   StationSide side(settings, source);   // client + drain + pump thread
//   side.start();                           // connects in the background and pumps
//
// Threads: Paho's threads call the handlers (they only post to the drain);
// the pump thread owns the OutboxSource while it runs.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "packline/station/messages.h"
#include "packline/sync/mqtt_client.h"
#include "packline/sync/outbox_drain.h"

namespace packline::testing {

inline constexpr const char* kTestSite = "ams1";
inline constexpr const char* kTestStation = "bench-3";

// An outbox in memory that the test thread may inspect while the drain runs.
class MemoryOutbox final : public sync::OutboxSource {
  public:
    struct Row {
        sync::OutboxRow row;
        std::int64_t delivered_at_ms = 0;  // 0 = pending
        std::string rejection;             // the hub's reason, for a rejected row
    };

    // Appends `count` rows on the station's events topic; returns their ids.
    std::vector<std::string> add(int count) {
        std::vector<std::string> ids;
        std::lock_guard lock(mutex_);
        for (int index = 0; index < count; ++index) {
            sync::OutboxRow row;
            row.seq = ++last_seq_;
            row.event_id = station::new_event_id();
            row.topic =
                std::string("packline/v1/") + kTestSite + "/stations/" + kTestStation + "/events";
            row.payload =
                R"({"event_id":")" + row.event_id + R"(","index":)" + std::to_string(row.seq) + "}";
            ids.push_back(row.event_id);
            rows_.push_back(Row{std::move(row), 0, ""});
        }
        return ids;
    }

    Result<std::vector<sync::OutboxRow>> pending(int limit) override {
        std::lock_guard lock(mutex_);
        ++pending_calls_;
        std::vector<sync::OutboxRow> result;
        for (const Row& row : rows_) {
            if (static_cast<int>(result.size()) >= limit) break;
            if (row.delivered_at_ms == 0) result.push_back(row.row);
        }
        return result;
    }
    Status delivered(std::string_view event_id, std::int64_t at_ms) override {
        std::lock_guard lock(mutex_);
        Row* row = find(event_id);
        if (row == nullptr) return Error{"store.not_found", "no outbox message with this event id"};
        if (row->delivered_at_ms == 0) row->delivered_at_ms = at_ms;
        return {};
    }
    Status rejected(std::string_view event_id, std::string_view reason,
                    std::int64_t at_ms) override {
        std::lock_guard lock(mutex_);
        Row* row = find(event_id);
        if (row == nullptr) return Error{"store.not_found", "no outbox message with this event id"};
        row->rejection = std::string(reason);
        if (row->delivered_at_ms == 0) row->delivered_at_ms = at_ms;
        return {};
    }
    Status attempted(std::string_view event_id) override {
        std::lock_guard lock(mutex_);
        Row* row = find(event_id);
        if (row == nullptr) return Error{"store.not_found", "no outbox message with this event id"};
        ++row->row.attempts;
        return {};
    }

    std::size_t pending_count() const {
        std::lock_guard lock(mutex_);
        std::size_t count = 0;
        for (const Row& row : rows_)
            count += row.delivered_at_ms == 0 ? 1u : 0u;
        return count;
    }
    Row row(std::string_view event_id) const {
        std::lock_guard lock(mutex_);
        for (const Row& row : rows_)
            if (row.row.event_id == event_id) return row;
        return {};
    }

  private:
    Row* find(std::string_view event_id) {
        for (Row& row : rows_)
            if (row.row.event_id == event_id) return &row;
        return nullptr;
    }

    mutable std::mutex mutex_;
    std::vector<Row> rows_;
    std::int64_t last_seq_ = 0;
    std::int64_t pending_calls_ = 0;
};

// Settings for a private test broker: quick reconnects, short timeouts.
inline sync::MqttSettings test_settings(const std::string& uri) {
    sync::MqttSettings settings;
    settings.brokers = {uri};
    settings.connect_timeout = std::chrono::seconds(5);
    settings.keep_alive = std::chrono::seconds(5);
    settings.reconnect_min = std::chrono::milliseconds(100);
    settings.reconnect_max = std::chrono::milliseconds(400);
    return settings;
}

// The station's sync side: MqttClient feeding an OutboxDrain, pumped by its
// own thread.
class StationSide {
  public:
    StationSide(const sync::MqttSettings& settings, sync::OutboxSource& source)
        : settings_(settings) {
        sync::MqttHandlers handlers;
        handlers.message = [this](std::string_view topic, std::string_view payload) {
            if (drain_ && drain_->handle_inbound(topic, payload)) return;
            other_messages_.fetch_add(1);
        };
        handlers.connection = [this](bool connected) {
            if (drain_) drain_->post_connection(connected);
        };
        handlers.next_envelope = [this] {
            return sync::Envelope{station::new_event_id(), now_ms(), sequence_.fetch_add(1) + 1};
        };
        auto created = sync::MqttClient::create(settings, {kTestSite, kTestStation}, "0.1.0-test",
                                                std::move(handlers));
        if (!created) {
            error_ = created.error().to_string();
            return;
        }
        client_ = std::move(created.value());
        drain_ = std::make_unique<sync::OutboxDrain>(source, *client_, settings);
    }

    ~StationSide() { stop(); }

    const std::string& error() const { return error_; }
    sync::MqttClient& client() { return *client_; }
    sync::OutboxDrain& drain() { return *drain_; }

    // Connects in the background and starts the pump thread. A test whose
    // hub connects at the same time passes pump = false and calls
    // start_pump() once the hub is subscribed: what the drain publishes
    // before that reaches nobody and waits for the ack timeout.
    void start(bool pump = true) {
        if (!client_) return;
        (void)client_->start();
        if (pump) start_pump();
    }
    void start_pump() {
        if (!client_ || pumping_) return;
        pumping_ = true;
        pump_thread_ = std::thread([this] {
            while (pumping_) {
                drain_->wait_for_work(std::chrono::milliseconds(200));
                last_pump_ = drain_->pump();
            }
        });
    }

    void stop() {
        if (client_) (void)client_->stop();
        pumping_ = false;
        if (pump_thread_.joinable()) {
            drain_->notify_outbox_changed();
            pump_thread_.join();
        }
    }

    std::int64_t other_messages() const { return other_messages_.load(); }

    static std::int64_t now_ms() {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    }

  private:
    sync::MqttSettings settings_;
    std::string error_;
    std::unique_ptr<sync::MqttClient> client_;
    std::unique_ptr<sync::OutboxDrain> drain_;
    std::atomic<bool> pumping_{false};
    std::thread pump_thread_;
    Status last_pump_;
    std::atomic<std::int64_t> sequence_{0};
    std::atomic<std::int64_t> other_messages_{0};
};

}  // namespace packline::testing
