// {field} placeholders of label templates (internal to packline_labels).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "packline/labels/label_data.h"

namespace packline::labels {

// The value of a field, or nullopt for a name no template may use.
std::optional<std::string> field_value(const LabelData& data, std::string_view name);

// Expands placeholders line by line. A line with placeholders that all came
// out empty is dropped ("TEL {recipient.phone}" without a phone), so optional
// lines need no extra syntax. Unknown fields expand to nothing (templates are
// checked when loaded, see check_placeholders).
std::string expand_fields(std::string_view text, const LabelData& data);

// Empty when every placeholder in `text` names a field and braces balance;
// otherwise what is wrong ("unknown field {recipent.name}").
std::string check_placeholders(std::string_view text);

}  // namespace packline::labels
