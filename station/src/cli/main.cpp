// packline: the station's command-line tool. `packline --help` lists the
// commands; `packline COMMAND --help` explains one.
#include <iostream>
#include <string>
#include <vector>

#include "commands.h"

namespace {

void prepare_packline(CLI::App& root) {
    packline::command_line::prepare_root(root);
    root.require_subcommand(1);
}

// After the commands are added: they would inherit it.
void add_footer(CLI::App& root) {
    root.footer(
        "Most commands take --config FILE (default: $PACKLINE_CONFIG, then ./packline.toml)\n"
        "or --db FILE to point at the station's database. 'packline COMMAND --help' for one\n"
        "command's options.");
}

}  // namespace

int main(int argc, char** argv) {
    using namespace packline;
    CLI::App root{"packline: the packing station's command-line tool", "packline"};
    prepare_packline(root);
    command_line::Invocation invocation{std::cout, std::cerr, {}};
    CLI::App* tracking =
        root.add_subcommand("tracking", "tracking numbers: check them, fill the station's pool");
    tracking->require_subcommand(1);
    cli::add_tracking_check(*tracking, invocation);
    cli::add_tracking_pool(*tracking, invocation);
    cli::add_orders_command(root, invocation);
    cli::add_demo_command(root, invocation);
    cli::add_status_command(root, invocation);
    cli::add_device_commands(root, invocation);
    cli::add_decode_command(root, invocation);
    cli::add_label_command(root, invocation);
    add_footer(root);

    std::vector<std::string> args(argv + 1, argv + argc);
    // `packline help [COMMAND...]` asks as --help does.
    if (!args.empty() && args.front() == "help") {
        args.erase(args.begin());
        args.push_back("--help");
    }
    return command_line::parse_and_run(root, std::move(args), invocation);
}
