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
namespace {

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
}  // namespace packline::hub::cli

int main(int argc, char** argv) {
    return packline::hub::cli::dispatch(argc, argv);
}
