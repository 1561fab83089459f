// How a station reaches its site's broker: addresses, identity, credentials,
// TLS files, timing, and the outbox drain's window. Plain data; the Paho
// client (mqtt_client.h) and the outbox drain (outbox_drain.h) read it.
// Defaults follow docs/mqtt/asyncapi.yaml (keep-alive 30 s, persistent
// session, QoS 1).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "packline/error.h"

namespace packline::sync {

enum class MqttVersion {
    // MQTT 5; when the broker refuses it (CONNACK "unacceptable protocol
    // version" / "unsupported protocol version"), the client falls back to
    // 3.1.1 for the rest of the process and says so in mqtt_version().
    V5,
    V3_1_1,  // 3.1.1 only
};

struct MqttSettings {
    // "tcp://host:1883" or "ssl://host:8883", tried in order on every
    // (re)connect. At least one.
    std::vector<std::string> brokers;
    // Empty: "packline-<site>-<station>" (asyncapi.yaml, clientId binding),
    // which the broker's ACL can match with %c.
    std::string client_id;
    // Both empty: connect without credentials.
    std::string username;
    std::string password;
    // ssl:// only. The CA that signed the broker's certificate (PEM); empty
    // means the system's CA bundle. The broker's certificate is always
    // verified, and its name must match the host in the URI.
    std::string ca_file;
    // ssl:// only, optional: a client certificate (PEM) and its key, for
    // brokers that require one (mosquitto require_certificate).
    std::string cert_file;
    std::string key_file;

    std::chrono::seconds keep_alive{30};
    std::chrono::seconds connect_timeout{10};
    // After a failed attempt or a lost connection the client waits min, then
    // doubles up to max, until a connection succeeds.
    std::chrono::milliseconds reconnect_min{1000};
    std::chrono::milliseconds reconnect_max{60000};
    // How long the broker keeps the station's session (subscriptions and QoS
    // 1 messages queued for it) while it is away. MQTT 5 only: a 3.1.1
    // broker keeps it by its own rule (mosquitto: persistent_client_expiration).
    std::chrono::seconds session_expiry{std::chrono::hours(24 * 7)};

    MqttVersion mqtt_version = MqttVersion::V5;

    // Outbox drain: at most this many rows published and not yet
    // acknowledged by the hub.
    int window = 64;
    // A published row the hub has not acknowledged after this long is
    // published again (and again after every reconnect).
    std::chrono::milliseconds ack_timeout{30000};
};

// The default client id: "packline-<site>-<station>".
std::string default_client_id(std::string_view site, std::string_view station);

// Checks what can be checked without a network: broker URIs (scheme tcp or
// ssl, a host, a port), a window of 1 to 65535, positive timings with
// reconnect_min <= reconnect_max, a key with a certificate and vice versa,
// a password only with a user name, and that the named files exist.
// Error "sync.mqtt_settings" names the member.
Status validate_mqtt_settings(const MqttSettings& settings);

}  // namespace packline::sync
