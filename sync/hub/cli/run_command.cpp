// packline-hub run: the service itself (docs/hub.md).
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

#include "hub_cli.h"
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

int run_hub(const Arguments& arguments) {
    auto setup = load_setup(arguments, true);
    if (!setup) return failed(setup.error());
    const HubConfig& config = setup->config;
    auto settings = hub_mqtt_settings(config, arguments.flag("--broker"));
    if (!settings) return failed(settings.error());

    // SIGINT and SIGTERM are taken by sigwait below, never by a handler: no
    // thread is interrupted, and Paho's threads never see them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    auto store = open_store(config);
    if (!store) return failed(store.error());
    HubOptions options;
    options.sites = config.sites;
    options.share_group = config.share_group;
    options.instance = config.instance;
    options.mqtt = *settings;
    options.pool_low_water = config.pool_low_water;
    options.pool_batch = config.pool_batch;
    options.summary_interval = std::chrono::seconds(config.summary_interval_s);
    options.log = [](std::string_view line) { say(line); };
    auto hub = Hub::create(std::move(options), std::move(store).value());
    if (!hub) return failed(hub.error());

    std::string sites;
    for (const std::string& site : config.sites)
        sites += (sites.empty() ? "" : ",") + site;
    say("hub: starting as " + (*hub)->client_id() + " for sites " + sites + " (database " +
        config.database + ", " +
        (config.share_group.empty() ? std::string("no share group")
                                    : "share group " + config.share_group) +
        ")");
    if (auto started = (*hub)->start(); !started) return failed(started.error());
    if (auto connected = (*hub)->wait_connected(settings->connect_timeout); !connected)
        complain(connected.error().to_string() + " (still trying)");

    // The dashboard reads the database through its own connections; the hub
    // goes on storing confirmations when it cannot listen.
    std::unique_ptr<DashboardServer> dashboard;
    HubConfig dashboard_config = config;
    if (auto listen = arguments.flag("--dashboard")) {
        dashboard_config.dashboard.enabled = *listen != "off";
        if (dashboard_config.dashboard.enabled) dashboard_config.dashboard.listen = *listen;
    }
    if (dashboard_config.dashboard.enabled) {
        auto served =
            DashboardServer::start(dashboard_config, [](const std::string& line) { say(line); });
        if (served) {
            dashboard = std::move(served).value();
            say("hub: dashboard " + dashboard->url());
        } else {
            complain("dashboard off: " + served.error().to_string());
        }
    }

    int signal_number = 0;
    sigwait(&signals, &signal_number);
    say(std::string("hub: stopping (") + (signal_number == SIGINT ? "SIGINT" : "SIGTERM") + ")");
    if (dashboard) dashboard->stop();
    const Status stopped = (*hub)->stop();
    say("hub: stopped: " + (*hub)->summary());
    if (!stopped) return failed(stopped.error());
    return kOk;
}

// --- import / delete ---

}  // namespace packline::hub::cli
