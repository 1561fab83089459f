#include <algorithm>
#include <charconv>
#include <filesystem>
#include <iostream>
#include <random>

#include "commands.h"
#include "options.h"
#include "packline/station/shift.h"

namespace packline::cli {
namespace {

template <typename T>
bool parse_number(const std::string& text, T& value) {
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

int demo_command(const Args& given, std::ostream& out, std::ostream& err) {
    Args args = given;
    if (take_flag(args, "--help")) {
        out << "usage: packline demo [--orders N] [--seed S] [--db FILE] [--log-confirmations]\n"
               "Runs a scripted shift through the real station with simulated devices,\n"
               "plants mistakes among good parcels and prints what each check found.\n"
               "Exit status 0 only if every mistake was caught and every good parcel confirmed.\n";
        return 0;
    }
    station::ShiftOptions options;
    auto config = load_station_config(args, err);
    if (!config) return 2;
    options.config = *config;
    // A demo shift should not wait eight seconds on the planted unstable scale.
    options.config.weigh_timeout_ms = 400;
    if (auto orders = take_option(args, "--orders")) {
        if (!parse_number(*orders, options.orders) || options.orders < 1 ||
            options.orders > 100000) {
            err << "packline demo: --orders must be a number from 1 to 100000\n";
            return 2;
        }
    }
    if (auto seed = take_option(args, "--seed")) {
        if (!parse_number(*seed, options.seed)) {
            err << "packline demo: --seed must be a non-negative number\n";
            return 2;
        }
    }
    options.log_confirmations = take_flag(args, "--log-confirmations");
    const bool explicit_db =
        std::find(given.begin(), given.end(), std::string("--db")) != given.end() ||
        std::any_of(given.begin(), given.end(),
                    [](const std::string& arg) { return arg.rfind("--db=", 0) == 0; });
    if (!args.empty()) {
        err << "packline demo: unexpected argument '" << args.front() << "'\n";
        return 2;
    }
    if (!explicit_db) {
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
        return 1;
    }
    station::print_shift_report(report.value(), out);
    out << "\nInspect it: build/bin/packline status --db " << options.config.database << '\n';
    return report.value().success() ? 0 : 1;
}

}  // namespace packline::cli
