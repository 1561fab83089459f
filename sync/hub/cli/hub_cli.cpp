#include "hub_cli.h"

#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "packline/durable_file.h"
#include "packline/hub/catalogue.h"
#include "packline/hub/dashboard_server.h"
#include "packline/hub/event_ids.h"
#include "packline/hub/export.h"
#include "packline/hub/hub_config.h"
#include "packline/hub/hub_service.h"
#include "packline/hub/hub_store.h"
#include "packline/hub/password_hash.h"
#include "packline/hub/supervisors.h"
#include "packline/station/import.h"
#include "packline/station/tracking.h"
#include "packline/sync/inbound.h"
#include "packline/sync/mqtt_client.h"
#include "packline/sync/objects.h"
#include "packline/sync/topics.h"

namespace packline::hub::cli {

namespace {
std::mutex output_mutex;
}  // namespace

void say(std::string_view line) {
    std::lock_guard lock(output_mutex);
    std::cout << line << std::endl;
}

void complain(std::string_view line) {
    std::lock_guard lock(output_mutex);
    std::cerr << "packline-hub: " << line << std::endl;
}

Result<Setup> load_setup(const Arguments& arguments, bool config_required) {
    Setup setup;
    if (auto path = arguments.flag("--config")) {
        auto config = load_hub_config(*path);
        if (!config) return config.error();
        setup.config = std::move(config).value();
        setup.has_config = true;
    } else if (config_required) {
        return Error{kUsageError, "--config is required"};
    } else if (!arguments.flag("--db")) {
        return Error{kUsageError, "give --config or --db"};
    }
    if (auto database = arguments.flag("--db")) setup.config.database = *database;
    if (auto sites = arguments.all("--site"); !sites.empty()) {
        for (const std::string& site : sites)
            if (!sync::valid_topic_id(site))
                return Error{kUsageError, "--site '" + site + "' cannot be a topic level"};
        setup.config.sites = sites;
    }
    if (setup.config.instance.empty()) setup.config.instance = default_instance();
    return setup;
}

Result<std::unique_ptr<HubStore>> open_store(const HubConfig& config) {
    return HubStore::open(config.database, wall_clock_ms());
}

Result<std::unique_ptr<sync::MqttClient>> connect_tool(const HubConfig& config,
                                                       const Arguments& arguments) {
    auto settings = hub_mqtt_settings(config, arguments.flag("--broker"));
    if (!settings) return settings.error();
    settings->client_id =
        (settings->client_id.empty() ? "packline-hub-" + config.instance : settings->client_id) +
        "-tool";
    settings->session_expiry = std::chrono::seconds(60);
    auto client = sync::MqttClient::create_service(*settings, sync::ServiceClientOptions{},
                                                   sync::MqttHandlers{});
    if (!client) return client.error();
    if (auto started = (*client)->start(); !started) return started.error();
    if (auto connected =
            (*client)->wait_connected(settings->connect_timeout + std::chrono::seconds(2));
        !connected)
        return connected.error();
    return client;
}

int failed(const Error& error) {
    complain(error.to_string());
    return error.code == kUsageError ? kUsage : kFailed;
}

void print_table(const std::vector<std::vector<std::string>>& table) {
    std::vector<std::size_t> widths(table.front().size(), 0);
    for (const auto& line : table)
        for (std::size_t column = 0; column < line.size(); ++column)
            widths[column] = std::max(widths[column], line[column].size());
    for (const auto& line : table) {
        std::string text;
        for (std::size_t column = 0; column < line.size(); ++column) {
            text += line[column];
            if (column + 1 < line.size())
                text += std::string(widths[column] - line[column].size() + 2, ' ');
        }
        say(text);
    }
}

}  // namespace packline::hub::cli
