// "Did you mean": the known name nearest to a misspelt one. A configuration
// key written `databse` is refused; the refusal names `database` rather than
// leaving a person to compare it with a list.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace packline::text {

// The known name at the smallest edit distance from `given` (insertions,
// deletions, substitutions and swaps of two neighbours count one each; ASCII
// case is ignored), when that distance is small for the name's length (at
// most a third of it, and 1 for names of up to 5 characters); otherwise none.
// Ties go to the first name in `known`.
std::optional<std::string> nearest_name(std::string_view given,
                                        const std::vector<std::string_view>& known);

// "unknown <what> 'databse' in <where>; did you mean 'database'?", or with
// no name near enough "unknown <what> 'x' in <where> (id, site, database)".
// `where` is e.g. "[station]"; empty leaves " in <where>" out.
std::string unknown_name_message(std::string_view what, std::string_view given,
                                 std::string_view where,
                                 const std::vector<std::string_view>& known);

}  // namespace packline::text
