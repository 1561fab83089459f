// packline status: the station's state and today's (or all time's) counters.
#include <ctime>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>

#include "commands.h"
#include "options.h"
#include "packline/hardware/events.h"
#include "packline/station/store.h"

namespace packline::cli {

namespace {

struct StatusOptions {
    command_line::StationOptions station;
    bool all_time = false;
};

int show_status(const StatusOptions& options, std::ostream& out, std::ostream& err) {
    bool configured = false;
    auto config = load_station_config(options.station, err, &configured);
    if (!config) return command_line::kExitUsage;
    const bool all_time = options.all_time;
    if (!std::filesystem::exists(config->database)) {
        out << "station   " << config->station_id << " (site " << config->site << ")\n";
        out << "database  " << config->database << " does not exist yet\n";
        out << "state     idle (nothing packed yet)\n";
        return command_line::kExitOk;
    }
    station::StoreOptions store_options;
    store_options.read_only = true;
    auto store = station::Store::open(config->database, store_options);
    if (!store.ok()) {
        err << "packline status: " << store.error().message << '\n';
        return command_line::kExitFailed;
    }
    // Today in local time, or everything with --all.
    std::int64_t from = 0;
    const std::int64_t to = hardware::now_ms() + 1;
    if (!all_time) {
        std::time_t now = std::time(nullptr);
        std::tm local{};
        localtime_r(&now, &local);
        local.tm_hour = 0;
        local.tm_min = 0;
        local.tm_sec = 0;
        from = static_cast<std::int64_t>(std::mktime(&local)) * 1000;
    }
    // Without the station's configuration (`--db FILE` alone) the station is
    // the one that recorded its events in the store, not a default id.
    std::string station = config->station_id;
    std::string site = " (site " + config->site + ")";
    if (!configured) {
        auto ids = store.value()->station_ids();
        if (!ids.ok()) {
            err << "packline status: " << ids.error().message << '\n';
            return command_line::kExitFailed;
        }
        site = " (from the store; no configuration read)";
        if (ids.value().size() == 1) {
            station = ids.value().front();
        } else if (ids.value().size() > 1) {
            station.clear();  // every station's events
            site = " (the store holds " + std::to_string(ids.value().size()) + " stations: ";
            for (std::size_t index = 0; index < ids.value().size(); ++index)
                site += (index > 0 ? ", " : "") + ids.value()[index];
            site += "; counted together)";
        }
    }
    auto counters = store.value()->counters(station, from, to);
    auto active = store.value()->active_parcel(station);
    if (!counters.ok() || !active.ok()) {
        err << "packline status: "
            << (counters.ok() ? active.error().message : counters.error().message) << '\n';
        return command_line::kExitFailed;
    }
    out << "station   " << (station.empty() ? "all" : station) << site << "\n";
    out << "database  " << config->database << " (schema v" << store.value()->schema_version()
        << ")\n";
    if (active.value()) {
        const station::Parcel& parcel = *active.value();
        out << "state     parcel " << parcel.id << " of order " << parcel.order_id << ": "
            << station::to_string(parcel.state) << ", " << parcel.items.size()
            << " item(s) scanned\n";
        if (parcel.exception)
            out << "          exception " << parcel.exception->reason << ": "
                << parcel.exception->message << '\n';
    } else {
        out << "state     idle (no open parcel)\n";
    }
    const auto& c = counters.value();
    out << (all_time ? "all time" : "today   ") << "  parcels started " << c.parcels_started
        << ", confirmed " << c.confirmed << ", exceptions " << c.exceptions << ", overrides "
        << c.overrides << ", abandoned " << c.abandoned << ", scans " << c.scans << '\n';
    out << "outbox    " << c.outbox_pending << " confirmation(s) waiting to sync\n";
    return command_line::kExitOk;
}

}  // namespace

void add_status_command(CLI::App& root, Invocation& invocation) {
    auto options = std::make_shared<StatusOptions>();
    CLI::App* status = root.add_subcommand("status", "the station's state and today's counters");
    add_station_options(*status, options->station);
    status->add_flag("--all", options->all_time, "count everything, not only today");
    command_line::runs(*status, invocation, [options, &invocation] {
        return show_status(*options, invocation.out, invocation.err);
    });
}

}  // namespace packline::cli
