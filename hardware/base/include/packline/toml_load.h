// TOML loading, as every Packline file is loaded (station configuration, hub
// configuration, label templates). The one public header that names toml++:
// its callers read the table it returns.
//
// The text is checked before toml++ sees it (toml_text.h: non-ASCII
// characters outside strings and comments are refused with their line), and
// its ASCII shadow is parsed first so that toml++'s error paths never meet
// non-ASCII bytes. A parse error says where: "line 3, column 7: ...".
#pragma once

#include <toml++/toml.h>

#include <optional>
#include <string>
#include <string_view>

namespace packline {

enum class TomlWhere {
    Line,           // "line 3: ..."
    LineAndColumn,  // "line 3, column 7: ..."
};

struct TomlLoad {
    std::optional<toml::table> table;
    std::string problem;  // why there is no table (without the source's name)
};

// Parses `text`; `source` names it in toml++'s own records (a file name).
TomlLoad load_toml(std::string_view text, std::string_view source,
                   TomlWhere where = TomlWhere::LineAndColumn);

}  // namespace packline
