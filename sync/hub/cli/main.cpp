// packline-hub: the reference central service (docs/hub.md).
//
//   packline-hub run      --config hub.toml [--broker URI] [--db FILE] [--site S]...
//   packline-hub import   --config hub.toml [--site S] FILE...
//   packline-hub delete   --config hub.toml [--site S] order|sku|packaging ID
//   packline-hub pool load --carrier C (--config hub.toml | --db FILE) FILE
//   packline-hub command  --config hub.toml --station S [--site X] --by BADGE [--reason R]
//                         pause | resume | message TEXT | reprint [--order ID]
//   packline-hub export   (--config hub.toml | --db FILE) --since T [--until T]
//                         --format csv|json [-o FILE]
//   packline-hub stations (--config hub.toml | --db FILE)
//   packline-hub user     add NAME [--display-name TEXT] | passwd NAME | remove NAME |
//                         disable NAME | enable NAME | list   (--config hub.toml | --db FILE)
//
// Exit codes: 0 done; 1 failed, or done with problems reported (objects or
// numbers skipped); 2 the command line is wrong.
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

namespace packline::hub {
namespace {

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kUsage = 2;

std::mutex output_mutex;

void say(std::string_view line) {
    std::lock_guard lock(output_mutex);
    std::cout << line << std::endl;
}

void complain(std::string_view line) {
    std::lock_guard lock(output_mutex);
    std::cerr << "packline-hub: " << line << std::endl;
}

const char* const kUsageText =
    "usage: packline-hub <command> [options]\n"
    "\n"
    "commands:\n"
    "  run       subscribe to the stations, store and acknowledge what they send,\n"
    "            top up their tracking pools (until SIGINT/SIGTERM)\n"
    "  import    publish orders, SKUs and packaging from JSON/CSV files (retained)\n"
    "  delete    delete one order, SKU or packaging code (empty retained message)\n"
    "  pool      load tracking numbers into the hub's stock (pool load)\n"
    "  command   send a command to a station: pause, resume, message, reprint\n"
    "  export    write the confirmations received in an interval as CSV or JSON\n"
    "  stations  show the latest status of every station\n"
    "  user      supervisor accounts of the dashboard: add, passwd, remove, disable,\n"
    "            enable, list\n"
    "\n"
    "'packline-hub <command> --help' for a command's options. Documentation: docs/hub.md\n";

const std::map<std::string, std::string>& command_help() {
    static const std::map<std::string, std::string> help = {
        {"run",
         "usage: packline-hub run --config hub.toml [--broker URI] [--db FILE] [--site S]...\n"
         "Connects to the broker, subscribes to every station of the configured sites\n"
         "(shared subscription when [hub] share_group is set), stores confirmations,\n"
         "events and statuses in the database and acknowledges them, and tops up low\n"
         "tracking pools. Prints a line at start and stop and a summary every\n"
         "[hub] summary_interval_s. Stops cleanly on SIGINT or SIGTERM. Serves the\n"
         "supervisor dashboard ([dashboard], docs/dashboard.md) and prints its address.\n"
         "  --broker URI   instead of [mqtt] brokers\n"
         "  --db FILE      instead of [hub] database\n"
         "  --site S       serve these sites instead of [hub] sites (repeatable)\n"
         "  --dashboard HOST:PORT|off   instead of [dashboard] listen / enabled\n"},
        {"import",
         "usage: packline-hub import --config hub.toml [--site S] [--broker URI] [--db FILE] "
         "FILE...\n"
         "Reads orders, SKUs and packaging (docs/import-format.md: JSON or CSV), records\n"
         "them and publishes each retained on its topic. SKUs and packaging go to every\n"
         "site (or only --site); an order to its own site, or the only one. Objects that\n"
         "cannot travel (ids that cannot be topic levels, ...) are reported and skipped.\n"},
        {"delete",
         "usage: packline-hub delete --config hub.toml [--site S] [--broker URI] "
         "order|sku|packaging ID\n"
         "Publishes the empty retained message that deletes the object on every station.\n"},
        {"pool",
         "usage: packline-hub pool load --carrier C (--config hub.toml | --db FILE) FILE\n"
         "Loads tracking numbers (one per line; blank lines and lines starting with #\n"
         "are skipped) into the hub's stock for carrier C. Each is checked with the\n"
         "carrier's format and check digit; invalid ones are reported, not loaded.\n"},
        {"command",
         "usage: packline-hub command --config hub.toml --station S [--site X] --by BADGE\n"
         "                            [--reason R] [--expires-in SECONDS] [--broker URI]\n"
         "                            pause | resume | message TEXT | reprint [--order ID]\n"
         "Sends one command to a station (not retained: it acts once, when it arrives).\n"},
        {"export",
         "usage: packline-hub export (--config hub.toml | --db FILE) --since T [--until T]\n"
         "                           --format csv|json [-o FILE]\n"
         "Writes the confirmations the hub received in [since, until) (by the hub's\n"
         "receipt time). T: 2026-11-23T08:00:00Z (RFC 3339), 2026-11-23 (UTC midnight)\n"
         "or milliseconds since the epoch. --until defaults to now. Columns: docs/hub.md.\n"},
        {"stations",
         "usage: packline-hub stations (--config hub.toml | --db FILE)\n"
         "Shows the latest status of every station: online or offline, state, packer,\n"
         "outbox backlog, last sync, clock skew and when the hub heard from it.\n"},
        {"user",
         "usage: packline-hub user add NAME [--display-name TEXT] (--config hub.toml | --db FILE)\n"
         "       packline-hub user passwd|remove|disable|enable NAME (--config hub.toml | --db "
         "FILE)\n"
         "       packline-hub user list (--config hub.toml | --db FILE)\n"
         "Supervisor accounts of the dashboard. add and passwd read the password from\n"
         "standard input (one line), or ask for it twice without echo on a terminal:\n"
         "10 characters at least. passwd, disable and remove end the user's sessions.\n"
         "NAME: 1 to 64 of a-z 0-9 . _ - (taken in lower case).\n"},
    };
    return help;
}

struct UsageError {
    std::string message;
};

// Flags (with a value) and positional arguments of one command.
struct Arguments {
    std::multimap<std::string, std::string> flags;
    std::vector<std::string> positional;
    bool help = false;

    [[nodiscard]] std::optional<std::string> flag(const std::string& name) const {
        auto found = flags.find(name);
        if (found == flags.end()) return std::nullopt;
        return found->second;
    }
    [[nodiscard]] std::vector<std::string> all(const std::string& name) const {
        std::vector<std::string> values;
        auto [first, last] = flags.equal_range(name);
        for (auto it = first; it != last; ++it)
            values.push_back(it->second);
        return values;
    }
};

std::variant<Arguments, UsageError> parse_arguments(int argc, char** argv, int first,
                                                    const std::vector<std::string>& known) {
    Arguments arguments;
    for (int index = first; index < argc; ++index) {
        const std::string argument = argv[index];
        if (argument == "--help" || argument == "-h") {
            arguments.help = true;
            continue;
        }
        if (argument == "--") {
            for (++index; index < argc; ++index)
                arguments.positional.emplace_back(argv[index]);
            break;
        }
        if (argument.size() > 1 && argument[0] == '-') {
            std::string name = argument;
            std::optional<std::string> value;
            if (auto equals = argument.find('='); equals != std::string::npos) {
                name = argument.substr(0, equals);
                value = argument.substr(equals + 1);
            }
            bool is_known = false;
            for (const std::string& flag : known)
                is_known = is_known || flag == name;
            if (!is_known) return UsageError{"unknown option '" + name + "'"};
            if (!value) {
                if (index + 1 >= argc) return UsageError{"'" + name + "' needs a value"};
                value = argv[++index];
            }
            arguments.flags.emplace(name, *value);
            continue;
        }
        arguments.positional.push_back(argument);
    }
    return arguments;
}

// The configuration, with --db and --site applied. Without --config, a
// database given with --db is enough for the commands that only read it.
struct Setup {
    HubConfig config;
    bool has_config = false;
};

Result<Setup> load_setup(const Arguments& arguments, bool config_required) {
    Setup setup;
    if (auto path = arguments.flag("--config")) {
        auto config = load_hub_config(*path);
        if (!config) return config.error();
        setup.config = std::move(config).value();
        setup.has_config = true;
    } else if (config_required) {
        return Error{"usage", "--config is required"};
    } else if (!arguments.flag("--db")) {
        return Error{"usage", "give --config or --db"};
    }
    if (auto database = arguments.flag("--db")) setup.config.database = *database;
    if (auto sites = arguments.all("--site"); !sites.empty()) {
        for (const std::string& site : sites)
            if (!sync::valid_topic_id(site))
                return Error{"usage", "--site '" + site + "' cannot be a topic level"};
        setup.config.sites = sites;
    }
    if (setup.config.instance.empty()) setup.config.instance = default_instance();
    return setup;
}

Result<std::unique_ptr<HubStore>> open_store(const HubConfig& config) {
    return HubStore::open(config.database, wall_clock_ms());
}

// A short-lived client for the commands that publish: its own client id
// (the running hub keeps "packline-hub-<instance>") and a short session.
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
    return error.code == "usage" ? kUsage : kFailed;
}

// --- run ---
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
int import_files(const Arguments& arguments) {
    if (arguments.positional.empty()) {
        complain("import: name at least one file");
        return kUsage;
    }
    auto setup = load_setup(arguments, true);
    if (!setup) return failed(setup.error());
    station::ImportBatch batch;
    bool problems = false;
    for (const std::string& file : arguments.positional) {
        auto result = station::parse_import_file(file);
        if (!result) return failed(result.error());
        for (const station::ImportProblem& problem : result->problems) {
            problems = true;
            complain(problem.file + (problem.line > 0 ? ":" + std::to_string(problem.line) : "") +
                     ": " + (problem.record.empty() ? "" : problem.record + ": ") +
                     problem.message);
        }
        auto& from = result->batch;
        batch.orders.insert(batch.orders.end(), from.orders.begin(), from.orders.end());
        batch.skus.insert(batch.skus.end(), from.skus.begin(), from.skus.end());
        batch.packaging.insert(batch.packaging.end(), from.packaging.begin(), from.packaging.end());
    }
    auto store = open_store(setup->config);
    if (!store) return failed(store.error());
    auto client = connect_tool(setup->config, arguments);
    if (!client) return failed(client.error());
    auto report = publish_catalogue(
        **store, batch, setup->config.sites,
        [&](const std::string& topic, const std::string& payload) {
            return (*client)->publish_confirmed(topic, payload, true);
        },
        wall_clock_ms());
    (void)(*client)->stop();
    if (!report) return failed(report.error());
    for (const std::string& skipped : report->skipped)
        complain("skipped " + skipped);
    say("published " + std::to_string(report->orders) + " orders, " + std::to_string(report->skus) +
        " SKUs, " + std::to_string(report->packaging) + " packaging codes" +
        (report->skipped.empty() ? std::string()
                                 : "; skipped " + std::to_string(report->skipped.size())));
    return problems || !report->skipped.empty() ? kFailed : kOk;
}

int delete_object(const Arguments& arguments) {
    if (arguments.positional.size() != 2) {
        complain("delete: give the kind (order, sku, packaging) and the id");
        return kUsage;
    }
    const std::string& kind_text = arguments.positional[0];
    std::optional<CatalogueKind> kind;
    if (kind_text == "order") kind = CatalogueKind::Order;
    if (kind_text == "sku") kind = CatalogueKind::Sku;
    if (kind_text == "packaging") kind = CatalogueKind::Packaging;
    if (!kind) {
        complain("delete: '" + kind_text + "' is not order, sku or packaging");
        return kUsage;
    }
    auto setup = load_setup(arguments, true);
    if (!setup) return failed(setup.error());
    auto store = open_store(setup->config);
    if (!store) return failed(store.error());
    auto client = connect_tool(setup->config, arguments);
    if (!client) return failed(client.error());
    for (const std::string& site : setup->config.sites) {
        auto deleted =
            delete_catalogue_object(**store, *kind, site, arguments.positional[1],
                                    [&](const std::string& topic, const std::string& payload) {
                                        return (*client)->publish_confirmed(topic, payload, true);
                                    });
        if (!deleted) {
            (void)(*client)->stop();
            return failed(deleted.error());
        }
        say("deleted " + kind_text + " " + arguments.positional[1] + " (site " + site + ")");
    }
    (void)(*client)->stop();
    return kOk;
}

// --- pool ---
int pool_load(const Arguments& arguments) {
    if (arguments.positional.size() != 2 || arguments.positional[0] != "load") {
        complain("pool: usage: pool load --carrier C FILE");
        return kUsage;
    }
    const auto carrier_text = arguments.flag("--carrier");
    if (!carrier_text) {
        complain("pool load: --carrier is required");
        return kUsage;
    }
    const auto carrier = station::carrier_from_code(*carrier_text);
    if (!carrier || *carrier == station::Carrier::Unknown) {
        complain("pool load: unknown carrier '" + *carrier_text +
                 "' (upu, ups, usps, fedex, dhl, sf, zto, yto, jd, ems)");
        return kUsage;
    }
    auto setup = load_setup(arguments, false);
    if (!setup) return failed(setup.error());
    std::ifstream in(arguments.positional[1]);
    if (!in) return failed(Error{"pool.unreadable", arguments.positional[1] + ": cannot read"});
    std::vector<std::string> numbers;
    std::string line;
    int line_number = 0;
    int invalid = 0;
    while (std::getline(in, line)) {
        ++line_number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const auto first = line.find_first_not_of(" \t");
        if (first == std::string::npos || line[first] == '#') continue;
        const auto check = station::check_tracking_number(line, carrier);
        if (!check.valid) {
            ++invalid;
            complain(arguments.positional[1] + ":" + std::to_string(line_number) + ": '" + line +
                     "': " + check.message + " [" + check.reason + "]");
            continue;
        }
        numbers.push_back(check.number);
    }
    auto store = open_store(setup->config);
    if (!store) return failed(store.error());
    const std::string code(station::carrier_code(*carrier));
    auto loaded = (*store)->load_pool(code, numbers, wall_clock_ms());
    if (!loaded) return failed(loaded.error());
    auto available = (*store)->pool_available(code);
    say("loaded " + std::to_string(loaded->loaded) + " " + code + " tracking numbers" +
        (loaded->already_known > 0
             ? " (" + std::to_string(loaded->already_known) + " already known)"
             : std::string()) +
        (invalid > 0 ? "; " + std::to_string(invalid) + " invalid, not loaded" : std::string()) +
        "; " + std::to_string(available ? *available : 0) + " available");
    return invalid > 0 ? kFailed : kOk;
}

// --- command ---
int send_command(const Arguments& arguments) {
    if (arguments.positional.empty()) {
        complain("command: give pause, resume, message TEXT or reprint");
        return kUsage;
    }
    sync::Command command;
    const std::string& verb = arguments.positional[0];
    std::size_t expected_positional = 1;
    if (verb == "pause") {
        command.kind = sync::CommandKind::Pause;
    } else if (verb == "resume") {
        command.kind = sync::CommandKind::Resume;
    } else if (verb == "reprint") {
        command.kind = sync::CommandKind::Reprint;
        command.order_id = arguments.flag("--order").value_or("");
    } else if (verb == "message") {
        command.kind = sync::CommandKind::Message;
        expected_positional = 2;
        if (arguments.positional.size() >= 2) command.text = arguments.positional[1];
    } else {
        complain("command: '" + verb + "' is not pause, resume, message or reprint");
        return kUsage;
    }
    if (arguments.positional.size() != expected_positional) {
        complain(verb == "message" ? "command: message needs exactly one TEXT (quote it)"
                                   : "command: " + verb + " takes no other argument");
        return kUsage;
    }
    if (arguments.flag("--order") && command.kind != sync::CommandKind::Reprint) {
        complain("command: --order goes with reprint only");
        return kUsage;
    }
    const auto station = arguments.flag("--station");
    const auto by = arguments.flag("--by");
    if (!station || !by) {
        complain("command: --station and --by are required");
        return kUsage;
    }
    command.issued_by = *by;
    command.reason = arguments.flag("--reason").value_or("");
    auto setup = load_setup(arguments, true);
    if (!setup) return failed(setup.error());
    if (setup->config.sites.size() != 1) {
        complain("command: the hub serves several sites: name one with --site");
        return kUsage;
    }
    const std::string site = setup->config.sites.front();
    const std::int64_t now = wall_clock_ms();
    if (auto expires = arguments.flag("--expires-in")) {
        long long seconds = 0;
        try {
            seconds = std::stoll(*expires);
        } catch (const std::exception&) {
            seconds = -1;
        }
        if (seconds <= 0) {
            complain("command: --expires-in must be a positive number of seconds");
            return kUsage;
        }
        command.expires_at_ms = now + seconds * 1000;
    }
    auto topic = sync::build_topic(sync::Topic{sync::TopicKind::Commands, site, *station, ""});
    if (!topic) return failed(Error{"usage", topic.error().message});
    const std::string event_id = new_event_id();
    auto payload = sync::command_json(command, sync::Envelope{event_id, now, 0});
    if (!payload) return failed(Error{"usage", payload.error().message});
    auto client = connect_tool(setup->config, arguments);
    if (!client) return failed(client.error());
    const Status sent = (*client)->publish_confirmed(*topic, *payload, false);
    (void)(*client)->stop();
    if (!sent) return failed(sent.error());
    say("sent " + verb + " to " + site + "/" + *station + " (event " + event_id + ")");
    return kOk;
}

// --- export ---
int export_confirmations(const Arguments& arguments) {
    const auto since_text = arguments.flag("--since");
    const auto format_text = arguments.flag("--format");
    if (!since_text || !format_text) {
        complain("export: --since and --format are required");
        return kUsage;
    }
    if (!arguments.positional.empty()) {
        complain("export: unexpected argument '" + arguments.positional[0] + "'");
        return kUsage;
    }
    const auto format = export_format_from_string(*format_text);
    if (!format) {
        complain("export: --format must be csv or json");
        return kUsage;
    }
    const auto since = parse_export_time(*since_text);
    if (!since) {
        complain("export: --since '" + *since_text +
                 "' is not a time (2026-11-23T08:00:00Z, 2026-11-23 or ms since the epoch)");
        return kUsage;
    }
    std::int64_t until = wall_clock_ms() + 1;
    if (auto until_text = arguments.flag("--until")) {
        const auto parsed = parse_export_time(*until_text);
        if (!parsed) {
            complain("export: --until '" + *until_text + "' is not a time");
            return kUsage;
        }
        until = *parsed;
    }
    if (until < *since) {
        complain("export: --until is before --since");
        return kUsage;
    }
    auto setup = load_setup(arguments, false);
    if (!setup) return failed(setup.error());
    auto store = open_store(setup->config);
    if (!store) return failed(store.error());
    auto shipments = (*store)->shipments_received(*since, until);
    if (!shipments) return failed(shipments.error());
    const std::string text = *format == ExportFormat::Csv ? export_csv(*shipments)
                                                          : export_json(*shipments, *since, until);
    if (auto output = arguments.flag("-o")) {
        if (Status written = write_file_durably(*output, text); !written.ok())
            return failed(written.error().context("export"));
        complain("exported " + std::to_string(shipments->size()) + " confirmations to " + *output);
    } else {
        std::cout << text << std::flush;
    }
    return kOk;
}

// --- stations ---
// Columns padded to their widest cell, two spaces apart.
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

std::string age_text(std::int64_t now, std::int64_t then) {
    if (then <= 0) return "never";
    const std::int64_t seconds = (now - then) / 1000;
    if (seconds < 120) return std::to_string(seconds) + "s ago";
    if (seconds < 7200) return std::to_string(seconds / 60) + "m ago";
    return std::to_string(seconds / 3600) + "h ago";
}

int show_stations(const Arguments& arguments) {
    auto setup = load_setup(arguments, false);
    if (!setup) return failed(setup.error());
    auto store = open_store(setup->config);
    if (!store) return failed(store.error());
    auto rows = (*store)->station_statuses();
    if (!rows) return failed(rows.error());
    const std::int64_t now = wall_clock_ms();
    std::vector<std::vector<std::string>> table = {{"SITE", "STATION", "ONLINE", "STATE", "PACKER",
                                                    "BACKLOG", "LAST SYNC", "SKEW MS", "SEEN"}};
    for (const StationStatusRow& row : *rows) {
        const StatusRecord& status = row.status;
        const bool online = status.state != "offline";
        table.push_back({status.site, status.station, online ? "online" : "offline",
                         online ? status.state : "offline (" + status.offline_reason + ")",
                         status.packer.empty() ? "-" : status.packer,
                         online ? std::to_string(status.outbox_backlog) : "-",
                         online ? age_text(now, status.last_sync_ms) : "-",
                         // A will's sent_at_ms is when the station connected: no skew.
                         online ? std::to_string(row.clock_skew_ms) : "-",
                         age_text(now, row.received_at_ms)});
    }
    print_table(table);
    if (rows->empty()) complain("no station has reported yet");
    return kOk;
}

// --- user ---

// The terminal's settings while a password is typed without echo, restored
// on the way out, also when SIGINT or SIGTERM ends the prompt.
termios saved_terminal{};
volatile sig_atomic_t terminal_saved = 0;

extern "C" void restore_terminal_and_die(int signal_number) {
    if (terminal_saved != 0) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_terminal);
    ::signal(signal_number, SIG_DFL);
    ::raise(signal_number);
}

Result<std::string> prompt_without_echo(const std::string& prompt) {
    std::cerr << prompt << std::flush;
    if (::tcgetattr(STDIN_FILENO, &saved_terminal) != 0)
        return Error{"user.password", "cannot read the terminal's settings"};
    terminal_saved = 1;
    struct sigaction action {};
    action.sa_handler = restore_terminal_and_die;
    struct sigaction old_interrupt {};
    struct sigaction old_terminate {};
    ::sigaction(SIGINT, &action, &old_interrupt);
    ::sigaction(SIGTERM, &action, &old_terminate);
    termios quiet = saved_terminal;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    std::string line;
    const bool read = static_cast<bool>(std::getline(std::cin, line));
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_terminal);
    terminal_saved = 0;
    ::sigaction(SIGINT, &old_interrupt, nullptr);
    ::sigaction(SIGTERM, &old_terminate, nullptr);
    std::cerr << std::endl;
    if (!read) return Error{"user.password", "no password given"};
    return line;
}

// The new password: one line of standard input, or typed twice on a terminal.
Result<std::string> read_new_password(const std::string& username) {
    if (::isatty(STDIN_FILENO) != 0) {
        auto first = prompt_without_echo("New password for " + username + ": ");
        if (!first) return first.error();
        if (auto policy = check_password_policy(*first); !policy) return policy.error();
        auto second = prompt_without_echo("The same again: ");
        if (!second) return second.error();
        if (*first != *second) return Error{"user.password", "the two passwords differ"};
        return first;
    }
    std::string line;
    if (!std::getline(std::cin, line))
        return Error{"user.password", "no password on standard input (one line)"};
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

std::string time_or_never(std::int64_t ms) {
    return ms > 0 ? iso8601_utc(ms) : std::string("never");
}

int manage_users(const Arguments& arguments) {
    const std::vector<std::string>& words = arguments.positional;
    const std::string verb = words.empty() ? std::string() : words[0];
    const bool needs_name = verb == "add" || verb == "passwd" || verb == "remove" ||
                            verb == "disable" || verb == "enable";
    if (!needs_name && verb != "list") {
        complain("user: give add, passwd, remove, disable, enable or list");
        return kUsage;
    }
    if (words.size() != (needs_name ? 2u : 1u)) {
        complain(needs_name ? "user " + verb + ": give exactly one user name"
                            : std::string("user list: takes no other argument"));
        return kUsage;
    }
    if (arguments.flag("--display-name") && verb != "add") {
        complain("user: --display-name goes with add only");
        return kUsage;
    }
    auto setup = load_setup(arguments, false);
    if (!setup) return failed(setup.error());
    const DashboardConfig& dashboard = setup->config.dashboard;
    auto directory = SupervisorDirectory::open(
        setup->config.database, SupervisorSettings{dashboard.session_hours, dashboard.idle_minutes},
        wall_clock_ms());
    if (!directory) return failed(directory.error());
    // Who changed an account, for the audit.
    const std::string by = "cli uid " + std::to_string(::getuid());

    if (verb == "list") {
        auto supervisors = (*directory)->list();
        if (!supervisors) return failed(supervisors.error());
        if (supervisors->empty()) {
            complain("no supervisor accounts yet: packline-hub user add NAME");
            return kOk;
        }
        std::vector<std::vector<std::string>> table = {
            {"USER", "NAME", "STATUS", "LAST SIGN-IN", "CHANGED"}};
        for (const Supervisor& supervisor : *supervisors)
            table.push_back({supervisor.username, supervisor.display_name,
                             supervisor.disabled ? "disabled" : "active",
                             time_or_never(supervisor.last_login_ms),
                             iso8601_utc(supervisor.updated_at_ms)});
        print_table(table);
        return kOk;
    }

    auto name = normalise_username(words[1]);
    if (!name) return failed(name.error());
    Status done;
    if (verb == "add" || verb == "passwd") {
        auto password = read_new_password(*name);
        if (!password) return failed(password.error());
        done = verb == "add" ? (*directory)
                                   ->add(*name, arguments.flag("--display-name").value_or(""),
                                         *password, wall_clock_ms(), by)
                             : (*directory)->set_password(*name, *password, wall_clock_ms(), by);
    } else if (verb == "remove") {
        done = (*directory)->remove(*name, wall_clock_ms(), by);
    } else if (verb == "disable") {
        done = (*directory)->disable(*name, wall_clock_ms(), by);
    } else {
        done = (*directory)->enable(*name, wall_clock_ms(), by);
    }
    if (!done) return failed(done.error());
    static const std::map<std::string, std::string> past = {{"add", "added"},
                                                            {"passwd", "changed the password of"},
                                                            {"remove", "removed"},
                                                            {"disable", "disabled"},
                                                            {"enable", "enabled"}};
    say(past.at(verb) + " supervisor " + *name);
    return kOk;
}

int dispatch(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << kUsageText;
        return kUsage;
    }
    const std::string command = argv[1];
    if (command == "--help" || command == "-h" || command == "help") {
        std::cout << kUsageText;
        return kOk;
    }
    const auto help = command_help().find(command);
    if (help == command_help().end()) {
        complain("unknown command '" + command + "'");
        std::cerr << kUsageText;
        return kUsage;
    }
    static const std::map<std::string, std::vector<std::string>> flags = {
        {"run", {"--config", "--broker", "--db", "--site", "--dashboard"}},
        {"import", {"--config", "--broker", "--db", "--site"}},
        {"delete", {"--config", "--broker", "--db", "--site"}},
        {"pool", {"--config", "--db", "--carrier"}},
        {"command",
         {"--config", "--broker", "--site", "--station", "--by", "--reason", "--order",
          "--expires-in"}},
        {"export", {"--config", "--db", "--since", "--until", "--format", "-o"}},
        {"stations", {"--config", "--db"}},
        {"user", {"--config", "--db", "--display-name"}},
    };
    auto parsed = parse_arguments(argc, argv, 2, flags.at(command));
    if (auto* usage = std::get_if<UsageError>(&parsed)) {
        complain(command + ": " + usage->message);
        std::cerr << help->second;
        return kUsage;
    }
    const Arguments& arguments = std::get<Arguments>(parsed);
    if (arguments.help) {
        std::cout << help->second;
        return kOk;
    }
    if (command == "run") return run_hub(arguments);
    if (command == "import") return import_files(arguments);
    if (command == "delete") return delete_object(arguments);
    if (command == "pool") return pool_load(arguments);
    if (command == "command") return send_command(arguments);
    if (command == "export") return export_confirmations(arguments);
    if (command == "user") return manage_users(arguments);
    return show_stations(arguments);
}

}  // namespace
}  // namespace packline::hub

int main(int argc, char** argv) {
    return packline::hub::dispatch(argc, argv);
}
