// The JSON Schemas of the MQTT contract (docs/mqtt/schemas/*.schema.json),
// compiled into the library, and the validator both ends run on every
// message. The schemas are parsed once, on first use, and shared; every
// function here is thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "packline/error.h"

namespace packline::sync {

// Payloads larger than this are refused before they are parsed. The largest
// legitimate message (an order of 1000 lines, an acknowledgement of 1000
// events) is well below it.
inline constexpr std::size_t kMaxPayloadBytes = 256 * 1024;

// Deeper JSON is refused before it is parsed: no message nests more than a
// few levels, and a deep document is only a way to exhaust the stack.
inline constexpr int kMaxJsonDepth = 16;

// Schema names: the file names without ".schema.json" ("envelope", "order",
// "shipment", "station-event", ...), sorted.
std::vector<std::string> schema_names();

// The schema file's text, or "" for an unknown name.
std::string_view schema_text(std::string_view schema_name);

// "packline.<name>/1" for a message schema; "" for "envelope" or an unknown name.
std::string schema_id(std::string_view schema_name);

// Checks `json_text` against the envelope and then against `schema_name`:
// size, UTF-8, nesting depth, JSON syntax, then the schema. Errors:
//   "sync.bad_message"     the message fails; the text names the JSON pointer
//                          of the failing member ("/lines/0/quantity: ...")
//   "sync.unknown_schema"  `schema_name` is not one of schema_names()
Status validate_message(std::string_view schema_name, std::string_view json_text);

// A lower-case hex UUID, as envelope.schema.json's event_id wants it.
bool is_event_id(std::string_view text);

}  // namespace packline::sync
