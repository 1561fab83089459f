// The templates compiled into the program (labels/templates/*.toml).
#pragma once

#include <string_view>
#include <vector>

namespace packline::labels {

struct BuiltinTemplate {
    std::string_view name;
    std::string_view text;
};

const std::vector<BuiltinTemplate>& builtin_templates();

}  // namespace packline::labels
