#include "batch_builder.h"

#include <cmath>
#include <initializer_list>
#include <utility>

#include "packline/station/barcode.h"
#include "packline/station/field_limits.h"
#include "text.h"

namespace packline::station::import_rules {
namespace {

std::string quoted(std::string_view text) {
    return "\"" + shown(text) + "\"";
}

std::string check_optional_grams(std::string_view field, const std::optional<double>& value) {
    if (!value) return {};
    if (!std::isfinite(*value) || *value < 0.0)
        return std::string(field) + " must be a number of 0 or more, or empty";
    return {};
}

std::size_t characters(std::string_view text) {
    std::size_t count = 0;
    for (const char c : text)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
    return count;
}

struct TextField {
    std::string_view name;  // as the import format names it
    const std::string& value;
    std::size_t limit;  // characters
};

// "" when every field fits the contract's limits (field_limits.h) and holds
// no NUL (JSON's "\u0000" or a raw byte in CSV: the contract refuses it, and
// C APIs further on would cut the text there), else the first reason.
std::string check_texts(std::initializer_list<TextField> fields) {
    for (const TextField& field : fields) {
        if (field.value.find('\0') != std::string::npos)
            return std::string(field.name) + " holds a NUL character";
        if (const std::size_t count = characters(field.value); count > field.limit)
            return std::string(field.name) + " is " + std::to_string(count) +
                   " characters long (at most " + std::to_string(field.limit) + ")";
    }
    return {};
}

std::string check_order_texts(const Order& order) {
    using namespace limits;
    const Address& address = order.recipient.address;
    if (address.lines.size() > kAddressLines)
        return "the address has " + std::to_string(address.lines.size()) + " lines (at most " +
               std::to_string(kAddressLines) + ")";
    if (order.lines.size() > kOrderLines)
        return "the order has " + std::to_string(order.lines.size()) + " lines (at most " +
               std::to_string(kOrderLines) + ")";
    std::string reason = check_texts({
        {"id", order.id, kIdCharacters},
        {"site", order.site, kIdCharacters},
        {"name", order.recipient.name, kNameCharacters},
        {"phone", order.recipient.phone, kPhoneCharacters},
        {"city", address.city, kCityCharacters},
        {"region", address.region, kRegionCharacters},
        {"postal_code", address.postal_code, kPostalCodeCharacters},
        {"country", address.country, kCountryCharacters},
        {"carrier", order.carrier, kCarrierCharacters},
        {"service", order.service, kServiceCharacters},
        {"tracking_number", order.tracking_number, kTrackingNumberCharacters},
        {"packaging", order.packaging, kIdCharacters},
        {"sscc", order.sscc, kSsccCharacters},
    });
    for (std::size_t i = 0; i < address.lines.size() && reason.empty(); ++i)
        reason = check_texts({{"an address line", address.lines[i], kAddressLineCharacters}});
    for (const OrderLine& line : order.lines)
        if (reason.empty())
            reason = check_texts({{"an order line's sku", line.sku, kIdCharacters}});
    return reason;
}

}  // namespace

std::string shown(std::string_view text) {
    constexpr std::size_t kShown = 64;  // characters: enough to recognise, short enough to read
    std::size_t count = 0;
    for (std::size_t index = 0; index < text.size(); ++index) {
        if ((static_cast<unsigned char>(text[index]) & 0xC0) != 0x80 && count++ == kShown)
            return std::string(text.substr(0, index)) + "...";
    }
    return std::string(text);
}

std::string order_record(std::string_view id) {
    return "order " + shown(id);
}
std::string sku_record(std::string_view sku) {
    return "sku " + shown(sku);
}
std::string packaging_record(std::string_view code) {
    return "packaging " + shown(code);
}

std::string quantity_out_of_range(std::string_view shown) {
    return "quantity " + std::string(shown) + " is out of range (1 to " +
           std::to_string(kMaxQuantity) + ")";
}

std::string check_quantity(std::int64_t quantity) {
    if (quantity < 1 || quantity > kMaxQuantity)
        return quantity_out_of_range(std::to_string(quantity));
    return {};
}

std::string check_grams(std::string_view field, double grams) {
    if (!std::isfinite(grams) || grams < 0.0)
        return std::string(field) + " must be a number of grams, 0 or more";
    return {};
}

void BatchBuilder::problem(int line, std::string record, std::string message) {
    result_.problems.push_back(ImportProblem{file_, line, std::move(record), std::move(message)});
}

void BatchBuilder::note(int line, std::string record, std::string message) {
    problem(line, std::move(record), std::move(message));
    result_.problems.back().loaded = true;
}

void BatchBuilder::add_order(Order order, int line, std::string_view record) {
    order.id = std::string(import_text::trim(order.id));
    order.recipient.address.country =
        import_text::to_upper_ascii(import_text::trim(order.recipient.address.country));
    order.carrier = import_text::to_lower_ascii(import_text::trim(order.carrier));
    order.tracking_number = std::string(import_text::trim(order.tracking_number));
    order.packaging = std::string(import_text::trim(order.packaging));
    if (order.id.empty()) {
        problem(line, std::string(record), "the order has no id; not loaded");
        return;
    }
    if (order.lines.empty()) {
        problem(line, order_record(order.id), "the order has no lines; not loaded");
        return;
    }
    for (auto& order_line : order.lines) {
        order_line.sku = std::string(import_text::trim(order_line.sku));
        std::string reason;
        if (order_line.sku.empty())
            reason = "an order line has no sku";
        else
            reason = check_quantity(order_line.quantity);
        if (!reason.empty()) {
            problem(line, order_record(order.id), reason + "; not loaded");
            return;
        }
    }
    if (order.created_at_ms < 0 || order.ship_by_ms < 0) {
        problem(line, order_record(order.id), "a timestamp is before 1970; not loaded");
        return;
    }
    if (const std::string reason = check_order_texts(order); !reason.empty()) {
        problem(line, order_record(order.id), reason + "; not loaded");
        return;
    }

    auto found = orders_.find(order.id);
    if (found != orders_.end()) {
        note(line, order_record(order.id),
             "duplicate order id " + quoted(order.id) + " (first at line " +
                 std::to_string(found->second.line) + "); this later record replaces it");
        result_.batch.orders[found->second.index] = std::move(order);
        found->second.line = line;
        return;
    }
    orders_.emplace(order.id, Seen{result_.batch.orders.size(), line});
    result_.batch.orders.push_back(std::move(order));
}

void BatchBuilder::add_sku(Sku sku, int line, std::string_view record) {
    sku.sku = std::string(import_text::trim(sku.sku));
    if (sku.sku.empty()) {
        problem(line, std::string(record), "the sku is empty; not loaded");
        return;
    }
    std::string reason = check_grams("unit_weight_g", sku.unit_weight_g);
    if (reason.empty()) reason = check_optional_grams("tolerance_abs_g", sku.tolerance_abs_g);
    if (reason.empty()) reason = check_optional_grams("tolerance_pct", sku.tolerance_pct);
    if (reason.empty())
        reason = check_texts({{"sku", sku.sku, limits::kIdCharacters},
                              {"name", sku.name, limits::kNameCharacters},
                              {"style", sku.style, limits::kStyleCharacters},
                              {"size", sku.size, limits::kSizeCharacters},
                              {"colour", sku.colour, limits::kColourCharacters}});
    if (!reason.empty()) {
        problem(line, sku_record(sku.sku), reason + "; not loaded");
        return;
    }

    std::vector<std::string> barcodes;
    for (const auto& raw : sku.barcodes) {
        const auto trimmed = import_text::trim(raw);
        if (trimmed.empty()) continue;
        std::string code = normalize_barcode(trimmed);
        bool control = false;
        for (const char c : code)
            control = control || static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
        // A scan is never longer than kMaxPayloadBytes and never carries
        // control characters, so such a code could never be matched.
        if (code.empty() || control || code.size() > kMaxPayloadBytes) {
            note(line, sku_record(sku.sku),
                 "barcode " + quoted(trimmed) +
                     " has control characters or is too long to be scanned; skipped");
            continue;
        }
        bool repeated = false;
        for (const auto& kept : barcodes)
            repeated = repeated || kept == code;
        if (!repeated) barcodes.push_back(std::move(code));
    }
    if (barcodes.size() > limits::kBarcodesPerSku) {
        problem(line, sku_record(sku.sku),
                "the sku has " + std::to_string(barcodes.size()) + " barcodes (at most " +
                    std::to_string(limits::kBarcodesPerSku) + "); not loaded");
        return;
    }
    sku.barcodes = std::move(barcodes);

    auto found = skus_.find(sku.sku);
    if (found != skus_.end()) {
        note(line, sku_record(sku.sku),
             "duplicate sku " + quoted(sku.sku) + " (first at line " +
                 std::to_string(found->second.line) + "); this later record replaces it");
        result_.batch.skus[found->second.index] = std::move(sku);
        found->second.line = line;
        return;
    }
    skus_.emplace(sku.sku, Seen{result_.batch.skus.size(), line});
    result_.batch.skus.push_back(std::move(sku));
}

void BatchBuilder::add_packaging(Packaging packaging, int line, std::string_view record) {
    packaging.code = std::string(import_text::trim(packaging.code));
    if (packaging.code.empty()) {
        problem(line, std::string(record), "the packaging code is empty; not loaded");
        return;
    }
    std::string reason = check_grams("tare_g", packaging.tare_g);
    if (reason.empty())
        reason = check_texts({{"code", packaging.code, limits::kIdCharacters},
                              {"name", packaging.name, limits::kNameCharacters}});
    if (!reason.empty()) {
        problem(line, packaging_record(packaging.code), reason + "; not loaded");
        return;
    }
    auto found = packaging_.find(packaging.code);
    if (found != packaging_.end()) {
        note(line, packaging_record(packaging.code),
             "duplicate packaging code " + quoted(packaging.code) + " (first at line " +
                 std::to_string(found->second.line) + "); this later record replaces it");
        result_.batch.packaging[found->second.index] = std::move(packaging);
        found->second.line = line;
        return;
    }
    packaging_.emplace(packaging.code, Seen{result_.batch.packaging.size(), line});
    result_.batch.packaging.push_back(std::move(packaging));
}

ImportResult BatchBuilder::finish() && {
    return std::move(result_);
}

}  // namespace packline::station::import_rules
