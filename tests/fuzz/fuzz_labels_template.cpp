// parse_template on arbitrary bytes (template files come from a site's
// directory): an error or a template whose every element lies on its page;
// a template that parses renders or refuses, never crashes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "packline/labels/render.h"
#include "packline/labels/template.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace packline::labels;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto parsed = parse_template(text, "fuzz.toml");
    if (!parsed.ok()) return 0;
    if (parsed->elements.empty() || parsed->width_mm <= 0 || parsed->height_mm <= 0) std::abort();
    for (const auto& element : parsed->elements)
        if (element.x_mm + element.width_mm > parsed->width_mm + 0.02) std::abort();
    // Rendering a parsed template is bounded: keep pages small for the fuzzer.
    if (parsed->width_dots() * parsed->height_dots() > 2'000'000) return 0;
    LabelData label;
    label.order_id = "SO-1";
    label.tracking_number = "1Z5R89390357567127";
    label.recipient_name = "Jane Doe";
    (void)render_label(*parsed, label, LabelFormat::Zpl);
    (void)render_label(*parsed, label, LabelFormat::Png);
    return 0;
}
