// packline-hub user: the dashboard's supervisor accounts.
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

// The terminal's settings while a password is typed without echo, restored
// on the way out, also when SIGINT or SIGTERM ends the prompt.
namespace {
termios saved_terminal{};
volatile sig_atomic_t terminal_saved = 0;
}  // namespace

extern "C" void restore_terminal_and_die(int signal_number) {
    if (terminal_saved != 0) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_terminal);
    ::signal(signal_number, SIG_DFL);
    ::raise(signal_number);
}

namespace {

Result<std::string> prompt_without_echo(const std::string& prompt) {
    std::cerr << prompt << std::flush;
    if (::tcgetattr(STDIN_FILENO, &saved_terminal) != 0)
        return Error{errors::kUserPassword, "cannot read the terminal's settings"};
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
    if (!read) return Error{errors::kUserPassword, "no password given"};
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
        if (*first != *second) return Error{errors::kUserPassword, "the two passwords differ"};
        return first;
    }
    std::string line;
    if (!std::getline(std::cin, line))
        return Error{errors::kUserPassword, "no password on standard input (one line)"};
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

std::string time_or_never(std::int64_t ms) {
    return ms > 0 ? iso8601_utc(ms) : std::string("never");
}

}  // namespace

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

}  // namespace packline::hub::cli
