#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <string>

#include "packline/labels/label_code.h"
#include "packline/labels/shipping_label.h"
#include "packline/labels/zpl_inspect.h"

namespace packline::labels {
namespace {

// The label of the golden file. Changing it (or the renderer) changes the golden.
ShippingLabel sample_label() {
    ShippingLabel label;
    label.order_id = "SO-2024-000123";
    label.parcel_sequence = 1;
    label.parcel_count = 2;
    label.recipient_name = "Jane Q. Doe";
    label.phone = "+44 20 7946 0958";
    label.address_lines = {"Flat 4, 221B Baker Street", "Marylebone"};
    label.city = "London";
    label.postal_code = "NW1 6XE";
    label.country = "United Kingdom";
    label.sender_name = "Packline Demo Shop";
    label.sender_address = "Unit 7, Riverside Industrial Estate, Leeds LS1 4AB";
    label.carrier_name = "UPS";
    label.service = "Standard";
    label.tracking_number = "1Z5R89390357567127";
    label.weight_g = 1250;
    label.station = "bench-01";
    return label;
}

ZplDocument render_and_inspect(const ShippingLabel& label) {
    auto zpl = render_zpl(label);
    EXPECT_TRUE(zpl.ok()) << zpl.error().to_string();
    if (!zpl) return {};
    auto document = inspect_zpl(*zpl);
    EXPECT_TRUE(document.ok()) << document.error().to_string();
    return document ? *document : ZplDocument{};
}

const ZplBarcode* find_barcode(const ZplDocument& document, std::string_view type) {
    for (const auto& barcode : document.barcodes)
        if (barcode.type == type) return &barcode;
    return nullptr;
}

bool has_text(const ZplDocument& document, std::string_view text) {
    return std::find(document.texts.begin(), document.texts.end(), text) != document.texts.end();
}

TEST(RenderZpl, RoundTripsTheBarcodes) {
    const ZplDocument document = render_and_inspect(sample_label());
    ASSERT_EQ(document.barcodes.size(), 2u);
    const ZplBarcode* tracking = find_barcode(document, "code128");
    const ZplBarcode* qr = find_barcode(document, "qr");
    ASSERT_TRUE(tracking && qr);
    EXPECT_EQ(tracking->data, "1Z5R89390357567127");
    EXPECT_EQ(qr->data, "PL1|SO-2024-000123|1Z5R89390357567127");
    auto code = parse_label_code(qr->data);
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(code->order_id, "SO-2024-000123");
    EXPECT_EQ(code->tracking_number, "1Z5R89390357567127");
}

TEST(RenderZpl, PrintsWhatTheCourierAndPackerRead) {
    const ZplDocument document = render_and_inspect(sample_label());
    EXPECT_EQ(document.width, kLabelWidthDots);
    EXPECT_EQ(document.length, kLabelLengthDots);
    for (const char* text :
         {"Jane Q. Doe", "Flat 4, 221B Baker Street", "Marylebone", "London NW1 6XE",
          "United Kingdom", "TEL +44 20 7946 0958", "FROM: Packline Demo Shop", "UPS", "Standard",
          "ORDER SO-2024-000123", "PARCEL 1/2", "WEIGHT 1.25 kg", "STATION bench-01"})
        EXPECT_TRUE(has_text(document, text)) << text;
}

TEST(RenderZpl, EverythingIsOnTheLabel) {
    auto zpl = render_zpl(sample_label());
    ASSERT_TRUE(zpl.ok());
    EXPECT_TRUE(validate_label_zpl(*zpl, kLabelWidthDots, kLabelLengthDots).ok());
    const ZplDocument document = render_and_inspect(sample_label());
    ASSERT_FALSE(document.origins.empty());
    for (const auto& origin : document.origins) {
        EXPECT_GE(origin.x, 0);
        EXPECT_GE(origin.y, 0);
        EXPECT_LT(origin.x, kLabelWidthDots);
        EXPECT_LT(origin.y, kLabelLengthDots);
    }
}

TEST(RenderZpl, IsUtf8AndKeepsCjkAndAccentsIntact) {
    ShippingLabel label = sample_label();
    label.recipient_name = "王小明";
    label.address_lines = {"朝阳区建国路88号", "SOHO现代城 2号楼 1501室"};
    label.city = "北京市";
    label.postal_code = "100022";
    label.country = "中国";
    label.sender_name = "Łódź Café Müller-Lüdenscheidt";
    auto zpl = render_zpl(label);
    ASSERT_TRUE(zpl.ok());
    EXPECT_NE(zpl->find("^CI28"), std::string::npos);
    EXPECT_NE(zpl->find("王小明"), std::string::npos);
    const ZplDocument document = render_and_inspect(label);
    EXPECT_TRUE(has_text(document, "王小明"));
    EXPECT_TRUE(has_text(document, "朝阳区建国路88号"));
    EXPECT_TRUE(has_text(document, "SOHO现代城 2号楼 1501室"));
    EXPECT_TRUE(has_text(document, "北京市 100022"));
    EXPECT_TRUE(has_text(document, "中国"));
    EXPECT_TRUE(has_text(document, "FROM: Łódź Café Müller-Lüdenscheidt"));
}

TEST(RenderZpl, EscapesZplPrefixesInText) {
    ShippingLabel label = sample_label();
    label.recipient_name = "A^XZ~JA_B";  // would end the label and cancel jobs if sent raw
    label.address_lines = {"^FO0,0^FDx^FS"};
    auto zpl = render_zpl(label);
    ASSERT_TRUE(zpl.ok());
    EXPECT_EQ(zpl->find("A^XZ"), std::string::npos);
    EXPECT_NE(zpl->find("A_5EXZ_7EJA_5FB"), std::string::npos);
    // Exactly one format and the two intended barcodes survive.
    auto document = inspect_zpl(*zpl);
    ASSERT_TRUE(document.ok()) << document.error().to_string();
    EXPECT_TRUE(has_text(*document, "A^XZ~JA_B"));
    EXPECT_TRUE(has_text(*document, "^FO0,0^FDx^FS"));
    EXPECT_EQ(document->barcodes.size(), 2u);
    EXPECT_TRUE(validate_label_zpl(*zpl, kLabelWidthDots, kLabelLengthDots).ok());
}

TEST(RenderZpl, ControlCharactersAndBadBytesNeverReachThePrinter) {
    ShippingLabel label = sample_label();
    label.recipient_name = std::string("Jane\r\nDoe\x01\xff", 11);
    const ZplDocument document = render_and_inspect(label);
    EXPECT_TRUE(has_text(document, "Jane  Doe ?"));
}

TEST(RenderZpl, LongTextIsWrappedAndClippedToTheWidth) {
    ShippingLabel label = sample_label();
    label.recipient_name = std::string(200, 'W');
    label.address_lines = {};
    for (int i = 0; i < 12; ++i)
        label.address_lines.push_back("Line " + std::to_string(i) +
                                      " of a very long address that goes on and on");
    label.carrier_name = "An Extraordinarily Long Carrier Name Logistics";
    const ZplDocument document = render_and_inspect(label);
    auto zpl = render_zpl(label);
    ASSERT_TRUE(zpl.ok());
    EXPECT_TRUE(validate_label_zpl(*zpl, kLabelWidthDots, kLabelLengthDots).ok());
    // The locality and country always make it onto the label.
    EXPECT_TRUE(has_text(document, "London NW1 6XE"));
    EXPECT_TRUE(has_text(document, "United Kingdom"));
    for (const auto& text : document.texts)
        EXPECT_LE(text.size(), 60u) << text;
    // The recipient block stays above the carrier rule at y = 595.
    for (const auto& origin : document.origins) {
        if (origin.x == 30 && origin.y > 134 && origin.y < 595) {
            EXPECT_LE(origin.y + 40, 595);
        }
    }
}

TEST(RenderZpl, AddressesWrapAtSpaces) {
    ShippingLabel label = sample_label();
    label.address_lines = {"Apartment 1204, Building C, Riverside Gardens Residential Complex"};
    const ZplDocument document = render_and_inspect(label);
    // 30 characters of font 0 at 40 dots fit the 752-dot line.
    EXPECT_TRUE(has_text(document, "Apartment 1204, Building C,"));
    EXPECT_TRUE(has_text(document, "Riverside Gardens Residential"));
    EXPECT_TRUE(has_text(document, "Complex"));
}

TEST(RenderZpl, NumericTrackingUsesCodeSubsetC) {
    ShippingLabel label = sample_label();
    label.tracking_number = "9400111206206406260787";
    auto zpl = render_zpl(label);
    ASSERT_TRUE(zpl.ok());
    EXPECT_NE(zpl->find("^FD>;9400111206206406260787^FS"), std::string::npos);
    const ZplDocument document = render_and_inspect(label);
    const ZplBarcode* tracking = find_barcode(document, "code128");
    ASSERT_TRUE(tracking);
    EXPECT_EQ(tracking->data, "9400111206206406260787");
}

TEST(RenderZpl, UnknownParcelCountAndNoWeight) {
    ShippingLabel label = sample_label();
    label.parcel_count = 0;
    label.weight_g = 0;
    const ZplDocument document = render_and_inspect(label);
    EXPECT_TRUE(has_text(document, "PARCEL 1"));
    for (const auto& text : document.texts)
        EXPECT_EQ(text.find("WEIGHT"), std::string::npos);
}

TEST(RenderZpl, RefusesWhatCannotBeEncodedSafely) {
    struct Case {
        const char* name;
        void (*change)(ShippingLabel&);
        const char* code;
    };
    const Case cases[] = {
        {"no order", [](ShippingLabel& l) { l.order_id.clear(); }, "label.missing_field"},
        {"no tracking", [](ShippingLabel& l) { l.tracking_number.clear(); }, "label.missing_field"},
        {"caret in tracking", [](ShippingLabel& l) { l.tracking_number = "1Z^XZ"; },
         "label.bad_field"},
        {"tilde in tracking", [](ShippingLabel& l) { l.tracking_number = "1Z~JA"; },
         "label.bad_field"},
        {"invocation in tracking", [](ShippingLabel& l) { l.tracking_number = "1Z>8"; },
         "label.bad_field"},
        {"pipe in tracking", [](ShippingLabel& l) { l.tracking_number = "1Z|2"; },
         "label.bad_field"},
        {"space in tracking", [](ShippingLabel& l) { l.tracking_number = "1Z 5R"; },
         "label.bad_field"},
        {"newline in tracking", [](ShippingLabel& l) { l.tracking_number = "1Z5R\n"; },
         "label.bad_field"},
        {"non-ASCII tracking", [](ShippingLabel& l) { l.tracking_number = "顺丰123"; },
         "label.bad_field"},
        {"tracking too long", [](ShippingLabel& l) { l.tracking_number = std::string(41, '1'); },
         "label.bad_field"},
        {"caret in order", [](ShippingLabel& l) { l.order_id = "SO^1"; }, "label.bad_field"},
        {"tilde in order", [](ShippingLabel& l) { l.order_id = "SO~1"; }, "label.bad_field"},
        {"pipe in order", [](ShippingLabel& l) { l.order_id = "SO|1"; }, "label.bad_field"},
        {"order too long", [](ShippingLabel& l) { l.order_id = std::string(41, 'A'); },
         "label.bad_field"},
        {"parcel 0", [](ShippingLabel& l) { l.parcel_sequence = 0; }, "label.bad_field"},
        {"parcel 3 of 2", [](ShippingLabel& l) { l.parcel_sequence = 3; }, "label.bad_field"},
        {"negative count", [](ShippingLabel& l) { l.parcel_count = -1; }, "label.bad_field"},
        {"negative weight", [](ShippingLabel& l) { l.weight_g = -5; }, "label.bad_field"},
        {"NaN weight", [](ShippingLabel& l) { l.weight_g = std::nan(""); }, "label.bad_field"},
    };
    for (const auto& c : cases) {
        ShippingLabel label = sample_label();
        c.change(label);
        auto zpl = render_zpl(label);
        ASSERT_FALSE(zpl.ok()) << c.name;
        EXPECT_EQ(zpl.error().code, c.code) << c.name;
    }
    // The limits themselves are fine.
    ShippingLabel label = sample_label();
    label.order_id = std::string(40, 'A');
    label.tracking_number = std::string(40, 'B');
    auto zpl = render_zpl(label);
    ASSERT_TRUE(zpl.ok());
    EXPECT_TRUE(validate_label_zpl(*zpl, kLabelWidthDots, kLabelLengthDots).ok());
}

TEST(RenderZpl, MatchesTheGoldenFile) {
    // Golden files change only with a stated reason (docs/labels.md).
    std::ifstream in(PACKLINE_SOURCE_DIR "/tests/fixtures/labels/sample_label.zpl",
                     std::ios::binary);
    ASSERT_TRUE(in) << "missing tests/fixtures/labels/sample_label.zpl";
    in.seekg(0, std::ios::end);
    std::string golden(static_cast<std::size_t>(in.tellg()), '\0');
    in.seekg(0);
    in.read(golden.data(), static_cast<std::streamsize>(golden.size()));
    auto zpl = render_zpl(sample_label());
    ASSERT_TRUE(zpl.ok());
    EXPECT_EQ(*zpl, golden);
}

}  // namespace
}  // namespace packline::labels
