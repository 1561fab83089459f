// packline-hub import, delete, pool load and command: what the hub sends the
// stations.
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
#include "packline/hub/hub_errors.h"
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
    if (!in)
        return failed(Error{errors::kPoolUnreadable, arguments.positional[1] + ": cannot read"});
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
    if (!topic) return failed(Error{kUsageError, topic.error().message});
    const std::string event_id = new_event_id();
    auto payload = sync::command_json(command, sync::Envelope{event_id, now, 0});
    if (!payload) return failed(Error{kUsageError, payload.error().message});
    auto client = connect_tool(setup->config, arguments);
    if (!client) return failed(client.error());
    const Status sent = (*client)->publish_confirmed(*topic, *payload, false);
    (void)(*client)->stop();
    if (!sent) return failed(sent.error());
    say("sent " + verb + " to " + site + "/" + *station + " (event " + event_id + ")");
    return kOk;
}

// --- export ---

}  // namespace packline::hub::cli
