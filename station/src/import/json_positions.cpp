#include "json_positions.h"

#include <nlohmann/json.hpp>

namespace packline::station::import_json {
namespace {

class PositionScanner {
  public:
    explicit PositionScanner(std::string_view text) : text_(text) {}

    std::map<std::string, TopLevelMember, std::less<>> run() {
        std::map<std::string, TopLevelMember, std::less<>> members;
        int depth = 0;
        std::string current_key;
        bool in_member_array = false;  // inside the array value of a top-level member
        bool expect_element = false;   // next value start is an element of that array
        bool expect_key = false;       // at depth 1, the next string is a member name
        while (position_ < text_.size()) {
            const char c = text_[position_];
            if (c == '\n' || (c == '\r' && !followed_by_newline())) ++line_;
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                ++position_;
                continue;
            }
            if (expect_element && depth == 2 && c != ']') {
                members[current_key].element_lines.push_back(line_);
                expect_element = false;
            }
            switch (c) {
                case '"': {
                    const std::size_t start = position_;
                    const int start_line = line_;
                    skip_string();
                    if (depth == 1 && expect_key) {
                        current_key = decode_key(text_.substr(start, position_ - start));
                        members[current_key] = TopLevelMember{start_line, {}};
                        expect_key = false;
                    }
                    continue;
                }
                case '{':
                case '[':
                    ++depth;
                    if (depth == 1 && c == '{') expect_key = true;
                    if (depth == 2 && c == '[') {
                        in_member_array = true;
                        expect_element = true;
                    }
                    break;
                case '}':
                case ']':
                    if (depth == 2) {
                        in_member_array = false;
                        expect_element = false;
                    }
                    if (depth > 0) --depth;
                    break;
                case ',':
                    if (depth == 1) expect_key = true;
                    if (depth == 2 && in_member_array) expect_element = true;
                    break;
                default:
                    break;
            }
            ++position_;
        }
        return members;
    }

  private:
    bool followed_by_newline() const {
        return position_ + 1 < text_.size() && text_[position_ + 1] == '\n';
    }

    // Leaves position_ just after the closing quote (or at the end).
    void skip_string() {
        ++position_;
        while (position_ < text_.size()) {
            const char c = text_[position_];
            if (c == '\n') ++line_;  // invalid JSON, but keep lines honest
            if (c == '\\') {
                position_ += 2;
                continue;
            }
            ++position_;
            if (c == '"') return;
        }
        position_ = text_.size();
    }

    // Member names may use escapes ("\u006frders"): let the JSON parser decode.
    static std::string decode_key(std::string_view quoted) {
        const auto value = nlohmann::json::parse(quoted.begin(), quoted.end(), nullptr, false);
        if (value.is_string()) return value.get<std::string>();
        return std::string(quoted);
    }

    std::string_view text_;
    std::size_t position_ = 0;
    int line_ = 1;
};

}  // namespace

std::map<std::string, TopLevelMember, std::less<>> top_level_positions(std::string_view text) {
    return PositionScanner(text).run();
}

}  // namespace packline::station::import_json
