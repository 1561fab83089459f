// PNG and PDF output: the plan drawn with Cairo, text through Pango.
#include <cairo-pdf.h>
#include <cairo.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>

#include "packline/labels/label_errors.h"
#include "render_plan.h"

namespace packline::labels {
namespace {

constexpr double kPointsPerInch = 72.0;
constexpr double kMetresPerInch = 0.0254;

// How ink goes down. The PNG is an 8-bit alpha surface that starts fully
// opaque (paper) and ink clears it, so it is written straight out as a
// grayscale image; the PDF draws black on a white page.
struct Canvas {
    cairo_t* cairo = nullptr;
    bool raster = false;

    void ink() const {
        if (raster) {
            cairo_set_operator(cairo, CAIRO_OPERATOR_CLEAR);
        } else {
            cairo_set_operator(cairo, CAIRO_OPERATOR_OVER);
            cairo_set_source_rgb(cairo, 0, 0, 0);
        }
    }
    void fill_rectangle(int x, int y, int width, int height) const {
        cairo_rectangle(cairo, x, y, width, height);
        cairo_fill(cairo);
    }
};

struct Drawn {
    std::vector<PlacedElement> elements;
    std::vector<std::string> warnings;
};

void note_text(const FittedText& text, const PlanElement& element, std::string_view what,
               const RenderPlan& plan, Drawn& drawn) {
    if (text.truncated) drawn.warnings.push_back("text cut to fit its box: " + std::string(what));
    if (text.unknown_glyphs > 0)
        drawn.warnings.push_back("no glyph in " + plan.font + " for " +
                                 std::to_string(text.unknown_glyphs) +
                                 " character(s): " + std::string(what));
    (void)element;
}

PlacedElement placed_text(const PlanElement& element, const FittedText& text, int x, int y) {
    PlacedElement placed =
        placed_element(element, x + text.ink_x, y + text.ink_y, text.ink_width, text.ink_height);
    placed.content = text.text;
    placed.size_pt = text.size_pt;
    placed.truncated = text.truncated;
    return placed;
}

Status draw_barcode(const Canvas& canvas, const RenderPlan& plan, const PlanElement& element,
                    Drawn& drawn) {
    const TemplateElement& spec = *element.spec;
    auto symbol = encode_symbol(spec.symbology, element.content);
    if (!symbol) return symbol.error();
    auto placement = place_barcode(plan, element, symbol->columns, symbol->rows,
                                   symbol->quiet_modules, symbol->linear);
    if (!placement) return placement.error();
    const int module = placement->module;
    canvas.ink();
    for (int row = 0; row < symbol->rows; ++row) {
        int column = 0;
        while (column < symbol->columns) {
            if (!symbol->at(column, row)) {
                ++column;
                continue;
            }
            int run = 1;
            while (column + run < symbol->columns && symbol->at(column + run, row))
                ++run;
            const int y = placement->y + row * module;
            canvas.fill_rectangle(placement->x + column * module, y, run * module,
                                  symbol->linear ? placement->symbol_height : module);
            column += run;
        }
    }
    PlacedElement placed = placed_element(element, placement->x, placement->y,
                                          placement->symbol_width, placement->symbol_height);
    placed.module_dots = module;
    if (symbol->linear && spec.human_readable) {
        TextStyle style = text_style(plan, spec);
        style.size_pt = placement->text_size_pt;
        style.min_size_pt = std::min(placement->text_size_pt, 5.0);
        style.bold = false;
        style.align = Align::Center;
        style.max_lines = 1;
        const FittedText text = fit_text(human_readable_text(spec.symbology, element.content),
                                         style, element.width, placement->text_height, plan.dpi);
        text.draw(canvas.cairo, element.x, placement->text_y, !canvas.raster);
        placed.ink_height = placement->text_y + text.ink_y + text.ink_height - placement->y;
    }
    drawn.elements.push_back(std::move(placed));
    return {};
}

void draw_items(const Canvas& canvas, const RenderPlan& plan, const PlanElement& element,
                Drawn& drawn) {
    const TemplateElement& spec = *element.spec;
    const ItemsTable table = layout_items(plan, element);
    TextStyle style = text_style(plan, spec);
    style.max_lines = 1;
    canvas.ink();
    for (const TableCell& cell : table.cells) {
        TextStyle cell_style = style;
        cell_style.bold = cell.bold;
        cell_style.align = cell.align;
        const FittedText text = fit_text(cell.text, cell_style, cell.width, cell.height, plan.dpi);
        text.draw(canvas.cairo, cell.x, cell.y, !canvas.raster);
        if (text.truncated) drawn.warnings.push_back("table cell cut to fit: " + text.text);
    }
    canvas.fill_rectangle(table.rule_x, table.rule_y, table.rule_width, table.rule_height);
    if (table.hidden > 0)
        drawn.warnings.push_back(
            "order lines cut to fit the table: " + std::to_string(table.hidden) + " not shown");
    PlacedElement placed =
        placed_element(element, element.x, element.y, element.width, table.used_height);
    placed.truncated = table.hidden > 0;
    drawn.elements.push_back(std::move(placed));
}

Status draw_plan(const Canvas& canvas, const RenderPlan& plan, Drawn& drawn) {
    for (const PlanElement& element : plan.elements) {
        const TemplateElement& spec = *element.spec;
        switch (spec.type) {
            case ElementType::Text: {
                const FittedText text = fit_text(element.content, text_style(plan, spec),
                                                 element.width, element.height, plan.dpi);
                canvas.ink();
                text.draw(canvas.cairo, element.x, element.y, !canvas.raster);
                note_text(text, element, element.content, plan, drawn);
                drawn.elements.push_back(placed_text(element, text, element.x, element.y));
                break;
            }
            case ElementType::Rule:
            case ElementType::Box: {
                canvas.ink();
                const int thickness = std::max(1, mm_to_dots(spec.thickness_mm, plan.dpi));
                if (spec.type == ElementType::Rule) {
                    canvas.fill_rectangle(element.x, element.y, element.width, element.height);
                } else {
                    canvas.fill_rectangle(element.x, element.y, element.width, thickness);
                    canvas.fill_rectangle(element.x, element.y + element.height - thickness,
                                          element.width, thickness);
                    canvas.fill_rectangle(element.x, element.y, thickness, element.height);
                    canvas.fill_rectangle(element.x + element.width - thickness, element.y,
                                          thickness, element.height);
                }
                PlacedElement placed;
                placed.type = spec.type;
                placed.x = placed.ink_x = element.x;
                placed.y = placed.ink_y = element.y;
                placed.width = placed.ink_width = element.width;
                placed.height = placed.ink_height = element.height;
                drawn.elements.push_back(std::move(placed));
                break;
            }
            case ElementType::Barcode:
                if (auto status = draw_barcode(canvas, plan, element, drawn); !status)
                    return status;
                break;
            case ElementType::Items:
                draw_items(canvas, plan, element, drawn);
                break;
        }
    }
    return {};
}

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

void put_u32(std::string& out, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8)
        out += static_cast<char>((value >> shift) & 0xFF);
}

// Cairo writes no resolution; CUPS's image filters and viewers use pHYs to
// print the label at its true size, so it goes in right after IHDR.
void add_resolution(std::string& png, int dpi) {
    constexpr std::size_t kAfterHeader = 8 + 8 + 13 + 4;  // signature + IHDR chunk
    if (png.size() < kAfterHeader) return;
    const auto per_metre = static_cast<std::uint32_t>(std::lround(dpi / kMetresPerInch));
    std::string chunk = "pHYs";
    put_u32(chunk, per_metre);
    put_u32(chunk, per_metre);
    chunk += '\x01';  // unit: metre
    const auto crc = static_cast<std::uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(chunk.data()), static_cast<uInt>(chunk.size())));
    std::string block;
    put_u32(block, 9);
    block += chunk;
    put_u32(block, crc);
    png.insert(kAfterHeader, block);
}

}  // namespace

Result<RenderedLabel> render_cairo_output(const RenderPlan& plan, LabelFormat format) {
    RenderedLabel label;
    label.format = format;
    label.width_dots = plan.width;
    label.height_dots = plan.height;
    label.dpi = plan.dpi;
    Drawn drawn;
    cairo_surface_t* surface = nullptr;
    if (format == LabelFormat::Png) {
        surface = cairo_image_surface_create(CAIRO_FORMAT_A8, plan.width, plan.height);
    } else {
        const double scale = kPointsPerInch / plan.dpi;
        surface = cairo_pdf_surface_create_for_stream(append_bytes, &label.bytes,
                                                      plan.width * scale, plan.height * scale);
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
                                       ("Label " + plan.data->order_id).c_str());
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Packline");
        if (plan.data->date.size() == 10) {
            // A fixed date keeps the file the same for the same label.
            const std::string stamp = plan.data->date + "T00:00:00";
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, stamp.c_str());
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, stamp.c_str());
        }
    }
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        const std::string reason = cairo_status_to_string(cairo_surface_status(surface));
        cairo_surface_destroy(surface);
        return Error(errors::kLabelRenderFailed, "cannot create the page: " + reason);
    }
    cairo_t* cairo = cairo_create(surface);
    Canvas canvas{cairo, format == LabelFormat::Png};
    if (canvas.raster) {
        cairo_set_source_rgba(cairo, 0, 0, 0, 1);
        cairo_set_operator(cairo, CAIRO_OPERATOR_SOURCE);
        cairo_paint(cairo);
        cairo_set_antialias(cairo, CAIRO_ANTIALIAS_NONE);  // whole-dot bars and rules
    } else {
        cairo_scale(cairo, kPointsPerInch / plan.dpi, kPointsPerInch / plan.dpi);
        cairo_set_source_rgb(cairo, 1, 1, 1);
        cairo_paint(cairo);
    }
    Status drawn_status = draw_plan(canvas, plan, drawn);
    cairo_status_t status = cairo_status(cairo);
    cairo_destroy(cairo);
    if (drawn_status && status == CAIRO_STATUS_SUCCESS) {
        if (canvas.raster) {
            cairo_surface_flush(surface);
            status = cairo_surface_write_to_png_stream(surface, append_bytes, &label.bytes);
            if (status == CAIRO_STATUS_SUCCESS) add_resolution(label.bytes, plan.dpi);
        } else {
            cairo_surface_finish(surface);
            status = cairo_surface_status(surface);
        }
    }
    cairo_surface_destroy(surface);
    if (!drawn_status) return drawn_status.error();
    if (status != CAIRO_STATUS_SUCCESS)
        return Error(errors::kLabelRenderFailed,
                     std::string("cannot draw the label: ") + cairo_status_to_string(status));
    label.elements = std::move(drawn.elements);
    label.warnings = std::move(drawn.warnings);
    return label;
}

}  // namespace packline::labels
