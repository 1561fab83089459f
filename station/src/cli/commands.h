// The `packline` command-line tool: one function per top-level command.
// Each takes the arguments after the command name and returns the exit code.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "packline/hardware/events.h"

namespace packline::cli {

using Args = std::vector<std::string>;

int tracking_command(const Args& args, std::ostream& out, std::ostream& err);
int pool_command(const Args& args, std::ostream& out, std::ostream& err);
int orders_command(const Args& args, std::ostream& out, std::ostream& err);
int demo_command(const Args& args, std::ostream& out, std::ostream& err);
int status_command(const Args& args, std::ostream& out, std::ostream& err);
int devices_command(const Args& args, std::ostream& out, std::ostream& err);
// `packline scale watch`, `packline scan watch`.
int watch_command(hardware::DeviceKind kind, const Args& args, std::ostream& out,
                  std::ostream& err);
int decode_command(const Args& args, std::ostream& out, std::ostream& err);
// `packline label render ...`, `packline label templates`.
int label_command(const Args& args, std::ostream& out, std::ostream& err);

}  // namespace packline::cli
