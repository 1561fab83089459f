// What the JSON and CSV import tests share: reading fixtures, finding an
// order in a result, and printing problems when an assertion fails.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "packline/station/import.h"

namespace packline::station {

inline std::string fixture(const std::string& name) {
    std::ifstream in(std::string(PACKLINE_SOURCE_DIR) + "/tests/fixtures/import/" + name,
                     std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

inline const Order* find_order(const ImportResult& result, const std::string& id) {
    for (const auto& order : result.batch.orders)
        if (order.id == id) return &order;
    return nullptr;
}

inline std::string describe(const ImportResult& result) {
    std::string text;
    for (const auto& problem : result.problems)
        text += problem.file + ":" + std::to_string(problem.line) + " [" + problem.record + "] " +
                problem.message + "\n";
    return text;
}

}  // namespace packline::station
