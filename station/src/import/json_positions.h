// Where things start in a JSON import document (internal). nlohmann::json
// keeps no source positions, so a second, tiny pass over the (already
// validated) text finds the line of every element of the top-level arrays.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace packline::station::import_json {

struct TopLevelMember {
    int key_line = 0;
    std::vector<int> element_lines;  // one per element when the value is an array
};

// Keyed by the decoded member name. A repeated member keeps its last
// occurrence, as nlohmann::json does. Text that is not valid JSON gives
// partial answers, never a crash.
std::map<std::string, TopLevelMember, std::less<>> top_level_positions(std::string_view text);

}  // namespace packline::station::import_json
