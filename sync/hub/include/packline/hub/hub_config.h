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
//   [dashboard]                     # the supervisor dashboard (docs/dashboard.md)
//   enabled = true
//   listen = "127.0.0.1:8480"       # host:port; "[::1]:8480" for IPv6; port 0 = any free port
//   session_hours = 12              # a sign-in lasts at most this long, 1 to 168
//   idle_minutes = 30               # ... or this long unused, 1 to 1440
//   shift_starts = ["06:00", "14:00", "22:00"]  # local time; shift figures count from the last
//   ship_within_hours = 24          # deadline of an order without ship_by, 1 to 720
//   cert_file = "hub.crt"           # HTTPS: both or neither, relative to the file's directory
//   key_file = "hub.key"
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

// [dashboard]: the supervisor dashboard served by `packline-hub run`.
struct DashboardConfig {
    bool enabled = true;
    // Where the HTTP server listens: "host:port" (an IPv6 host in brackets).
    // Loopback by default: exposing it is a decision (with cert_file/key_file).
    std::string listen = "127.0.0.1:8480";
    std::int64_t session_hours = 12;
    std::int64_t idle_minutes = 30;
    // "HH:MM" local times, sorted, no repeats.
    std::vector<std::string> shift_starts = {"06:00", "14:00", "22:00"};
    std::int64_t ship_within_hours = 24;
    // TLS certificate chain and private key (PEM); both empty: plain HTTP.
    std::string cert_file;
    std::string key_file;
};

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
    DashboardConfig dashboard;
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
