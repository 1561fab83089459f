// packline-hub export and stations: what the hub has received.
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

namespace {

std::string age_text(std::int64_t now, std::int64_t then) {
    if (then <= 0) return "never";
    const std::int64_t seconds = (now - then) / 1000;
    if (seconds < 120) return std::to_string(seconds) + "s ago";
    if (seconds < 7200) return std::to_string(seconds / 60) + "m ago";
    return std::to_string(seconds / 3600) + "h ago";
}

}  // namespace

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

}  // namespace packline::hub::cli
