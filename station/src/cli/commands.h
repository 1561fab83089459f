// The `packline` command-line tool: each command adds itself, its options and
// its subcommands to the command tree (CLI11, with the conventions of
// packline/command_line.h) and says what runs when it is chosen.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "packline/command_line.h"

namespace packline::cli {

using command_line::Invocation;

// `packline tracking check`, under `packline tracking`.
void add_tracking_check(CLI::App& tracking, Invocation& invocation);
// `packline tracking pool add`, under `packline tracking`.
void add_tracking_pool(CLI::App& tracking, Invocation& invocation);
void add_orders_command(CLI::App& root, Invocation& invocation);
void add_demo_command(CLI::App& root, Invocation& invocation);
void add_status_command(CLI::App& root, Invocation& invocation);
// `packline devices [record]`, `packline scale watch`, `packline scan watch`.
void add_device_commands(CLI::App& root, Invocation& invocation);
void add_decode_command(CLI::App& root, Invocation& invocation);
// `packline label render`, `packline label templates`.
void add_label_command(CLI::App& root, Invocation& invocation);

// --carrier CODE and CARRIER arguments: a carrier code the station knows.
CLI::Validator carrier_code_check();

// `packline tracking ARGS...` with only the check beneath it: the words
// after "tracking", the exit code (kept for the command's own tests).
using Args = std::vector<std::string>;
int tracking_command(const Args& args, std::ostream& out, std::ostream& err);

}  // namespace packline::cli
