#include "packline/hub/hub_config.h"

#include <toml++/toml.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "packline/base_errors.h"
#include "packline/hub/dashboard.h"
#include "packline/nearest_name.h"
#include "packline/sync/mqtt_options.h"
#include "packline/sync/sync_errors.h"
#include "packline/sync/topics.h"
#include "packline/toml_load.h"

namespace packline::hub {
namespace {

Error config_error(std::string_view source, const std::string& message) {
    return Error{errors::kConfigInvalid, std::string(source) + ": " + message};
}

Result<std::string> text_of(const toml::node& node, std::string_view source,
                            const std::string& key) {
    if (auto text = node.value_exact<std::string>()) return *text;
    if (auto integer = node.value_exact<std::int64_t>()) return std::to_string(*integer);
    if (auto flag = node.value_exact<bool>()) return std::string(*flag ? "true" : "false");
    if (const toml::array* array = node.as_array()) {
        std::string joined;
        for (const toml::node& item : *array) {
            auto part = item.value_exact<std::string>();
            if (!part) return config_error(source, "'" + key + "' must be an array of strings");
            if (!joined.empty()) joined += ",";
            joined += *part;
        }
        return joined;
    }
    return config_error(source, "'" + key + "' must be a string, a whole number or true/false");
}

// A misspelt key is refused with the nearest known one named.
Status refuse_unknown_keys(const toml::table& table, std::string_view section,
                           const std::vector<std::string_view>& known, std::string_view source) {
    for (const auto& [key, node] : table)
        if (std::find(known.begin(), known.end(), key.str()) == known.end())
            return config_error(
                source, text::unknown_name_message("key", key.str(),
                                                   "[" + std::string(section) + "]", known));
    return {};
}

Status read_integer(const toml::table& table, std::string_view key, std::int64_t& target,
                    std::int64_t min, std::int64_t max, std::string_view source,
                    std::string_view section) {
    const toml::node* node = table.get(key);
    if (node == nullptr) return {};
    auto value = node->value_exact<std::int64_t>();
    if (!value || *value < min || *value > max)
        return config_error(source, "'" + std::string(section) + "." + std::string(key) +
                                        "' must be a whole number from " + std::to_string(min) +
                                        " to " + std::to_string(max));
    target = *value;
    return {};
}

Status read_hub(const toml::table& table, HubConfig& config, std::string_view source,
                std::string_view directory) {
    if (auto known = refuse_unknown_keys(
            table, "hub", {"sites", "database", "share_group", "instance", "summary_interval_s"},
            source);
        !known)
        return known;
    if (const toml::node* sites = table.get("sites")) {
        if (auto one = sites->value_exact<std::string>()) {
            config.sites = {*one};
        } else if (const toml::array* array = sites->as_array()) {
            for (const toml::node& item : *array) {
                auto site = item.value_exact<std::string>();
                if (!site) return config_error(source, "'hub.sites' must be strings");
                config.sites.push_back(*site);
            }
        } else {
            return config_error(source, "'hub.sites' must be an array of site ids");
        }
    }
    for (const std::string& site : config.sites)
        if (!sync::valid_topic_id(site))
            return config_error(source, "'hub.sites': '" + site +
                                            "' cannot be a topic level (1 to 128 characters, "
                                            "no '/', '+', '#', control characters)");
    if (const toml::node* database = table.get("database")) {
        auto path = database->value_exact<std::string>();
        if (!path || path->empty())
            return config_error(source, "'hub.database' must be a file path");
        config.database = *path;
    }
    if (const toml::node* group = table.get("share_group")) {
        auto name = group->value_exact<std::string>();
        if (!name || (!name->empty() && !sync::valid_topic_id(*name)))
            return config_error(source, "'hub.share_group' must be \"\" or a topic level");
        config.share_group = *name;
    }
    if (const toml::node* instance = table.get("instance")) {
        auto name = instance->value_exact<std::string>();
        if (!name || !sync::valid_topic_id(*name))
            return config_error(source,
                                "'hub.instance' must be a topic level (1 to 128 "
                                "characters, no '/', '+', '#')");
        config.instance = *name;
    }
    if (!directory.empty() && std::filesystem::path(config.database).is_relative())
        config.database = (std::filesystem::path(directory) / config.database).string();
    return read_integer(table, "summary_interval_s", config.summary_interval_s, 0, 86400, source,
                        "hub");
}

Status read_pool(const toml::table& table, HubConfig& config, std::string_view source) {
    if (auto known = refuse_unknown_keys(table, "pool", {"low_water", "batch"}, source); !known)
        return known;
    if (auto status =
            read_integer(table, "low_water", config.pool_low_water, 0, 1000000, source, "pool");
        !status)
        return status;
    return read_integer(table, "batch", config.pool_batch, 1, 1000, source, "pool");
}

// "host:port", "[v6 address]:port": a host that is not empty and a port
// from 1 to 65535. Whether the host resolves is the server's business.
bool valid_listen_address(std::string_view text) {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    const std::string_view host = text.substr(0, colon);
    const std::string_view port = text.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string_view::npos)
        return false;
    const long number = std::stol(std::string(port));
    if (number < 0 || number > 65535) return false;
    if (host.front() == '[') return host.size() > 2 && host.back() == ']';
    return host.find_first_of(":[] \t") == std::string_view::npos;
}

Status read_dashboard(const toml::table& table, DashboardConfig& config, std::string_view source,
                      std::string_view directory) {
    if (auto known =
            refuse_unknown_keys(table, "dashboard",
                                {"enabled", "listen", "session_hours", "idle_minutes",
                                 "shift_starts", "ship_within_hours", "cert_file", "key_file"},
                                source);
        !known)
        return known;
    if (const toml::node* enabled = table.get("enabled")) {
        auto flag = enabled->value_exact<bool>();
        if (!flag) return config_error(source, "'dashboard.enabled' must be true or false");
        config.enabled = *flag;
    }
    if (const toml::node* listen = table.get("listen")) {
        auto address = listen->value_exact<std::string>();
        if (!address || !valid_listen_address(*address))
            return config_error(
                source,
                "'dashboard.listen' must be \"host:port\" (\"127.0.0.1:8480\", "
                "\"[::1]:8480\", \"0.0.0.0:8480\"), port 0 (any free port) to 65535");
        config.listen = *address;
    }
    if (auto status =
            read_integer(table, "session_hours", config.session_hours, 1, 168, source, "dashboard");
        !status)
        return status;
    if (auto status =
            read_integer(table, "idle_minutes", config.idle_minutes, 1, 1440, source, "dashboard");
        !status)
        return status;
    if (auto status = read_integer(table, "ship_within_hours", config.ship_within_hours, 1, 720,
                                   source, "dashboard");
        !status)
        return status;
    if (const toml::node* starts = table.get("shift_starts")) {
        const toml::array* array = starts->as_array();
        if (array == nullptr || array->empty())
            return config_error(source,
                                "'dashboard.shift_starts' must be an array of \"HH:MM\" times");
        std::vector<std::pair<int, std::string>> parsed;
        for (const toml::node& item : *array) {
            auto text = item.value_exact<std::string>();
            const auto minutes = text ? parse_shift_time(*text) : std::nullopt;
            if (!minutes)
                return config_error(source,
                                    "'dashboard.shift_starts': " +
                                        (text ? "'" + *text + "'" : std::string("a value")) +
                                        " is not a time \"HH:MM\" (00:00 to 23:59)");
            parsed.emplace_back(*minutes, *text);
        }
        std::sort(parsed.begin(), parsed.end());
        config.shift_starts.clear();
        for (std::size_t index = 0; index < parsed.size(); ++index) {
            if (index > 0 && parsed[index].first == parsed[index - 1].first)
                return config_error(source, "'dashboard.shift_starts': '" + parsed[index].second +
                                                "' is there twice");
            config.shift_starts.push_back(parsed[index].second);
        }
    }
    for (const auto& [key, target] :
         {std::pair{"cert_file", &config.cert_file}, std::pair{"key_file", &config.key_file}}) {
        const toml::node* node = table.get(key);
        if (node == nullptr) continue;
        auto path = node->value_exact<std::string>();
        if (!path || path->empty())
            return config_error(source, "'dashboard." + std::string(key) + "' must be a file path");
        *target = *path;
        if (!directory.empty() && std::filesystem::path(*target).is_relative())
            *target = (std::filesystem::path(directory) / *target).string();
    }
    if (config.cert_file.empty() != config.key_file.empty())
        return config_error(source,
                            "'dashboard.cert_file' and 'dashboard.key_file' go together (HTTPS "
                            "needs both; plain HTTP neither)");
    return {};
}

}  // namespace

std::string default_instance() {
    char name[256] = {};
    if (::gethostname(name, sizeof(name) - 1) == 0 && sync::valid_topic_id(name)) return name;
    return "1";
}

Result<HubConfig> parse_hub_config(std::string_view toml_text, std::string_view source,
                                   std::string_view directory) {
    TomlLoad loaded = load_toml(toml_text, source);
    if (!loaded.table) return config_error(source, loaded.problem);
    const toml::table& root = *loaded.table;

    HubConfig config;
    config.instance = default_instance();
    for (const auto& [key, node] : root) {
        const std::string_view name = key.str();
        static const std::vector<std::string_view> kTables{"hub", "mqtt", "pool", "dashboard"};
        if (std::find(kTables.begin(), kTables.end(), name) == kTables.end())
            return config_error(source, text::unknown_name_message("table", name, "", kTables));
        if (!node.is_table())
            return config_error(source, "'" + std::string(name) + "' must be a table");
    }
    if (const toml::table* hub = root["hub"].as_table()) {
        if (auto status = read_hub(*hub, config, source, directory); !status) return status.error();
    } else if (!directory.empty()) {
        config.database = (std::filesystem::path(directory) / config.database).string();
    }
    if (config.sites.empty())
        return config_error(source, "'hub.sites' is missing: name the sites this hub serves");
    if (const toml::table* mqtt = root["mqtt"].as_table()) {
        if (auto known = refuse_unknown_keys(*mqtt, "mqtt", sync::mqtt_option_names(), source);
            !known)
            return known.error();
        for (const auto& [key, node] : *mqtt) {
            const std::string name(key.str());
            auto text = text_of(node, source, "mqtt." + name);
            if (!text) return text.error();
            config.mqtt_options[name] = *text;
        }
    }
    if (const toml::table* pool = root["pool"].as_table())
        if (auto status = read_pool(*pool, config, source); !status) return status.error();
    if (const toml::table* dashboard = root["dashboard"].as_table())
        if (auto status = read_dashboard(*dashboard, config.dashboard, source, directory); !status)
            return status.error();
    return config;
}

Result<HubConfig> load_hub_config(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{errors::kConfigUnreadable, path + ": cannot read the file"};
    std::ostringstream text;
    text << in.rdbuf();
    const std::filesystem::path directory = std::filesystem::path(path).parent_path();
    return parse_hub_config(text.str(), path, directory.empty() ? "." : directory.string());
}

Result<sync::MqttSettings> hub_mqtt_settings(const HubConfig& config,
                                             const std::optional<std::string>& broker) {
    std::map<std::string, std::string> options = config.mqtt_options;
    if (broker) options["brokers"] = *broker;
    if (options.find("brokers") == options.end())
        return Error{errors::kSyncMqttSettings, "mqtt.brokers: missing (or give --broker)"};
    // The hub acknowledges every station at once: unless configured, it may
    // have 1,000 publications in flight (and 4,000 queued in Paho) where a
    // station has 64.
    if (options.find("window") == options.end()) options["window"] = "1000";
    return sync::mqtt_settings_from_options(options, "mqtt");
}

}  // namespace packline::hub
