// packline orders import FILE...: orders, SKUs and packaging into the
// station's store (docs/import-format.md).
#include <iostream>
#include <memory>

#include "commands.h"
#include "options.h"
#include "packline/station/import.h"
#include "packline/station/store.h"
#include "packline/station/store_problem.h"

namespace packline::cli {

namespace {

struct ImportOptions {
    command_line::StationOptions station;
    std::vector<std::string> files;
};

int import_files(const ImportOptions& options, std::ostream& out, std::ostream& err) {
    auto config = load_station_config(options.station, err);
    if (!config) return command_line::kExitUsage;
    auto store = station::Store::open(config->database);
    if (!store.ok()) {
        err << "packline orders import: "
            << station::explain_store_error(config->database, store.error()).message << '\n';
        return 1;
    }
    int skipped = 0;  // records not loaded
    int notes = 0;    // records that loaded all the same (a duplicate replaced an earlier one)
    bool failed = false;
    for (const std::string& path : options.files) {
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
    return failed ? command_line::kExitFailed : (skipped + notes > 0 ? 3 : command_line::kExitOk);
}

}  // namespace

void add_orders_command(CLI::App& root, Invocation& invocation) {
    CLI::App* orders = root.add_subcommand("orders", "the station's orders");
    orders->require_subcommand(1);
    auto options = std::make_shared<ImportOptions>();
    CLI::App* import = orders->add_subcommand(
        "import", "load orders, SKUs and packaging (JSON or CSV, docs/import-format.md)");
    import->footer(
        "Bad records are reported by file and line and skipped; the rest loads. Exit\n"
        "status 0 when everything loaded, 3 with records skipped or noted, 1 when a\n"
        "file could not be read or stored.");
    add_station_options(*import, options->station);
    import->add_option("files", options->files, "JSON or CSV files")->type_name("FILE")->required();
    command_line::runs(*import, invocation, [options, &invocation] {
        return import_files(*options, invocation.out, invocation.err);
    });
}

}  // namespace packline::cli
