// Text shaping and fitting with Pango on Cairo (internal to packline_labels).
// Sizes are in dots of the label's resolution, so one layout serves the PNG
// raster, the PDF page (scaled to points) and the ZPL bitmaps alike.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "packline/labels/template.h"

typedef struct _cairo cairo_t;
typedef struct _PangoLayout PangoLayout;

namespace packline::labels {

struct TextStyle {
    std::string family;
    double size_pt = 10;
    double min_size_pt = 10;
    bool bold = false;
    Align align = Align::Left;
    int max_lines = 0;
    std::string language;  // BCP 47, picks CJK glyph variants ("ja", "zh-cn")
};

// A paragraph laid out to fit a box: as large as it fits, wrapped at words
// (characters where a word is longer than a line, and in CJK), cut with an
// ellipsis at the minimum size if it still does not fit.
class FittedText {
  public:
    FittedText() = default;
    FittedText(FittedText&&) noexcept;
    FittedText& operator=(FittedText&&) noexcept;
    ~FittedText();

    double size_pt = 0;
    bool truncated = false;
    int unknown_glyphs = 0;     // characters the font has no glyph for
    int width = 0, height = 0;  // logical extent, dots
    int ink_x = 0, ink_y = 0, ink_width = 0, ink_height = 0;  // relative to the box
    std::string text;                                         // what was laid out (after cleaning)

    // Draws at the box's top-left corner in the current source and operator.
    // As outlines when `as_paths`: a PDF then embeds no font (a CJK font
    // subset is most of a megabyte, see docs/labels.md).
    void draw(cairo_t* cairo, double x, double y, bool as_paths = false) const;

  private:
    friend FittedText fit_text(std::string_view, const TextStyle&, int, int, int);
    PangoLayout* layout_ = nullptr;
};

// `box_width` x `box_height` in dots at `dpi`.
FittedText fit_text(std::string_view text, const TextStyle& style, int box_width, int box_height,
                    int dpi);

// Printable UTF-8 for a label: bad bytes become '?', control characters
// spaces (newlines stay when `keep_newlines`).
std::string clean_text(std::string_view text, bool keep_newlines);

// The template's font with the CJK variant for the recipient's country, and
// the language tag that goes with it.
std::string font_for_country(const std::string& family, std::string_view country);
std::string language_for_country(std::string_view country);

}  // namespace packline::labels
