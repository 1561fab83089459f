// Label templates as data: one TOML file per template (docs/labels.md). A
// template fixes the page (size in mm, printer resolution) and places
// elements on it in millimetres: text with {field} placeholders, barcodes,
// rules, boxes and an order-lines table. The same template renders to ZPL II,
// PNG and PDF (render.h).
//
// Built-in templates are compiled into the program (labels/templates/*.toml);
// a directory of extra templates can be searched first, and a path ending in
// ".toml" names a file directly.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "packline/error.h"
#include "packline/hardware/symbology.h"

namespace packline::labels {

enum class ElementType { Text, Barcode, Rule, Box, Items };
// The product's one list of symbologies (hardware/symbology.h); a label
// prints Code128, Gs1_128, QrCode and DataMatrix.
using Symbology = hardware::Symbology;
enum class Align { Left, Center, Right };

// A column of the order-lines table ("items" element).
struct ItemColumn {
    std::string field;  // sku, description, style, size, colour, quantity, variant
    std::string title;
    double width = 1;  // share of the table width
    Align align = Align::Left;
};

struct TemplateElement {
    ElementType type = ElementType::Text;
    double x_mm = 0, y_mm = 0, width_mm = 0, height_mm = 0;
    // Shown only when this field is not empty ("sscc", "recipient.phone", ...).
    std::string when;

    // Text: placeholders are {field}; a line whose placeholders are all empty
    // is left out; "{{" and "}}" are literal braces.
    std::string text;
    double size_pt = 10;     // preferred size
    double min_size_pt = 0;  // shrink down to this to fit (0 = size_pt)
    bool bold = false;
    Align align = Align::Left;
    int max_lines = 0;  // 0 = as many as fit

    // Barcode: the data is a field template like text ("{tracking_number}").
    Symbology symbology = Symbology::Code128;
    std::string data;
    bool human_readable = false;  // Code 128 / GS1-128: text line under the bars
    double module_mm = 0.375;     // preferred narrow bar / module size
    double min_module_mm = 0.19;  // the smallest that still scans reliably

    // Rule and box.
    double thickness_mm = 0.5;

    // Items table.
    std::vector<ItemColumn> columns;
};

struct LabelTemplate {
    std::string name;
    std::string description;
    double width_mm = 0, height_mm = 0;
    int dpi = 203;
    std::vector<std::string> formats{"zpl", "png", "pdf"};  // outputs it is meant for
    // Fontconfig family; CJK variants are chosen by the recipient's country
    // ("Noto Sans CJK SC" becomes "... JP" for JP, "... KR" for KR, ...).
    std::string font = "Noto Sans CJK SC";
    // ZPL text: "auto" uses the printer's font 0 where it has the glyphs
    // (Latin) and a bitmap (^GF) otherwise; "graphic" always sends bitmaps.
    std::string zpl_text = "auto";
    std::vector<TemplateElement> elements;

    int width_dots() const;
    int height_dots() const;
    bool allows(std::string_view format) const;
};

// Parses one template file. `lookup` resolves `base = "<name>"` (a template
// that starts from another and changes some of it); errors:
// "label.bad_template" with the file and the key at fault.
Result<LabelTemplate> parse_template(std::string_view toml_text, std::string_view source);

// Finds a template by name (built-in or in `directory`, which is searched
// first) or by path (a name ending in ".toml"). Error "label.no_template".
Result<LabelTemplate> load_template(std::string_view name_or_path,
                                    const std::string& directory = "");

struct TemplateInfo {
    std::string name;
    std::string description;
    std::string origin;  // "built-in" or the file's path
};

// Built-in templates and those in `directory`, by name.
std::vector<TemplateInfo> list_templates(const std::string& directory = "");

inline constexpr std::string_view kDefaultTemplate = "shipping-4x6-203";

}  // namespace packline::labels
