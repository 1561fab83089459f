// The schema files compiled into the library (docs/mqtt/schemas/*.schema.json;
// internal header).
#pragma once

#include <string_view>
#include <vector>

namespace packline::sync {

struct BuiltinSchema {
    std::string_view name;  // file name without ".schema.json"
    std::string_view text;
};

// Sorted by name.
const std::vector<BuiltinSchema>& builtin_schemas();

}  // namespace packline::sync
