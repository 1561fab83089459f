// The Paho MQTT C++ adapter: with mqtt_failures.cpp, the only file that
// includes Paho. Every Paho
// call is wrapped in try/catch here, and its failures become Errors.
//
// Why the connector thread instead of Paho's automatic reconnect: Paho
// reconnects with the connect options of the first connection, so every
// reconnection would register the same will with the same event id, and the
// hub (which deduplicates by event id) would drop every offline status after
// the first. Our own loop makes a fresh will per connection, and it is also
// where the MQTT 5 -> 3.1.1 fall-back happens (Paho fixes the version when
// the client object is created).
#include "packline/sync/mqtt_client.h"

#include <mqtt/async_client.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <thread>

#include "mqtt_failures.h"
#include "packline/sync/sync_errors.h"
#include "packline/sync/topics.h"
#include "socket_tuning.h"
#include "tls_probe.h"

namespace packline::sync {
namespace {

constexpr int kQos = 1;  // every publication of the contract

std::string lower(std::string text) {
    for (char& character : text)
        if (character >= 'A' && character <= 'Z')
            character = static_cast<char>(character - 'A' + 'a');
    return text;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string text;
    for (const std::string& part : parts) {
        if (!text.empty()) text += separator;
        text += part;
    }
    return text;
}

// Detaches our callbacks from a Paho client. Paho refuses while a connect is
// in progress (MQTTAsync_setCallbacks returns MQTTASYNC_FAILURE and the C++
// wrapper throws); the handler gate keeps our handlers quiet then.
void quiet(mqtt::async_client& paho) {
    try {
        paho.disable_callbacks();
    } catch (const mqtt::exception&) {
    }
}

}  // namespace

struct MqttClient::Impl {
    MqttSettings settings;
    StationIdentity identity;
    std::string software_version;
    MqttHandlers handlers;
    // false for a service client (create_service): no will, no offline status.
    bool is_station = true;
    std::string client_id;
    std::string status_topic;
    std::vector<std::string> subscriptions;
    std::string broker_list;  // for messages: "tcp://a:1883,tcp://b:1883"
    bool uses_tls = false;

    // client, version, last_error, attempts, stopping: under `mutex`.
    mutable std::mutex mutex;
    std::condition_variable changed;
    std::shared_ptr<mqtt::async_client> client;
    // The options of the current and the previous connection attempt, kept
    // alive because Paho points into them (see connect_once).
    std::unique_ptr<mqtt::connect_options> current_options;
    std::unique_ptr<mqtt::connect_options> previous_options;
    int requested_version = MQTTVERSION_5;
    int negotiated_version = 0;
    std::optional<Error> last_error;
    std::int64_t attempts_finished = 0;
    // The connector thread's: the broker confirmed (SUBACK) the station's
    // subscriptions on the session it holds for this client id.
    bool subscriptions_confirmed = false;
    bool stopping = false;
    bool dropped = false;  // the connection being made was lost again
    bool started = false;
    bool stopped = false;
    std::atomic<bool> is_connected{false};
    std::atomic<std::int64_t> connections{0};

    // Serialises the connection handler's calls so that "true" and "false"
    // arrive in the order they happened, and lets stop() wait out a handler
    // that is running: after it, no handler runs.
    std::shared_mutex handler_gate;
    bool handlers_enabled = true;  // under handler_gate
    std::mutex connection_event;

    std::thread connector;

    // A delivery that failed after publish() returned: the broker refused it
    // (MQTT 5 PUBACK reason code, e.g. 135 by its ACL) or the connection
    // dropped. The outbox drain re-sends on its own; this only reports.
    struct PublishListener final : mqtt::iaction_listener {
        Impl* owner = nullptr;
        void on_success(const mqtt::token&) override {}
        void on_failure(const mqtt::token& token) override {
            const int reason = static_cast<int>(token.get_reason_code());
            std::string words;
            if (reason >= 128) {
                words = lower(mqtt::exception::reason_code_str(reason)) + " (PUBACK " +
                        std::to_string(reason) + ")";
            } else {
                words = paho_code_text(token.get_return_code());
            }
            std::lock_guard lock(owner->mutex);
            owner->last_error = Error{errors::kSyncMqttPublish, "mqtt: publish: " + words};
        }
    } publish_listener;

    Error context(const Error& error, std::string_view step) const {
        return error.context("mqtt: " + std::string(step) + " " + broker_list);
    }

    // --- handlers, through the gate ---
    void deliver_message(const mqtt::const_message_ptr& message) {
        std::shared_lock gate(handler_gate);
        if (!handlers_enabled || !handlers.message || !message) return;
        handlers.message(message->get_topic(), message->get_payload_str());
    }

    void report_connection(bool connected) {
        std::shared_lock gate(handler_gate);
        if (!handlers_enabled) return;
        std::lock_guard order(connection_event);
        const bool was = is_connected.exchange(connected);
        if (was == connected) return;
        if (handlers.connection) handlers.connection(connected);
    }

    void connection_dropped() {
        {
            std::lock_guard lock(mutex);
            dropped = true;
        }
        report_connection(false);
        std::lock_guard lock(mutex);
        changed.notify_all();
    }

    std::shared_ptr<mqtt::async_client> current_client() const {
        std::lock_guard lock(mutex);
        return client;
    }

    // Makes the Paho client for `version` (the version is fixed at creation).
    Status make_client(int version) {
        try {
            mqtt::create_options create(version);
            // Paho refuses a publication ("too many buffered messages") when
            // more than this many wait in its command queue, also while
            // connected (default 100). A service (the hub acknowledging
            // hundreds of stations in one burst) and a station with a large
            // window both need more room.
            create.set_max_buffered_messages(std::max(1000, settings.window * 4));
            auto made = std::make_shared<mqtt::async_client>(settings.brokers.front(), client_id,
                                                             create, nullptr);
            made->set_message_callback(
                [this](mqtt::const_message_ptr message) { deliver_message(message); });
            made->set_connection_lost_handler([this](const std::string&) { connection_dropped(); });
            // MQTT 5: the broker sent DISCONNECT (e.g. another client took the id).
            made->set_disconnected_handler(
                [this](const mqtt::properties&, mqtt::ReasonCode) { connection_dropped(); });
            std::shared_ptr<mqtt::async_client> old;
            {
                std::lock_guard lock(mutex);
                old = std::move(client);
                client = std::move(made);
                requested_version = version;
            }
            if (old) quiet(*old);
            return {};
        } catch (const mqtt::exception& failure) {
            return context(Error{errors::kSyncMqttSettings, failure.what()}, "create client for");
        }
    }

    mqtt::connect_options connect_options(const std::string& will_payload, int version) {
        mqtt::connect_options options;
        options.set_mqtt_version(version);
        if (version >= MQTTVERSION_5) {
            options.set_clean_start(false);
            mqtt::properties properties;
            properties.add(mqtt::property(mqtt::property::SESSION_EXPIRY_INTERVAL,
                                          static_cast<int>(settings.session_expiry.count())));
            options.set_properties(properties);
        } else {
            options.set_clean_session(false);
        }
        options.set_keep_alive_interval(settings.keep_alive);
        options.set_connect_timeout(settings.connect_timeout);
        options.set_automatic_reconnect(false);
        // Paho refuses a publication beyond this many unacknowledged by the
        // broker; the drain's window plus room for the status.
        options.set_max_inflight(settings.window + 16);
        if (settings.brokers.size() > 1)
            options.set_servers(mqtt::string_collection::create(settings.brokers));
        if (!settings.username.empty()) options.set_user_name(settings.username);
        if (!settings.password.empty()) options.set_password(settings.password);
        if (is_station)
            options.set_will(mqtt::will_options(status_topic, will_payload, kQos, true));
        if (uses_tls) {
            mqtt::ssl_options ssl;
            if (!settings.ca_file.empty()) ssl.set_trust_store(settings.ca_file);
            if (!settings.cert_file.empty()) ssl.set_key_store(settings.cert_file);
            if (!settings.key_file.empty()) ssl.set_private_key(settings.key_file);
            ssl.set_enable_server_cert_auth(true);
            ssl.set_verify(true);  // the certificate must name the host we dialled
            options.set_ssl(std::move(ssl));
        }
        return options;
    }

    // Paho says only "TCP/TLS connect failure" (or "TCP connect completion
    // failure" when TLS 1.3 lets the handshake finish and the broker then
    // drops a client without the certificate it wants): ask OpenSSL why.
    std::string tls_reason(std::string_view paho_message) const {
        if (!uses_tls || (paho_message != "TCP/TLS connect failure" &&
                          paho_message != "TCP connect completion failure"))
            return "";
        const auto ssl_broker =
            std::find_if(settings.brokers.begin(), settings.brokers.end(),
                         [](const std::string& uri) { return uri.starts_with("ssl://"); });
        return probe_tls(
            *ssl_broker, TlsProbeFiles{settings.ca_file, settings.cert_file, settings.key_file},
            std::min<std::chrono::milliseconds>(settings.connect_timeout, std::chrono::seconds(2)));
    }

    // Waits for a Paho token in slices, so that stop() is not held up by a
    // broker that never answers. False on timeout or stop.
    bool wait_token(const mqtt::token_ptr& token, std::chrono::milliseconds limit) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < deadline) {
            if (token->wait_for(std::chrono::milliseconds(100))) return true;
            std::lock_guard lock(mutex);
            if (stopping) return false;
        }
        return false;
    }

    // One connection attempt with subscriptions; falls back to 3.1.1 once.
    Status connect_once() {
        for (int round = 0; round < 2; ++round) {
            auto paho = current_client();
            int version = 0;
            {
                std::lock_guard lock(mutex);
                version = requested_version;
            }
            Result<std::string> will = std::string();
            if (is_station) {
                if (!handlers.next_envelope)
                    return Error{errors::kSyncMqttSettings,
                                 "mqtt: no envelope source for the will"};
                will = offline_status_json(identity, handlers.next_envelope(), software_version,
                                           OfflineReason::ConnectionLost);
                if (!will) return context(will.error(), "make the will for");
            }

            bool session_present = false;
            const std::set<ino_t> sockets_before = tcp_socket_inodes();
            try {
                // Paho C keeps pointers into the options (the TLS error
                // callback's context is the ssl_options object) for the
                // life of the connection: they must outlive it.
                auto options =
                    std::make_unique<mqtt::connect_options>(connect_options(*will, version));
                auto token = paho->connect(*options);
                {
                    std::lock_guard lock(mutex);
                    previous_options = std::move(current_options);
                    current_options = std::move(options);
                }
                const auto limit =
                    std::chrono::milliseconds(settings.connect_timeout) + std::chrono::seconds(2);
                if (!wait_token(token, limit)) {
                    try {
                        paho->disconnect(0);
                    } catch (const mqtt::exception&) {  // nothing to disconnect: fine
                    }
                    return context(
                        Error{errors::kSyncMqttConnect,
                              "no answer within " + std::to_string(limit.count()) + " ms"},
                        "connect");
                }
                const auto response = token->get_connect_response();
                session_present = response.is_session_present();
                disable_nagle(sockets_before, uri_port(response.get_server_uri()));
                std::lock_guard lock(mutex);
                negotiated_version = response.get_mqtt_version();
            } catch (const mqtt::exception& failure) {
                const std::string detail = tls_reason(failure.get_message());
                ConnectFailure described =
                    describe_connect_failure(failure.get_return_code(), failure.get_reason_code(),
                                             failure.get_message(), version, detail, uses_tls);
                if (described.version_refused && version == MQTTVERSION_5 && round == 0) {
                    // A 3.1.1 broker: stay on 3.1.1 for the life of the process.
                    if (auto made = make_client(MQTTVERSION_3_1_1); !made) return made;
                    continue;
                }
                return context(described.error, "connect");
            }
            // A service subscribes on every connection: its filters may have
            // changed since the broker stored its session (a site added). A
            // station skips it only when the broker kept its session and this
            // process saw that session's subscriptions confirmed: the broker
            // keeps a session from CONNECT on but the subscriptions only from
            // their SUBACK, so a connection lost in between (or a station
            // that died in between, in an earlier run) leaves a session
            // without them, and "session present" alone would mean
            // "subscribed to nothing, for as long as the session lives".
            if ((!session_present || !is_station || !subscriptions_confirmed) &&
                !subscriptions.empty()) {
                subscriptions_confirmed = false;
                if (auto subscribed = subscribe(*paho, version); !subscribed) {
                    try {
                        paho->disconnect(0)->wait_for(settings.connect_timeout);
                    } catch (const mqtt::exception&) {  // already gone: fine
                    }
                    return subscribed;
                }
                subscriptions_confirmed = true;
            }
            return {};
        }
        return context(Error{errors::kSyncMqttConnect, "the broker refused MQTT 5 and 3.1.1"},
                       "connect");
    }

    Status subscribe(mqtt::async_client& paho, int version) {
        try {
            // (filters, token) per SUBSCRIBE packet.
            std::vector<std::pair<std::vector<std::string>, mqtt::token_ptr>> sent;
            if (is_station && version >= MQTTVERSION_5) {
                // MQTT 5: a subscription the session already holds brings
                // no retained messages again (retain handling 1), so
                // subscribing on a session that kept everything costs
                // nothing. One filter per SUBSCRIBE, all sent before any
                // SUBACK is awaited: Paho C++ 1.2 loses the options of a
                // many-filter subscribe and MQTTAsync_subscribeMany
                // dereferences the null it gets (eclipse-paho/paho.mqtt.cpp#524).
                const mqtt::subscribe_options options(
                    false, false, mqtt::subscribe_options::SEND_RETAINED_ON_NEW);
                for (const std::string& filter : subscriptions)
                    sent.emplace_back(std::vector<std::string>{filter},
                                      paho.subscribe(filter, kQos, options));
            } else {
                // MQTT 3.1.1 has no such option: on a session that kept the
                // subscriptions the broker sends the retained orders, SKUs
                // and packaging again, and the inbox drops them by event id.
                sent.emplace_back(subscriptions,
                                  paho.subscribe(mqtt::string_collection::create(subscriptions),
                                                 mqtt::iasync_client::qos_collection(
                                                     subscriptions.size(), kQos)));
            }
            const auto deadline = std::chrono::steady_clock::now() + settings.connect_timeout;
            for (const auto& [filters, token] : sent) {
                const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now());
                if (!wait_token(token, std::max(left, std::chrono::milliseconds(0))))
                    return context(Error{errors::kSyncMqttSubscribe, "no SUBACK in time"},
                                   "subscribe at");
                const auto codes = token->get_subscribe_response().get_reason_codes();
                for (std::size_t index = 0; index < codes.size() && index < filters.size();
                     ++index) {
                    const int code = static_cast<int>(codes[index]);
                    if (code >= 128)
                        return context(Error{errors::kSyncMqttSubscribe,
                                             "'" + filters[index] + "' refused (SUBACK " +
                                                 std::to_string(code) + ")"},
                                       "subscribe at");
                }
            }
            return {};
        } catch (const mqtt::exception& failure) {
            return context(Error{errors::kSyncMqttSubscribe, failure.what()}, "subscribe at");
        }
    }

    void connector_loop() {
        auto backoff = settings.reconnect_min;
        bool immediately = true;  // the first attempt, and the first after a loss
        std::unique_lock lock(mutex);
        while (!stopping) {
            if (is_connected) {
                changed.wait(lock, [this] { return stopping || !is_connected; });
                immediately = true;
                backoff = settings.reconnect_min;
                continue;
            }
            if (!immediately) {
                if (changed.wait_for(lock, backoff, [this] { return stopping; })) break;
                backoff = std::min(backoff * 2, settings.reconnect_max);
            }
            immediately = false;
            dropped = false;
            lock.unlock();
            Status attempt = connect_once();
            if (attempt) {
                connections.fetch_add(1);
                report_connection(true);
                // Lost before "true" was reported: report the loss after it.
                bool lost_again = false;
                {
                    std::lock_guard again(mutex);
                    lost_again = dropped;
                }
                if (lost_again) report_connection(false);
            }
            lock.lock();
            if (attempt) {
                last_error.reset();
                backoff = settings.reconnect_min;
            } else {
                last_error = attempt.error();
            }
            ++attempts_finished;
            changed.notify_all();
        }
    }

    // Publishes and waits for the broker's PUBACK, at most connect_timeout.
    Status publish_confirmed(std::string_view topic, std::string_view payload, bool retained) {
        auto paho = current_client();
        if (!paho || !is_connected)
            return Error{errors::kSyncMqttOffline, "mqtt: publish to " + std::string(topic) +
                                                       ": not connected to " + broker_list};
        try {
            auto message = mqtt::make_message(std::string(topic), payload.data(), payload.size(),
                                              kQos, retained);
            auto token = paho->publish(message);
            if (!wait_token(token, std::chrono::milliseconds(settings.connect_timeout)))
                return Error{errors::kSyncMqttPublish,
                             "mqtt: publish to " + std::string(topic) + ": no PUBACK in time"};
            const int reason = static_cast<int>(token->get_reason_code());
            if (reason >= 128)
                return Error{errors::kSyncMqttPublish,
                             "mqtt: publish to " + std::string(topic) + ": " +
                                 lower(mqtt::exception::reason_code_str(reason)) + " (PUBACK " +
                                 std::to_string(reason) + ")"};
            return {};
        } catch (const mqtt::exception& failure) {
            const int code = failure.get_return_code();
            const int reason = failure.get_reason_code();
            std::string words = reason >= 128 ? lower(mqtt::exception::reason_code_str(reason)) +
                                                    " (PUBACK " + std::to_string(reason) + ")"
                                              : paho_code_text(code);
            return Error{code == -3 ? errors::kSyncMqttOffline : errors::kSyncMqttPublish,
                         "mqtt: publish to " + std::string(topic) + ": " + words};
        }
    }

    Status publish(std::string_view topic, std::string_view payload, bool retained) {
        auto paho = current_client();
        if (!paho || !is_connected)
            return Error{errors::kSyncMqttOffline, "mqtt: publish to " + std::string(topic) +
                                                       ": not connected to " + broker_list};
        try {
            auto message = mqtt::make_message(std::string(topic), payload.data(), payload.size(),
                                              kQos, retained);
            paho->publish(message, nullptr, publish_listener);
            return {};
        } catch (const mqtt::exception& failure) {
            const int code = failure.get_return_code();
            return Error{code == -3 ? errors::kSyncMqttOffline : errors::kSyncMqttPublish,
                         "mqtt: publish to " + std::string(topic) + ": " + paho_code_text(code)};
        }
    }
};

Result<std::unique_ptr<MqttClient>> MqttClient::create(const MqttSettings& settings,
                                                       const StationIdentity& identity,
                                                       std::string software_version,
                                                       MqttHandlers handlers) {
    if (auto valid = validate_mqtt_settings(settings); !valid) return valid.error();
    if (!handlers.next_envelope)
        return Error{errors::kSyncMqttSettings, "mqtt: the client needs an envelope source"};
    auto status_topic = build_topic(Topic{TopicKind::Status, identity.site, identity.station, ""});
    if (!status_topic) return status_topic.error().context("mqtt: station identity");
    auto subscriptions = station_subscriptions(identity.site, identity.station);
    if (!subscriptions) return subscriptions.error().context("mqtt: station identity");

    auto impl = std::make_unique<Impl>();
    impl->settings = settings;
    impl->identity = identity;
    impl->software_version = std::move(software_version);
    impl->handlers = std::move(handlers);
    impl->client_id = settings.client_id.empty()
                          ? default_client_id(identity.site, identity.station)
                          : settings.client_id;
    impl->status_topic = std::move(status_topic.value());
    impl->subscriptions = std::move(subscriptions.value());
    impl->broker_list = join(settings.brokers, ",");
    impl->uses_tls = std::any_of(settings.brokers.begin(), settings.brokers.end(),
                                 [](const std::string& uri) { return uri.starts_with("ssl://"); });
    impl->publish_listener.owner = impl.get();
    const int version =
        settings.mqtt_version == MqttVersion::V5 ? MQTTVERSION_5 : MQTTVERSION_3_1_1;
    if (auto made = impl->make_client(version); !made) return made.error();
    return std::unique_ptr<MqttClient>(new MqttClient(std::move(impl)));
}

Result<std::unique_ptr<MqttClient>> MqttClient::create_service(const MqttSettings& settings,
                                                               ServiceClientOptions options,
                                                               MqttHandlers handlers) {
    if (auto valid = validate_mqtt_settings(settings); !valid) return valid.error();
    std::string client_id = settings.client_id.empty() ? options.client_id : settings.client_id;
    if (client_id.empty())
        return Error{errors::kSyncMqttSettings, "mqtt: a service client needs a client id"};
    for (const std::string& filter : options.subscriptions)
        if (filter.empty())
            return Error{errors::kSyncMqttSettings, "mqtt: an empty subscription filter"};

    auto impl = std::make_unique<Impl>();
    impl->settings = settings;
    impl->is_station = false;
    impl->handlers = std::move(handlers);
    impl->client_id = std::move(client_id);
    impl->subscriptions = std::move(options.subscriptions);
    impl->broker_list = join(settings.brokers, ",");
    impl->uses_tls = std::any_of(settings.brokers.begin(), settings.brokers.end(),
                                 [](const std::string& uri) { return uri.starts_with("ssl://"); });
    impl->publish_listener.owner = impl.get();
    const int version =
        settings.mqtt_version == MqttVersion::V5 ? MQTTVERSION_5 : MQTTVERSION_3_1_1;
    if (auto made = impl->make_client(version); !made) return made.error();
    return std::unique_ptr<MqttClient>(new MqttClient(std::move(impl)));
}

MqttClient::MqttClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

MqttClient::~MqttClient() {
    (void)stop();
    // The Paho client goes first: its threads may still be finishing a
    // callback that touches the members below it.
    std::shared_ptr<mqtt::async_client> paho;
    {
        std::lock_guard lock(impl_->mutex);
        paho = std::move(impl_->client);
    }
    paho.reset();
}

Status MqttClient::start() {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopped) return Error{errors::kSyncMqttConnect, "mqtt: the client was stopped"};
    if (impl_->started) return {};
    impl_->started = true;
    impl_->connector = std::thread([impl = impl_.get()] { impl->connector_loop(); });
    return {};
}

Status MqttClient::wait_connected(std::chrono::milliseconds timeout) {
    std::unique_lock lock(impl_->mutex);
    const std::int64_t attempts_before = impl_->attempts_finished;
    impl_->changed.wait_for(lock, timeout, [&] {
        return impl_->is_connected || impl_->stopping ||
               (impl_->attempts_finished > attempts_before && impl_->last_error);
    });
    if (impl_->is_connected) return {};
    if (impl_->last_error) return *impl_->last_error;
    return Error{errors::kSyncMqttConnect, "mqtt: connect " + impl_->broker_list +
                                               ": not connected after " +
                                               std::to_string(timeout.count()) + " ms"};
}

Status MqttClient::publish(std::string_view topic, std::string_view payload) {
    return impl_->publish(topic, payload, false);
}

Status MqttClient::publish_retained(std::string_view topic, std::string_view payload) {
    return impl_->publish(topic, payload, true);
}

Status MqttClient::publish_confirmed(std::string_view topic, std::string_view payload,
                                     bool retained) {
    return impl_->publish_confirmed(topic, payload, retained);
}

Status MqttClient::stop() {
    {
        std::lock_guard lock(impl_->mutex);
        if (impl_->stopped) return {};
        impl_->stopped = true;
        impl_->stopping = true;
        impl_->changed.notify_all();
    }
    if (impl_->connector.joinable()) impl_->connector.join();

    Status result;
    auto paho = impl_->current_client();
    const auto limit = std::chrono::milliseconds(impl_->settings.connect_timeout);
    if (paho && impl_->is_connected && impl_->is_station) {
        auto status = offline_status_json(impl_->identity, impl_->handlers.next_envelope(),
                                          impl_->software_version, OfflineReason::Shutdown);
        try {
            if (!status) {
                result = status.error().context("mqtt: offline status");
            } else {
                auto token =
                    paho->publish(impl_->status_topic, status->data(), status->size(), kQos, true);
                if (!token->wait_for(limit))
                    result =
                        Error{errors::kSyncMqttPublish, "mqtt: offline status: no PUBACK in time"};
            }
        } catch (const mqtt::exception& failure) {
            result = Error{errors::kSyncMqttPublish,
                           std::string("mqtt: offline status: ") + failure.what()};
        }
    }
    if (paho && impl_->is_connected) {
        try {
            paho->disconnect(limit)->wait_for(limit + std::chrono::seconds(1));
        } catch (const mqtt::exception& failure) {
            if (result)
                result = Error{errors::kSyncMqttConnect,
                               std::string("mqtt: disconnect: ") + failure.what()};
        }
    }
    {
        // After this no handler runs, and none is running.
        std::unique_lock gate(impl_->handler_gate);
        impl_->handlers_enabled = false;
    }
    impl_->is_connected = false;
    if (paho) quiet(*paho);
    return result;
}

bool MqttClient::connected() const {
    return impl_->is_connected;
}

int MqttClient::mqtt_version() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->negotiated_version;
}

std::optional<Error> MqttClient::last_error() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->last_error;
}

const std::string& MqttClient::client_id() const {
    return impl_->client_id;
}

std::int64_t MqttClient::connection_count() const {
    return impl_->connections.load();
}

}  // namespace packline::sync
