#include "packline/labels/zpl_inspect.h"

#include <gtest/gtest.h>

#include <string>

namespace packline::labels {
namespace {

// The minimal 4x6 label of the device notes (devices.md 4.1), annotations removed.
constexpr const char* kReferenceLabel =
    "^XA\n"
    "^PW812^LL1218^LH0,0\n"
    "^FO40,40^A0N,40,40^FDSHIP TO: J DOE^FS\n"
    "^FO40,200^BY3^BCN,150,Y,N,N^FD>;>800123456789012345675^FS\n"
    "^FO40,450^BY3^BCN,120,Y,N,N^FD1Z5R89390357567127^FS\n"
    "^FO40,650^BQN,2,6^FDQA,1Z5R89390357567127^FS\n"
    "^FO450,650^BXN,8,200^FD0112345678901231^FS\n"
    "^XZ\n";

TEST(InspectZpl, ReadsTheReferenceLabel) {
    auto document = inspect_zpl(kReferenceLabel);
    ASSERT_TRUE(document.ok()) << document.error().to_string();
    EXPECT_EQ(document->width, 812);
    EXPECT_EQ(document->length, 1218);
    ASSERT_EQ(document->texts.size(), 1u);
    EXPECT_EQ(document->texts[0], "SHIP TO: J DOE");
    ASSERT_EQ(document->barcodes.size(), 4u);

    EXPECT_EQ(document->barcodes[0].type, "gs1-128");  // leading FNC1
    EXPECT_EQ(document->barcodes[0].data, "00123456789012345675");
    EXPECT_EQ(document->barcodes[0].x, 40);
    EXPECT_EQ(document->barcodes[0].y, 200);
    EXPECT_EQ(document->barcodes[1].type, "code128");
    EXPECT_EQ(document->barcodes[1].data, "1Z5R89390357567127");
    EXPECT_EQ(document->barcodes[2].type, "qr");
    EXPECT_EQ(document->barcodes[2].data, "1Z5R89390357567127");
    EXPECT_EQ(document->barcodes[2].y, 650);
    EXPECT_EQ(document->barcodes[3].type, "datamatrix");
    EXPECT_EQ(document->barcodes[3].data, "0112345678901231");
    EXPECT_EQ(document->barcodes[3].x, 450);
    EXPECT_TRUE(validate_label_zpl(kReferenceLabel, 812, 1218).ok());
}

TEST(InspectZpl, DecodesFieldHexEscapes) {
    auto document =
        inspect_zpl("^XA^FO10,10^FH^FDA_5EB_7EC_5FD_e4_C3_A9^FS^FO10,50^FH#^FD#41_42^FS^XZ");
    ASSERT_TRUE(document.ok()) << document.error().to_string();
    ASSERT_EQ(document->texts.size(), 2u);
    EXPECT_EQ(document->texts[0], "A^B~C_D\xe4\xc3\xa9");
    EXPECT_EQ(document->texts[1], "A_42");  // ^FH#: only '#' escapes
}

TEST(InspectZpl, HexEscapesApplyToOneFieldOnly) {
    auto document = inspect_zpl("^XA^FH^FDa_41^FS^FDb_41^FS^XZ");
    ASSERT_TRUE(document.ok()) << document.error().to_string();
    ASSERT_EQ(document->texts.size(), 2u);
    EXPECT_EQ(document->texts[0], "aA");
    EXPECT_EQ(document->texts[1], "b_41");
}

TEST(InspectZpl, ResolvesCode128InvocationCodes) {
    auto document = inspect_zpl(
        "^XA^BCN^FDA><B>0C>=D^FS^BCN^FD>8019501234567890>810LOT1^FS^BCN^FD>:AB>6CD>5>AZ^FS^XZ");
    ASSERT_TRUE(document.ok()) << document.error().to_string();
    ASSERT_EQ(document->barcodes.size(), 3u);
    EXPECT_EQ(document->barcodes[0].data, "A^B>C~D");
    EXPECT_EQ(document->barcodes[1].type, "gs1-128");
    EXPECT_EQ(document->barcodes[1].data,
              "019501234567890\x1d"
              "10LOT1");
    EXPECT_EQ(document->barcodes[2].data, "ABCD>AZ");  // ">A" is no invocation code
}

TEST(InspectZpl, StripsQrModePrefixes) {
    const std::pair<const char*, const char*> cases[] = {
        {"^XA^BQN,2,6^FDQA,PL1|A|B^FS^XZ", "PL1|A|B"},
        {"^XA^BQN,2,6^FDLA,hello, world^FS^XZ", "hello, world"},
        {"^XA^BQN,2,6^FDHM,N0123^FS^XZ", "0123"},
        {"^XA^BQN,2,6^FDMM,B0005hello^FS^XZ", "hello"},
    };
    for (const auto& [zpl, data] : cases) {
        auto document = inspect_zpl(zpl);
        ASSERT_TRUE(document.ok()) << zpl << ": " << document.error().to_string();
        ASSERT_EQ(document->barcodes.size(), 1u) << zpl;
        EXPECT_EQ(document->barcodes[0].type, "qr");
        EXPECT_EQ(document->barcodes[0].data, data) << zpl;
    }
}

TEST(InspectZpl, LabelHomeShiftsOrigins) {
    auto document = inspect_zpl("^XA^LH20,30^FO10,10^BCN^FD123^FS^XZ");
    ASSERT_TRUE(document.ok());
    ASSERT_EQ(document->barcodes.size(), 1u);
    EXPECT_EQ(document->barcodes[0].x, 30);
    EXPECT_EQ(document->barcodes[0].y, 40);
}

TEST(InspectZpl, IgnoresLineBreaksCommentsAndOtherCommands) {
    auto document = inspect_zpl(
        "\r\n  ~SD15\r\n^XA^FXthis is a "
        "comment^MMT^CI28\r\n^FO1\r\n0,20^A@N,30,30,E:ANMDJ.TTF^FDa\r\nb^FS\r\n"
        "^FO0,0^GB100,3,3^FS^XZ\r\n^XA^FO5,5^FDsecond^FS^XZ\r\n");
    ASSERT_TRUE(document.ok()) << document.error().to_string();
    ASSERT_EQ(document->texts.size(), 2u);
    EXPECT_EQ(document->texts[0], "ab");
    EXPECT_EQ(document->texts[1], "second");
    ASSERT_EQ(document->origins.size(), 3u);
    EXPECT_EQ(document->origins[0].x, 10);
}

TEST(InspectZpl, RefusesBrokenStructure) {
    const char* bad[] = {
        "",
        "   \r\n",
        "hello",
        "^XA",                          // no ^XZ
        "^XA^FO10,10^FDtext^FS",        // no ^XZ
        "^XA^FDno end^XZ",              // ^FD without ^FS
        "^XA^FDends here",              // ^FD runs off the end
        "^XA^FDa~JAb^FS^XZ",            // a tilde command inside field data
        "^XA^XA^XZ",                    // nested format
        "^XZ",                          // end without start
        "^FO10,10^XA^XZ",               // command outside a format
        "^XA^XZ trailing words",        // text after the format
        "^XA^FOx,10^FS^XZ",             // non-numeric origin
        "^XA^FO10,99999999999^FS^XZ",   // out of range for int
        "^XA^FH^FDbad_G1^FS^XZ",        // not hex
        "^XA^FH^FDcut_4^FS^XZ",         // escape cut short
        "^XA^BQN,2,6^FDPL1|A|B^FS^XZ",  // QR data without its mode prefix
        "^XA^",                         // command cut short
        "^X",
    };
    for (const char* zpl : bad) {
        auto document = inspect_zpl(zpl);
        ASSERT_FALSE(document.ok()) << zpl;
        EXPECT_EQ(document.error().code, "label.bad_zpl") << zpl;
    }
}

TEST(InspectZpl, SurvivesGarbageAndHugeInput) {
    std::string garbage;
    for (int i = 0; i < 4096; ++i)
        garbage += static_cast<char>((i * 131) % 256);
    EXPECT_FALSE(inspect_zpl(garbage).ok());
    const std::string huge_field = "^XA^FO0,0^FD" + std::string(1 << 20, 'x') + "^FS^XZ";
    auto document = inspect_zpl(huge_field);
    ASSERT_TRUE(document.ok());
    EXPECT_EQ(document->texts.at(0).size(), std::size_t{1} << 20);
    std::string many;
    for (int i = 0; i < 10000; ++i)
        many += "^XA^FO1,1^BCN^FD1^FS^XZ";
    auto many_document = inspect_zpl(many);
    ASSERT_TRUE(many_document.ok());
    EXPECT_EQ(many_document->barcodes.size(), 10000u);
}

TEST(ValidateLabelZpl, ChecksBoundsAndBarcodes) {
    EXPECT_TRUE(
        validate_label_zpl("^XA^PW812^LL1218^FO0,0^BCN^FD1^FS^FO811,1217^FDx^FS^XZ", 812, 1218)
            .ok());
    struct Case {
        const char* zpl;
        const char* code;
    };
    const Case cases[] = {
        {"^XA^FO812,10^BCN^FD1^FS^XZ", "label.out_of_bounds"},
        {"^XA^FO10,1218^BCN^FD1^FS^XZ", "label.out_of_bounds"},
        {"^XA^FO-1,10^BCN^FD1^FS^XZ", "label.out_of_bounds"},
        {"^XA^LH800,0^FO20,10^BCN^FD1^FS^XZ", "label.out_of_bounds"},
        {"^XA^PW1200^FO10,10^BCN^FD1^FS^XZ", "label.out_of_bounds"},
        {"^XA^LL2000^FO10,10^BCN^FD1^FS^XZ", "label.out_of_bounds"},
        {"^XA^FO10,10^FDonly text^FS^XZ", "label.no_barcode"},
        {"^XA^FO10,10^FDunterminated^XZ", "label.bad_zpl"},
    };
    for (const auto& c : cases) {
        Status status = validate_label_zpl(c.zpl, 812, 1218);
        ASSERT_FALSE(status.ok()) << c.zpl;
        EXPECT_EQ(status.error().code, c.code) << c.zpl;
    }
}

}  // namespace
}  // namespace packline::labels
