#include "packline/toml_load.h"

#include <sstream>

#include "packline/toml_text.h"

namespace packline {

TomlLoad load_toml(std::string_view text, std::string_view source, TomlWhere where) {
    TomlLoad load;
    if (auto problem = text::toml_text_problem(text)) {
        load.problem = std::move(*problem);
        return load;
    }
    try {
        (void)toml::parse(text::toml_ascii_shadow(text), source);  // see toml_text.h
        load.table = toml::parse(text, source);
    } catch (const toml::parse_error& error) {
        std::ostringstream message;
        message << "line " << error.source().begin.line;
        if (where == TomlWhere::LineAndColumn)
            message << ", column " << error.source().begin.column;
        message << ": " << error.description();
        load.problem = message.str();
    }
    return load;
}

}  // namespace packline
