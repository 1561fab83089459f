#include "packline/toml_text.h"

#include "packline/text.h"

namespace packline::text {

std::optional<std::string> toml_text_problem(std::string_view text) {
    if (!is_valid_utf8(text)) {
        int line = 1;
        std::size_t pos = 0;
        while (pos < text.size()) {
            char32_t code_point = 0;
            const std::size_t start = pos;
            if (!next_code_point(text, pos, code_point)) {
                for (std::size_t i = 0; i < start; ++i)
                    line += text[i] == '\n' ? 1 : 0;
                return "line " + std::to_string(line) + ": not UTF-8";
            }
        }
    }
    enum class State { Plain, Comment, Basic, Literal, MultiBasic, MultiLiteral };
    State state = State::Plain;
    int line = 1;
    // A quote opens a string only where a key or a value may start (line
    // start, after = [ { , .); inside a bare token it is refused, as toml++
    // would read on through it as part of the token.
    bool token_start = true;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const std::string_view rest = text.substr(i);
        if (c == '\n') {
            ++line;
            if (state == State::Comment) state = State::Plain;
            // A newline ends a single-line string too (an error toml++ reports).
            if (state == State::Basic || state == State::Literal) state = State::Plain;
            if (state == State::Plain) token_start = true;
            continue;
        }
        switch (state) {
            case State::Plain:
                if (static_cast<unsigned char>(c) >= 0x80)
                    return "line " + std::to_string(line) +
                           ": a non-ASCII character outside a string (quote it)";
                if (c == '#') {
                    state = State::Comment;
                } else if (token_start && rest.starts_with("\"\"\"")) {
                    state = State::MultiBasic;
                    i += 2;
                } else if (token_start && rest.starts_with("'''")) {
                    state = State::MultiLiteral;
                    i += 2;
                } else if (token_start && c == '"') {
                    state = State::Basic;
                } else if (token_start && c == '\'') {
                    state = State::Literal;
                } else if (c == '"' || c == '\'') {
                    // A quote inside a bare token is invalid TOML; toml++ would
                    // read on through it as one token.
                    return "line " + std::to_string(line) + ": a quote inside a bare value";
                } else if (c == '=' || c == '[' || c == '{' || c == ',' || c == '.') {
                    token_start = true;
                } else if (c != ' ' && c != '\t' && c != '\r') {
                    token_start = false;
                }
                break;
            case State::Comment:
                break;
            case State::Basic:
                if (c == '\\')
                    ++i;  // an escape: the next character is the string's
                else if (c == '"')
                    state = State::Plain, token_start = false;
                break;
            case State::Literal:
                if (c == '\'') state = State::Plain, token_start = false;
                break;
            case State::MultiBasic:
                if (c == '\\')
                    ++i;
                else if (rest.starts_with("\"\"\""))
                    state = State::Plain, token_start = false, i += 2;
                break;
            case State::MultiLiteral:
                if (rest.starts_with("'''")) state = State::Plain, token_start = false, i += 2;
                break;
        }
    }
    return std::nullopt;
}

std::string toml_ascii_shadow(std::string_view text) {
    std::string shadow;
    shadow.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t start = pos;
        char32_t code_point = 0;
        if (!next_code_point(text, pos, code_point)) {
            ++pos;
            shadow += 'x';
        } else if (code_point >= 0x80) {
            shadow += 'x';
        } else {
            shadow.append(text.substr(start, pos - start));
        }
    }
    return shadow;
}

}  // namespace packline::text
