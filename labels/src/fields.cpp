#include "fields.h"

#include <cmath>
#include <cstdio>
#include <vector>

#include "packline/labels/label_code.h"

namespace packline::labels {
namespace {

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string out;
    for (const auto& part : parts) {
        if (part.empty()) continue;
        if (!out.empty()) out += separator;
        out += part;
    }
    return out;
}

std::string weight_text(double grams) {
    if (!(grams > 0) || !std::isfinite(grams)) return "";
    char buffer[32];
    if (grams < 1000)
        std::snprintf(buffer, sizeof buffer, "%.0f g", grams);
    else
        std::snprintf(buffer, sizeof buffer, "%.2f kg", grams / 1000.0);
    return buffer;
}

std::string items_summary(const LabelData& data) {
    if (data.items.empty()) return "";
    int total = 0;
    std::vector<std::string> parts;
    for (const auto& item : data.items) {
        total += item.quantity;
        parts.push_back(std::to_string(item.quantity) + " x " + item.sku);
    }
    return std::to_string(total) + (total == 1 ? " item: " : " items: ") + join(parts, ", ");
}

std::string sscc_text(std::string_view sscc) {
    if (sscc.empty()) return "";
    return "(00) " + std::string(sscc);
}

// "city region postal" in the order most countries write it; CJK addresses
// put the postal code first.
std::string town_line(const LabelData& data) {
    const std::string& country = data.country;
    if (country == "CN" || country == "JP" || country == "KR" || country == "TW")
        return join({data.postal_code, data.region, data.city}, " ");
    return join({data.city, data.region, data.postal_code}, " ");
}

}  // namespace

std::optional<std::string> field_value(const LabelData& data, std::string_view name) {
    if (name == "order_id") return data.order_id;
    if (name == "parcel") {
        if (data.parcel_count > 0)
            return std::to_string(data.parcel_sequence) + "/" + std::to_string(data.parcel_count);
        return std::to_string(data.parcel_sequence);
    }
    if (name == "recipient.name") return data.recipient_name;
    if (name == "recipient.phone") return data.phone;
    if (name == "recipient.address") return join(data.address_lines, "\n");
    if (name == "recipient.town") return town_line(data);
    if (name == "recipient.country") return data.country;
    if (name == "sender.name") return data.sender_name;
    if (name == "sender.address") return data.sender_address;
    if (name == "carrier") return data.carrier_name;
    if (name == "service") return data.service;
    if (name == "tracking_number") return data.tracking_number;
    if (name == "weight") return weight_text(data.weight_g);
    if (name == "date") return data.date;
    if (name == "station") return data.station;
    if (name == "items_summary") return items_summary(data);
    if (name == "item_count") {
        int total = 0;
        for (const auto& item : data.items)
            total += item.quantity;
        return data.items.empty() ? std::string() : std::to_string(total);
    }
    if (name == "label_code") return label_code_payload(data.order_id, data.tracking_number);
    if (name == "sscc") return data.sscc;
    if (name == "sscc_text") return sscc_text(data.sscc);
    return std::nullopt;
}

std::string expand_fields(std::string_view text, const LabelData& data) {
    std::string out;
    std::size_t line_start = 0;
    while (line_start <= text.size()) {
        std::size_t line_end = text.find('\n', line_start);
        if (line_end == std::string_view::npos) line_end = text.size();
        const std::string_view line = text.substr(line_start, line_end - line_start);
        std::string expanded;
        int placeholders = 0, filled = 0;
        for (std::size_t i = 0; i < line.size(); ++i) {
            const char c = line[i];
            if ((c == '{' || c == '}') && i + 1 < line.size() && line[i + 1] == c) {
                expanded += c;
                ++i;
            } else if (c == '{') {
                const std::size_t close = line.find('}', i);
                if (close == std::string_view::npos) break;
                ++placeholders;
                const std::string value =
                    field_value(data, line.substr(i + 1, close - i - 1)).value_or("");
                if (!value.empty()) ++filled;
                expanded += value;
                i = close;
            } else {
                expanded += c;
            }
        }
        if (placeholders == 0 || filled > 0) {
            if (!out.empty()) out += '\n';
            out += expanded;
        }
        line_start = line_end + 1;
    }
    return out;
}

std::string check_placeholders(std::string_view text) {
    const LabelData empty;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
            ++i;
        } else if (c == '}') {
            return "unmatched '}'";
        } else if (c == '{') {
            const std::size_t close = text.find_first_of("{}\n", i + 1);
            if (close == std::string_view::npos || text[close] != '}') return "unclosed '{'";
            const std::string_view name = text.substr(i + 1, close - i - 1);
            if (!field_value(empty, name)) return "unknown field {" + std::string(name) + "}";
            i = close;
        }
    }
    return "";
}

}  // namespace packline::labels
