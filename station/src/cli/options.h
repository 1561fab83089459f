// Small helpers shared by the packline commands: option parsing and loading
// the station configuration the same way everywhere.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>

#include "commands.h"
#include "packline/station/config.h"

namespace packline::cli {

// Takes "--name VALUE" (or "--name=VALUE") out of args.
inline std::optional<std::string> take_option(Args& args, const std::string& name) {
    for (auto it = args.begin(); it != args.end(); ++it) {
        if (*it == name && it + 1 != args.end()) {
            std::string value = *(it + 1);
            args.erase(it, it + 2);
            return value;
        }
        if (it->rfind(name + "=", 0) == 0) {
            std::string value = it->substr(name.size() + 1);
            args.erase(it);
            return value;
        }
    }
    return std::nullopt;
}

inline bool take_flag(Args& args, const std::string& name) {
    for (auto it = args.begin(); it != args.end(); ++it)
        if (*it == name) {
            args.erase(it);
            return true;
        }
    return false;
}

// --config FILE, else $PACKLINE_CONFIG, else ./packline.toml if present, else
// defaults; --db FILE overrides the database path. `from_file` tells whether
// a configuration file was read (without one the station id is a default).
inline std::optional<station::StationConfig> load_station_config(Args& args, std::ostream& err,
                                                                 bool* from_file = nullptr) {
    const std::optional<std::string> path = take_option(args, "--config");
    const std::optional<std::string> database = take_option(args, "--db");
    auto found = station::find_station_config(path, database);
    if (!found.ok()) {
        err << "packline: " << found.error().message << '\n';
        return std::nullopt;
    }
    if (from_file != nullptr) *from_file = found.value().from_file;
    return std::move(found.value().config);
}

}  // namespace packline::cli
