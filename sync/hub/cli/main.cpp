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
// `packline-hub COMMAND --help` explains each. Exit codes: 0 done; 1 failed,
// or done with problems reported (objects or numbers skipped); 2 the command
// line is wrong.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "hub_cli.h"
#include "packline/command_line.h"

namespace packline::hub::cli {
namespace {

// An option of a command: its names, the key it is stored under in
// Arguments::flags, its value's name and help.
struct Flag {
    const char* names;
    const char* key;
    const char* value;
    const char* help;
    bool repeats = false;
};

const Flag kConfig{"--config", "--config", "FILE", "the hub configuration (docs/hub.md)"};
const Flag kDatabase{"--db", "--db", "FILE", "the hub database, instead of [hub] database"};
const Flag kBroker{"--broker", "--broker", "URI", "the broker, instead of [mqtt] brokers"};
const Flag kSite{"--site", "--site", "S", "these sites instead of [hub] sites (repeatable)", true};

struct HubCommand {
    const char* name;
    const char* summary;
    std::vector<Flag> flags;
    const char* words;  // the positional arguments' name in the usage line; "" for none
    int min_words = 0;
    int max_words = 0;  // -1: any number
    const char* details;
    int (*run)(const Arguments&);
};

const std::vector<HubCommand>& hub_commands() {
    static const std::vector<HubCommand> commands{
        {"run",
         "subscribe to the stations, store and acknowledge what they send, top up their "
         "tracking pools (until SIGINT/SIGTERM)",
         {kConfig,
          kBroker,
          kDatabase,
          kSite,
          {"--dashboard", "--dashboard", "ADDRESS|off",
           "HOST:PORT to serve the dashboard on, or off; instead of [dashboard]"}},
         "",
         0,
         0,
         "Connects to the broker, subscribes to every station of the configured sites\n"
         "(shared subscription when [hub] share_group is set), stores confirmations,\n"
         "events and statuses in the database and acknowledges them, and tops up low\n"
         "tracking pools. Prints a line at start and stop and a summary every\n"
         "[hub] summary_interval_s. Stops cleanly on SIGINT or SIGTERM. Serves the\n"
         "supervisor dashboard ([dashboard], docs/dashboard.md) and prints its address.",
         run_hub},
        {"import",
         "publish orders, SKUs and packaging from JSON/CSV files (retained)",
         {kConfig, kSite, kBroker, kDatabase},
         "FILE",
         1,
         -1,
         "Reads orders, SKUs and packaging (docs/import-format.md: JSON or CSV), records\n"
         "them and publishes each retained on its topic. SKUs and packaging go to every\n"
         "site (or only --site); an order to its own site, or the only one. Objects that\n"
         "cannot travel (ids that cannot be topic levels, ...) are reported and skipped.",
         import_files},
        {"delete",
         "delete one order, SKU or packaging code (empty retained message)",
         {kConfig, kSite, kBroker, kDatabase},
         "order|sku|packaging ID",
         2,
         2,
         "Publishes the empty retained message that deletes the object on every station.",
         delete_object},
        {"pool",
         "load tracking numbers into the hub's stock (pool load)",
         {kConfig, kDatabase, {"--carrier", "--carrier", "C", "the numbers' carrier"}},
         "load FILE",
         2,
         2,
         "packline-hub pool load --carrier C (--config hub.toml | --db FILE) FILE\n"
         "Loads tracking numbers (one per line; blank lines and lines starting with #\n"
         "are skipped) into the hub's stock for carrier C. Each is checked with the\n"
         "carrier's format and check digit; invalid ones are reported, not loaded.",
         pool_load},
        {"command",
         "send a command to a station: pause, resume, message, reprint",
         {kConfig,
          kBroker,
          kSite,
          {"--station", "--station", "S", "the station"},
          {"--by", "--by", "BADGE", "the supervisor's badge, for the audit"},
          {"--reason", "--reason", "R", "why, for the audit"},
          {"--order", "--order", "ID", "reprint: this order's label"},
          {"--expires-in", "--expires-in", "SECONDS", "ignored by a station that gets it later"}},
         "pause|resume|message TEXT|reprint",
         1,
         2,
         "Sends one command to a station (not retained: it acts once, when it arrives).\n"
         "--station and --by are required.",
         send_command},
        {"export",
         "write the confirmations received in an interval as CSV or JSON",
         {kConfig,
          kDatabase,
          {"--since", "--since", "T", "from this time (required)"},
          {"--until", "--until", "T", "until this time (default: now)"},
          {"--format", "--format", "csv|json", "the output format (required)"},
          {"-o,--output", "-o", "FILE", "write here instead of standard output"}},
         "",
         0,
         0,
         "Writes the confirmations the hub received in [since, until) (by the hub's\n"
         "receipt time). T: 2026-11-23T08:00:00Z (RFC 3339), 2026-11-23 (UTC midnight)\n"
         "or milliseconds since the epoch. Columns: docs/hub.md.",
         export_confirmations},
        {"stations",
         "show the latest status of every station",
         {kConfig, kDatabase},
         "",
         0,
         0,
         "Shows the latest status of every station: online or offline, state, packer,\n"
         "outbox backlog, last sync, clock skew and when the hub heard from it.",
         show_stations},
        {"user",
         "supervisor accounts of the dashboard: add, passwd, remove, disable, enable, list",
         {kConfig,
          kDatabase,
          {"--display-name", "--display-name", "TEXT", "add: the name the dashboard shows"}},
         "add|passwd|remove|disable|enable NAME|list",
         1,
         2,
         "packline-hub user add NAME [--display-name TEXT] (--config hub.toml | --db FILE)\n"
         "packline-hub user passwd|remove|disable|enable NAME (--config hub.toml | --db FILE)\n"
         "packline-hub user list (--config hub.toml | --db FILE)\n"
         "Supervisor accounts of the dashboard. add and passwd read the password from\n"
         "standard input (one line), or ask for it twice without echo on a terminal:\n"
         "10 characters at least. passwd, disable and remove end the user's sessions.\n"
         "NAME: 1 to 64 of a-z 0-9 . _ - (taken in lower case).",
         manage_users},
    };
    return commands;
}

void add_hub_command(CLI::App& root, const HubCommand& command,
                     command_line::Invocation& invocation) {
    auto arguments = std::make_shared<Arguments>();
    CLI::App* sub = root.add_subcommand(command.name, command.summary);
    sub->footer(command.details);
    for (const Flag& flag : command.flags) {
        const std::string key = flag.key;
        CLI::Option* option = flag.repeats
                                  ? sub->add_option_function<std::vector<std::string>>(
                                        flag.names,
                                        [arguments, key](const std::vector<std::string>& values) {
                                            for (const std::string& value : values)
                                                arguments->flags.emplace(key, value);
                                        },
                                        flag.help)
                                  : sub->add_option_function<std::string>(
                                        flag.names,
                                        [arguments, key](const std::string& value) {
                                            arguments->flags.emplace(key, value);
                                        },
                                        flag.help);
        option->type_name(flag.value);
    }
    if (command.max_words != 0)
        sub->add_option("arguments", arguments->positional, "")
            ->type_name(command.words)
            ->expected(command.min_words, command.max_words < 0
                                              ? CLI::detail::expected_max_vector_size
                                              : command.max_words)
            ->required(command.min_words > 0);
    const auto run = command.run;
    command_line::runs(*sub, invocation, [arguments, run] { return run(*arguments); });
}

}  // namespace
}  // namespace packline::hub::cli

int main(int argc, char** argv) {
    using namespace packline;
    CLI::App root{"packline-hub: the reference central service (docs/hub.md)", "packline-hub"};
    command_line::prepare_root(root);
    root.require_subcommand(1);
    command_line::Invocation invocation{std::cout, std::cerr, {}};
    for (const hub::cli::HubCommand& command : hub::cli::hub_commands())
        hub::cli::add_hub_command(root, command, invocation);
    root.footer(
        "'packline-hub COMMAND --help' for a command's options. Documentation: docs/hub.md");
    std::vector<std::string> args(argv + 1, argv + argc);
    if (!args.empty() && args.front() == "help") {  // `packline-hub help [COMMAND]`
        args.erase(args.begin());
        args.push_back("--help");
    }
    return command_line::parse_and_run(root, std::move(args), invocation);
}
