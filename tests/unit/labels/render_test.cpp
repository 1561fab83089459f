// render_label on the built-in templates: what each output says, how text
// fits, what is refused. The independent readers (ZXing, zbar, a ZPL
// renderer, pdftoppm) are in tests/integration/labels.
#include "packline/labels/render.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "label_samples.h"
#include "packline/labels/label_code.h"
#include "packline/labels/template.h"
#include "packline/labels/zpl_inspect.h"

namespace packline::labels {
namespace {

LabelTemplate builtin(std::string_view name) {
    auto loaded = load_template(name);
    EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().to_string());
    return loaded.ok() ? *loaded : LabelTemplate{};
}

LabelData sample(std::string_view name) {
    for (auto& s : test::label_samples())
        if (s.name == name) return s.data;
    ADD_FAILURE() << "no sample " << name;
    return {};
}

RenderedLabel render(const LabelData& data, LabelFormat format,
                     std::string_view template_name = kDefaultTemplate) {
    auto rendered = render_label(builtin(template_name), data, format);
    EXPECT_TRUE(rendered.ok()) << (rendered.ok() ? "" : rendered.error().to_string());
    return rendered.ok() ? *rendered : RenderedLabel{};
}

ZplDocument inspect(const RenderedLabel& label) {
    auto document = inspect_zpl(label.bytes);
    EXPECT_TRUE(document.ok()) << (document.ok() ? "" : document.error().to_string());
    return document.ok() ? *document : ZplDocument{};
}

bool has_text(const ZplDocument& document, std::string_view text) {
    return std::find(document.texts.begin(), document.texts.end(), text) != document.texts.end();
}

const ZplBarcode* find_barcode(const ZplDocument& document, std::string_view type) {
    for (const auto& barcode : document.barcodes)
        if (barcode.type == type) return &barcode;
    return nullptr;
}

TEST(RenderLabel, ZplCarriesTheTrackingNumberAndTheLabelCode) {
    const RenderedLabel label = render(sample("latin"), LabelFormat::Zpl);
    const ZplDocument document = inspect(label);
    EXPECT_EQ(document.width, 812);
    EXPECT_EQ(document.length, 1218);
    ASSERT_EQ(document.barcodes.size(), 2u);
    const ZplBarcode* tracking = find_barcode(document, "code128");
    const ZplBarcode* qr = find_barcode(document, "qr");
    ASSERT_TRUE(tracking && qr);
    EXPECT_EQ(tracking->data, "1Z5R89390357567127");
    auto code = parse_label_code(qr->data);
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(code->order_id, "SO-2024-000123");
    EXPECT_EQ(code->tracking_number, "1Z5R89390357567127");
    EXPECT_TRUE(validate_label_zpl(label.bytes, 812, 1218).ok());
}

TEST(RenderLabel, LatinTextUsesThePrinterFont) {
    const RenderedLabel label = render(sample("latin"), LabelFormat::Zpl);
    EXPECT_EQ(label.bytes.find("^GF"), std::string::npos);
    const ZplDocument document = inspect(label);
    for (const char* text :
         {"Jane Q. Doe", "Flat 4, 221B Baker Street", "Marylebone", "London NW1 6XE", "GB",
          "TEL +44 20 7946 0958", "UPS", "Standard", "ORDER SO-2024-000123", "PARCEL 1/2",
          "WEIGHT 1.25 kg", "2026-11-23  bench-01", "3 items: 2 x TEE-RED-M, 1 x MUG-01"})
        EXPECT_TRUE(has_text(document, text)) << text;
    // Latin text is small and fast: the whole label is under 2 KB.
    EXPECT_LT(label.bytes.size(), 2048u);
}

TEST(RenderLabel, TextFontZeroCannotShowIsSentAsBitmaps) {
    for (const char* name : {"chinese", "japanese", "cyrillic"}) {
        SCOPED_TRACE(name);
        const LabelData data = sample(name);
        const RenderedLabel label = render(data, LabelFormat::Zpl);
        EXPECT_NE(label.bytes.find("^GFA,"), std::string::npos);
        // The name never goes out as UTF-8 text the printer would print as boxes.
        EXPECT_EQ(label.bytes.find(data.recipient_name), std::string::npos);
        const auto bitmap =
            std::find_if(label.elements.begin(), label.elements.end(),
                         [&](const PlacedElement& e) { return e.content == data.recipient_name; });
        ASSERT_NE(bitmap, label.elements.end());
        EXPECT_TRUE(bitmap->bitmap);
        EXPECT_GT(bitmap->ink_width, 0);
        for (const auto& warning : label.warnings)
            EXPECT_EQ(warning.find("no glyph"), std::string::npos) << warning;
        // Still a well-formed label with both codes.
        const ZplDocument document = inspect(label);
        EXPECT_TRUE(find_barcode(document, "code128") && find_barcode(document, "qr"));
    }
}

TEST(RenderLabel, AllTemplatesAllFormatsAllSamples) {
    for (const auto& info : list_templates()) {
        const LabelTemplate label_template = builtin(info.name);
        for (const auto& s : test::label_samples()) {
            for (LabelFormat format : {LabelFormat::Zpl, LabelFormat::Png, LabelFormat::Pdf}) {
                SCOPED_TRACE(info.name + " " + s.name + " " + std::string(to_string(format)));
                auto rendered = render_label(label_template, s.data, format);
                if (!label_template.allows(to_string(format))) {
                    ASSERT_FALSE(rendered.ok());
                    EXPECT_EQ(rendered.error().code, "label.unsupported_format");
                    continue;
                }
                ASSERT_TRUE(rendered.ok()) << rendered.error().to_string();
                EXPECT_EQ(rendered->width_dots, label_template.width_dots());
                EXPECT_EQ(rendered->height_dots, label_template.height_dots());
                for (const auto& warning : rendered->warnings)
                    EXPECT_EQ(warning.find("no glyph"), std::string::npos) << warning;
                // Nothing overflows its box (a dot of slack for antialiasing).
                for (const PlacedElement& e : rendered->elements) {
                    if (e.ink_width == 0) continue;
                    EXPECT_GE(e.ink_x, e.x - 1) << e.content;
                    EXPECT_GE(e.ink_y, e.y - 1) << e.content;
                    EXPECT_LE(e.ink_x + e.ink_width, e.x + e.width + 1) << e.content;
                    EXPECT_LE(e.ink_y + e.ink_height, e.y + e.height + 1) << e.content;
                }
                if (s.name != "long-address") {
                    for (const auto& warning : rendered->warnings)
                        ADD_FAILURE() << "unexpected warning: " << warning;
                }
            }
        }
    }
}

TEST(RenderLabel, LongTextShrinksThenIsCutWithAWarning) {
    const LabelData data = sample("long-address");
    const RenderedLabel label = render(data, LabelFormat::Png);
    const auto address =
        std::find_if(label.elements.begin(), label.elements.end(),
                     [](const PlacedElement& e) { return e.content.find("Line 1 of") == 0; });
    ASSERT_NE(address, label.elements.end());
    EXPECT_TRUE(address->truncated);
    EXPECT_LT(address->size_pt, 13.0);  // shrunk from the template's 13 pt
    EXPECT_GE(address->size_pt, 7.0);   // never below its minimum
    EXPECT_TRUE(std::any_of(label.warnings.begin(), label.warnings.end(), [](const auto& w) {
        return w.find("text cut to fit") != std::string::npos;
    }));
    const RenderedLabel zpl = render(data, LabelFormat::Zpl);
    EXPECT_TRUE(validate_label_zpl(zpl.bytes, 812, 1218).ok());
}

// Issue 14: a 1 MB recipient name was shaped whole before it was cut to its
// box (seconds as ZPL, minutes as PNG/PDF). Text beyond the contract's 256
// characters is cut before layout, with a warning.
TEST(RenderLabel, OverlongFieldsAreCutBeforeLayout) {
    LabelData data = sample("long-address");
    data.recipient_name = std::string(1 << 20, 'W');
    data.address_lines.assign(100, std::string(5000, 'A'));
    data.city = "Amst" + std::string(300, 'e') + "rdam";
    auto says = [](const RenderedLabel& label, std::string_view text) {
        return std::any_of(label.warnings.begin(), label.warnings.end(),
                           [&](const auto& w) { return w.find(text) != std::string::npos; });
    };
    for (const LabelFormat format : {LabelFormat::Zpl, LabelFormat::Png}) {
        SCOPED_TRACE(std::string(to_string(format)));
        const RenderedLabel label = render(data, format);
        EXPECT_TRUE(says(label, "text over 256 characters cut: recipient name"));
        EXPECT_TRUE(says(label, "text over 256 characters cut: address line"));
        EXPECT_TRUE(says(label, "text over 256 characters cut: city"));
        EXPECT_TRUE(says(label, "address lines beyond 64 left out"));
        for (const PlacedElement& element : label.elements) {
            if (element.content.starts_with("WWW")) {
                EXPECT_LE(element.content.size(), 256u + 3u);  // and an ellipsis
            }
        }
    }
    // Text within the limits is not touched by the cap.
    const RenderedLabel ordinary = render(sample("long-address"), LabelFormat::Zpl);
    EXPECT_FALSE(says(ordinary, "characters cut"));
}

TEST(RenderLabel, CodeSetPlanMatchesZxingsSymbolWidth) {
    // The ZPL output computes the Code 128 width itself (the printer draws
    // the bars); it must agree with ZXing's optimal encoding, which the PNG
    // uses, or centring and quiet zones are off.
    for (const char* tracking :
         {"1Z5R89390357567127", "9400111206206406260787", "RA123456785RU", "SF1234567890123",
          "EJ123456785JP", "123456789012345", "A1B2C3", "ABC12345678", "12345ABCDEF6789"}) {
        SCOPED_TRACE(tracking);
        LabelData data = sample("latin");
        data.tracking_number = tracking;
        const RenderedLabel zpl = render(data, LabelFormat::Zpl);
        const RenderedLabel png = render(data, LabelFormat::Png);
        auto barcode = [](const RenderedLabel& label) {
            for (const auto& e : label.elements)
                if (e.type == ElementType::Barcode && e.content == label.elements[0].content)
                    return e;
            for (const auto& e : label.elements)
                if (e.type == ElementType::Barcode && e.module_dots > 0 && e.ink_height > 60)
                    return e;
            return PlacedElement{};
        };
        const PlacedElement a = barcode(zpl), b = barcode(png);
        ASSERT_GT(a.module_dots, 0);
        EXPECT_EQ(a.module_dots, b.module_dots);
        EXPECT_EQ(a.ink_width, b.ink_width);
        const ZplDocument document = inspect(zpl);
        const ZplBarcode* code = find_barcode(document, "code128");
        ASSERT_TRUE(code);
        EXPECT_EQ(code->data, tracking);
    }
}

TEST(RenderLabel, DigitsOnlyStartInCodeSetCOthersInAutomaticMode) {
    LabelData data = sample("latin");
    data.tracking_number = "9400111206206406260787";
    EXPECT_NE(render(data, LabelFormat::Zpl).bytes.find(",N,N,N^FD>;9400111206206406260787^FS"),
              std::string::npos);
    data.tracking_number = "1Z5R89390357567127";
    EXPECT_NE(render(data, LabelFormat::Zpl).bytes.find(",N,N,N,A^FD1Z5R89390357567127^FS"),
              std::string::npos);
}

TEST(RenderLabel, SsccOnlyWhenTheOrderAsksForOne) {
    LabelData data = sample("latin");
    EXPECT_EQ(find_barcode(inspect(render(data, LabelFormat::Zpl)), "gs1-128"), nullptr);
    data.sscc = "340123451234567895";
    const ZplDocument document = inspect(render(data, LabelFormat::Zpl));
    const ZplBarcode* sscc = find_barcode(document, "gs1-128");
    ASSERT_NE(sscc, nullptr);
    EXPECT_EQ(sscc->data, "00340123451234567895");
    EXPECT_TRUE(has_text(document, "(00) 340123451234567895"));
    data.sscc = "340123451234567890";  // wrong check digit
    auto refused = render_label(builtin(kDefaultTemplate), data, LabelFormat::Zpl);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, "label.bad_field");
}

TEST(RenderLabel, EscapesZplPrefixesInText) {
    LabelData data = sample("latin");
    data.recipient_name = "A^XZ~JA_B";
    data.address_lines = {"^FO0,0^FDx^FS"};
    const RenderedLabel label = render(data, LabelFormat::Zpl);
    EXPECT_EQ(label.bytes.find("A^XZ"), std::string::npos);
    EXPECT_NE(label.bytes.find("A_5EXZ_7EJA_5FB"), std::string::npos);
    const ZplDocument document = inspect(label);
    EXPECT_TRUE(has_text(document, "A^XZ~JA_B"));
    EXPECT_TRUE(has_text(document, "^FO0,0^FDx^FS"));
    EXPECT_EQ(document.barcodes.size(), 2u);
}

TEST(RenderLabel, ControlCharactersAndBadBytesNeverReachThePrinter) {
    LabelData data = sample("latin");
    data.recipient_name = std::string("Jane\r\nDoe\x01\xff", 11);
    const ZplDocument document = inspect(render(data, LabelFormat::Zpl));
    EXPECT_TRUE(has_text(document, "Jane"));
    EXPECT_TRUE(has_text(document, "Doe ?"));
    const RenderedLabel png = render(data, LabelFormat::Png);
    EXPECT_FALSE(png.bytes.empty());
}

TEST(RenderLabel, PngIsGrayscaleWithItsResolution) {
    const RenderedLabel label = render(sample("latin"), LabelFormat::Png);
    ASSERT_GT(label.bytes.size(), 60u);
    EXPECT_EQ(label.bytes.substr(1, 3), "PNG");
    EXPECT_EQ(label.bytes[25], '\0');  // colour type 0: grayscale
    const std::size_t phys = label.bytes.find("pHYs");
    ASSERT_NE(phys, std::string::npos);
    const auto byte = [&](std::size_t i) {
        return static_cast<unsigned>(static_cast<unsigned char>(label.bytes[i]));
    };
    const unsigned per_metre =
        byte(phys + 4) << 24 | byte(phys + 5) << 16 | byte(phys + 6) << 8 | byte(phys + 7);
    EXPECT_EQ(per_metre, 7992u);  // 203 dpi
}

TEST(RenderLabel, PdfHasThePageSizeOfTheLabel) {
    const RenderedLabel label = render(sample("chinese"), LabelFormat::Pdf);
    EXPECT_EQ(label.bytes.substr(0, 5), "%PDF-");
    EXPECT_NE(label.bytes.find("/MediaBox [ 0 0 288 432 ]"), std::string::npos);
}

TEST(RenderLabel, RefusesWhatCannotBeEncodedSafely) {
    struct Case {
        const char* name;
        void (*change)(LabelData&);
        const char* code;
    };
    const Case cases[] = {
        {"no order", [](LabelData& l) { l.order_id.clear(); }, "label.missing_field"},
        {"no tracking", [](LabelData& l) { l.tracking_number.clear(); }, "label.missing_field"},
        {"caret in tracking", [](LabelData& l) { l.tracking_number = "1Z^XZ"; }, "label.bad_field"},
        {"invocation in tracking", [](LabelData& l) { l.tracking_number = "1Z>8"; },
         "label.bad_field"},
        {"space in tracking", [](LabelData& l) { l.tracking_number = "1Z 5R"; }, "label.bad_field"},
        {"non-ASCII tracking", [](LabelData& l) { l.tracking_number = "顺丰123"; },
         "label.bad_field"},
        {"tracking too long", [](LabelData& l) { l.tracking_number = std::string(41, '1'); },
         "label.bad_field"},
        {"caret in order", [](LabelData& l) { l.order_id = "SO^1"; }, "label.bad_field"},
        {"pipe in order", [](LabelData& l) { l.order_id = "SO|1"; }, "label.bad_field"},
        {"parcel 3 of 2", [](LabelData& l) { l.parcel_sequence = 3; }, "label.bad_field"},
        {"negative weight", [](LabelData& l) { l.weight_g = -1; }, "label.bad_field"},
        {"short sscc", [](LabelData& l) { l.sscc = "1234"; }, "label.bad_field"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        LabelData data = sample("latin");
        c.change(data);
        for (LabelFormat format : {LabelFormat::Zpl, LabelFormat::Png, LabelFormat::Pdf}) {
            auto rendered = render_label(builtin(kDefaultTemplate), data, format);
            ASSERT_FALSE(rendered.ok());
            EXPECT_EQ(rendered.error().code, c.code);
        }
    }
}

TEST(RenderLabel, ABarcodeThatCannotFitIsRefusedNotShrunkUnreadable) {
    auto tight = parse_template(R"(
width_mm = 30
height_mm = 20
dpi = 203
[[element]]
type = "barcode"
x = 1
y = 1
width = 28
height = 18
data = "{tracking_number}"
)",
                                "tight.toml");
    ASSERT_TRUE(tight.ok()) << tight.error().to_string();
    auto rendered = render_label(*tight, sample("latin"), LabelFormat::Png);
    ASSERT_FALSE(rendered.ok());
    EXPECT_EQ(rendered.error().code, "label.bad_field");
    EXPECT_NE(rendered.error().message.find("does not fit"), std::string::npos);
}

TEST(RenderLabel, SameInputSameBytes) {
    for (LabelFormat format : {LabelFormat::Zpl, LabelFormat::Png, LabelFormat::Pdf}) {
        const std::string a = render(sample("japanese"), format).bytes;
        const std::string b = render(sample("japanese"), format).bytes;
        EXPECT_EQ(a, b) << to_string(format);
    }
}

TEST(RenderLabel, FormatNamesAndContentTypes) {
    EXPECT_EQ(parse_label_format("zpl"), LabelFormat::Zpl);
    EXPECT_EQ(parse_label_format("png"), LabelFormat::Png);
    EXPECT_EQ(parse_label_format("pdf"), LabelFormat::Pdf);
    EXPECT_FALSE(parse_label_format("svg").has_value());
    EXPECT_EQ(content_type(LabelFormat::Zpl), "application/vnd.zebra.zpl");
    EXPECT_EQ(content_type(LabelFormat::Png), "image/png");
    EXPECT_EQ(content_type(LabelFormat::Pdf), "application/pdf");
}

}  // namespace
}  // namespace packline::labels
