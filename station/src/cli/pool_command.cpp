#include <iostream>
#include <map>

#include "commands.h"
#include "options.h"
#include "packline/station/store.h"
#include "packline/station/store_problem.h"
#include "packline/station/tracking.h"

namespace packline::cli {

// packline tracking pool add CARRIER NUMBER... : numbers the carrier allocated
// to this site ahead of time; the station takes one per parcel whose order has
// none. Every number is validated for its carrier first.
int pool_command(const Args& given, std::ostream& out, std::ostream& err) {
    Args args = given;
    auto config = load_station_config(args, err);
    if (!config) return 2;
    if (args.size() < 3 || args[0] != "add") {
        err << "usage: packline tracking pool add [--db FILE] CARRIER NUMBER...\n";
        return 2;
    }
    const auto carrier = station::carrier_from_code(args[1]);
    if (!carrier) {
        err << "packline tracking pool: unknown carrier '" << args[1] << "'\n";
        return 2;
    }
    std::vector<std::string> valid;
    int refused = 0;
    for (std::size_t i = 2; i < args.size(); ++i) {
        const auto check = station::check_tracking_number(args[i], carrier);
        if (check.valid) {
            valid.push_back(check.number);
        } else {
            err << args[i] << ": " << check.message << " — not added\n";
            ++refused;
        }
    }
    auto store = station::Store::open(config->database);
    if (!store.ok()) {
        err << "packline tracking pool: "
            << station::explain_store_error(config->database, store.error()).message << '\n';
        return 1;
    }
    if (auto added = store.value()->add_pool_numbers(station::carrier_code(*carrier), valid);
        !added.ok()) {
        err << "packline tracking pool: " << added.error().message << '\n';
        return 1;
    }
    out << "added " << valid.size() << " " << station::carrier_display_name(*carrier)
        << " number(s) to the pool" << (refused > 0 ? ", refused " + std::to_string(refused) : "")
        << '\n';
    return refused > 0 ? 3 : 0;
}

}  // namespace packline::cli
