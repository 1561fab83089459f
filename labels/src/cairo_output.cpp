// PNG and PDF output: the plan drawn with Cairo, text through Pango.
#include <cairo-pdf.h>
#include <cairo.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>

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
    PlacedElement placed;
    placed.type = ElementType::Text;
    placed.x = element.x;
    placed.y = element.y;
    placed.width = element.width;
    placed.height = element.height;
    placed.ink_x = x + text.ink_x;
    placed.ink_y = y + text.ink_y;
    placed.ink_width = text.ink_width;
    placed.ink_height = text.ink_height;
    placed.content = text.text;
    placed.size_pt = text.size_pt;
    placed.truncated = text.truncated;
    return placed;
}

std::string human_readable(Symbology symbology, const std::string& data) {
    if (symbology == Symbology::Gs1_128 && data.size() == 20 && data.starts_with("00"))
        return "(00) " + data.substr(2);
    return data;
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
    PlacedElement placed;
    placed.type = ElementType::Barcode;
    placed.x = element.x;
    placed.y = element.y;
    placed.width = element.width;
    placed.height = element.height;
    placed.ink_x = placement->x;
    placed.ink_y = placement->y;
    placed.ink_width = placement->symbol_width;
    placed.ink_height = placement->symbol_height;
    placed.content = element.content;
    placed.module_dots = module;
    if (symbol->linear && spec.human_readable) {
        TextStyle style = text_style(plan, spec);
        style.size_pt = placement->text_size_pt;
        style.min_size_pt = std::min(placement->text_size_pt, 5.0);
        style.bold = false;
        style.align = Align::Center;
        style.max_lines = 1;
        const FittedText text = fit_text(human_readable(spec.symbology, element.content), style,
                                         element.width, placement->text_height, plan.dpi);
        text.draw(canvas.cairo, element.x, placement->text_y, !canvas.raster);
        placed.ink_height = placement->text_y + text.ink_y + text.ink_height - placement->y;
    }
    drawn.elements.push_back(std::move(placed));
    return {};
}

void draw_items(const Canvas& canvas, const RenderPlan& plan, const PlanElement& element,
                Drawn& drawn) {
    const TemplateElement& spec = *element.spec;
    const auto& items = plan.data->items;
    double total_share = 0;
    for (const auto& column : spec.columns)
        total_share += column.width;
    const int row_height =
        static_cast<int>(std::ceil(spec.size_pt * plan.dpi / kPointsPerInch * 1.45));
    const int padding = std::max(1, mm_to_dots(1.0, plan.dpi));
    const int rule = std::max(1, mm_to_dots(0.3, plan.dpi));
    const int capacity = std::max(0, element.height / row_height - 1);  // rows below the header
    const std::size_t shown = items.size() <= static_cast<std::size_t>(capacity)
                                  ? items.size()
                                  : static_cast<std::size_t>(std::max(0, capacity - 1));
    TextStyle style = text_style(plan, spec);
    style.max_lines = 1;
    style.min_size_pt = std::min(spec.min_size_pt, spec.size_pt);

    auto draw_row = [&](int y, auto&& cell_text, bool bold) {
        int x = element.x;
        for (const auto& column : spec.columns) {
            const int width =
                static_cast<int>(std::floor(element.width * column.width / total_share));
            TextStyle cell = style;
            cell.bold = bold;
            cell.align = column.align;
            const FittedText text = fit_text(
                cell_text(column), cell, std::max(1, width - 2 * padding), row_height, plan.dpi);
            canvas.ink();
            text.draw(canvas.cairo, x + padding, y, !canvas.raster);
            if (text.truncated) drawn.warnings.push_back("table cell cut to fit: " + text.text);
            x += width;
        }
    };
    canvas.ink();
    draw_row(
        element.y, [](const ItemColumn& column) { return column.title; }, true);
    canvas.ink();
    canvas.fill_rectangle(element.x, element.y + row_height - rule, element.width, rule);
    int y = element.y + row_height;
    for (std::size_t i = 0; i < shown; ++i, y += row_height)
        draw_row(
            y, [&](const ItemColumn& column) { return item_cell(items[i], column.field); }, false);
    if (shown < items.size()) {
        const std::size_t more = items.size() - shown;
        TextStyle note = style;
        note.align = Align::Left;
        const FittedText text =
            fit_text("+ " + std::to_string(more) + (more == 1 ? " more line" : " more lines"), note,
                     element.width - 2 * padding, row_height, plan.dpi);
        canvas.ink();
        text.draw(canvas.cairo, element.x + padding, y, !canvas.raster);
        drawn.warnings.push_back("order lines cut to fit the table: " + std::to_string(more) +
                                 " not shown");
    }
    PlacedElement placed;
    placed.type = ElementType::Items;
    placed.x = placed.ink_x = element.x;
    placed.y = placed.ink_y = element.y;
    placed.width = placed.ink_width = element.width;
    placed.height = element.height;
    placed.ink_height = std::min(element.height, y + row_height - element.y);
    placed.truncated = shown < items.size();
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
        return Error("label.render_failed", "cannot create the page: " + reason);
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
        return Error("label.render_failed",
                     std::string("cannot draw the label: ") + cairo_status_to_string(status));
    label.elements = std::move(drawn.elements);
    label.warnings = std::move(drawn.warnings);
    return label;
}

}  // namespace packline::labels
