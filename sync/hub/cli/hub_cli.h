// The packline-hub program's shared pieces: exit codes, output, the
// parsed command line as options and positional arguments, the configuration with
// --db and --site applied, the store and a short-lived MQTT client; and one
// function per command (run, import, delete, pool, command, export,
// stations, user), each in its own file.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "packline/command_line.h"
#include "packline/error.h"
#include "packline/hub/hub_config.h"
#include "packline/hub/hub_store.h"
#include "packline/sync/mqtt_client.h"

namespace packline::hub::cli {

// Exit codes: 0 done; 1 failed, or done with problems reported (objects or
// numbers skipped); 2 the command line is wrong.
constexpr int kOk = command_line::kExitOk;
constexpr int kFailed = command_line::kExitFailed;
constexpr int kUsage = command_line::kExitUsage;
// The code of an error that is the command line's fault (exit kUsage).
constexpr const char* kUsageError = "usage";

// A line on standard output, or "packline-hub: <line>" on standard error;
// whole lines, whatever thread writes.
void say(std::string_view line);
void complain(std::string_view line);

// Options (by the name they were given under) and positional arguments of
// one command, as the command line parsed them (main.cpp).
struct Arguments {
    std::multimap<std::string, std::string> flags;
    std::vector<std::string> positional;

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
// Complains; the exit code for the error (kUsage for a kUsageError).
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
