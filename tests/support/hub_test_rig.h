// What hub tests against a real broker share: a hub on a temp database, and
// a stand-in station (sync's MqttClient as a service client) that publishes
// on its station topics and records the acknowledgements and tracking-pool
// top-ups the hub sends it.
//
// Paho pitfall (test-harnesses.md §6): a client that connects while another
// is live in the process costs about 2 s, so tests start the hub and the
// station together (start() both, then wait_connected()).
//
// Threads: Paho's threads record; the accessors are for the test thread.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "eventually.h"
#include "packline/hub/hub_service.h"
#include "packline/sync/inbound.h"
#include "packline/sync/mqtt_client.h"

namespace packline::testing {

inline sync::MqttSettings hub_test_settings(const std::string& uri) {
    sync::MqttSettings settings;
    settings.brokers = {uri};
    settings.connect_timeout = std::chrono::seconds(5);
    settings.keep_alive = std::chrono::seconds(5);
    settings.reconnect_min = std::chrono::milliseconds(100);
    settings.reconnect_max = std::chrono::milliseconds(400);
    settings.window = 1000;
    return settings;
}

// A temp directory removed at the end.
class TempDir {
  public:
    TempDir() {
        char pattern[] = "/tmp/packline-hub-test-XXXXXX";
        if (::mkdtemp(pattern) != nullptr) path_ = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] std::string file(const std::string& name) const {
        return (path_ / name).string();
    }

  private:
    std::filesystem::path path_;
};

inline hub::HubOptions hub_test_options(const std::string& uri, const std::string& instance) {
    hub::HubOptions options;
    options.sites = {"ams1"};
    options.instance = instance;
    options.mqtt = hub_test_settings(uri);
    options.summary_interval = std::chrono::milliseconds(0);
    options.log = [instance](std::string_view line) {
        static std::mutex mutex;
        std::lock_guard lock(mutex);
        std::cerr << "[hub " << instance << "] " << line << "\n";
    };
    return options;
}

inline std::unique_ptr<hub::Hub> make_hub(hub::HubOptions options, const std::string& database,
                                          std::string* error) {
    auto store = hub::HubStore::open(database, 1);
    if (!store) {
        *error = store.error().to_string();
        return nullptr;
    }
    auto made = hub::Hub::create(std::move(options), std::move(store).value());
    if (!made) {
        *error = made.error().to_string();
        return nullptr;
    }
    return std::move(made).value();
}

class TestStation {
  public:
    struct Received {
        sync::AckResult result;
        std::string reason;
    };

    // Subscribes to the station's acks and tracking-pool topics, plus `extra`.
    TestStation(const std::string& uri, std::string site, std::string station,
                std::vector<std::string> extra = {})
        : site_(std::move(site)), station_(std::move(station)) {
        std::vector<std::string> filters = {
            "packline/v1/" + site_ + "/stations/" + station_ + "/acks",
            "packline/v1/" + site_ + "/stations/" + station_ + "/tracking-pool"};
        filters.insert(filters.end(), extra.begin(), extra.end());
        sync::MqttHandlers handlers;
        handlers.message = [this](std::string_view topic, std::string_view payload) {
            arrived(topic, payload);
        };
        auto settings = hub_test_settings(uri);
        settings.client_id = "test-station-" + station_;
        auto client = sync::MqttClient::create_service(
            settings, sync::ServiceClientOptions{"", std::move(filters)}, std::move(handlers));
        if (!client)
            error_ = client.error().to_string();
        else
            client_ = std::move(client).value();
    }

    [[nodiscard]] const std::string& error() const { return error_; }
    sync::MqttClient& client() { return *client_; }

    Status publish(const std::string& topic, const std::string& payload, bool retained = false) {
        return client_->publish_confirmed(topic, payload, retained);
    }

    // The results the hub sent for `event_id`, in order.
    std::vector<Received> acks_for(const std::string& event_id) const {
        std::lock_guard lock(mutex_);
        auto found = acks_.find(event_id);
        return found == acks_.end() ? std::vector<Received>{} : found->second;
    }
    std::size_t acked_count() const {
        std::lock_guard lock(mutex_);
        return acks_.size();
    }
    std::size_t ack_messages() const {
        std::lock_guard lock(mutex_);
        return ack_messages_;
    }
    std::vector<sync::TrackingPoolTopUp> top_ups() const {
        std::lock_guard lock(mutex_);
        return top_ups_;
    }
    // Messages that arrived on the `extra` filters: topic -> payloads.
    std::map<std::string, std::vector<std::string>> others() const {
        std::lock_guard lock(mutex_);
        return others_;
    }
    std::vector<std::string> refused() const {
        std::lock_guard lock(mutex_);
        return refused_;
    }

  private:
    void arrived(std::string_view topic, std::string_view payload) {
        std::lock_guard lock(mutex_);
        if (!topic.ends_with("/acks") && !topic.ends_with("/tracking-pool")) {
            others_[std::string(topic)].emplace_back(payload);
            return;
        }
        auto message = sync::decode_inbound(topic, payload);
        if (!message) {
            refused_.push_back(message.error().to_string());
            return;
        }
        if (auto* batch = std::get_if<sync::AckBatch>(&message->body)) {
            ++ack_messages_;
            for (const sync::Ack& ack : batch->acks)
                acks_[ack.event_id].push_back({ack.result, ack.reason});
        } else if (auto* top_up = std::get_if<sync::TrackingPoolTopUp>(&message->body)) {
            top_ups_.push_back(*top_up);
        }
    }

    std::string site_;
    std::string station_;
    std::string error_;
    mutable std::mutex mutex_;
    std::map<std::string, std::vector<Received>> acks_;
    std::size_t ack_messages_ = 0;
    std::vector<sync::TrackingPoolTopUp> top_ups_;
    std::map<std::string, std::vector<std::string>> others_;
    std::vector<std::string> refused_;
    // Last: it stops (and its handlers end) before the members above go.
    std::unique_ptr<sync::MqttClient> client_;
};

}  // namespace packline::testing
