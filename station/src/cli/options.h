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
    std::optional<std::string> path = take_option(args, "--config");
    if (!path) {
        if (const char* env = std::getenv("PACKLINE_CONFIG"); env != nullptr && *env != '\0')
            path = env;
        else if (std::filesystem::exists("packline.toml"))
            path = "packline.toml";
    }
    station::StationConfig config;
    if (from_file != nullptr) *from_file = path.has_value();
    if (path) {
        auto loaded = station::load_config(*path);
        if (!loaded.ok()) {
            err << "packline: " << loaded.error().message << '\n';
            return std::nullopt;
        }
        config = loaded.value();
    }
    if (auto db = take_option(args, "--db")) config.database = *db;
    return config;
}

}  // namespace packline::cli
