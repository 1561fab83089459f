// packline tracking pool add CARRIER NUMBER... : numbers the carrier allocated
// to this site ahead of time; the station takes one per parcel whose order has
// none. Every number is validated for its carrier first.
#include <iostream>
#include <memory>

#include "commands.h"
#include "options.h"
#include "packline/station/store.h"
#include "packline/station/store_problem.h"
#include "packline/station/tracking.h"

namespace packline::cli {
namespace {

struct PoolOptions {
    command_line::StationOptions station;
    std::string carrier;
    std::vector<std::string> numbers;
};

int add_numbers(const PoolOptions& options, std::ostream& out, std::ostream& err) {
    auto config = load_station_config(options.station, err);
    if (!config) return command_line::kExitUsage;
    const auto carrier = station::carrier_from_code(options.carrier);
    std::vector<std::string> valid;
    int refused = 0;
    for (const std::string& number : options.numbers) {
        const auto check = station::check_tracking_number(number, carrier);
        if (check.valid) {
            valid.push_back(check.number);
        } else {
            err << number << ": " << check.message << " — not added\n";
            ++refused;
        }
    }
    auto store = station::Store::open(config->database);
    if (!store.ok()) {
        err << "packline tracking pool: "
            << station::explain_store_error(config->database, store.error()).message << '\n';
        return command_line::kExitFailed;
    }
    if (auto added = store.value()->add_pool_numbers(station::carrier_code(*carrier), valid);
        !added.ok()) {
        err << "packline tracking pool: " << added.error().message << '\n';
        return command_line::kExitFailed;
    }
    out << "added " << valid.size() << " " << station::carrier_display_name(*carrier)
        << " number(s) to the pool" << (refused > 0 ? ", refused " + std::to_string(refused) : "")
        << '\n';
    return refused > 0 ? 3 : command_line::kExitOk;
}

}  // namespace

void add_tracking_pool(CLI::App& tracking, Invocation& invocation) {
    CLI::App* pool =
        tracking.add_subcommand("pool", "the station's pool of pre-allocated tracking numbers");
    pool->require_subcommand(1);
    auto options = std::make_shared<PoolOptions>();
    CLI::App* add =
        pool->add_subcommand("add", "add pre-allocated tracking numbers to the station's pool");
    add->footer(
        "Each number is checked for the carrier's format and check digit; invalid ones\n"
        "are reported and not added (exit status 3).");
    add_station_options(*add, options->station);
    add->add_option("carrier", options->carrier, "the carrier that allocated the numbers")
        ->type_name("CARRIER")
        ->required()
        ->check(carrier_code_check());
    add->add_option("numbers", options->numbers, "the tracking numbers")
        ->type_name("NUMBER")
        ->required();
    command_line::runs(*add, invocation, [options, &invocation] {
        return add_numbers(*options, invocation.out, invocation.err);
    });
}

}  // namespace packline::cli
