// MqttSettings from a configuration section given as key = value text: the
// station's [sync] table and the hub's [mqtt] table both come through here,
// so the two programs read their broker settings the same way
// (docs/mqtt/README.md, "The station side"; docs/hub.md).
//
// Keys (all optional except brokers):
//   brokers            "tcp://host:1883,ssl://host2:8883" (a TOML array is
//                      passed joined with ',')
//   client_id, username, password, password_file (the password is the file's
//   first line; not both), ca_file, cert_file, key_file
//   keep_alive_s, connect_timeout_s, session_expiry_s,
//   reconnect_min_ms, reconnect_max_ms, window, ack_timeout_ms
//   mqtt_version       "5" (falls back to 3.1.1) or "3.1.1"
// Unknown keys are refused (a misspelt key would otherwise be silently
// ignored), and so are numbers that are not whole numbers in range. The
// result is checked with validate_mqtt_settings. Error "sync.mqtt_settings"
// names the section and key.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "packline/error.h"
#include "packline/sync/mqtt_settings.h"

namespace packline::sync {

Result<MqttSettings> mqtt_settings_from_options(const std::map<std::string, std::string>& options,
                                                std::string_view section);

// The keys above, in the order they are documented. The station's config
// parser keeps its own copy (it does not link this module); a test holds
// the two equal.
const std::vector<std::string_view>& mqtt_option_names();

}  // namespace packline::sync
