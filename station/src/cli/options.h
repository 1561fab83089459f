// Loading the station configuration the same way in every packline command.
#pragma once

#include <optional>
#include <ostream>

#include "packline/command_line.h"
#include "packline/station/config.h"

namespace packline::cli {

// --config FILE, else $PACKLINE_CONFIG, else ./packline.toml if present, else
// defaults; --db FILE overrides the database path. `from_file` tells whether
// a configuration file was read (without one the station id is a default).
inline std::optional<station::StationConfig> load_station_config(
    const command_line::StationOptions& options, std::ostream& err, bool* from_file = nullptr) {
    auto found = station::find_station_config(options.config, options.database);
    if (!found.ok()) {
        err << "packline: " << found.error().message << '\n';
        return std::nullopt;
    }
    if (from_file != nullptr) *from_file = found.value().from_file;
    return std::move(found.value().config);
}

// --config and --db on a command that reads the station's configuration.
inline void add_station_options(CLI::App& command, command_line::StationOptions& options) {
    command_line::add_config_options(
        command, options,
        "the station configuration (default: $PACKLINE_CONFIG, then ./packline.toml)",
        "the station's database, instead of [station] database");
}

}  // namespace packline::cli
