// The validator. valijson (header-only, Debian libvalijson-dev) checks JSON
// Schema draft-07 through its nlohmann adapter; it is confined to this file.
#include "packline/sync/schemas.h"

#include <algorithm>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "builtin_schemas.h"
#include "message_validation.h"
#include "packline/sync/sync_errors.h"
#include "packline/sync/text_checks.h"

#if !VALIJSON_USE_EXCEPTIONS
#error "packline_sync needs VALIJSON_USE_EXCEPTIONS=1 (valijson aborts otherwise)"
#endif

namespace packline::sync {
namespace {

using nlohmann::json;

constexpr std::string_view kEnvelope = "envelope";
// An error message says what failed first and how many more did, never all:
// a hostile message could otherwise make a huge log line.
constexpr std::size_t kReportedErrors = 3;

struct CompiledSchema {
    std::string id;  // "packline.order/1"; "" for the envelope
    json document;
    std::unique_ptr<valijson::Schema> schema;
    std::string broken;  // why the built-in schema did not compile (a bug)
};

using Registry = std::map<std::string, CompiledSchema, std::less<>>;

CompiledSchema compile(std::string_view name, std::string_view text) {
    CompiledSchema compiled;
    try {
        compiled.document = json::parse(text);
        compiled.schema = std::make_unique<valijson::Schema>();
        valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
        parser.populateSchema(valijson::adapters::NlohmannJsonAdapter(compiled.document),
                              *compiled.schema);
        if (name != kEnvelope) {
            const json& constant = compiled.document.at("properties").at("schema").at("const");
            compiled.id = constant.get<std::string>();
        }
    } catch (const std::exception& error) {
        compiled.schema.reset();
        compiled.broken = error.what();
    }
    return compiled;
}

// Parsed once, on first use (a function-local static is initialised once,
// thread-safely) and never changed afterwards, so threads share it freely.
const Registry& registry() {
    static const Registry schemas = [] {
        Registry result;
        for (const BuiltinSchema& builtin : builtin_schemas())
            result.emplace(std::string(builtin.name), compile(builtin.name, builtin.text));
        return result;
    }();
    return schemas;
}

// One reference token of a JSON pointer (RFC 6901 escapes ~ and /).
std::string pointer_token(std::string_view name) {
    std::string token = "/";
    for (const char c : name) {
        if (c == '~')
            token += "~0";
        else if (c == '/')
            token += "~1";
        else
            token += c;
    }
    return token;
}

// valijson's context ["<root>", "[lines]", "[0]", "[quantity]"] as the JSON
// pointer "/lines/0/quantity".
std::string json_pointer(const std::vector<std::string>& context) {
    std::string pointer;
    for (const std::string& part : context) {
        if (part == "<root>") continue;
        std::string_view token = part;
        if (token.size() >= 2 && token.front() == '[' && token.back() == ']')
            token = token.substr(1, token.size() - 2);
        pointer += pointer_token(token);
    }
    return pointer.empty() ? "/" : pointer;
}

Error bad_message(std::string_view message) {
    return Error{errors::kSyncBadMessage, std::string(message)};
}

// The deepest errors first. valijson also reports every enclosing object
// and array ("Failed to validate against schema associated with property
// name ...", "Failed to validate item #0 ..."): they only echo the member
// that actually failed, so they are left out when there is one.
std::string describe(valijson::ValidationResults& results) {
    std::vector<valijson::ValidationResults::Error> errors;
    std::vector<valijson::ValidationResults::Error> enclosing;
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
        const bool echo = error.description.starts_with(
                              "Failed to validate against schema "
                              "associated with property name") ||
                          error.description.starts_with("Failed to validate item #") ||
                          error.description.starts_with("Failed to validate against child schema");
        (echo ? enclosing : errors).push_back(error);
    }
    if (errors.empty()) errors = std::move(enclosing);
    std::stable_sort(errors.begin(), errors.end(), [](const auto& left, const auto& right) {
        return left.context.size() > right.context.size();
    });
    std::string message;
    std::size_t shown = 0;
    for (const auto& each : errors) {
        if (shown == kReportedErrors) break;
        if (!message.empty()) message += "; ";
        message += text::printable(json_pointer(each.context), 200) + ": " +
                   text::printable(each.description, 300);
        ++shown;
    }
    if (errors.size() > shown)
        message += " (and " + std::to_string(errors.size() - shown) + " more)";
    return message;
}

Status check(const CompiledSchema& compiled, std::string_view label, const json& document) {
    // One validator per thread: it caches compiled regular expressions and
    // is not safe to share; the schema is read-only and shared.
    thread_local valijson::Validator validator(valijson::Validator::kStrongTypes);
    valijson::ValidationResults results;
    try {
        const valijson::adapters::NlohmannJsonAdapter adapter(document);
        if (validator.validate(*compiled.schema, adapter, &results)) return {};
    } catch (const std::exception& failure) {
        return bad_message(std::string(label) + ": the validator could not read the message (" +
                           text::printable(failure.what(), 200) + ")");
    }
    return bad_message(std::string(label) + ": " + describe(results));
}

// The JSON pointer of the first string (member name or value) holding
// U+0000, or nothing. valijson measures strings up to their first NUL (C
// string length), so "a\u0000" followed by a megabyte would pass every
// maxLength; no message has a use for NUL, so it is refused outright.
std::optional<std::string> string_with_nul(const json& value, const std::string& pointer) {
    if (value.is_string())
        return value.get_ref<const std::string&>().find('\0') == std::string::npos
                   ? std::nullopt
                   : std::optional<std::string>(pointer.empty() ? "/" : pointer);
    if (value.is_array()) {
        for (std::size_t index = 0; index < value.size(); ++index)
            if (auto found = string_with_nul(value[index], pointer + "/" + std::to_string(index)))
                return found;
    } else if (value.is_object()) {
        for (const auto& [key, member] : value.items()) {
            const std::string here = pointer + pointer_token(key);
            if (key.find('\0') != std::string::npos) return here;
            if (auto found = string_with_nul(member, here)) return found;
        }
    }
    return std::nullopt;
}

// "packline.order/2" -> "packline.order".
std::string_view kind_of(std::string_view schema_id) {
    return schema_id.substr(0, schema_id.rfind('/'));
}

}  // namespace

std::vector<std::string> schema_names() {
    std::vector<std::string> names;
    for (const auto& [name, compiled] : registry())
        names.push_back(name);
    return names;
}

std::string_view schema_text(std::string_view schema_name) {
    for (const BuiltinSchema& builtin : builtin_schemas())
        if (builtin.name == schema_name) return builtin.text;
    return {};
}

std::string schema_id(std::string_view schema_name) {
    const auto found = registry().find(schema_name);
    return found == registry().end() ? std::string() : found->second.id;
}

bool is_event_id(std::string_view text) {
    if (text.size() != 36) return false;
    for (std::size_t index = 0; index < text.size(); ++index) {
        const char c = text[index];
        if (index == 8 || index == 13 || index == 18 || index == 23) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

namespace {

Result<json> parse_and_validate_unguarded(std::string_view schema_name,
                                          std::string_view json_text) {
    const Registry& schemas = registry();
    const auto found = schemas.find(schema_name);
    if (found == schemas.end())
        return Error{errors::kSyncUnknownSchema,
                     "no schema named '" + text::printable(schema_name, 64) + "'"};
    const auto envelope = schemas.find(kEnvelope);
    for (const auto* compiled : {&envelope->second, &found->second})
        if (!compiled->schema)
            return Error{errors::kSyncUnknownSchema,
                         "the built-in schema did not compile: " + compiled->broken};

    if (json_text.size() > kMaxPayloadBytes)
        return bad_message("payload of " + std::to_string(json_text.size()) +
                           " bytes is larger than the limit of " +
                           std::to_string(kMaxPayloadBytes));
    if (json_text.empty()) return bad_message("empty payload");
    std::size_t bad_offset = 0;
    if (!text::valid_utf8(json_text, &bad_offset))
        return bad_message("payload is not valid UTF-8 (byte " + std::to_string(bad_offset) + ")");
    if (text::nests_deeper_than(json_text, kMaxJsonDepth))
        return bad_message("JSON nests deeper than " + std::to_string(kMaxJsonDepth) + " levels");

    json document;
    try {
        document = json::parse(json_text);
    } catch (const json::exception& error) {
        return bad_message(std::string("invalid JSON: ") + text::printable(error.what(), 300));
    }
    if (!document.is_object()) return bad_message("the payload is not a JSON object");
    if (const auto where = string_with_nul(document, ""))
        return bad_message(text::printable(*where, 200) + ": a string holds U+0000 (NUL)");

    if (auto status = check(envelope->second, "envelope", document); !status) return status.error();
    const CompiledSchema& compiled = found->second;
    if (compiled.id.empty()) return document;  // the envelope alone was asked for

    const std::string sent = document.at("schema").get<std::string>();
    if (sent != compiled.id) {
        if (kind_of(sent) == kind_of(compiled.id))
            return bad_message("schema version " + sent + " is not supported (this end reads " +
                               compiled.id + ")");
        return bad_message("a " + sent + " message where " + compiled.id + " belongs");
    }
    if (auto status = check(compiled, compiled.id, document); !status) return status.error();
    return document;
}

}  // namespace

Result<json> parse_and_validate(std::string_view schema_name, std::string_view json_text) {
    // Every path above returns its reason; this is for what no path expects
    // (memory running out on a large message): refuse it, never crash.
    try {
        return parse_and_validate_unguarded(schema_name, json_text);
    } catch (const std::exception& error) {
        return bad_message(std::string("message refused: ") + text::printable(error.what(), 200));
    }
}

Status validate_message(std::string_view schema_name, std::string_view json_text) {
    auto document = parse_and_validate(schema_name, json_text);
    if (!document) return document.error();
    return {};
}

}  // namespace packline::sync
