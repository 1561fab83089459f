// A stand-in for packline-hub in sync tests: a Paho client that subscribes
// to every station's shipments, events and status, records what arrives, and
// acknowledges it (packline.ack/1 on the station's acks topic) the way the
// hub will: "stored" the first time an event id is acknowledged, "duplicate"
// after that, "rejected" for the ids a test names.
//
//   FakeHub hub(broker.uri());
//   hub.set_mode(FakeHub::Mode::Hold);           // record, acknowledge nothing
//   ASSERT_TRUE(hub.connect()) ...
//   hub.wait_for([&] { return hub.distinct_count() >= 64; });
//   hub.ack_outstanding();                        // acknowledge what it holds
//
// Paho pitfall (test-harnesses.md §6): every client connected while another
// is live in the process costs about 2 s (paho.mqtt.c#1430), so tests start
// the station client and this hub at the same time (start_connect() +
// finish_connect()).
//
// Threads: Paho's thread records arrivals; one worker thread publishes acks;
// the accessors are for the test thread.
#pragma once

#include <mqtt/async_client.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "eventually.h"
#include "packline/station/messages.h"

namespace packline::testing {

class FakeHub {
  public:
    enum class Mode {
        AckAll,          // acknowledge everything as it arrives (in batches)
        Hold,            // record only; the test acknowledges
        AckWhenStalled,  // acknowledge what is outstanding once nothing new arrived for 100 ms
    };

    struct Arrival {
        std::string topic;
        std::string event_id;
        std::chrono::steady_clock::time_point at;
    };

    struct Options {
        std::string username;
        std::string password;
        std::string ca_file;  // ssl:// brokers
        // Added to the hub's clock in every ack's sent_at_ms (clock-skew tests).
        std::int64_t clock_offset_ms = 0;
    };

    // (Two constructors: a default argument cannot use Options' member
    // initialisers while FakeHub is incomplete.)
    explicit FakeHub(std::string uri) : FakeHub(std::move(uri), Options()) {}
    FakeHub(std::string uri, Options options)
        : uri_(std::move(uri)),
          options_(std::move(options)),
          client_(uri_, "packline-fake-hub", mqtt::create_options(MQTTVERSION_5), nullptr) {
        client_.set_message_callback([this](mqtt::const_message_ptr message) { arrived(message); });
        // The broker may restart (persistence off): subscribe on every connection.
        client_.set_connected_handler([this](const std::string&) { subscribe(); });
        worker_ = std::thread([this] { work(); });
    }

    ~FakeHub() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        changed_.notify_all();
        worker_.join();
        try {
            if (client_.is_connected()) client_.disconnect()->wait_for(std::chrono::seconds(2));
        } catch (const mqtt::exception&) {
        }
        try {
            client_.disable_callbacks();
        } catch (const mqtt::exception&) {  // a reconnect in progress
        }
    }

    FakeHub(const FakeHub&) = delete;
    FakeHub& operator=(const FakeHub&) = delete;

    void set_mode(Mode mode) {
        {
            std::lock_guard lock(mutex_);
            mode_ = mode;
        }
        changed_.notify_all();
    }

    // Event ids to answer "rejected" (with `reason`) instead of "stored".
    void reject(const std::string& event_id, const std::string& reason) {
        std::lock_guard lock(mutex_);
        rejections_[event_id] = reason;
    }

    // Starts connecting (clean session, automatic reconnect); finish_connect() waits.
    void start_connect() {
        auto builder =
            mqtt::connect_options_builder()
                .mqtt_version(MQTTVERSION_5)
                .clean_start(true)
                .automatic_reconnect(std::chrono::milliseconds(100), std::chrono::milliseconds(500))
                .connect_timeout(std::chrono::seconds(5));
        if (!options_.username.empty())
            builder.user_name(options_.username).password(options_.password);
        if (uri_.starts_with("ssl://"))
            builder.ssl(mqtt::ssl_options_builder()
                            .trust_store(options_.ca_file)
                            .enable_server_cert_auth(true)
                            .finalize());
        connect_token_ = client_.connect(builder.finalize());
    }
    // "" when connected, else what went wrong.
    std::string finish_connect() {
        try {
            if (!connect_token_->wait_for(std::chrono::seconds(10)))
                return "hub: connect timed out";
        } catch (const mqtt::exception& failure) {
            return std::string("hub: connect: ") + failure.what();
        }
        // Subscriptions are made by the connected handler; wait for them.
        std::unique_lock lock(mutex_);
        if (!changed_.wait_for(lock, std::chrono::seconds(10), [this] { return subscribed_; }))
            return "hub: no SUBACK";
        return "";
    }
    std::string connect() {
        start_connect();
        return finish_connect();
    }
    bool connected() const { return client_.is_connected(); }

    // Publishes one ack batch to the station's acks topic as it is given.
    bool publish_ack(const std::string& site, const std::string& station,
                     const nlohmann::json& acks) {
        const nlohmann::json message{{"schema", "packline.ack/1"},
                                     {"event_id", station::new_event_id()},
                                     {"sent_at_ms", now_ms()},
                                     {"acks", acks}};
        try {
            client_
                .publish("packline/v1/" + site + "/stations/" + station + "/acks", message.dump(),
                         1, false)
                ->wait_for(std::chrono::seconds(5));
            return true;
        } catch (const mqtt::exception&) {
            return false;
        }
    }

    // Publishes `payload` as it is given (orders, commands, garbage) and
    // waits for the PUBACK.
    bool publish(const std::string& topic, const std::string& payload, bool retained = false) {
        try {
            return client_.publish(topic, payload, 1, retained)->wait_for(std::chrono::seconds(5));
        } catch (const mqtt::exception&) {
            return false;
        }
    }

    // Acknowledges everything received and not yet acknowledged.
    void ack_outstanding() {
        std::lock_guard lock(mutex_);
        for (const auto& [event_id, topic] : outstanding_)
            to_ack_.push_back({topic, event_id});
        outstanding_.clear();
        changed_.notify_all();
    }

    std::vector<Arrival> arrivals() const {
        std::lock_guard lock(mutex_);
        return arrivals_;
    }
    // Event ids in the order they first arrived.
    std::vector<std::string> first_arrival_order() const {
        std::lock_guard lock(mutex_);
        return first_order_;
    }
    // Payloads that were not JSON, refused (none is counted as an arrival).
    std::vector<std::string> unreadable() const {
        std::lock_guard lock(mutex_);
        return unreadable_;
    }
    std::size_t distinct_count() const {
        std::lock_guard lock(mutex_);
        return first_order_.size();
    }
    std::size_t arrival_count(const std::string& event_id) const {
        std::lock_guard lock(mutex_);
        std::size_t count = 0;
        for (const Arrival& arrival : arrivals_)
            count += arrival.event_id == event_id ? 1u : 0u;
        return count;
    }
    std::size_t outstanding_count() const {
        std::lock_guard lock(mutex_);
        return outstanding_.size();
    }
    // The most event ids received and not yet acknowledged at any moment:
    // what the station had in flight, seen from the hub.
    std::size_t max_outstanding() const {
        std::lock_guard lock(mutex_);
        return max_outstanding_;
    }
    // Status payloads (retained ones included) in the order they arrived.
    std::vector<std::string> statuses() const {
        std::lock_guard lock(mutex_);
        return statuses_;
    }
    // Event ids acknowledged, and the ack messages that carried them.
    std::size_t acks_sent() const {
        std::lock_guard lock(mutex_);
        return acks_sent_;
    }
    std::size_t ack_messages_sent() const {
        std::lock_guard lock(mutex_);
        return ack_messages_sent_;
    }

    // Polls `condition` every 10 ms until it holds or `timeout` passes.
    static bool wait_for(const std::function<bool()>& condition,
                         std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
        return eventually(condition, timeout);
    }

  private:
    struct Pending {
        std::string topic;
        std::string event_id;
    };

    std::int64_t now_ms() const {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count() +
               options_.clock_offset_ms;
    }

    void subscribe() {
        try {
            auto token = client_.subscribe(
                mqtt::string_collection::create({"packline/v1/+/stations/+/shipments",
                                                 "packline/v1/+/stations/+/events",
                                                 "packline/v1/+/stations/+/status"}),
                mqtt::iasync_client::qos_collection{1, 1, 1});
            // Not waited for here (this is Paho's callback thread): the
            // worker notices the SUBACK.
            std::lock_guard lock(mutex_);
            subscribe_token_ = token;
        } catch (const mqtt::exception&) {
        }
        changed_.notify_all();
    }

    void arrived(const mqtt::const_message_ptr& message) {
        if (message->get_topic().ends_with("/status")) {
            std::lock_guard lock(mutex_);
            statuses_.push_back(message->get_payload_str());
            return;
        }
        std::string event_id;
        try {
            event_id = nlohmann::json::parse(message->get_payload_str()).value("event_id", "");
        } catch (const nlohmann::json::exception&) {
            // Refused as packline-hub refuses it (unreadable: no event id to
            // answer), so the station sends its message again after the ack
            // timeout. The network-cut tests meet such copies now and then
            // (most likely Paho C 1.3.12 re-sending a PUBLISH that was half
            // written when its connection dropped: eclipse-paho/paho.mqtt.c#1592).
            std::lock_guard lock(mutex_);
            unreadable_.push_back(message->get_payload_str());
            changed_.notify_all();
            return;
        }
        std::lock_guard lock(mutex_);
        arrivals_.push_back({message->get_topic(), event_id, std::chrono::steady_clock::now()});
        last_arrival_ = arrivals_.back().at;
        if (seen_.insert(event_id).second) first_order_.push_back(event_id);
        if (acked_.count(event_id) == 0) {
            outstanding_[event_id] = message->get_topic();
            max_outstanding_ = std::max(max_outstanding_, outstanding_.size());
        }
        if (mode_ == Mode::AckAll) {
            to_ack_.push_back({message->get_topic(), event_id});
            outstanding_.erase(event_id);
        }
        changed_.notify_all();
    }

    // The worker: notices the SUBACK, and publishes queued acks grouped by
    // station, at most 1000 per message (ack.schema.json).
    void work() {
        std::unique_lock lock(mutex_);
        while (!stopping_) {
            if (subscribe_token_ && subscribe_token_->is_complete()) {
                subscribe_token_.reset();
                subscribed_ = true;
                changed_.notify_all();
            }
            if (mode_ == Mode::AckWhenStalled && !outstanding_.empty() &&
                std::chrono::steady_clock::now() - last_arrival_ > std::chrono::milliseconds(100)) {
                for (const auto& [event_id, topic] : outstanding_)
                    to_ack_.push_back({topic, event_id});
                outstanding_.clear();
            }
            if (to_ack_.empty()) {
                changed_.wait_for(lock, std::chrono::milliseconds(20));
                continue;
            }
            std::map<std::string, nlohmann::json> batches;  // acks topic -> acks
            while (!to_ack_.empty()) {
                const Pending pending = to_ack_.front();
                to_ack_.pop_front();
                const std::string acks_topic =
                    pending.topic.substr(0, pending.topic.rfind('/')) + "/acks";
                nlohmann::json& batch = batches[acks_topic];
                if (batch.size() >= 1000) {
                    to_ack_.push_front(pending);
                    break;
                }
                nlohmann::json ack{{"event_id", pending.event_id}};
                if (auto rejected = rejections_.find(pending.event_id);
                    rejected != rejections_.end()) {
                    ack["result"] = "rejected";
                    ack["reason"] = rejected->second;
                } else {
                    ack["result"] = acked_.insert(pending.event_id).second ? "stored" : "duplicate";
                }
                acked_.insert(pending.event_id);
                batch.push_back(std::move(ack));
            }
            lock.unlock();
            std::size_t sent = 0;
            std::size_t messages = 0;
            for (const auto& [topic, acks] : batches) {
                const nlohmann::json message{{"schema", "packline.ack/1"},
                                             {"event_id", station::new_event_id()},
                                             {"sent_at_ms", now_ms()},
                                             {"acks", acks}};
                try {
                    client_.publish(topic, message.dump(), 1, false);
                    sent += acks.size();
                    ++messages;
                } catch (const mqtt::exception&) {  // disconnected: the station re-sends
                }
            }
            lock.lock();
            acks_sent_ += sent;
            ack_messages_sent_ += messages;
        }
    }

    std::string uri_;
    Options options_;
    mqtt::async_client client_;
    mqtt::token_ptr connect_token_;

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    bool stopping_ = false;
    bool subscribed_ = false;
    mqtt::token_ptr subscribe_token_;
    Mode mode_ = Mode::AckAll;
    std::map<std::string, std::string> rejections_;
    std::vector<Arrival> arrivals_;
    std::vector<std::string> unreadable_;
    std::vector<std::string> statuses_;
    std::vector<std::string> first_order_;
    std::set<std::string> seen_;
    std::set<std::string> acked_;
    std::map<std::string, std::string> outstanding_;  // event id -> topic
    std::size_t max_outstanding_ = 0;
    std::deque<Pending> to_ack_;
    std::size_t acks_sent_ = 0;
    std::size_t ack_messages_sent_ = 0;
    std::chrono::steady_clock::time_point last_arrival_{};
    std::thread worker_;
};

}  // namespace packline::testing
