#include <iostream>

#include "commands.h"
#include "options.h"
#include "packline/station/import.h"
#include "packline/station/store.h"
#include "packline/station/store_problem.h"

namespace packline::cli {

int orders_command(const Args& given, std::ostream& out, std::ostream& err) {
    Args args = given;
    if (args.empty() || args.front() != "import") {
        err << "usage: packline orders import [--config FILE] [--db FILE] FILE...\n";
        return 2;
    }
    args.erase(args.begin());
    auto config = load_station_config(args, err);
    if (!config) return 2;
    if (args.empty()) {
        err << "packline orders import: name at least one JSON or CSV file\n";
        return 2;
    }
    auto store = station::Store::open(config->database);
    if (!store.ok()) {
        err << "packline orders import: "
            << station::explain_store_error(config->database, store.error()).message << '\n';
        return 1;
    }
    int skipped = 0;  // records not loaded
    int notes = 0;    // records that loaded all the same (a duplicate replaced an earlier one)
    bool failed = false;
    for (const std::string& path : args) {
        auto parsed = station::parse_import_file(path);
        if (!parsed.ok()) {
            err << path << ": " << parsed.error().message << '\n';
            failed = true;
            continue;
        }
        for (const auto& problem : parsed.value().problems) {
            err << (problem.file.empty() ? path : problem.file) << ':' << problem.line << ": "
                << (problem.record.empty() ? "" : problem.record + ": ") << problem.message << '\n';
            ++(problem.loaded ? notes : skipped);
        }
        auto counts = store.value()->import(parsed.value().batch);
        if (!counts.ok()) {
            err << path << ": "
                << station::explain_store_error(config->database, counts.error()).message << '\n';
            failed = true;
            continue;
        }
        out << path << ": loaded " << counts.value().orders << " order(s), " << counts.value().skus
            << " SKU(s), " << counts.value().packaging << " packaging type(s)\n";
    }
    if (skipped > 0) err << skipped << " record(s) skipped; everything else was loaded\n";
    if (notes > 0)
        err << notes
            << " note(s) about records that loaded all the same (duplicates replaced, "
               "barcodes skipped)\n";
    return failed ? 1 : (skipped + notes > 0 ? 3 : 0);
}

}  // namespace packline::cli
