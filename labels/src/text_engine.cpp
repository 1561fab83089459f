#include "text_engine.h"

#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>

#include "packline/text.h"

namespace packline::labels {
namespace {

constexpr double kPointsPerInch = 72.0;

// One font map and context per thread: Pango objects are not thread-safe, and
// fontconfig's first scan is paid once per thread, not per label.
struct ThreadFonts {
    PangoFontMap* map = nullptr;
    PangoContext* context = nullptr;

    ThreadFonts() {
        map = pango_cairo_font_map_new();
        context = pango_font_map_create_context(map);
        // Unhinted metrics: line breaks then come out the same on the raster
        // and on the PDF page.
        cairo_font_options_t* options = cairo_font_options_create();
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY);
        pango_cairo_context_set_font_options(context, options);
        cairo_font_options_destroy(options);
        pango_cairo_context_set_resolution(context, kPointsPerInch);
    }
    ~ThreadFonts() {
        g_object_unref(context);
        g_object_unref(map);
    }
    ThreadFonts(const ThreadFonts&) = delete;
    ThreadFonts& operator=(const ThreadFonts&) = delete;
};

PangoContext* thread_context() {
    thread_local ThreadFonts fonts;
    return fonts.context;
}

PangoAlignment pango_alignment(Align align) {
    switch (align) {
        case Align::Center:
            return PANGO_ALIGN_CENTER;
        case Align::Right:
            return PANGO_ALIGN_RIGHT;
        case Align::Left:
            break;
    }
    return PANGO_ALIGN_LEFT;
}

int to_dots(int pango_units) {
    return (pango_units + PANGO_SCALE - 1) / PANGO_SCALE;
}

void set_size(PangoLayout* layout, const TextStyle& style, double size_pt, int dpi) {
    PangoFontDescription* description = pango_font_description_new();
    pango_font_description_set_family(description, style.family.c_str());
    pango_font_description_set_weight(description,
                                      style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_absolute_size(
        description, size_pt * dpi / kPointsPerInch * static_cast<double>(PANGO_SCALE));
    pango_layout_set_font_description(layout, description);
    pango_font_description_free(description);
}

bool fits(PangoLayout* layout, int box_width, int box_height, int max_lines) {
    int width = 0, height = 0;
    pango_layout_get_size(layout, &width, &height);
    if (to_dots(width) > box_width || to_dots(height) > box_height) return false;
    return max_lines == 0 || pango_layout_get_line_count(layout) <= max_lines;
}

}  // namespace

FittedText::FittedText(FittedText&& other) noexcept {
    *this = std::move(other);
}

FittedText& FittedText::operator=(FittedText&& other) noexcept {
    if (this == &other) return *this;
    if (layout_ != nullptr) g_object_unref(layout_);
    size_pt = other.size_pt;
    truncated = other.truncated;
    unknown_glyphs = other.unknown_glyphs;
    width = other.width;
    height = other.height;
    ink_x = other.ink_x;
    ink_y = other.ink_y;
    ink_width = other.ink_width;
    ink_height = other.ink_height;
    text = std::move(other.text);
    layout_ = other.layout_;
    other.layout_ = nullptr;
    return *this;
}

FittedText::~FittedText() {
    if (layout_ != nullptr) g_object_unref(layout_);
}

void FittedText::draw(cairo_t* cairo, double x, double y, bool as_paths) const {
    if (layout_ == nullptr) return;
    cairo_save(cairo);
    cairo_move_to(cairo, x, y);
    // No pango_cairo_update_layout(): the layout keeps the unhinted metrics it
    // was fitted with, whatever the surface's scale (the PDF page is in points).
    if (as_paths) {
        pango_cairo_layout_path(cairo, layout_);
        cairo_fill(cairo);
    } else {
        pango_cairo_show_layout(cairo, layout_);
    }
    cairo_restore(cairo);
}

std::string clean_text(std::string_view text, bool keep_newlines) {
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t start = pos;
        char32_t code_point = 0;
        if (!text::next_code_point(text, pos, code_point)) {
            ++pos;
            out += '?';
        } else if (code_point == U'\n' && keep_newlines) {
            out += '\n';
        } else if (code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F)) {
            out += ' ';
        } else {
            out.append(text.substr(start, pos - start));
        }
    }
    return out;
}

std::string font_for_country(const std::string& family, std::string_view country) {
    // Han characters differ between Chinese, Japanese and Korean typography;
    // Noto Sans CJK carries each variant under its own family name.
    const std::string marker = " CJK SC";
    const std::size_t at = family.find(marker);
    if (at == std::string::npos) return family;
    std::string variant = "SC";
    if (country == "JP")
        variant = "JP";
    else if (country == "KR")
        variant = "KR";
    else if (country == "TW")
        variant = "TC";
    else if (country == "HK" || country == "MO")
        variant = "HK";
    return family.substr(0, at) + " CJK " + variant + family.substr(at + marker.size());
}

std::string language_for_country(std::string_view country) {
    if (country == "JP") return "ja";
    if (country == "KR") return "ko";
    if (country == "TW") return "zh-tw";
    if (country == "HK" || country == "MO") return "zh-hk";
    if (country == "CN") return "zh-cn";
    return "";
}

FittedText fit_text(std::string_view raw, const TextStyle& style, int box_width, int box_height,
                    int dpi) {
    FittedText fitted;
    fitted.text = clean_text(raw, true);
    PangoLayout* layout = pango_layout_new(thread_context());
    fitted.layout_ = layout;
    pango_layout_set_text(layout, fitted.text.c_str(), static_cast<int>(fitted.text.size()));
    pango_layout_set_width(layout, box_width * PANGO_SCALE);
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout, pango_alignment(style.align));
    if (!style.language.empty()) {
        PangoAttrList* attributes = pango_attr_list_new();
        pango_attr_list_insert(attributes, pango_attr_language_new(
                                               pango_language_from_string(style.language.c_str())));
        pango_layout_set_attributes(layout, attributes);
        pango_attr_list_unref(attributes);
    }

    // The largest size that fits, to a quarter point: binary search, since a
    // wrap changes the height in steps.
    double low = style.min_size_pt, high = style.size_pt;
    set_size(layout, style, high, dpi);
    if (fits(layout, box_width, box_height, style.max_lines)) {
        fitted.size_pt = high;
    } else {
        set_size(layout, style, low, dpi);
        if (fits(layout, box_width, box_height, style.max_lines)) {
            while (high - low > 0.25) {
                const double middle = (low + high) / 2;
                set_size(layout, style, middle, dpi);
                if (fits(layout, box_width, box_height, style.max_lines))
                    low = middle;
                else
                    high = middle;
            }
            fitted.size_pt = low;
            set_size(layout, style, low, dpi);
        } else {
            // Still too long at the smallest size: keep the lines that fit and
            // end the last one with an ellipsis.
            fitted.size_pt = low;
            pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
            pango_layout_set_height(
                layout, style.max_lines > 0 ? -style.max_lines : box_height * PANGO_SCALE);
            fitted.truncated = true;
            // A box lower than one line still shows one line: cut it shorter.
            int width = 0, height = 0;
            pango_layout_get_size(layout, &width, &height);
            if (to_dots(height) > box_height) pango_layout_set_height(layout, -1);
        }
    }
    fitted.unknown_glyphs = pango_layout_get_unknown_glyphs_count(layout);
    int width = 0, height = 0;
    pango_layout_get_size(layout, &width, &height);
    fitted.width = to_dots(width);
    fitted.height = to_dots(height);
    PangoRectangle ink{}, logical{};
    pango_layout_get_pixel_extents(layout, &ink, &logical);
    fitted.ink_x = ink.x;
    fitted.ink_y = ink.y;
    fitted.ink_width = ink.width;
    fitted.ink_height = ink.height;
    return fitted;
}

}  // namespace packline::labels
