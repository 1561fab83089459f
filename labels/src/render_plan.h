// The format-independent part of rendering (internal to packline_labels):
// which elements show, where their boxes are in dots, what they say, and
// where barcodes go.
#pragma once

#include <string>
#include <vector>

#include "barcode_symbol.h"
#include "packline/error.h"
#include "packline/labels/label_data.h"
#include "packline/labels/render.h"
#include "packline/labels/template.h"
#include "text_engine.h"

namespace packline::labels {

struct PlanElement {
    const TemplateElement* spec = nullptr;
    int x = 0, y = 0, width = 0, height = 0;  // box, dots
    std::string content;                      // expanded text or barcode data
};

struct RenderPlan {
    const LabelTemplate* label_template = nullptr;
    const LabelData* data = nullptr;
    int dpi = 203;
    int width = 0, height = 0;  // dots
    std::string font;           // with the CJK variant for the recipient
    std::string language;
    std::vector<PlanElement> elements;
};

int mm_to_dots(double mm, int dpi);

Result<RenderPlan> make_plan(const LabelTemplate& label_template, const LabelData& data);

TextStyle text_style(const RenderPlan& plan, const TemplateElement& spec);

// Where a barcode of `columns` x `rows` modules sits in its box, with whole-dot
// modules as large as the template asks and the box allows, quiet zones kept.
struct BarcodePlacement {
    int module = 0;
    int x = 0, y = 0;                         // top-left of the symbol
    int symbol_width = 0, symbol_height = 0;  // dots (linear: bar height)
    int text_y = 0, text_height = 0;          // human-readable line (linear)
    double text_size_pt = 0;
};
Result<BarcodePlacement> place_barcode(const RenderPlan& plan, const PlanElement& element,
                                       int columns, int rows, int quiet_modules, bool linear);

// The PlacedElement of `element` with its ink at (ink_x, ink_y).
PlacedElement placed_element(const PlanElement& element, int ink_x, int ink_y, int ink_width,
                             int ink_height);

// The line printed under a linear barcode: GS1-128 SSCCs as "(00) ...".
std::string human_readable_text(Symbology symbology, const std::string& data);

// The order-lines table laid out in cells: a bold header, a rule under it,
// one row per line that fits, and "+ N more lines" when some do not.
struct TableCell {
    std::string text;
    int x = 0, y = 0, width = 0, height = 0;
    bool bold = false;
    Align align = Align::Left;
};
struct ItemsTable {
    std::vector<TableCell> cells;
    int rule_x = 0, rule_y = 0, rule_width = 0, rule_height = 0;
    std::size_t hidden = 0;  // order lines not shown
    int used_height = 0;
};
ItemsTable layout_items(const RenderPlan& plan, const PlanElement& element);

Result<RenderedLabel> render_zpl_output(const RenderPlan& plan);
Result<RenderedLabel> render_cairo_output(const RenderPlan& plan, LabelFormat format);

}  // namespace packline::labels
