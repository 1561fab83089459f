// Parsing and schema validation of one message, shared by validate_message,
// decode_inbound and the encoders' self-check (internal header: the parsed
// document is an nlohmann::json, which public headers do not show).
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "packline/error.h"

namespace packline::sync {

// Size, UTF-8, depth, syntax, envelope, schema id, schema: the document when
// all pass, else "sync.bad_message" (or "sync.unknown_schema").
Result<nlohmann::json> parse_and_validate(std::string_view schema_name, std::string_view json_text);

}  // namespace packline::sync
