#include "packline/sync/mqtt_options.h"

#include <charconv>
#include <fstream>
#include <functional>

#include "packline/nearest_name.h"
#include "packline/sync/sync_errors.h"

namespace packline::sync {
namespace {

Error option_error(std::string_view section, std::string_view key, std::string_view problem) {
    return Error{errors::kSyncMqttSettings,
                 std::string(section) + "." + std::string(key) + ": " + std::string(problem)};
}

Result<long long> whole_number(std::string_view section, std::string_view key,
                               const std::string& text, long long min, long long max) {
    long long value = 0;
    const auto [end, failure] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (failure != std::errc{} || end != text.data() + text.size() || value < min || value > max)
        return option_error(section, key,
                            "'" + text + "' is not a whole number from " + std::to_string(min) +
                                " to " + std::to_string(max));
    return value;
}

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t comma = text.find(',', start);
        if (comma == std::string::npos) comma = text.size();
        std::string item = text.substr(start, comma - start);
        const auto first = item.find_first_not_of(" \t");
        const auto last = item.find_last_not_of(" \t");
        if (first != std::string::npos) items.push_back(item.substr(first, last - first + 1));
        start = comma + 1;
    }
    return items;
}

}  // namespace

const std::vector<std::string_view>& mqtt_option_names() {
    static const std::vector<std::string_view> names{
        "brokers",           "client_id",        "username",
        "password",          "password_file",    "ca_file",
        "cert_file",         "key_file",         "keep_alive_s",
        "connect_timeout_s", "session_expiry_s", "reconnect_min_ms",
        "reconnect_max_ms",  "window",           "ack_timeout_ms",
        "mqtt_version"};
    return names;
}

Result<MqttSettings> mqtt_settings_from_options(const std::map<std::string, std::string>& options,
                                                std::string_view section) {
    MqttSettings settings;
    constexpr long long kDay = 24LL * 3600;
    // Each key and what it sets; a setter returns an error for a bad value.
    using Setter = std::function<Status(const std::string& key, const std::string& value)>;
    auto seconds = [&](std::chrono::seconds& member, long long max) -> Setter {
        return [&member, max, section](const std::string& key, const std::string& value) -> Status {
            auto number = whole_number(section, key, value, 1, max);
            if (!number) return number.error();
            member = std::chrono::seconds(*number);
            return {};
        };
    };
    auto millis = [&](std::chrono::milliseconds& member) -> Setter {
        return [&member, section](const std::string& key, const std::string& value) -> Status {
            auto number = whole_number(section, key, value, 1, kDay * 1000);
            if (!number) return number.error();
            member = std::chrono::milliseconds(*number);
            return {};
        };
    };
    auto text = [](std::string& member) -> Setter {
        return [&member](const std::string&, const std::string& value) -> Status {
            member = value;
            return {};
        };
    };
    std::string password_file;
    const std::map<std::string, Setter, std::less<>> setters{
        {"brokers",
         [&](const std::string& key, const std::string& value) -> Status {
             settings.brokers = split_list(value);
             if (settings.brokers.empty()) return option_error(section, key, "no broker address");
             return {};
         }},
        {"client_id", text(settings.client_id)},
        {"username", text(settings.username)},
        {"password", text(settings.password)},
        {"password_file", text(password_file)},
        {"ca_file", text(settings.ca_file)},
        {"cert_file", text(settings.cert_file)},
        {"key_file", text(settings.key_file)},
        {"keep_alive_s", seconds(settings.keep_alive, 65535)},
        {"connect_timeout_s", seconds(settings.connect_timeout, 3600)},
        {"session_expiry_s", seconds(settings.session_expiry, 0xFFFFFFFFLL)},
        {"reconnect_min_ms", millis(settings.reconnect_min)},
        {"reconnect_max_ms", millis(settings.reconnect_max)},
        {"ack_timeout_ms", millis(settings.ack_timeout)},
        {"window",
         [&](const std::string& key, const std::string& value) -> Status {
             auto number = whole_number(section, key, value, 1, 65535);
             if (!number) return number.error();
             settings.window = static_cast<int>(*number);
             return {};
         }},
        {"mqtt_version",
         [&](const std::string& key, const std::string& value) -> Status {
             if (value == "5")
                 settings.mqtt_version = MqttVersion::V5;
             else if (value == "3.1.1")
                 settings.mqtt_version = MqttVersion::V3_1_1;
             else
                 return option_error(section, key, "'" + value + "' is not \"5\" or \"3.1.1\"");
             return {};
         }},
    };
    for (const auto& [key, value] : options) {
        const auto setter = setters.find(key);
        if (setter == setters.end())
            return Error{errors::kSyncMqttSettings,
                         text::unknown_name_message("key", key, "[" + std::string(section) + "]",
                                                    mqtt_option_names())};
        if (auto status = setter->second(key, value); !status) return status.error();
    }
    if (!options.contains("brokers")) return option_error(section, "brokers", "missing");
    if (!password_file.empty()) {
        if (!settings.password.empty())
            return option_error(section, "password_file",
                                "give password or password_file, not both");
        std::ifstream file(password_file);
        std::string line;
        if (!file || !std::getline(file, line))
            return option_error(section, "password_file",
                                "'" + password_file + "' cannot be read or is empty");
        if (!line.empty() && line.back() == '\r') line.pop_back();
        settings.password = line;
    }
    if (auto valid = validate_mqtt_settings(settings); !valid)
        return Error{valid.error().code, std::string(section) + ": " + valid.error().message};
    return settings;
}

}  // namespace packline::sync
