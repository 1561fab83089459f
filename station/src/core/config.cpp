#include "packline/station/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "packline/base_errors.h"
#include "packline/labels/render.h"
#include "packline/labels/template.h"
#include "packline/nearest_name.h"
#include "packline/toml_load.h"

namespace packline::station {
namespace {

Error config_error(std::string_view source, const std::string& message) {
    return Error(errors::kConfigInvalid, std::string(source) + ": " + message);
}

template <typename T>
Status read_number(const toml::table& table, std::string_view key, T& target, double min,
                   double max, std::string_view source) {
    const toml::node* node = table.get(key);
    if (node == nullptr) return {};
    std::optional<double> value;
    if (auto integer = node->value<std::int64_t>())
        value = static_cast<double>(*integer);
    else if (auto floating = node->value<double>())
        value = *floating;
    if (!value || *value < min || *value > max) {
        std::ostringstream message;
        message << "'" << key << "' must be a number from " << min << " to " << max;
        return config_error(source, message.str());
    }
    target = static_cast<T>(*value);
    return {};
}

Status read_string(const toml::table& table, std::string_view key, std::string& target,
                   std::string_view source, bool allow_empty = false) {
    const toml::node* node = table.get(key);
    if (node == nullptr) return {};
    auto value = node->value<std::string>();
    if (!value || (!allow_empty && value->empty()))
        return config_error(source, "'" + std::string(key) + "' must be a non-empty string");
    target = *value;
    return {};
}

// The template must exist and be made for the format the printer is sent: a
// station finds out at start, not at its first parcel.
Status check_label_settings(const StationConfig& config, std::string_view source) {
    const auto format = labels::parse_label_format(config.label_format);
    if (!format)
        return config_error(
            source, "'printing.format' must be zpl, png or pdf, not '" + config.label_format + "'");
    auto label_template = labels::load_template(config.label_template, config.label_template_dir);
    if (!label_template)
        return config_error(source, "'printing.template': " + label_template.error().message);
    if (!label_template->allows(config.label_format))
        return config_error(source, "'printing.template' " + label_template->name +
                                        " is not made for " + config.label_format +
                                        " (printing.format)");
    return {};
}

// Every table's keys are known and a misspelt one is refused, naming the
// nearest known key: `databse` ignored would put the store in the default
// place, `tolerence_g` would weigh with the default tolerance, and a misspelt
// retention_days would keep (or delete) photos for a period nobody chose.
Status refuse_unknown_keys(const toml::table& table, std::string_view name,
                           const std::vector<std::string_view>& known, std::string_view source) {
    for (const auto& [key, node] : table) {
        if (std::find(known.begin(), known.end(), key.str()) != known.end()) continue;
        return config_error(source, text::unknown_name_message(
                                        "key", key.str(), "[" + std::string(name) + "]", known));
    }
    return {};
}

// [evidence].
Status read_evidence(const toml::table& table, EvidenceSettings& target, std::string_view source) {
    if (auto known =
            refuse_unknown_keys(table, "evidence", {"photo", "dir", "retention_days"}, source);
        !known.ok())
        return known;
    if (const toml::node* photo = table.get("photo")) {
        auto flag = photo->value_exact<bool>();
        if (!flag) return config_error(source, "'evidence.photo' must be true or false");
        target.photo = *flag;
    }
    if (const toml::node* dir = table.get("dir")) {
        auto text = dir->value_exact<std::string>();
        if (!text || text->find_first_not_of(" \t") == std::string::npos)
            return config_error(source, "'evidence.dir' must be a non-empty directory path");
        target.dir = *text;
    }
    if (const toml::node* days = table.get("retention_days")) {
        constexpr std::int64_t kMaxDays = 36500;  // a century: anything longer is "keep" (0)
        auto count = days->value_exact<std::int64_t>();
        if (!count || *count < 0 || *count > kMaxDays)
            return config_error(source,
                                "'evidence.retention_days' must be a whole number of "
                                "days from 0 (keep forever) to " +
                                    std::to_string(kMaxDays));
        target.retention_days = static_cast<int>(*count);
    }
    return {};
}

Status read_flag(const toml::table& table, std::string_view key, bool& target,
                 std::string_view name, std::string_view source) {
    const toml::node* node = table.get(key);
    if (node == nullptr) return {};
    auto flag = node->value_exact<bool>();
    if (!flag)
        return config_error(
            source, "'" + std::string(name) + "." + std::string(key) + "' must be true or false");
    target = *flag;
    return {};
}

// [screen]: the packer screen's address and language.
Status read_screen(const toml::table& table, ScreenSettings& target, std::string_view source) {
    if (auto known =
            refuse_unknown_keys(table, "screen", {"enabled", "listen", "language"}, source);
        !known.ok())
        return known;
    if (auto flag = read_flag(table, "enabled", target.enabled, "screen", source); !flag.ok())
        return flag;
    if (auto listen = read_string(table, "listen", target.listen, source); !listen.ok())
        return listen;
    const auto colon = target.listen.rfind(':');
    int port = -1;
    if (colon != std::string::npos && colon > 0 && colon + 1 < target.listen.size()) {
        const std::string digits = target.listen.substr(colon + 1);
        if (digits.size() <= 5 && digits.find_first_not_of("0123456789") == std::string::npos)
            port = std::stoi(digits);
    }
    if (port < 0 || port > 65535)
        return config_error(source,
                            "'screen.listen' must be host:port (e.g. \"127.0.0.1:8470\"), not '" +
                                target.listen + "'");
    if (auto language = read_string(table, "language", target.language, source); !language.ok())
        return language;
    if (target.language != "en" && target.language != "zh-CN")
        return config_error(
            source, "'screen.language' must be \"en\" or \"zh-CN\", not '" + target.language + "'");
    return {};
}

// [packers]: sign-in and the idle lock.
Status read_packers(const toml::table& table, PackerSettings& target, std::string_view source) {
    if (auto known = refuse_unknown_keys(
            table, "packers", {"sign_in_required", "idle_lock_minutes", "idle_lock_seconds"},
            source);
        !known.ok())
        return known;
    if (auto flag =
            read_flag(table, "sign_in_required", target.sign_in_required, "packers", source);
        !flag.ok())
        return flag;
    if (table.contains("idle_lock_minutes") && table.contains("idle_lock_seconds"))
        return config_error(source,
                            "'packers.idle_lock_minutes' and 'packers.idle_lock_seconds' "
                            "mean the same: give one");
    double minutes = -1;
    if (auto read = read_number(table, "idle_lock_minutes", minutes, 0, 24 * 60, source);
        !read.ok())
        return read;
    if (minutes >= 0) target.idle_lock_ms = static_cast<std::int64_t>(minutes * 60000.0);
    double seconds = -1;
    if (auto read = read_number(table, "idle_lock_seconds", seconds, 0, 24 * 3600, source);
        !read.ok())
        return read;
    if (seconds >= 0) target.idle_lock_ms = static_cast<std::int64_t>(seconds * 1000.0);
    return {};
}

}  // namespace

const std::vector<std::string_view>& sync_option_names() {
    // The station's own, then the MQTT client's (sync/mqtt_options.h, which
    // this module does not link; tests/integration/sync holds them equal).
    static const std::vector<std::string_view> names{"enabled",
                                                     "status_interval_s",
                                                     "clock_skew_warning_ms",
                                                     "brokers",
                                                     "client_id",
                                                     "username",
                                                     "password",
                                                     "password_file",
                                                     "ca_file",
                                                     "cert_file",
                                                     "key_file",
                                                     "keep_alive_s",
                                                     "connect_timeout_s",
                                                     "session_expiry_s",
                                                     "reconnect_min_ms",
                                                     "reconnect_max_ms",
                                                     "window",
                                                     "ack_timeout_ms",
                                                     "mqtt_version"};
    return names;
}

Result<StationConfig> parse_config(std::string_view toml_text, std::string_view source) {
    TomlLoad loaded = load_toml(toml_text, source);
    if (!loaded.table) return config_error(source, loaded.problem);
    const toml::table& root = *loaded.table;

    StationConfig config;
    config.source = std::string(source);
    Status status;
    auto check = [&](Status result) {
        if (status.ok() && !result.ok()) status = std::move(result);
    };

    // A misspelt table (`[printng]`) would be ignored as a whole.
    static const std::vector<std::string_view> kTables{
        "station",     "weight",           "printing", "evidence", "devices",
        "supervisors", "override_reasons", "screen",   "packers",  "sync"};
    for (const auto& [key, node] : root)
        if (std::find(kTables.begin(), kTables.end(), key.str()) == kTables.end())
            check(
                config_error(source, text::unknown_name_message("table", key.str(), "", kTables)));
    for (const char* name : {"station", "weight", "printing", "devices", "supervisors"})
        if (root.contains(name) && !root[name].is_table())
            check(config_error(source,
                               "'" + std::string(name) + "' must be a table ([" + name + "])"));

    if (const toml::table* station = root["station"].as_table()) {
        check(refuse_unknown_keys(
            *station, "station",
            {"id", "site", "database", "packer", "sender_name", "sender_address"}, source));
        check(read_string(*station, "id", config.station_id, source));
        check(read_string(*station, "site", config.site, source));
        check(read_string(*station, "database", config.database, source));
        check(read_string(*station, "packer", config.packer, source));
        check(read_string(*station, "sender_name", config.sender_name, source));
        check(read_string(*station, "sender_address", config.sender_address, source));
    }
    if (const toml::table* weight = root["weight"].as_table()) {
        check(refuse_unknown_keys(*weight, "weight",
                                  {"tolerance_g", "tolerance_pct", "default_tare_g",
                                   "default_packaging", "stable_timeout_ms"},
                                  source));
        check(read_number(*weight, "tolerance_g", config.tolerance.abs_g, 0, 100000, source));
        check(read_number(*weight, "tolerance_pct", config.tolerance.pct, 0, 100, source));
        check(read_number(*weight, "default_tare_g", config.default_tare_g, 0, 100000, source));
        check(read_string(*weight, "default_packaging", config.default_packaging, source, true));
        check(
            read_number(*weight, "stable_timeout_ms", config.weigh_timeout_ms, 50, 600000, source));
    }
    if (const toml::table* printing = root["printing"].as_table()) {
        check(refuse_unknown_keys(*printing, "printing",
                                  {"timeout_ms", "template", "template_dir", "format"}, source));
        check(read_number(*printing, "timeout_ms", config.print_timeout_ms, 100, 600000, source));
        check(read_string(*printing, "template", config.label_template, source));
        check(read_string(*printing, "template_dir", config.label_template_dir, source, true));
        check(read_string(*printing, "format", config.label_format, source));
    }
    check(check_label_settings(config, source));
    if (root.contains("evidence") && !root["evidence"].is_table())
        check(config_error(source, "'evidence' must be a table ([evidence])"));
    if (const toml::table* evidence = root["evidence"].as_table())
        check(read_evidence(*evidence, config.evidence, source));
    if (const toml::table* devices = root["devices"].as_table()) {
        for (const auto& [key, node] : *devices) {
            const std::string kind(key.str());
            if (!config.devices.contains(kind)) {
                check(config_error(source,
                                   text::unknown_name_message(
                                       "device kind", kind, "[devices]",
                                       {"scanner", "scale", "printer", "camera", "indicator"})));
                continue;
            }
            // Either `scale = "auto"` or a [devices.scale] table with a driver.
            DeviceSettings settings;
            if (auto driver = node.value<std::string>()) {
                settings.driver = *driver;
            } else if (const toml::table* table = node.as_table()) {
                for (const auto& [option, value] : *table) {
                    std::string text;
                    if (auto string = value.value_exact<std::string>())
                        text = *string;
                    else if (auto integer = value.value_exact<std::int64_t>())
                        text = std::to_string(*integer);
                    else if (auto floating = value.value_exact<double>()) {
                        std::ostringstream number;
                        number << *floating;
                        text = number.str();
                    } else if (auto flag = value.value_exact<bool>())
                        text = *flag ? "true" : "false";
                    else {
                        check(config_error(source, "devices." + kind + "." +
                                                       std::string(option.str()) +
                                                       " must be a string, number or boolean"));
                        continue;
                    }
                    if (option.str() == "driver")
                        settings.driver = text;
                    else
                        settings.options[std::string(option.str())] = text;
                }
            }
            if (settings.driver.empty()) {
                check(config_error(source, "devices." + kind +
                                               " needs a driver (\"auto\", \"simulated\", \"none\" "
                                               "or a driver name)"));
                continue;
            }
            config.devices[kind] = std::move(settings);
        }
    }
    if (const toml::table* supervisors = root["supervisors"].as_table()) {
        config.supervisors.clear();
        for (const auto& [badge, node] : *supervisors) {
            auto name = node.value<std::string>();
            if (!name || name->empty()) {
                check(config_error(source, "supervisors." + std::string(badge.str()) +
                                               " must be the supervisor's name"));
                continue;
            }
            config.supervisors[std::string(badge.str())] = *name;
        }
    }
    if (const toml::array* reasons = root["override_reasons"].as_array()) {
        config.override_reasons.clear();
        for (const toml::node& node : *reasons) {
            const toml::table* entry = node.as_table();
            OverrideReason reason;
            if (entry != nullptr) {
                check(refuse_unknown_keys(*entry, "[override_reasons]", {"code", "label"}, source));
                check(read_string(*entry, "code", reason.code, source));
                check(read_string(*entry, "label", reason.label, source));
            }
            if (entry == nullptr || reason.code.empty()) {
                check(config_error(source, "override_reasons entries need code and label"));
                continue;
            }
            config.override_reasons.push_back(std::move(reason));
        }
    }
    for (const char* name : {"screen", "packers"})
        if (root.contains(name) && !root[name].is_table())
            check(config_error(source,
                               "'" + std::string(name) + "' must be a table ([" + name + "])"));
    if (const toml::table* screen = root["screen"].as_table())
        check(read_screen(*screen, config.screen, source));
    if (const toml::table* packers = root["packers"].as_table())
        check(read_packers(*packers, config.packers, source));
    if (root.contains("sync") && !root["sync"].is_table())
        check(config_error(source, "'sync' must be a table ([sync])"));
    if (const toml::table* sync = root["sync"].as_table()) {
        // The keys are the MQTT client's (docs/mqtt/README.md, "The station side");
        // packline-stationd checks them with the sync module.
        config.sync.enabled = true;
        check(refuse_unknown_keys(*sync, "sync", sync_option_names(), source));
        for (const auto& [key, value] : *sync) {
            const std::string name(key.str());
            if (name == "enabled") {
                if (auto flag = value.value_exact<bool>())
                    config.sync.enabled = *flag;
                else
                    check(config_error(source, "sync.enabled must be true or false"));
                continue;
            }
            std::string text;
            if (const toml::array* list = value.as_array()) {
                for (const toml::node& item : *list) {
                    auto entry = item.value_exact<std::string>();
                    if (!entry) {
                        check(config_error(source, "sync." + name + " must list strings"));
                        break;
                    }
                    text += (text.empty() ? "" : ",") + *entry;
                }
            } else if (auto string = value.value_exact<std::string>()) {
                text = *string;
            } else if (auto integer = value.value_exact<std::int64_t>()) {
                text = std::to_string(*integer);
            } else {
                check(config_error(source, "sync." + name +
                                               " must be a string, a whole number "
                                               "or a list of strings"));
                continue;
            }
            config.sync.options[name] = std::move(text);
        }
    }
    if (!status.ok()) return status.error();
    return config;
}

Result<StationConfig> load_config(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error(errors::kConfigUnreadable, path + ": cannot read the configuration file");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_config(text.str(), path);
}

Result<FoundConfig> find_station_config(const std::optional<std::string>& path,
                                        const std::optional<std::string>& database) {
    std::optional<std::string> chosen = path;
    if (!chosen) {
        if (const char* env = std::getenv("PACKLINE_CONFIG"); env != nullptr && *env != '\0')
            chosen = env;
        else if (std::filesystem::exists("packline.toml"))
            chosen = "packline.toml";
    }
    FoundConfig found;
    found.from_file = chosen.has_value();
    if (found.from_file) {
        auto loaded = load_config(*chosen);
        if (!loaded.ok()) return loaded.error();
        found.config = std::move(loaded.value());
    }
    if (database) found.config.database = *database;
    return found;
}

}  // namespace packline::station
