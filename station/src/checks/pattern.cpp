// The small pattern language of the country rules table (syntax in
// address_rules.h). Hand-written rather than std::regex: the table stays
// readable for people who add a country, matching is bounded (inputs over
// kMaxText characters never match), and a malformed pattern fails closed.
#include <cstdint>
#include <optional>
#include <vector>

#include "packline/station/address_rules.h"

namespace packline::station {
namespace {

constexpr std::size_t kMaxText = 64;
constexpr int kMaxRepeat = 64;

struct CharSet {
    std::uint64_t low = 0;   // ASCII 0..63
    std::uint64_t high = 0;  // ASCII 64..127

    void add(unsigned char c) {
        if (c < 64)
            low |= std::uint64_t{1} << c;
        else if (c < 128)
            high |= std::uint64_t{1} << (c - 64);
    }
    void add_range(unsigned char first, unsigned char last) {
        for (unsigned c = first; c <= last; ++c)
            add(static_cast<unsigned char>(c));
    }
    void add_letter(unsigned char c) {
        add(c);
        if (c >= 'a' && c <= 'z') add(static_cast<unsigned char>(c - 'a' + 'A'));
        if (c >= 'A' && c <= 'Z') add(static_cast<unsigned char>(c - 'A' + 'a'));
    }
    bool has(char c) const {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 64) return (low >> byte) & 1u;
        if (byte < 128) return (high >> (byte - 64)) & 1u;
        return false;
    }
};

struct Element {
    CharSet set;
    int min = 1;
    int max = 1;
};

std::optional<int> parse_count(std::string_view pattern, std::size_t& i) {
    int value = 0;
    const std::size_t start = i;
    while (i < pattern.size() && pattern[i] >= '0' && pattern[i] <= '9') {
        value = value * 10 + (pattern[i] - '0');
        if (value > kMaxRepeat) return std::nullopt;
        ++i;
    }
    if (i == start) return std::nullopt;
    return value;
}

std::optional<std::vector<Element>> parse(std::string_view pattern) {
    std::vector<Element> elements;
    std::size_t i = 0;
    while (i < pattern.size()) {
        Element element;
        const char c = pattern[i];
        if (c == '#') {
            element.set.add_range('0', '9');
            ++i;
        } else if (c == '@') {
            element.set.add_range('A', 'Z');
            element.set.add_range('a', 'z');
            ++i;
        } else if (c == ' ') {
            element.set.add(' ');
            element.set.add('-');
            element.min = 0;
            elements.push_back(element);
            ++i;
            continue;  // a separator takes no quantifier
        } else if (c == '[') {
            ++i;
            bool empty = true;
            while (i < pattern.size() && pattern[i] != ']') {
                const auto first = static_cast<unsigned char>(pattern[i]);
                if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
                    const auto last = static_cast<unsigned char>(pattern[i + 2]);
                    if (last < first) return std::nullopt;
                    for (unsigned letter = first; letter <= last; ++letter)
                        element.set.add_letter(static_cast<unsigned char>(letter));
                    i += 3;
                } else {
                    element.set.add_letter(first);
                    ++i;
                }
                empty = false;
            }
            if (i == pattern.size() || empty) return std::nullopt;
            ++i;  // ']'
        } else if (c == '\\') {
            if (i + 1 == pattern.size()) return std::nullopt;
            element.set.add_letter(static_cast<unsigned char>(pattern[i + 1]));
            i += 2;
        } else if (c == '?' || c == '{' || c == '}' || c == ']' || c == '|') {
            return std::nullopt;
        } else {
            element.set.add_letter(static_cast<unsigned char>(c));
            ++i;
        }
        if (i < pattern.size() && pattern[i] == '?') {
            element.min = 0;
            ++i;
        } else if (i < pattern.size() && pattern[i] == '{') {
            ++i;
            const auto min = parse_count(pattern, i);
            if (!min) return std::nullopt;
            auto max = min;
            if (i < pattern.size() && pattern[i] == ',') {
                ++i;
                max = parse_count(pattern, i);
                if (!max || *max < *min) return std::nullopt;
            }
            if (i == pattern.size() || pattern[i] != '}') return std::nullopt;
            ++i;
            element.min = *min;
            element.max = *max;
        }
        elements.push_back(element);
    }
    return elements;
}

// Backtracking over a handful of elements and at most kMaxText characters.
bool match_from(const std::vector<Element>& elements, std::size_t index, std::string_view text,
                std::size_t position) {
    if (index == elements.size()) return position == text.size();
    const Element& element = elements[index];
    std::size_t available = 0;
    while (available < static_cast<std::size_t>(element.max) &&
           position + available < text.size() && element.set.has(text[position + available]))
        ++available;
    const auto min = static_cast<std::size_t>(element.min);
    if (available < min) return false;
    for (std::size_t taken = available + 1; taken-- > min;)
        if (match_from(elements, index + 1, text, position + taken)) return true;
    return false;
}

}  // namespace

bool matches_pattern(std::string_view patterns, std::string_view text) {
    if (text.size() > kMaxText) return false;
    while (true) {
        const std::size_t bar = patterns.find('|');
        const std::string_view alternative = patterns.substr(0, bar);
        if (!alternative.empty()) {
            const auto elements = parse(alternative);
            if (elements && match_from(*elements, 0, text, 0)) return true;
        }
        if (bar == std::string_view::npos) return false;
        patterns.remove_prefix(bar + 1);
    }
}

}  // namespace packline::station
