// One layout, three outputs: ZPL II for thermal printers, PNG for previews
// and CUPS raster queues, PDF for driver queues and office printers.
//
// Text is shaped with Pango (HarfBuzz + FreeType, fonts from fontconfig), so
// names and addresses in any script print: in ZPL, text the printer's font 0
// cannot show is sent as a bitmap (^GF). Text that is too long wraps, then
// shrinks down to the template's minimum size, then is cut with an ellipsis;
// it never leaves its box. Barcodes come from ZXing-cpp's writer (PNG, PDF) or
// from ZPL's own barcode commands, with whole-dot modules and quiet zones.
//
// Thread-safe: each thread renders with its own font map.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "packline/error.h"
#include "packline/labels/label_data.h"
#include "packline/labels/template.h"

namespace packline::labels {

enum class LabelFormat { Zpl, Png, Pdf };

std::optional<LabelFormat> parse_label_format(std::string_view name);  // "zpl", "png", "pdf"
std::string_view to_string(LabelFormat format);
// The MIME type a printer is handed: application/vnd.zebra.zpl, image/png,
// application/pdf.
std::string_view content_type(LabelFormat format);

// Where each element landed, in dots from the top-left corner: tests use it to
// check that nothing overflows its box and that barcodes keep quiet zones.
struct PlacedElement {
    ElementType type = ElementType::Text;
    int x = 0, y = 0, width = 0, height = 0;                  // the element's box
    int ink_x = 0, ink_y = 0, ink_width = 0, ink_height = 0;  // what is drawn
    std::string content;                                      // text as laid out, or barcode data
    double size_pt = 0;                                       // text size used (after shrinking)
    bool truncated = false;
    bool bitmap = false;  // ZPL: text sent as ^GF
    int module_dots = 0;  // barcodes: narrow bar / module size
};

struct RenderedLabel {
    LabelFormat format = LabelFormat::Zpl;
    std::string bytes;
    int width_dots = 0, height_dots = 0, dpi = 0;
    std::vector<PlacedElement> elements;
    // Things a person should know, e.g. "text cut to fit: recipient address",
    // "no glyph for U+1F600 in Noto Sans CJK SC".
    std::vector<std::string> warnings;
};

// Errors: "label.missing_field" (no order id or tracking number),
// "label.bad_field" (a barcode field that cannot be encoded, a barcode that
// does not fit its box at the smallest module size, a bad SSCC),
// "label.unsupported_format" (the template is not meant for this output),
// "label.render_failed" (the graphics library failed).
Result<RenderedLabel> render_label(const LabelTemplate& label_template, const LabelData& data,
                                   LabelFormat format);

}  // namespace packline::labels
