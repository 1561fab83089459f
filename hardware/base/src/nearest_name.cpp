#include "packline/nearest_name.h"

#include <algorithm>

namespace packline::text {
namespace {

char fold(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Optimal string alignment distance (Damerau-Levenshtein without repeated
// edits of one substring): a swapped pair of letters is one typing mistake.
std::size_t edit_distance(std::string_view a, std::string_view b) {
    const std::size_t rows = a.size() + 1;
    const std::size_t columns = b.size() + 1;
    std::vector<std::size_t> table(rows * columns);
    auto at = [&](std::size_t i, std::size_t j) -> std::size_t& { return table[i * columns + j]; };
    for (std::size_t i = 0; i < rows; ++i)
        at(i, 0) = i;
    for (std::size_t j = 0; j < columns; ++j)
        at(0, j) = j;
    for (std::size_t i = 1; i < rows; ++i)
        for (std::size_t j = 1; j < columns; ++j) {
            const std::size_t cost = fold(a[i - 1]) == fold(b[j - 1]) ? 0 : 1;
            at(i, j) = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost});
            if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) &&
                fold(a[i - 2]) == fold(b[j - 1]))
                at(i, j) = std::min(at(i, j), at(i - 2, j - 2) + 1);
        }
    return at(rows - 1, columns - 1);
}

}  // namespace

std::optional<std::string> nearest_name(std::string_view given,
                                        const std::vector<std::string_view>& known) {
    // A key longer than any sensible name is nobody's misspelling (and the
    // table is quadratic in its length).
    constexpr std::size_t kLongestName = 64;
    if (given.empty() || given.size() > kLongestName) return std::nullopt;
    std::optional<std::string> best;
    std::size_t best_distance = 0;
    for (std::string_view name : known) {
        if (name.size() > kLongestName) continue;
        const std::size_t distance = edit_distance(given, name);
        const std::size_t allowed =
            std::max<std::size_t>(1, std::max(given.size(), name.size()) / 3);
        if (distance > allowed) continue;
        if (!best || distance < best_distance) {
            best = std::string(name);
            best_distance = distance;
        }
    }
    return best;
}

std::string unknown_name_message(std::string_view what, std::string_view given,
                                 std::string_view where,
                                 const std::vector<std::string_view>& known) {
    std::string message = "unknown " + std::string(what) + " '" + std::string(given) + "'";
    if (!where.empty()) message += " in " + std::string(where);
    if (auto nearest = nearest_name(given, known))
        return message + "; did you mean '" + *nearest + "'?";
    if (known.empty()) return message;
    std::string list;
    for (std::string_view name : known)
        list += (list.empty() ? "" : ", ") + std::string(name);
    return message + " (" + list + ")";
}

}  // namespace packline::text
