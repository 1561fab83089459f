#include "packline/labels/label_code.h"

#include "packline/text.h"
#include "utf8.h"

namespace packline::labels {

bool is_label_code_field(std::string_view field) {
    if (field.empty() || field.size() > kLabelCodeFieldMaxBytes) return false;
    std::size_t pos = 0;
    char32_t code_point = 0;
    while (pos < field.size()) {
        if (!packline::text::next_code_point(field, pos, code_point)) return false;
        if (code_point == U'|' || utf8::is_control(code_point)) return false;
    }
    return true;
}

std::string label_code_payload(std::string_view order_id, std::string_view tracking) {
    if (!is_label_code_field(order_id) || !is_label_code_field(tracking)) return {};
    std::string payload;
    payload.reserve(kLabelCodePrefix.size() + order_id.size() + 1 + tracking.size());
    payload += kLabelCodePrefix;
    payload += order_id;
    payload += '|';
    payload += tracking;
    return payload;
}

std::optional<LabelCode> parse_label_code(std::string_view payload) {
    if (!payload.starts_with(kLabelCodePrefix)) return std::nullopt;
    payload.remove_prefix(kLabelCodePrefix.size());
    const std::size_t separator = payload.find('|');
    if (separator == std::string_view::npos) return std::nullopt;
    const std::string_view order_id = payload.substr(0, separator);
    const std::string_view tracking = payload.substr(separator + 1);
    // A third '|' or any control character (a trailing CR from a scanner
    // suffix included) fails here.
    if (!is_label_code_field(order_id) || !is_label_code_field(tracking)) return std::nullopt;
    return LabelCode{std::string(order_id), std::string(tracking)};
}

}  // namespace packline::labels
