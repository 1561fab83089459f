// ZPL II output. Text the printer's font 0 can show (Latin-1) goes out as
// text fields, so labels stay small and print fast; anything else (CJK,
// Cyrillic, Greek...) is shaped with Pango and sent as a bitmap (^GFA with
// ZPL's ASCII compression), so it prints on any Zebra printer without a
// downloaded font. Barcodes use the printer's own commands (^BC, ^BQ, ^BX).
#include <cairo.h>

#include <algorithm>
#include <cmath>

#include "packline/labels/label_errors.h"
#include "packline/text.h"
#include "render_plan.h"

namespace packline::labels {
namespace {

constexpr double kPointsPerInch = 72.0;
constexpr double kLinePitch = 1.15;  // font 0 lines, as a share of the height

// Font 0 (CG Triumvirate Bold Condensed) is measured by the printer; this is
// a safe estimate of each character's advance as a share of the font height,
// wider than the font so that a line estimated to fit does fit.
double advance_share(char32_t c) {
    if (c == U' ' || c == U'.' || c == U',' || c == U':' || c == U';' || c == U'!' || c == U'\'' ||
        c == U'|' || c == U'i' || c == U'j' || c == U'l' || c == U'I')
        return 0.30;
    if (c == U'M' || c == U'W' || c == U'm' || c == U'w' || c == U'@' || c == U'%') return 0.80;
    if (c >= U'A' && c <= U'Z') return 0.62;
    if (c >= U'0' && c <= U'9') return 0.55;
    if (c >= 0xC0) return 0.65;  // accented capitals and small letters
    return 0.56;
}

bool font0_can_show(std::string_view text) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        char32_t c = 0;
        if (!text::next_code_point(text, pos, c)) return false;
        if (c == U'\n') continue;
        if (!((c >= 0x20 && c <= 0x7E) || (c >= 0xA0 && c <= 0xFF))) return false;
    }
    return true;
}

// Field data goes out with ^FH, whose indicator is '_': '^' and '~' inside ^FD
// would end the field or run a command (ZPL II guide, ^FH), and '_' itself
// must be escaped so it is not read as an escape.
std::string escape_field(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        if (c == '^')
            out += "_5E";
        else if (c == '~')
            out += "_7E";
        else if (c == '_')
            out += "_5F";
        else
            out += c;
    }
    return out;
}

struct Glyph {
    std::string bytes;
    bool space = false;
    double width = 0;
};

std::vector<Glyph> glyphs_of(std::string_view text, int height) {
    std::vector<Glyph> glyphs;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t start = pos;
        char32_t c = 0;
        if (!text::next_code_point(text, pos, c)) {
            ++pos;
            c = U'?';
        }
        Glyph glyph;
        glyph.bytes = std::string(text.substr(start, pos - start));
        glyph.space = c == U' ';
        glyph.width = advance_share(c) * height;
        glyphs.push_back(std::move(glyph));
    }
    return glyphs;
}

// Greedy word wrap of one paragraph; words longer than a line break anywhere.
std::vector<std::string> wrap_paragraph(std::string_view text, int height, int max_width) {
    std::vector<std::string> lines;
    const std::vector<Glyph> glyphs = glyphs_of(text, height);
    std::size_t index = 0;
    while (index < glyphs.size()) {
        while (index < glyphs.size() && glyphs[index].space)
            ++index;
        if (index == glyphs.size()) break;
        const std::size_t start = index;
        std::size_t break_at = glyphs.size();
        double width = 0;
        while (index < glyphs.size() && width + glyphs[index].width <= max_width) {
            width += glyphs[index].width;
            if (glyphs[index].space) break_at = index;
            ++index;
        }
        if (index == start) ++index;  // a glyph wider than the line
        std::size_t end = index;
        if (index < glyphs.size() && !glyphs[index].space && break_at != glyphs.size() &&
            break_at > start) {
            end = break_at;
            index = break_at + 1;
        }
        while (end > start && glyphs[end - 1].space)
            --end;
        std::string line;
        for (std::size_t i = start; i < end; ++i)
            line += glyphs[i].bytes;
        lines.push_back(std::move(line));
    }
    return lines;
}

std::vector<std::string> wrap_text(std::string_view text, int height, int max_width) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        for (auto& line : wrap_paragraph(text.substr(start, end - start), height, max_width))
            lines.push_back(std::move(line));
        start = end + 1;
    }
    return lines;
}

double estimated_width(std::string_view line, int height) {
    double width = 0;
    for (const auto& glyph : glyphs_of(line, height))
        width += glyph.width;
    return width;
}

// Cuts the last line so that it and "..." fit the width.
std::string with_ellipsis(std::string line, int height, int max_width) {
    while (!line.empty() && estimated_width(line + "...", height) > max_width) {
        std::size_t cut = line.size() - 1;
        while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80)
            --cut;
        line.erase(cut);
    }
    return line + "...";
}

struct FontZeroText {
    int height = 0;  // dots
    std::vector<std::string> lines;
    double size_pt = 0;
    bool truncated = false;
};

FontZeroText fit_font_zero(const std::string& text, const TextStyle& style, int width, int height,
                           int dpi) {
    FontZeroText fitted;
    for (double size = style.size_pt;; size -= 0.5) {
        if (size < style.min_size_pt) size = style.min_size_pt;
        fitted.size_pt = size;
        fitted.height = std::max(8, static_cast<int>(std::lround(size * dpi / kPointsPerInch)));
        fitted.lines = wrap_text(text, fitted.height, width);
        const int pitch = static_cast<int>(std::lround(fitted.height * kLinePitch));
        const int room = std::max(1, (height - fitted.height) / pitch + 1);
        const int allowed = style.max_lines > 0 ? std::min(room, style.max_lines) : room;
        if (static_cast<int>(fitted.lines.size()) <= allowed) return fitted;
        if (size <= style.min_size_pt) {
            fitted.lines.resize(static_cast<std::size_t>(allowed));
            fitted.lines.back() = with_ellipsis(fitted.lines.back(), fitted.height, width);
            fitted.truncated = true;
            return fitted;
        }
    }
}

// ZPL II's ASCII compression for ^GFA data (ZPL II guide, "Alternative Data
// Compression Scheme"): G..Y repeat the next hex digit 1..19 times, g..z
// 20..400 times; ',' fills the rest of the row with 0, '!' with F; ':'
// repeats the previous row.
void append_repeat(std::string& out, char digit, int count) {
    while (count > 0) {
        if (count == 1) {
            out += digit;
            return;
        }
        int chunk = std::min(count, 400);
        const int twenties = chunk / 20;
        const int rest = chunk % 20;
        if (twenties > 0) out += static_cast<char>('g' + twenties - 1);
        if (rest > 0) out += static_cast<char>('G' + rest - 1);
        out += digit;
        count -= chunk;
    }
}

std::string compress_row(const std::string& hex) {
    std::size_t end = hex.size();
    char fill = 0;
    if (end > 0 && (hex[end - 1] == '0' || hex[end - 1] == 'F')) {
        fill = hex[end - 1];
        while (end > 0 && hex[end - 1] == fill)
            --end;
    }
    std::string out;
    std::size_t i = 0;
    while (i < end) {
        std::size_t run = 1;
        while (i + run < end && hex[i + run] == hex[i])
            ++run;
        append_repeat(out, hex[i], static_cast<int>(run));
        i += run;
    }
    if (fill == '0') out += ',';
    if (fill == 'F') out += '!';
    return out;
}

struct Bitmap {
    int width = 0, height = 0;  // dots
    std::string field;          // "^GFA,..." ready for ^FO
};

// The fitted text drawn at 1 bit per dot.
Bitmap text_bitmap(const FittedText& text, int box_width, int box_height) {
    Bitmap bitmap;
    bitmap.width = box_width;
    bitmap.height = std::clamp(std::max(text.height, text.ink_y + text.ink_height), 1, box_height);
    cairo_surface_t* surface =
        cairo_image_surface_create(CAIRO_FORMAT_A8, bitmap.width, bitmap.height);
    cairo_t* cairo = cairo_create(surface);
    text.draw(cairo, 0, 0);
    cairo_destroy(cairo);
    cairo_surface_flush(surface);
    const unsigned char* pixels = cairo_image_surface_get_data(surface);
    const int stride = cairo_image_surface_get_stride(surface);
    const int bytes_per_row = (bitmap.width + 7) / 8;
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string data, previous;
    int last_ink_row = 0;
    std::vector<std::string> rows;
    for (int y = 0; y < bitmap.height; ++y) {
        std::string hex(static_cast<std::size_t>(bytes_per_row * 2), '0');
        bool ink = false;
        for (int byte = 0; byte < bytes_per_row; ++byte) {
            int value = 0;
            for (int bit = 0; bit < 8; ++bit) {
                const int x = byte * 8 + bit;
                // Half coverage or more prints: thermal heads have no gray.
                if (x < bitmap.width && pixels[y * stride + x] >= 128) value |= 0x80 >> bit;
            }
            ink = ink || value != 0;
            hex[static_cast<std::size_t>(byte * 2)] = kHex[value >> 4];
            hex[static_cast<std::size_t>(byte * 2 + 1)] = kHex[value & 0xF];
        }
        if (ink) last_ink_row = y + 1;
        rows.push_back(std::move(hex));
    }
    cairo_surface_destroy(surface);
    bitmap.height = std::max(1, last_ink_row);
    for (int y = 0; y < bitmap.height; ++y) {
        const std::string& hex = rows[static_cast<std::size_t>(y)];
        if (y > 0 && hex == rows[static_cast<std::size_t>(y - 1)]) {
            data += ':';
        } else {
            data += compress_row(hex);
        }
    }
    const int total = bytes_per_row * bitmap.height;
    bitmap.field = "^GFA," + std::to_string(total) + ',' + std::to_string(total) + ',' +
                   std::to_string(bytes_per_row) + ',' + data;
    return bitmap;
}

std::string origin(int x, int y) {
    return "^FO" + std::to_string(x) + ',' + std::to_string(y);
}

class ZplOutput {
  public:
    explicit ZplOutput(const RenderPlan& plan) : plan_(plan) {
        out_ = "^XA\n^CI28\n^PW" + std::to_string(plan.width) + "\n^LL" +
               std::to_string(plan.height) + "\n^LH0,0\n";
    }

    Status add(const PlanElement& element) {
        const TemplateElement& spec = *element.spec;
        switch (spec.type) {
            case ElementType::Text:
                text(element, element.content, text_style(plan_, spec), element.width,
                     element.height, element.content);
                return {};
            case ElementType::Rule:
                out_ += origin(element.x, element.y) + "^GB" + std::to_string(element.width) + ',' +
                        std::to_string(element.height) + ',' +
                        std::to_string(std::min(element.width, element.height)) + "^FS\n";
                placed(element, element.x, element.y, element.width, element.height);
                return {};
            case ElementType::Box:
                out_ += origin(element.x, element.y) + "^GB" + std::to_string(element.width) + ',' +
                        std::to_string(element.height) + ',' +
                        std::to_string(std::max(1, mm_to_dots(spec.thickness_mm, plan_.dpi))) +
                        "^FS\n";
                placed(element, element.x, element.y, element.width, element.height);
                return {};
            case ElementType::Barcode:
                return barcode(element);
            case ElementType::Items:
                items(element);
                return {};
        }
        return {};
    }

    RenderedLabel finish() {
        out_ += "^PQ1\n^XZ\n";
        RenderedLabel label;
        label.format = LabelFormat::Zpl;
        label.bytes = std::move(out_);
        label.width_dots = plan_.width;
        label.height_dots = plan_.height;
        label.dpi = plan_.dpi;
        label.elements = std::move(elements_);
        label.warnings = std::move(warnings_);
        return label;
    }

  private:
    PlacedElement& placed(const PlanElement& element, int x, int y, int width, int height) {
        elements_.push_back(placed_element(element, x, y, width, height));
        return elements_.back();
    }

    // Text in a box at (x, y) of the element; returns nothing, records where.
    void text(const PlanElement& element, const std::string& raw, const TextStyle& style, int width,
              int height, std::string_view what, int x = -1, int y = -1, bool record = true) {
        if (x < 0) x = element.x;
        if (y < 0) y = element.y;
        const std::string cleaned = clean_text(raw, true);
        if (plan_.label_template->zpl_text == "auto" && font0_can_show(cleaned)) {
            const FontZeroText fitted = fit_font_zero(cleaned, style, width, height, plan_.dpi);
            const int pitch = static_cast<int>(std::lround(fitted.height * kLinePitch));
            const std::string font =
                "^A0N," + std::to_string(fitted.height) + ',' + std::to_string(fitted.height);
            int line_y = y;
            int widest = 0;
            for (const auto& line : fitted.lines) {
                out_ += origin(x, line_y) + font;
                if (style.align != Align::Left)
                    out_ += "^FB" + std::to_string(width) + ",1,0," +
                            (style.align == Align::Center ? "C" : "R") + ",0";
                out_ += "^FH^FD" + escape_field(line) + "^FS\n";
                widest = std::max(
                    widest, static_cast<int>(std::ceil(estimated_width(line, fitted.height))));
                line_y += pitch;
            }
            if (fitted.truncated)
                warnings_.push_back("text cut to fit its box: " + std::string(what));
            if (!record) return;
            const int lines_height =
                fitted.lines.empty()
                    ? 0
                    : pitch * (static_cast<int>(fitted.lines.size()) - 1) + fitted.height;
            PlacedElement& p = placed(element, x, y, std::min(widest, width), lines_height);
            p.content = cleaned;
            p.size_pt = fitted.size_pt;
            p.truncated = fitted.truncated;
            return;
        }
        const FittedText fitted = fit_text(cleaned, style, width, height, plan_.dpi);
        if (fitted.truncated) warnings_.push_back("text cut to fit its box: " + std::string(what));
        if (fitted.unknown_glyphs > 0)
            warnings_.push_back("no glyph in " + plan_.font + " for " +
                                std::to_string(fitted.unknown_glyphs) +
                                " character(s): " + std::string(what));
        const Bitmap bitmap = text_bitmap(fitted, width, height);
        out_ += origin(x, y) + bitmap.field + "^FS\n";
        if (!record) return;
        PlacedElement& p = placed(element, x + fitted.ink_x, y + fitted.ink_y, fitted.ink_width,
                                  fitted.ink_height);
        p.content = cleaned;
        p.size_pt = fitted.size_pt;
        p.truncated = fitted.truncated;
        p.bitmap = true;
    }

    Status barcode(const PlanElement& element) {
        const TemplateElement& spec = *element.spec;
        const bool linear =
            spec.symbology == Symbology::Code128 || spec.symbology == Symbology::Gs1_128;
        if (linear) {
            const ZplCode128 code =
                zpl_code128(element.content, spec.symbology == Symbology::Gs1_128);
            auto placement = place_barcode(plan_, element, code.modules, 1, 10, true);
            if (!placement) return placement.error();
            out_ += origin(placement->x, placement->y) + "^BY" + std::to_string(placement->module) +
                    "^BCN," + std::to_string(placement->symbol_height) + ",N,N,N" +
                    (code.automatic ? ",A" : "") + "^FD" + code.field_data + "^FS\n";
            PlacedElement& p = placed(element, placement->x, placement->y, placement->symbol_width,
                                      placement->symbol_height);
            p.module_dots = placement->module;
            if (spec.human_readable) {
                TextStyle style = text_style(plan_, spec);
                style.size_pt = placement->text_size_pt;
                style.min_size_pt = std::min(placement->text_size_pt, 5.0);
                style.bold = false;
                style.align = Align::Center;
                style.max_lines = 1;
                const std::string readable = human_readable_text(spec.symbology, element.content);
                text(element, readable, style, element.width, placement->text_height,
                     "barcode text", element.x, placement->text_y, false);
                elements_.back().ink_height += placement->text_height;
            }
            return {};
        }
        if (spec.symbology == Symbology::QrCode) {
            const int modules = qr_modules_for_bytes(element.content.size());
            if (modules == 0) return Error(errors::kLabelBadField, "QR data too long");
            auto placement = place_barcode(plan_, element, modules, modules, 4, false);
            if (!placement) return placement.error();
            // ^BQ magnification is 1..10 dots per module.
            const int magnification = std::min(placement->module, 10);
            // Q: error correction level Q; A: automatic input mode.
            out_ += origin(placement->x, placement->y) + "^BQN,2," + std::to_string(magnification) +
                    "^FDQA," + element.content + "^FS\n";
            PlacedElement& p = placed(element, placement->x, placement->y, placement->symbol_width,
                                      placement->symbol_height);
            p.module_dots = magnification;
            return {};
        }
        auto symbol = encode_symbol(spec.symbology, element.content);
        if (!symbol) return symbol.error();
        auto placement = place_barcode(plan_, element, symbol->columns, symbol->rows,
                                       symbol->quiet_modules, false);
        if (!placement) return placement.error();
        // Data Matrix, ECC 200, in the size ZXing-cpp chose.
        out_ += origin(placement->x, placement->y) + "^BXN," + std::to_string(placement->module) +
                ",200," + std::to_string(symbol->columns) + ',' + std::to_string(symbol->rows) +
                "^FD" + element.content + "^FS\n";
        PlacedElement& p = placed(element, placement->x, placement->y, placement->symbol_width,
                                  placement->symbol_height);
        p.module_dots = placement->module;
        return {};
    }

    void items(const PlanElement& element) {
        const ItemsTable table = layout_items(plan_, element);
        TextStyle style = text_style(plan_, *element.spec);
        style.max_lines = 1;
        for (const TableCell& cell : table.cells) {
            TextStyle cell_style = style;
            cell_style.bold = cell.bold;
            cell_style.align = cell.align;
            text(element, cell.text, cell_style, cell.width, cell.height, "table cell", cell.x,
                 cell.y, false);
        }
        out_ += origin(table.rule_x, table.rule_y) + "^GB" + std::to_string(table.rule_width) +
                ',' + std::to_string(table.rule_height) + ',' + std::to_string(table.rule_height) +
                "^FS\n";
        if (table.hidden > 0)
            warnings_.push_back(
                "order lines cut to fit the table: " + std::to_string(table.hidden) + " not shown");
        PlacedElement& p = placed(element, element.x, element.y, element.width, table.used_height);
        p.truncated = table.hidden > 0;
    }

    const RenderPlan& plan_;
    std::string out_;
    std::vector<PlacedElement> elements_;
    std::vector<std::string> warnings_;
};

}  // namespace

Result<RenderedLabel> render_zpl_output(const RenderPlan& plan) {
    ZplOutput output(plan);
    for (const PlanElement& element : plan.elements)
        if (auto status = output.add(element); !status) return status.error();
    return output.finish();
}

}  // namespace packline::labels
