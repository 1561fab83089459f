#include "packline/hub/hub_config.h"

#include <toml++/toml.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "packline/sync/mqtt_options.h"
#include "packline/sync/topics.h"
#include "packline/toml_text.h"

namespace packline::hub {
namespace {

Error config_error(std::string_view source, const std::string& message) {
    return Error{"config.invalid", std::string(source) + ": " + message};
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
    for (const auto& [key, node] : table) {
        const std::string_view name = key.str();
        if (name != "sites" && name != "database" && name != "share_group" && name != "instance" &&
            name != "summary_interval_s")
            return config_error(source, "unknown key 'hub." + std::string(name) +
                                            "' (sites, database, share_group, instance, "
                                            "summary_interval_s)");
    }
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
    for (const auto& [key, node] : table) {
        const std::string_view name = key.str();
        if (name != "low_water" && name != "batch")
            return config_error(source,
                                "unknown key 'pool." + std::string(name) + "' (low_water, batch)");
    }
    if (auto status =
            read_integer(table, "low_water", config.pool_low_water, 0, 1000000, source, "pool");
        !status)
        return status;
    return read_integer(table, "batch", config.pool_batch, 1, 1000, source, "pool");
}

}  // namespace

std::string default_instance() {
    char name[256] = {};
    if (::gethostname(name, sizeof(name) - 1) == 0 && sync::valid_topic_id(name)) return name;
    return "1";
}

Result<HubConfig> parse_hub_config(std::string_view toml_text, std::string_view source,
                                   std::string_view directory) {
    if (auto problem = text::toml_text_problem(toml_text)) return config_error(source, *problem);
    toml::table root;
    try {
        (void)toml::parse(text::toml_ascii_shadow(toml_text), source);  // see toml_text.h
        root = toml::parse(toml_text, source);
    } catch (const toml::parse_error& error) {
        std::ostringstream message;
        message << "line " << error.source().begin.line << ", column "
                << error.source().begin.column << ": " << error.description();
        return config_error(source, message.str());
    }

    HubConfig config;
    config.instance = default_instance();
    for (const auto& [key, node] : root) {
        const std::string_view name = key.str();
        if (name != "hub" && name != "mqtt" && name != "pool")
            return config_error(source,
                                "unknown table '[" + std::string(name) + "]' (hub, mqtt, pool)");
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
        for (const auto& [key, node] : *mqtt) {
            const std::string name(key.str());
            auto text = text_of(node, source, "mqtt." + name);
            if (!text) return text.error();
            config.mqtt_options[name] = *text;
        }
    }
    if (const toml::table* pool = root["pool"].as_table())
        if (auto status = read_pool(*pool, config, source); !status) return status.error();
    return config;
}

Result<HubConfig> load_hub_config(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{"config.unreadable", path + ": cannot read the file"};
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
        return Error{"sync.mqtt_settings", "mqtt.brokers: missing (or give --broker)"};
    // The hub acknowledges every station at once: unless configured, it may
    // have 1,000 publications in flight (and 4,000 queued in Paho) where a
    // station has 64.
    if (options.find("window") == options.end()) options["window"] = "1000";
    return sync::mqtt_settings_from_options(options, "mqtt");
}

}  // namespace packline::hub
