// packline: the station's command-line tool.
#include <cstring>
#include <iostream>
#include <string>

#include "commands.h"

namespace {

constexpr const char* kUsage =
    "usage: packline <command> [arguments]\n"
    "\n"
    "commands:\n"
    "  tracking check NUMBER...      validate tracking numbers (carrier, format, check digit)\n"
    "  tracking pool add CARRIER NUMBER...\n"
    "                                add pre-allocated tracking numbers to the station's pool\n"
    "  orders import FILE...         load orders, SKUs and packaging (JSON or CSV)\n"
    "  demo [--orders N] [--seed S]  run a simulated packing shift through the real station\n"
    "  status                        the station's state and today's counters\n"
    "  devices [--drivers]           scanners, scales, printers and cameras found, and health\n"
    "  devices record KIND --out F   record what a scanner or scale sends (for replay)\n"
    "  scale watch                   live scale readings\n"
    "  scan watch                    live scans, with what each one means\n"
    "  decode FILE...                barcodes in image files (camera decode path)\n"
    "  label render ORDER.json ...   a label as ZPL, PNG or PDF (label templates: list them)\n"
    "\n"
    "Most commands take --config FILE (default: $PACKLINE_CONFIG, then ./packline.toml)\n"
    "or --db FILE to point at the station's database.\n";

// The usage lines of one command ("  orders import ..." and its
// continuation lines), or the whole usage when none match.
std::string usage_of(const std::string& command) {
    const std::string all = kUsage;
    std::string lines;
    bool in_command = false;
    std::size_t at = 0;
    while (at < all.size()) {
        const std::size_t end = all.find('\n', at);
        const std::string line = all.substr(at, end - at);
        at = end == std::string::npos ? all.size() : end + 1;
        if (line.starts_with("  " + command + " ") || line == "  " + command)
            in_command = true;
        else if (!line.starts_with("    "))
            in_command = false;
        if (in_command) lines += line + '\n';
    }
    return lines.empty() ? all : "usage: packline " + command + " ...\n" + lines;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0 ||
        std::strcmp(argv[1], "help") == 0) {
        std::cout << kUsage;
        return argc < 2 ? 2 : 0;
    }
    const std::string command = argv[1];
    packline::cli::Args args(argv + 2, argv + argc);
    // --help anywhere after a command is a question, never a tracking number,
    // a file to import or a database to create.
    // Commands with a usage of their own print it.
    for (const std::string& arg : args)
        if (arg == "--help" || arg == "-h") {
            if (command == "demo") break;  // takes --help itself
            if (command == "tracking" && (args.front() == "check" || args.front() == arg))
                return packline::cli::tracking_command({"--help"}, std::cout, std::cerr);
            std::cout << usage_of(command);
            return 0;
        }
    if (command == "tracking" && !args.empty() && args.front() == "pool")
        return packline::cli::pool_command({args.begin() + 1, args.end()}, std::cout, std::cerr);
    if (command == "tracking") return packline::cli::tracking_command(args, std::cout, std::cerr);
    if (command == "orders") return packline::cli::orders_command(args, std::cout, std::cerr);
    if (command == "demo") return packline::cli::demo_command(args, std::cout, std::cerr);
    if (command == "status") return packline::cli::status_command(args, std::cout, std::cerr);
    if (command == "devices") return packline::cli::devices_command(args, std::cout, std::cerr);
    if (command == "scale")
        return packline::cli::watch_command(packline::hardware::DeviceKind::Scale, args, std::cout,
                                            std::cerr);
    if (command == "scan")
        return packline::cli::watch_command(packline::hardware::DeviceKind::Scanner, args,
                                            std::cout, std::cerr);
    if (command == "decode") return packline::cli::decode_command(args, std::cout, std::cerr);
    if (command == "label") return packline::cli::label_command(args, std::cout, std::cerr);
    std::cerr << "packline: unknown command '" << command << "'\n\n" << kUsage;
    return 2;
}
