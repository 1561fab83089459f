// The station's MQTT connection (Paho MQTT C++ behind a pimpl: no Paho type
// leaves sync/src). One client per station:
//   - connects with a persistent session (MQTT 5: clean start off and a
//     session expiry; 3.1.1: clean session off), QoS 1 everywhere;
//   - registers the will: the station's offline status (outbound.h,
//     offline_reason connection_lost, retained) on its status topic, made
//     afresh with a new envelope for every connection, so each connection
//     loss is a new message the hub does not deduplicate away;
//   - subscribes to station_subscriptions() (acks, commands, tracking pool,
//     the site's orders, SKUs and packaging) when the broker has no session
//     for it (first connect, or a broker that lost its state);
//   - reconnects by itself with back-off (reconnect_min doubling up to
//     reconnect_max) until stop();
//   - on stop(), publishes the offline status (offline_reason shutdown)
//     itself, because a clean disconnect does not fire the will;
//   - create_service() makes the same client for the hub: its own
//     subscriptions (made on every connection, since they may have changed
//     since the broker stored the session), no will, no offline status, and
//     more room in Paho's queue (max(1000, 4 x window) messages);
//   - turns Nagle's algorithm off on its socket (Paho does not), which
//     otherwise stalls every small QoS 1 packet by up to 40 ms;
//   - explains TLS failures in OpenSSL's words ("certificate verify failed:
//     self-signed certificate in certificate chain"), which Paho does not.
// Paho exceptions never leave this class: every failure is an Error whose
// message names the step and the broker ("mqtt: connect
// tcp://127.0.0.1:1883: not authorized (CONNACK 135)").
//
// Error codes:
//   sync.mqtt_settings   the settings or identity cannot work (validate_mqtt_settings)
//   sync.mqtt_connect    no connection: broker unreachable, refused, timed out
//   sync.mqtt_auth       the broker refused the credentials or client id
//   sync.mqtt_tls        TLS failed: certificate not trusted, name mismatch, client
//                        certificate missing or refused
//   sync.mqtt_subscribe  the broker refused a subscription
//   sync.mqtt_offline    publish() while not connected (nothing was queued)
//   sync.mqtt_publish    the client refused a publication (bad topic, too many in flight)
//
// Threads. Paho runs its own threads, and this class adds one "connector"
// thread that makes every connection attempt (Paho forbids connecting from
// its callbacks). Handlers run on those threads and must only post (to the
// station loop, to the outbox drain): they never touch station state, and
// must not call stop() or destroy the client. publish(), connected(),
// mqtt_version() and last_error() may be called from any thread; start()
// and stop() from the owner's thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "packline/error.h"
#include "packline/sync/message_publisher.h"
#include "packline/sync/mqtt_settings.h"
#include "packline/sync/outbound.h"

namespace packline::sync {

struct MqttHandlers {
    // Every message that arrives on a subscribed topic, as it came. Called on
    // a Paho thread, one message at a time.
    std::function<void(std::string_view topic, std::string_view payload)> message;
    // true after every successful connection (subscriptions in place), false
    // when an established connection drops. Called on the connector or a
    // Paho thread. The station publishes its online status on true.
    std::function<void(bool connected)> connection;
    // A fresh envelope (new event id, wall clock, next value of the
    // station's sequence) for the will of each connection and for the
    // shutdown status. Required. Called on the connector thread and in stop().
    std::function<Envelope()> next_envelope;
};

// A client that is not a station (packline-hub): its own client id and
// subscription filters (e.g. "$share/packline-hub/packline/v1/ams1/stations/+/shipments"),
// no will and no offline status; otherwise the same connection rules.
struct ServiceClientOptions {
    std::string client_id;  // used when MqttSettings::client_id is empty
    std::vector<std::string> subscriptions;
};

class MqttClient final : public MessagePublisher {
  public:
    // Checks settings and identity (ids that can be topic levels) and
    // prepares the client; no I/O. `software_version` goes into the offline
    // status.
    static Result<std::unique_ptr<MqttClient>> create(const MqttSettings& settings,
                                                      const StationIdentity& identity,
                                                      std::string software_version,
                                                      MqttHandlers handlers);
    // A service client (see ServiceClientOptions). handlers.next_envelope
    // is not used and may be empty. No I/O.
    static Result<std::unique_ptr<MqttClient>> create_service(const MqttSettings& settings,
                                                              ServiceClientOptions options,
                                                              MqttHandlers handlers);
    ~MqttClient() override;  // stop()s
    MqttClient(const MqttClient&) = delete;
    MqttClient& operator=(const MqttClient&) = delete;

    // Starts the connector thread, which connects at once and keeps the
    // connection up until stop(). Returns at once; a failed attempt does not
    // end it (see last_error(), wait_connected()).
    Status start();

    // Waits until the client is connected or a connection attempt that ends
    // after this call fails, at most `timeout`. The error is that attempt's
    // (e.g. "sync.mqtt_auth"), or "sync.mqtt_connect" if none ended in time.
    // The client goes on trying either way.
    Status wait_connected(std::chrono::milliseconds timeout);

    // Publishes with QoS 1 and returns without waiting for the broker's
    // PUBACK (which proves nothing to the outbox anyway). Nothing is queued
    // while disconnected: "sync.mqtt_offline", and the caller publishes
    // again after the next connection.
    Status publish(std::string_view topic, std::string_view payload) override;
    // The same with the retain flag: the station's status.
    Status publish_retained(std::string_view topic, std::string_view payload);
    // Publishes and waits for the broker's PUBACK (at most connect_timeout):
    // for tools that must know the broker has the message before they exit
    // (the hub's import, commands), and as the slow path when too many
    // messages are in flight. An empty retained payload clears the topic.
    Status publish_confirmed(std::string_view topic, std::string_view payload, bool retained);

    // Publishes the offline status (shutdown), waits for its PUBACK and
    // disconnects, each bounded by connect_timeout; then ends the connector
    // thread. Idempotent. Returns the first failure, if any (the will then
    // tells the hub instead).
    Status stop();

    [[nodiscard]] bool connected() const;
    // 5 or 4 (3.1.1) for the current or last connection; 0 before the first.
    [[nodiscard]] int mqtt_version() const;
    // The failure of the last connection attempt or subscription, cleared by
    // a successful connection. Also records asynchronous publish failures
    // (the broker refused a publication, e.g. by its ACL).
    [[nodiscard]] std::optional<Error> last_error() const;
    [[nodiscard]] const std::string& client_id() const;
    // How many connections succeeded since start() (the first one included).
    [[nodiscard]] std::int64_t connection_count() const;

    struct Impl;  // opaque: defined in sync/src, where Paho is included

  private:
    explicit MqttClient(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace packline::sync
