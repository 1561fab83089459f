#include "mqtt_failures.h"

#include <mqtt/async_client.h>

#include "packline/sync/sync_errors.h"

namespace packline::sync {

namespace {

std::string lower(std::string text) {
    for (char& character : text)
        if (character >= 'A' && character <= 'Z')
            character = static_cast<char>(character - 'A' + 'a');
    return text;
}

}  // namespace

std::string paho_code_text(int code) {
    switch (code) {
        case -1:
            return "failure";
        case -2:
            return "persistence error";
        case -3:
            return "not connected";
        case -4:
            return "too many messages in flight";
        case -5:
            return "bad UTF-8 string";
        case -6:
            return "bad parameter";
        case -7:
            return "bad topic";
        case -8:
            return "bad structure";
        case -9:
            return "bad QoS";
        case -10:
            return "no more message ids";
        case -11:
            return "operation incomplete";
        case -12:
            return "too many buffered messages";
        case -13:
            return "SSL not supported by this Paho build";
        case -14:
            return "bad protocol in the broker address";
        case -15:
            return "bad MQTT option";
        case -16:
            return "wrong MQTT version";
        case -17:
            return "zero-length will topic";
        case -18:
            return "command ignored";
        default:
            return "error " + std::to_string(code);
    }
}

std::string connack_v3_text(int code) {
    switch (code) {
        case 1:
            return "unacceptable protocol version";
        case 2:
            return "client id rejected";
        case 3:
            return "server unavailable";
        case 4:
            return "bad user name or password";
        case 5:
            return "not authorized";
        default:
            return "refused";
    }
}

ConnectFailure describe_connect_failure(int code, int reason_code, std::string_view paho_message,
                                        int mqtt_version, std::string_view tls_detail,
                                        bool over_tls) {
    const int connack = reason_code >= 128 ? reason_code : code;
    ConnectFailure failure;
    if (connack >= 128) {
        std::string words = lower(mqtt::exception::reason_code_str(connack));
        if (words.empty()) words = "refused";
        failure.error =
            Error{errors::kSyncMqttConnect, words + " (CONNACK " + std::to_string(connack) + ")"};
        if (connack == 134 || connack == 135 || connack == 133 || connack == 138 || connack == 140)
            failure.error.code = errors::kSyncMqttAuth;
        failure.version_refused = connack == 132;
    } else if (connack >= 1 && connack <= 5) {
        failure.error = Error{errors::kSyncMqttConnect, connack_v3_text(connack) + " (CONNACK " +
                                                            std::to_string(connack) + ")"};
        if (connack == 2 || connack == 4 || connack == 5)
            failure.error.code = errors::kSyncMqttAuth;
        failure.version_refused = connack == 1 && mqtt_version == MQTTVERSION_5;
    } else if (!tls_detail.empty()) {
        failure.error = Error{errors::kSyncMqttTls, "TLS: " + std::string(tls_detail)};
    } else {
        std::string words = paho_message.empty() ? paho_code_text(code) : std::string(paho_message);
        if (words == "TCP/TLS connect failure") words = "cannot reach the broker (" + words + ")";
        // Over TLS 1.3 a broker that wants a client certificate accepts the
        // handshake and then drops the connection; Paho only sees the drop.
        if (words == "TCP connect completion failure" && over_tls)
            words =
                "the broker closed the connection before CONNACK (does it require a client "
                "certificate?)";
        failure.error = Error{errors::kSyncMqttConnect, words};
    }
    return failure;
}

}  // namespace packline::sync
