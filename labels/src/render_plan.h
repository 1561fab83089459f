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

// The item table's rows as text cells.
std::string item_cell(const LabelItem& item, const std::string& field);

Result<RenderedLabel> render_zpl_output(const RenderPlan& plan);
Result<RenderedLabel> render_cairo_output(const RenderPlan& plan, LabelFormat format);

}  // namespace packline::labels
