// The hub's configuration file (TOML; docs/hub.md, "Configuration"):
//
//   [hub]
//   sites = ["ams1", "sha1"]        # required
//   database = "hub.db"             # relative to the file's directory
//   share_group = "packline-hub"    # "" = plain subscriptions (one instance)
//   instance = "hub-a"              # default: the host name
//   summary_interval_s = 60         # 0 = no periodic summary
//   [mqtt]                          # mqtt_options.h: brokers, client_id, username, ...
//   brokers = ["tcp://broker:1883"]
//   [pool]
//   low_water = 20                  # 0 = no top-ups
//   batch = 100                     # 1 to 1000
//
// The text passes the TOML guard (packline/toml_text.h) before toml++ sees
// it, like the station's configuration. Unknown tables and keys are refused:
// a misspelt key would otherwise be silently ignored. Error "config.invalid"
// names the file, and the key or line.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "packline/error.h"
#include "packline/sync/mqtt_settings.h"

namespace packline::hub {

struct HubConfig {
    std::vector<std::string> sites;
    std::string database = "hub.db";
    std::string share_group = "packline-hub";
    std::string instance;
    std::int64_t summary_interval_s = 60;
    // [mqtt] as text (arrays joined with ','), for mqtt_settings_from_options.
    std::map<std::string, std::string> mqtt_options;
    std::int64_t pool_low_water = 20;
    std::int64_t pool_batch = 100;
};

// `directory`: where a relative database path is taken from.
Result<HubConfig> parse_hub_config(std::string_view toml_text, std::string_view source,
                                   std::string_view directory = "");
Result<HubConfig> load_hub_config(const std::string& path);

// The broker settings of [mqtt]; `broker`, when given, replaces its brokers.
// Error "sync.mqtt_settings" names the key.
Result<sync::MqttSettings> hub_mqtt_settings(const HubConfig& config,
                                             const std::optional<std::string>& broker);

// This machine's host name when it can be a topic level, else "1".
std::string default_instance();

}  // namespace packline::hub
