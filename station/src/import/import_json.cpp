// JSON import ("packline.import/1"). nlohmann::json throws; every call into it
// stays inside this file and its exceptions are caught here.
#include <cstdint>
#include <exception>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "batch_builder.h"
#include "json_positions.h"
#include "packline/station/import.h"
#include "text.h"

namespace packline::station {
namespace {

using import_rules::BatchBuilder;
using nlohmann::json;

constexpr std::string_view kSchema = "packline.import/1";

// Finds where a syntax error is: the DOM parser only says that there is one.
class SyntaxErrorLocator final : public nlohmann::json_sax<json> {
  public:
    std::size_t byte = 0;
    std::string message;

    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return true; }
    bool key(string_t&) override { return true; }
    bool end_object() override { return true; }
    bool start_array(std::size_t) override { return true; }
    bool end_array() override { return true; }
    bool parse_error(std::size_t position, const std::string& last_token,
                     const nlohmann::detail::exception& error) override {
        // `position` is just past the offending token; people look for its start.
        byte = position >= last_token.size() ? position - last_token.size() : 0;
        message = error.what();
        return false;
    }
};

// nlohmann's messages start with "[json.exception.parse_error.101] parse
// error at line 1, column 5: "; the position is reported separately.
std::string syntax_reason(const std::string& what) {
    const auto colon = what.find(": ");
    return colon == std::string::npos ? what : what.substr(colon + 2);
}

// Reads the fields of one JSON object. The first wrong field is kept in the
// shared `error` and the record is rejected. Null counts as absent everywhere.
class FieldReader {
  public:
    FieldReader(const json& object, std::string prefix, std::string& error)
        : object_(object), prefix_(std::move(prefix)), error_(error) {}

    FieldReader nested(const json& object, std::string_view key) const {
        return FieldReader(object, prefix_ + std::string(key) + ".", error_);
    }

    std::string text(std::string_view key, bool required = false) {
        const json* value = find(key);
        if (value == nullptr) {
            if (required) fail(name(key) + " is missing");
            return {};
        }
        if (!value->is_string()) {
            fail(name(key) + " must be a string");
            return {};
        }
        return value->get<std::string>();
    }

    // Ids are strings; integers are accepted because many order systems
    // number their orders and export the numbers as JSON numbers.
    std::string id(std::string_view key) {
        const json* value = find(key);
        if (value != nullptr && value->is_number_integer()) return value->dump();
        return text(key, true);
    }

    std::optional<double> number(std::string_view key, bool required = false) {
        const json* value = find(key);
        if (value == nullptr) {
            if (required) fail(name(key) + " is missing");
            return std::nullopt;
        }
        if (!value->is_number()) {
            fail(name(key) + " must be a number");
            return std::nullopt;
        }
        return value->get<double>();
    }

    bool boolean(std::string_view key) {
        const json* value = find(key);
        if (value == nullptr) return false;
        if (!value->is_boolean()) {
            fail(name(key) + " must be true or false");
            return false;
        }
        return value->get<bool>();
    }

    int quantity(std::string_view key) {
        const json* value = find(key);
        if (value == nullptr) {
            fail(name(key) + " is missing");
            return 0;
        }
        if (!value->is_number_integer()) {
            fail(name(key) + " must be a whole number, not " + value->dump());
            return 0;
        }
        if (value->is_number_unsigned() &&
            value->get<std::uint64_t>() > static_cast<std::uint64_t>(import_rules::kMaxQuantity)) {
            fail(import_rules::quantity_out_of_range(value->dump()));
            return 0;
        }
        const auto quantity = value->get<std::int64_t>();
        if (auto reason = import_rules::check_quantity(quantity); !reason.empty()) {
            fail(std::move(reason));
            return 0;
        }
        return static_cast<int>(quantity);
    }

    // RFC 3339 text or integer epoch milliseconds; absent, null or "" = 0.
    std::int64_t timestamp(std::string_view key) {
        const json* value = find(key);
        if (value == nullptr) return 0;
        if (value->is_number_unsigned()) {
            const auto ms = value->get<std::uint64_t>();
            if (ms <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                return static_cast<std::int64_t>(ms);
        } else if (value->is_number_integer()) {
            return value->get<std::int64_t>();  // negative: refused by the batch rules
        } else if (value->is_string()) {
            const auto& text = value->get_ref<const std::string&>();
            if (import_text::trim(text).empty()) return 0;
            if (const auto ms = parse_timestamp_ms(text)) return *ms;
            fail(name(key) + " \"" + text +
                 "\" is not an RFC 3339 date-time (2026-11-23T08:00:00Z) or epoch milliseconds");
            return 0;
        }
        fail(name(key) + " must be an RFC 3339 date-time or integer epoch milliseconds");
        return 0;
    }

    const json* object(std::string_view key) {
        const json* value = find(key);
        if (value != nullptr && !value->is_object()) {
            fail(name(key) + " must be an object");
            return nullptr;
        }
        return value;
    }

    const json* array(std::string_view key, bool required = false) {
        const json* value = find(key);
        if (value == nullptr) {
            if (required) fail(name(key) + " is missing");
            return nullptr;
        }
        if (!value->is_array()) {
            fail(name(key) + " must be an array");
            return nullptr;
        }
        return value;
    }

    std::vector<std::string> strings(std::string_view key, std::string_view numbers_hint = {}) {
        std::vector<std::string> out;
        const json* values = array(key);
        if (values == nullptr) return out;
        for (const auto& value : *values) {
            if (!value.is_string()) {
                std::string reason = name(key) + " must hold only strings";
                if (value.is_number() && !numbers_hint.empty())
                    reason += " (" + std::string(numbers_hint) + ")";
                fail(std::move(reason));
                break;
            }
            out.push_back(value.get<std::string>());
        }
        return out;
    }

    void fail(std::string reason) {
        if (error_.empty()) error_ = std::move(reason);
    }
    std::string name(std::string_view key) const { return prefix_ + std::string(key); }

  private:
    const json* find(std::string_view key) const {
        const auto it = object_.find(key);
        if (it == object_.end() || it->is_null()) return nullptr;
        return &*it;
    }

    const json& object_;
    std::string prefix_;
    std::string& error_;
};

std::string label_of(const json& element, std::string_view kind, std::string_view key,
                     std::size_t index) {
    if (element.is_object()) {
        const auto it = element.find(key);
        if (it != element.end() && it->is_string() && !it->get_ref<const std::string&>().empty())
            return std::string(kind) + " " + it->get<std::string>();
        if (it != element.end() && it->is_number_integer())
            return std::string(kind) + " " + it->dump();
    }
    return std::string(kind) + " #" + std::to_string(index + 1);
}

Recipient read_recipient(FieldReader& fields) {
    Recipient recipient;
    const json* object = fields.object("recipient");
    if (object == nullptr) return recipient;
    FieldReader reader = fields.nested(*object, "recipient");
    recipient.name = reader.text("name");
    recipient.phone = reader.text("phone");
    const json* address = reader.object("address");
    if (address == nullptr) return recipient;
    FieldReader address_reader = reader.nested(*address, "address");
    recipient.address.lines = address_reader.strings("lines");
    recipient.address.city = address_reader.text("city");
    recipient.address.region = address_reader.text("region");
    recipient.address.postal_code = address_reader.text("postal_code");
    recipient.address.country = address_reader.text("country");
    return recipient;
}

std::optional<Order> read_order(const json& element, std::string& error) {
    FieldReader fields(element, "", error);
    Order order;
    order.id = fields.id("id");
    order.site = fields.text("site");
    order.created_at_ms = fields.timestamp("created_at");
    order.ship_by_ms = fields.timestamp("ship_by");
    if (const std::string status = fields.text("status"); !import_text::trim(status).empty()) {
        const auto parsed =
            order_status_from_string(import_text::to_lower_ascii(import_text::trim(status)));
        if (parsed)
            order.status = *parsed;
        else
            fields.fail("status \"" + status +
                        "\" is not one of open, on_hold, cancelled, packed, shipped");
    }
    order.recipient = read_recipient(fields);
    order.carrier = fields.text("carrier");
    order.service = fields.text("service");
    order.tracking_number = fields.text("tracking_number");
    order.packaging = fields.text("packaging");
    order.sscc = fields.text("sscc");
    if (const json* lines = fields.array("lines", true)) {
        if (lines->empty()) fields.fail("lines is empty");
        std::size_t index = 0;
        for (const auto& line : *lines) {
            ++index;
            if (!line.is_object()) {
                fields.fail("lines[" + std::to_string(index - 1) + "] must be an object");
                break;
            }
            FieldReader line_fields =
                fields.nested(line, "lines[" + std::to_string(index - 1) + "]");
            OrderLine order_line;
            order_line.sku = line_fields.text("sku", true);
            if (error.empty() && import_text::trim(order_line.sku).empty())
                line_fields.fail(line_fields.name("sku") + " is empty");
            order_line.quantity = line_fields.quantity("quantity");
            order.lines.push_back(std::move(order_line));
        }
    }
    if (!error.empty()) return std::nullopt;
    return order;
}

std::optional<Sku> read_sku(const json& element, std::string& error) {
    FieldReader fields(element, "", error);
    Sku sku;
    sku.sku = fields.text("sku", true);
    sku.name = fields.text("name");
    sku.style = fields.text("style");
    sku.size = fields.text("size");
    sku.colour = fields.text("colour");
    sku.unit_weight_g = fields.number("unit_weight_g", true).value_or(0.0);
    sku.barcodes =
        fields.strings("barcodes", "write barcodes as strings: a number loses leading zeros");
    sku.serial_required = fields.boolean("serial_required");
    sku.tolerance_abs_g = fields.number("tolerance_abs_g");
    sku.tolerance_pct = fields.number("tolerance_pct");
    if (!error.empty()) return std::nullopt;
    return sku;
}

std::optional<Packaging> read_packaging(const json& element, std::string& error) {
    FieldReader fields(element, "", error);
    Packaging packaging;
    packaging.code = fields.text("code", true);
    packaging.name = fields.text("name");
    packaging.tare_g = fields.number("tare_g", true).value_or(0.0);
    if (!error.empty()) return std::nullopt;
    return packaging;
}

struct Section {
    std::string_view member;  // "orders"
    std::string_view kind;    // "order", used in problem records
    std::string_view key;     // the field that names a record
};

template <typename Read, typename Add>
void read_section(const json& document, const Section& section,
                  const std::map<std::string, import_json::TopLevelMember, std::less<>>& positions,
                  BatchBuilder& builder, Read read, Add add) {
    const auto it = document.find(section.member);
    if (it == document.end() || it->is_null()) return;
    const auto position = positions.find(section.member);
    const import_json::TopLevelMember* member =
        position == positions.end() ? nullptr : &position->second;
    if (!it->is_array()) {
        builder.problem(
            member ? member->key_line : 0, "",
            "\"" + std::string(section.member) + "\" must be an array; nothing loaded from it");
        return;
    }
    std::size_t index = 0;
    for (const auto& element : *it) {
        const int line = member != nullptr && index < member->element_lines.size()
                             ? member->element_lines[index]
                             : 0;
        const std::string label = label_of(element, section.kind, section.key, index);
        ++index;
        if (!element.is_object()) {
            builder.problem(line, label,
                            "each entry of \"" + std::string(section.member) +
                                "\" must be a JSON object; not loaded");
            continue;
        }
        std::string error;
        auto record = read(element, error);
        if (!record) {
            builder.problem(line, label, error + "; not loaded");
            continue;
        }
        add(std::move(*record), line, label);
    }
}

void parse_document(std::string_view text, BatchBuilder& builder) {
    if (import_text::trim(import_text::strip_bom(text)).empty()) {
        builder.problem(0, "", "the file is empty; nothing loaded");
        return;
    }
    const json document =
        json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded()) {
        SyntaxErrorLocator locator;
        json::sax_parse(text.begin(), text.end(), &locator);
        const auto where = import_text::position_of(text, locator.byte);
        builder.problem(where.line, "",
                        "invalid JSON at line " + std::to_string(where.line) + ", column " +
                            std::to_string(where.column) + ": " + syntax_reason(locator.message) +
                            "; nothing loaded from this file");
        return;
    }
    if (!document.is_object()) {
        builder.problem(1, "",
                        "the document must be a JSON object with \"orders\", \"skus\" and/or "
                        "\"packaging\"; nothing loaded");
        return;
    }
    const auto positions = import_json::top_level_positions(text);
    if (const auto schema = document.find("schema"); schema != document.end()) {
        if (!schema->is_string() || schema->get_ref<const std::string&>() != kSchema) {
            const auto position = positions.find("schema");
            builder.problem(position == positions.end() ? 1 : position->second.key_line, "",
                            "schema " + schema->dump() + " is not supported (expected \"" +
                                std::string(kSchema) + "\"); nothing loaded");
            return;
        }
    }
    // Packaging and SKUs first: orders refer to them.
    read_section(document, {"packaging", "packaging", "code"}, positions, builder, read_packaging,
                 [&](Packaging value, int line, const std::string& label) {
                     builder.add_packaging(std::move(value), line, label);
                 });
    read_section(document, {"skus", "sku", "sku"}, positions, builder, read_sku,
                 [&](Sku value, int line, const std::string& label) {
                     builder.add_sku(std::move(value), line, label);
                 });
    read_section(document, {"orders", "order", "id"}, positions, builder, read_order,
                 [&](Order value, int line, const std::string& label) {
                     builder.add_order(std::move(value), line, label);
                 });
}

}  // namespace

ImportResult parse_import_json(std::string_view text, std::string_view file_name) {
    return import_rules::build_batch(file_name,
                                     [&](BatchBuilder& builder) { parse_document(text, builder); });
}

}  // namespace packline::station
