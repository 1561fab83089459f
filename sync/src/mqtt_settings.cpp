#include "packline/sync/mqtt_settings.h"

#include <charconv>
#include <filesystem>

#include "packline/sync/sync_errors.h"

namespace packline::sync {
namespace {

Error settings_error(std::string_view member, std::string_view problem) {
    return Error{errors::kSyncMqttSettings,
                 "mqtt settings: " + std::string(member) + ": " + std::string(problem)};
}

// "tcp://host:port", "ssl://host:port" or "ssl://[::1]:port"; the port may be
// left out (Paho then uses 1883 for tcp and 8883 for ssl).
Status check_broker_uri(std::string_view uri) {
    std::string_view rest;
    if (uri.starts_with("tcp://"))
        rest = uri.substr(6);
    else if (uri.starts_with("ssl://"))
        rest = uri.substr(6);
    else
        return settings_error(
            "brokers", "'" + std::string(uri) + "' is not tcp://host:port or ssl://host:port");
    std::string_view host = rest;
    std::string_view port;
    if (rest.starts_with("[")) {
        const auto close = rest.find(']');
        if (close == std::string_view::npos)
            return settings_error("brokers", "'" + std::string(uri) + "' has an unclosed '['");
        host = rest.substr(1, close - 1);
        const std::string_view after = rest.substr(close + 1);
        if (!after.empty()) {
            if (!after.starts_with(":"))
                return settings_error("brokers", "'" + std::string(uri) + "' has junk after ']'");
            port = after.substr(1);
        }
    } else if (const auto colon = rest.rfind(':'); colon != std::string_view::npos) {
        host = rest.substr(0, colon);
        port = rest.substr(colon + 1);
        if (port.empty())
            return settings_error("brokers", "'" + std::string(uri) + "' has an empty port");
    }
    if (host.empty()) return settings_error("brokers", "'" + std::string(uri) + "' has no host");
    if (host.find_first_of("/ ?#") != std::string_view::npos)
        return settings_error("brokers", "'" + std::string(uri) + "' is not a plain host:port");
    if (!port.empty()) {
        int number = 0;
        const auto [end, failure] = std::from_chars(port.data(), port.data() + port.size(), number);
        if (failure != std::errc{} || end != port.data() + port.size() || number < 1 ||
            number > 65535)
            return settings_error("brokers", "'" + std::string(uri) + "' has a bad port");
    }
    return {};
}

Status check_file(std::string_view member, const std::string& path) {
    if (path.empty()) return {};
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error))
        return settings_error(member, "'" + path + "' is not a readable file");
    return {};
}

}  // namespace

std::string default_client_id(std::string_view site, std::string_view station) {
    return "packline-" + std::string(site) + "-" + std::string(station);
}

Status validate_mqtt_settings(const MqttSettings& settings) {
    if (settings.brokers.empty()) return settings_error("brokers", "no broker address");
    for (const std::string& uri : settings.brokers)
        if (auto status = check_broker_uri(uri); !status) return status;
    if (settings.window < 1 || settings.window > 65535)
        return settings_error("window",
                              "must be 1 to 65535, not " + std::to_string(settings.window));
    if (settings.keep_alive.count() < 1) return settings_error("keep_alive", "must be positive");
    if (settings.connect_timeout.count() < 1)
        return settings_error("connect_timeout", "must be positive");
    if (settings.reconnect_min.count() < 1)
        return settings_error("reconnect_min", "must be positive");
    if (settings.reconnect_max < settings.reconnect_min)
        return settings_error("reconnect_max", "must not be less than reconnect_min");
    if (settings.ack_timeout.count() < 1) return settings_error("ack_timeout", "must be positive");
    if (settings.session_expiry.count() < 0 || settings.session_expiry.count() > 0xFFFFFFFFLL)
        return settings_error("session_expiry", "must be 0 to 4294967295 s");
    // MQTT 3.1.1 section 3.1.2.9: no password without a user name.
    if (!settings.password.empty() && settings.username.empty())
        return settings_error("password", "a password needs a user name");
    if (settings.cert_file.empty() != settings.key_file.empty())
        return settings_error(settings.cert_file.empty() ? "cert_file" : "key_file",
                              "a client certificate and its key come together");
    if (auto status = check_file("ca_file", settings.ca_file); !status) return status;
    if (auto status = check_file("cert_file", settings.cert_file); !status) return status;
    if (auto status = check_file("key_file", settings.key_file); !status) return status;
    return {};
}

}  // namespace packline::sync
