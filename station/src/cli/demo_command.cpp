// packline demo: a scripted shift through the real station with simulated
// devices, mistakes planted among good parcels.
#include <filesystem>
#include <iostream>
#include <memory>
#include <random>

#include "commands.h"
#include "options.h"
#include "packline/station/shift.h"

namespace packline::cli {
namespace {

struct DemoOptions {
    command_line::StationOptions station;
    int orders = 0;
    std::uint64_t seed = 0;
    bool log_confirmations = false;
};

int run_demo(const DemoOptions& demo, std::ostream& out, std::ostream& err) {
    station::ShiftOptions options;
    auto config = load_station_config(demo.station, err);
    if (!config) return command_line::kExitUsage;
    options.config = *config;
    // A demo shift should not wait eight seconds on the planted unstable scale.
    options.config.weigh_timeout_ms = 400;
    options.orders = demo.orders;
    options.seed = demo.seed;
    options.log_confirmations = demo.log_confirmations;
    if (!demo.station.database) {
        // A fresh database per demo run, so runs never see each other's parcels.
        std::random_device device;
        auto dir = std::filesystem::temp_directory_path() /
                   ("packline-demo-" + std::to_string(device() % 1000000));
        options.config.database = (dir / "station.db").string();
    }
    out << "Packline demo: " << options.orders << " orders, seed " << options.seed << ", database "
        << options.config.database << "\n\n";
    auto report = station::run_shift(options, out);
    if (!report.ok()) {
        err << "packline demo: " << report.error().message << '\n';
        return command_line::kExitFailed;
    }
    station::print_shift_report(report.value(), out);
    out << "\nInspect it: build/bin/packline status --db " << options.config.database << '\n';
    return report.value().success() ? command_line::kExitOk : command_line::kExitFailed;
}

}  // namespace

void add_demo_command(CLI::App& root, Invocation& invocation) {
    auto options = std::make_shared<DemoOptions>();
    options->orders = station::ShiftOptions{}.orders;
    options->seed = station::ShiftOptions{}.seed;
    CLI::App* demo =
        root.add_subcommand("demo", "run a simulated packing shift through the real station");
    demo->footer(
        "Runs a scripted shift through the real station with simulated devices,\n"
        "plants mistakes among good parcels and prints what each check found.\n"
        "Exit status 0 only if every mistake was caught and every good parcel confirmed.\n"
        "Without --db each run gets a fresh database in the temporary folder.");
    add_station_options(*demo, options->station);
    demo->add_option("--orders", options->orders, "orders in the shift")
        ->type_name("N")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    demo->add_option("--seed", options->seed, "the demo catalogue's seed")
        ->type_name("S")
        ->capture_default_str();
    demo->add_flag("--log-confirmations", options->log_confirmations,
                   "print each confirmation's order and tracking number");
    command_line::runs(*demo, invocation, [options, &invocation] {
        return run_demo(*options, invocation.out, invocation.err);
    });
}

}  // namespace packline::cli
