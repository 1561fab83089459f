// The packline-hub program's shared pieces: exit codes, output, the
// command line as flags and positional arguments, the configuration with
// --db and --site applied, the store and a short-lived MQTT client; and one
// function per command (run, import, delete, pool, command, export,
// stations, user), each in its own file.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "packline/error.h"
#include "packline/hub/hub_config.h"
#include "packline/hub/hub_store.h"
#include "packline/sync/mqtt_client.h"

namespace packline::hub::cli {

// Exit codes: 0 done; 1 failed, or done with problems reported (objects or
// numbers skipped); 2 the command line is wrong.
constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kUsage = 2;

// A line on standard output, or "packline-hub: <line>" on standard error;
// whole lines, whatever thread writes.
void say(std::string_view line);
void complain(std::string_view line);

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

// Splits argv[first...] into flags (only those in `known`, each with a value)
// and positional arguments; --help or -h anywhere sets `help`.
std::variant<Arguments, UsageError> parse_arguments(int argc, char** argv, int first,
                                                    const std::vector<std::string>& known);

// The configuration, with --db and --site applied. Without --config, a
// database given with --db is enough for the commands that only read it.
struct Setup {
    HubConfig config;
    bool has_config = false;
};

Result<Setup> load_setup(const Arguments& arguments, bool config_required);
Result<std::unique_ptr<HubStore>> open_store(const HubConfig& config);
// A short-lived client for the commands that publish: its own client id
// (the running hub keeps "packline-hub-<instance>") and a short session.
Result<std::unique_ptr<sync::MqttClient>> connect_tool(const HubConfig& config,
                                                       const Arguments& arguments);
// Complains; the exit code for the error (kUsage for a "usage" error).
int failed(const Error& error);
// Rows of cells, each column as wide as its widest cell.
void print_table(const std::vector<std::vector<std::string>>& table);

int run_hub(const Arguments& arguments);
int import_files(const Arguments& arguments);
int delete_object(const Arguments& arguments);
int pool_load(const Arguments& arguments);
int send_command(const Arguments& arguments);
int export_confirmations(const Arguments& arguments);
int show_stations(const Arguments& arguments);
int manage_users(const Arguments& arguments);

}  // namespace packline::hub::cli
