// Why a connection to the broker failed, in words an operator can act on:
// Paho's return codes, MQTT 3.1.1 CONNACK codes and MQTT 5 reason codes
// become Errors (sync.mqtt_connect, sync.mqtt_auth, sync.mqtt_tls).
#pragma once

#include <string>
#include <string_view>

#include "packline/error.h"

namespace packline::sync {

// Paho C return codes (MQTTAsync.h) that can reach us, in words.
std::string paho_code_text(int code);
// MQTT 3.1.1 CONNACK return codes (section 3.2.2.3).
std::string connack_v3_text(int code);

// What Paho says about a failed connect, as an Error. `code` is Paho's
// return code (negative), a 3.1.1 CONNACK code (1-5) or an MQTT 5 reason
// code (>= 128).
struct ConnectFailure {
    Error error;
    bool version_refused = false;  // the broker does not speak the version we asked for
};

ConnectFailure describe_connect_failure(int code, int reason_code, std::string_view paho_message,
                                        int mqtt_version, std::string_view tls_detail,
                                        bool over_tls);

}  // namespace packline::sync
