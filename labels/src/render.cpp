#include "packline/labels/render.h"

#include <algorithm>
#include <cmath>

#include "fields.h"
#include "packline/labels/label_errors.h"
#include "render_plan.h"

namespace packline::labels {
namespace {

constexpr double kMillimetresPerInch = 25.4;
constexpr double kPointsPerInch = 72.0;

bool gs1_check_digit_ok(std::string_view digits) {
    int sum = 0;
    const std::size_t last = digits.size() - 1;
    for (std::size_t i = 0; i < last; ++i) {
        const int digit = digits[i] - '0';
        // Weights 3,1,3,... counted from the digit next to the check digit.
        sum += ((last - i) % 2 == 1) ? digit * 3 : digit;
    }
    return (10 - sum % 10) % 10 == digits[last] - '0';
}

Status check_data(const LabelData& data) {
    if (data.order_id.empty() || data.tracking_number.empty())
        return Error(errors::kLabelMissingField, "a label needs an order id and a tracking number");
    for (char c : data.order_id)
        if (c == '^' || c == '~' || c == '|' || static_cast<unsigned char>(c) < 0x20)
            return Error(errors::kLabelBadField, "order id holds ^, ~, | or a control character");
    if (data.order_id.size() > 40) return Error(errors::kLabelBadField, "order id over 40 bytes");
    if (data.tracking_number.size() > 40)
        return Error(errors::kLabelBadField, "tracking number over 40 characters");
    if (auto status = check_barcode_data(Symbology::Code128, data.tracking_number); !status)
        return Error(errors::kLabelBadField, "tracking number: " + status.error().message);
    for (char c : data.tracking_number)
        if (c == ' ' || c == '|')
            return Error(errors::kLabelBadField, "tracking number holds a space or |");
    if (data.parcel_sequence < 1 || data.parcel_sequence > 999 || data.parcel_count < 0 ||
        data.parcel_count > 999 ||
        (data.parcel_count > 0 && data.parcel_sequence > data.parcel_count))
        return Error(errors::kLabelBadField, "parcel number out of range");
    if (!(data.weight_g >= 0) || data.weight_g > 1e7)
        return Error(errors::kLabelBadField, "weight out of range");
    if (!data.sscc.empty()) {
        bool digits = data.sscc.size() == 18;
        for (char c : data.sscc)
            digits = digits && c >= '0' && c <= '9';
        if (!digits || !gs1_check_digit_ok(data.sscc))
            return Error(errors::kLabelBadField, "SSCC must be 18 digits with a valid check digit");
    }
    return {};
}

// Text longer than any box could show is cut before layout: Pango shapes
// all of a text before it ellipsizes it, and a 1 MB name took 3.9 s as ZPL
// and over two minutes as PNG or PDF. The limits are the order contract's
// (docs/mqtt/schemas/order.schema.json: 256 characters for names and address
// lines, 1,000 order lines), which imported orders already meet; these caps
// are for whatever else reaches the renderer. Address lines are capped more
// loosely than the contract's 8: no box shows 64, and a label of an older
// order keeps the lines it printed with before.
constexpr std::size_t kMaxTextCharacters = 256;
constexpr std::size_t kMaxAddressLines = 64;
constexpr std::size_t kMaxItems = 1000;

// Cuts `text` after kMaxTextCharacters code points (counted by lead bytes:
// a cut never splits a UTF-8 sequence) and says so.
void cap_text(std::string& text, std::string_view what, std::vector<std::string>& warnings) {
    std::size_t count = 0;
    for (std::size_t index = 0; index < text.size(); ++index)
        if ((static_cast<unsigned char>(text[index]) & 0xC0) != 0x80 &&
            count++ == kMaxTextCharacters) {
            text.resize(index);
            text += "\u2026";
            warnings.push_back("text over " + std::to_string(kMaxTextCharacters) +
                               " characters cut: " + std::string(what));
            return;
        }
}

LabelData capped(const LabelData& data, std::vector<std::string>& warnings) {
    LabelData copy = data;
    if (copy.address_lines.size() > kMaxAddressLines) {
        copy.address_lines.resize(kMaxAddressLines);
        warnings.push_back("address lines beyond " + std::to_string(kMaxAddressLines) +
                           " left out");
    }
    if (copy.items.size() > kMaxItems) {
        copy.items.resize(kMaxItems);
        warnings.push_back("items beyond " + std::to_string(kMaxItems) + " left out");
    }
    cap_text(copy.recipient_name, "recipient name", warnings);
    cap_text(copy.phone, "phone", warnings);
    for (std::string& line : copy.address_lines)
        cap_text(line, "address line", warnings);
    cap_text(copy.city, "city", warnings);
    cap_text(copy.region, "region", warnings);
    cap_text(copy.postal_code, "postal code", warnings);
    cap_text(copy.country, "country", warnings);
    cap_text(copy.sender_name, "sender name", warnings);
    cap_text(copy.sender_address, "sender address", warnings);
    cap_text(copy.carrier_name, "carrier", warnings);
    cap_text(copy.service, "service", warnings);
    cap_text(copy.station, "station", warnings);
    cap_text(copy.date, "date", warnings);
    for (LabelItem& item : copy.items) {
        cap_text(item.sku, "item sku", warnings);
        cap_text(item.description, "item description", warnings);
        cap_text(item.style, "item style", warnings);
        cap_text(item.size, "item size", warnings);
        cap_text(item.colour, "item colour", warnings);
    }
    return copy;
}

std::string item_cell(const LabelItem& item, const std::string& field) {
    if (field == "sku") return item.sku;
    if (field == "description") return item.description;
    if (field == "style") return item.style;
    if (field == "size") return item.size;
    if (field == "colour") return item.colour;
    if (field == "quantity") return std::to_string(item.quantity);
    if (field == "variant") {
        std::string out;
        for (const std::string* part : {&item.style, &item.size, &item.colour}) {
            if (part->empty()) continue;
            if (!out.empty()) out += " / ";
            out += *part;
        }
        return out;
    }
    return "";
}

}  // namespace

int mm_to_dots(double mm, int dpi) {
    return static_cast<int>(std::lround(mm / kMillimetresPerInch * dpi));
}

std::optional<LabelFormat> parse_label_format(std::string_view name) {
    if (name == "zpl") return LabelFormat::Zpl;
    if (name == "png") return LabelFormat::Png;
    if (name == "pdf") return LabelFormat::Pdf;
    return std::nullopt;
}

std::string_view to_string(LabelFormat format) {
    switch (format) {
        case LabelFormat::Zpl:
            return "zpl";
        case LabelFormat::Png:
            return "png";
        case LabelFormat::Pdf:
            return "pdf";
    }
    return "zpl";
}

std::string_view content_type(LabelFormat format) {
    switch (format) {
        case LabelFormat::Zpl:
            return "application/vnd.zebra.zpl";
        case LabelFormat::Png:
            return "image/png";
        case LabelFormat::Pdf:
            return "application/pdf";
    }
    return "application/octet-stream";
}

Result<RenderPlan> make_plan(const LabelTemplate& label_template, const LabelData& data) {
    if (auto status = check_data(data); !status) return status.error();
    RenderPlan plan;
    plan.label_template = &label_template;
    plan.data = &data;
    plan.dpi = label_template.dpi;
    plan.width = label_template.width_dots();
    plan.height = label_template.height_dots();
    plan.font = font_for_country(label_template.font, data.country);
    plan.language = language_for_country(data.country);
    for (const TemplateElement& spec : label_template.elements) {
        if (!spec.when.empty() && field_value(data, spec.when).value_or("").empty()) continue;
        PlanElement element;
        element.spec = &spec;
        element.x = mm_to_dots(spec.x_mm, plan.dpi);
        element.y = mm_to_dots(spec.y_mm, plan.dpi);
        element.width = std::max(1, mm_to_dots(spec.width_mm, plan.dpi));
        element.height =
            spec.type == ElementType::Rule
                ? std::max(1, mm_to_dots(std::max(spec.height_mm, spec.thickness_mm), plan.dpi))
                : std::max(1, mm_to_dots(spec.height_mm, plan.dpi));
        element.width = std::min(element.width, plan.width - element.x);
        element.height = std::min(element.height, plan.height - element.y);
        if (spec.type == ElementType::Text) {
            element.content = expand_fields(spec.text, data);
            if (element.content.empty()) continue;
        } else if (spec.type == ElementType::Barcode) {
            element.content = expand_fields(spec.data, data);
            if (element.content.empty())
                return Error(errors::kLabelMissingField,
                             "barcode data \"" + spec.data + "\" is empty");
            if (auto status = check_barcode_data(spec.symbology, element.content); !status)
                return status.error();
        }
        plan.elements.push_back(std::move(element));
    }
    return plan;
}

TextStyle text_style(const RenderPlan& plan, const TemplateElement& spec) {
    TextStyle style;
    style.family = plan.font;
    style.size_pt = spec.size_pt;
    style.min_size_pt = spec.min_size_pt;
    style.bold = spec.bold;
    style.align = spec.align;
    style.max_lines = spec.max_lines;
    style.language = plan.language;
    return style;
}

Result<BarcodePlacement> place_barcode(const RenderPlan& plan, const PlanElement& element,
                                       int columns, int rows, int quiet_modules, bool linear) {
    const TemplateElement& spec = *element.spec;
    BarcodePlacement placement;
    int bars_height = element.height;
    if (linear && spec.human_readable) {
        // The human-readable line: about 3 mm, less in a low box.
        placement.text_size_pt =
            std::clamp(element.height * 0.16 * kPointsPerInch / plan.dpi, 6.0, 11.0);
        placement.text_height =
            static_cast<int>(std::ceil(placement.text_size_pt * plan.dpi / kPointsPerInch * 1.3));
        bars_height = element.height - placement.text_height;
    }
    const int preferred = std::max(1, mm_to_dots(spec.module_mm, plan.dpi));
    const int smallest = std::max(1, mm_to_dots(spec.min_module_mm, plan.dpi));
    const int across = columns + 2 * quiet_modules;
    const int down = linear ? 0 : rows + 2 * quiet_modules;
    int module = preferred;
    while (module > smallest &&
           (across * module > element.width || (!linear && down * module > element.height)))
        --module;
    if (across * module > element.width || (!linear && down * module > element.height))
        return Error(errors::kLabelBadField,
                     "barcode \"" + element.content + "\" does not fit its " +
                         std::to_string(element.width) + " x " + std::to_string(element.height) +
                         " dot box even at " + std::to_string(smallest) + "-dot modules");
    if (linear && bars_height < 2 * module * 5)
        return Error(errors::kLabelBadField, "barcode box too low for bars");
    placement.module = module;
    placement.symbol_width = columns * module;
    placement.symbol_height = linear ? bars_height : rows * module;
    placement.x = element.x + (element.width - placement.symbol_width) / 2;
    placement.y = linear ? element.y : element.y + (element.height - placement.symbol_height) / 2;
    placement.text_y = element.y + bars_height;
    return placement;
}

PlacedElement placed_element(const PlanElement& element, int ink_x, int ink_y, int ink_width,
                             int ink_height) {
    PlacedElement placed;
    placed.type = element.spec->type;
    placed.x = element.x;
    placed.y = element.y;
    placed.width = element.width;
    placed.height = element.height;
    placed.ink_x = ink_x;
    placed.ink_y = ink_y;
    placed.ink_width = ink_width;
    placed.ink_height = ink_height;
    placed.content = element.content;
    return placed;
}

std::string human_readable_text(Symbology symbology, const std::string& data) {
    if (symbology == Symbology::Gs1_128 && data.size() == 20 && data.starts_with("00"))
        return "(00) " + data.substr(2);
    return data;
}

ItemsTable layout_items(const RenderPlan& plan, const PlanElement& element) {
    const TemplateElement& spec = *element.spec;
    const auto& items = plan.data->items;
    double total_share = 0;
    for (const auto& column : spec.columns)
        total_share += column.width;
    const int row_height =
        static_cast<int>(std::ceil(spec.size_pt * plan.dpi / kPointsPerInch * 1.45));
    const int padding = std::max(1, mm_to_dots(1.0, plan.dpi));
    const int capacity = std::max(0, element.height / row_height - 1);  // rows below the header
    const std::size_t shown = items.size() <= static_cast<std::size_t>(capacity)
                                  ? items.size()
                                  : static_cast<std::size_t>(std::max(0, capacity - 1));
    ItemsTable table;
    auto row = [&](int y, auto&& cell_text, bool bold) {
        int x = element.x;
        for (const auto& column : spec.columns) {
            const int width =
                static_cast<int>(std::floor(element.width * column.width / total_share));
            table.cells.push_back({cell_text(column), x + padding, y,
                                   std::max(1, width - 2 * padding), row_height, bold,
                                   column.align});
            x += width;
        }
    };
    row(
        element.y, [](const ItemColumn& column) { return column.title; }, true);
    table.rule_height = std::max(1, mm_to_dots(0.3, plan.dpi));
    table.rule_x = element.x;
    table.rule_y = element.y + row_height - table.rule_height;
    table.rule_width = element.width;
    int y = element.y + row_height;
    for (std::size_t i = 0; i < shown; ++i, y += row_height)
        row(
            y, [&](const ItemColumn& column) { return item_cell(items[i], column.field); }, false);
    table.hidden = items.size() - shown;
    if (table.hidden > 0) {
        table.cells.push_back({"+ " + std::to_string(table.hidden) +
                                   (table.hidden == 1 ? " more line" : " more lines"),
                               element.x + padding, y, element.width - 2 * padding, row_height,
                               false, Align::Left});
    }
    table.used_height = std::min(element.height, y + row_height - element.y);
    return table;
}

Result<RenderedLabel> render_label(const LabelTemplate& label_template, const LabelData& data,
                                   LabelFormat format) {
    if (!label_template.allows(to_string(format)))
        return Error(errors::kLabelUnsupportedFormat, "template " + label_template.name +
                                                          " is not made for " +
                                                          std::string(to_string(format)));
    std::vector<std::string> cut;
    const LabelData bounded = capped(data, cut);
    auto plan = make_plan(label_template, bounded);
    if (!plan) return plan.error();
    auto rendered =
        format == LabelFormat::Zpl ? render_zpl_output(*plan) : render_cairo_output(*plan, format);
    if (rendered) rendered->warnings.insert(rendered->warnings.begin(), cut.begin(), cut.end());
    return rendered;
}

}  // namespace packline::labels
