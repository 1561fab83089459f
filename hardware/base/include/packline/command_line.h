// The command lines of Packline's three programs (packline, packline-stationd,
// packline-hub), parsed by CLI11 and held to one set of conventions:
//   - `--help` (or -h) after any command prints that command's help on
//     standard output and exits 0; nothing else runs, nothing is created;
//   - a wrong command line prints "PROGRAM COMMAND: what is wrong" and the
//     usage lines of the commands beneath the one being typed on standard
//     error, and exits 2 (kExitUsage);
//   - the same option is spelled the same way in every program (station_options
//     below: --config FILE, --db FILE).
// The one public header that names CLI11: only programs include it.
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace packline::command_line {

// Exit codes shared by the programs: done; failed (or done with problems
// reported); the command line is wrong.
constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

// One usage line: "packline tracking check [--carrier CODE] NUMBER...",
// `path` being the command as typed ("packline tracking check"), broken
// into lines of at most 79 columns for a line that starts at `indent`.
std::string usage_line(const CLI::App& command, const std::string& path, std::size_t indent = 0);

// "usage: " and the usage line of every runnable command beneath `command`
// (itself when it has no subcommands), one per line, aligned.
std::string usage_lines(const CLI::App& command, const std::string& path);

// A program's root command: help and usage lines in the form above.
void prepare_root(CLI::App& root);

// What the chosen command runs once the whole line has parsed; a leaf's
// callback sets it.
struct Invocation {
    std::ostream& out;
    std::ostream& err;
    std::function<int()> run;
};

// Makes `command` set invocation.run to `action` when it is chosen.
void runs(CLI::App& command, Invocation& invocation, std::function<int()> action);

// Parses `args` (without the program's name): the exit code when the
// program is done (kExitOk after --help, kExitUsage after a usage error,
// both reported), nothing when it should go on.
std::optional<int> parse(CLI::App& root, std::vector<std::string> args, std::ostream& out,
                         std::ostream& err);

// Parses `args` (without the program's name) and runs the chosen command:
// its exit code; kExitOk after --help; kExitUsage after a usage error.
int parse_and_run(CLI::App& root, std::vector<std::string> args, Invocation& invocation);

// --config FILE and --db FILE: where the station's (or hub's) configuration
// and database are, when not where the configuration says.
struct StationOptions {
    std::optional<std::string> config;
    std::optional<std::string> database;
};
void add_config_options(
    CLI::App& command, StationOptions& options,
    const std::string& config_help =
        "the configuration (default: $PACKLINE_CONFIG, then ./packline.toml)",
    const std::string& database_help = "the database, instead of the configuration's");

// A validator that accepts what `accepts` returns an empty string for, and
// otherwise fails with that string as the message.
CLI::Validator check_with(std::function<std::string(const std::string&)> accepts,
                          const std::string& name);

}  // namespace packline::command_line
