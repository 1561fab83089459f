// From scanner bytes to the key a product is looked up by.
#include "packline/station/barcode.h"

#include <gtest/gtest.h>

#include <string>

namespace packline::station {
namespace {

const std::string GS(1, kGroupSeparator);

// ---- parse_scan: AIM identifiers and cleaning ----------------------------------

struct ScanCase {
    const char* name;
    std::string raw;
    const char* aim_id;
    Symbology symbology;
    std::string payload;
    bool gs1;
};

class ParseScan : public testing::TestWithParam<ScanCase> {};

TEST_P(ParseScan, SplitsAimIdAndPayload) {
    const ScanCase& c = GetParam();
    const ScanData scan = parse_scan(c.raw);
    EXPECT_EQ(scan.aim_id, c.aim_id);
    EXPECT_EQ(scan.symbology, c.symbology) << to_string(scan.symbology);
    EXPECT_EQ(scan.payload, c.payload);
    EXPECT_EQ(scan.gs1, c.gs1);
}

INSTANTIATE_TEST_SUITE_P(
    AimIds, ParseScan,
    testing::Values(
        ScanCase{"Gs1_128", "]C10109506000134352\r\n", "]C1", Symbology::Gs1_128,
                 "0109506000134352", true},
        ScanCase{"Code128", "]C0PICK-0042\r", "]C0", Symbology::Code128, "PICK-0042", false},
        ScanCase{"Ean13", "]E04006381333931\n", "]E0", Symbology::Ean13, "4006381333931", false},
        ScanCase{"UpcAAsThirteenDigits", "]E00036000291452", "]E0", Symbology::UpcA,
                 "0036000291452", false},
        ScanCase{"UpcAAsTwelveDigits", "]E0036000291452", "]E0", Symbology::UpcA, "036000291452",
                 false},
        ScanCase{"UpcEAsEightDigits", "]E004252614", "]E0", Symbology::UpcE, "04252614", false},
        ScanCase{"Ean8", "]E402345673\t", "]E4", Symbology::Ean8, "02345673", false},
        ScanCase{"Code39", "]A0ABC-123", "]A0", Symbology::Code39, "ABC-123", false},
        ScanCase{"Itf", "]I012345678901231", "]I0", Symbology::Itf, "12345678901231", false},
        ScanCase{"DataBar", "]e00109506000134352", "]e0", Symbology::DataBar, "0109506000134352",
                 true},
        ScanCase{"DataMatrix", "]d1hello", "]d1", Symbology::DataMatrix, "hello", false},
        ScanCase{"Gs1DataMatrix", "]d2011231231231233310ABC123" + GS + "21X", "]d2",
                 Symbology::Gs1DataMatrix, "011231231231233310ABC123" + GS + "21X", true},
        ScanCase{"QrCode", "]Q1https://example.com/p/1", "]Q1", Symbology::QrCode,
                 "https://example.com/p/1", false},
        ScanCase{"Gs1Qr", "]Q30109506000134352", "]Q3", Symbology::Gs1Qr, "0109506000134352", true},
        ScanCase{"DotCode", "]J0ABC", "]J0", Symbology::DotCode, "ABC", false},
        ScanCase{"Gs1DotCode", "]J10109506000134352", "]J1", Symbology::Gs1DotCode,
                 "0109506000134352", true},
        ScanCase{"UnknownAimLetter", "]X0data", "]X0", Symbology::Unknown, "data", false},
        ScanCase{"NoAimId", "4006381333931\r\n", "", Symbology::Unknown, "4006381333931", false},
        ScanCase{"BracketNotAim", "]1abc", "", Symbology::Unknown, "]1abc", false},
        ScanCase{"TooShortForAim", "]C", "", Symbology::Unknown, "]C", false},
        ScanCase{"LeadingGsMeansGs1", GS + "0109506000134352" + GS + "21A", "", Symbology::Unknown,
                 "0109506000134352" + GS + "21A", true},
        ScanCase{"Code128WithFnc1AsGs", "]C0" + GS + "0109506000134352", "]C0", Symbology::Code128,
                 "0109506000134352", true},
        ScanCase{"ControlCharactersDropped",
                 std::string("\0]C0AB\x01"
                             "C\x7f\r\n",
                             11),
                 "]C0", Symbology::Code128, "ABC", false},
        ScanCase{"TrailingGsKept",
                 "]C10109506000134352"
                 "10A" +
                     GS,
                 "]C1", Symbology::Gs1_128,
                 "0109506000134352"
                 "10A" +
                     GS,
                 true},
        ScanCase{"Empty", "", "", Symbology::Unknown, "", false},
        ScanCase{"OnlySuffix", "\r\n", "", Symbology::Unknown, "", false}),
    [](const testing::TestParamInfo<ScanCase>& test) { return std::string(test.param.name); });

// ---- normalize_barcode and UPC-E ---------------------------------------------

TEST(NormalizeBarcode, UpcAAndEan13GiveTheSameKey) {
    EXPECT_EQ(normalize_barcode("036000291452"), "00036000291452");
    EXPECT_EQ(normalize_barcode("0036000291452"), "00036000291452");
    EXPECT_EQ(normalize_barcode("00036000291452"), "00036000291452");
}

TEST(NormalizeBarcode, Table) {
    struct Case {
        const char* code;
        const char* key;
    };
    for (const Case& c : {
             Case{"02345673", "00000002345673"},             // GTIN-8
             Case{"4006381333931", "04006381333931"},        // EAN-13
             Case{"12345678901231", "12345678901231"},       // GTIN-14 unchanged
             Case{"  4006381333931\r\n", "04006381333931"},  // trimmed first
             Case{"4006381333932", "4006381333932"},         // wrong check digit: as-is
             Case{"036000291453", "036000291453"},
             Case{"123456789", "123456789"},                    // other length: as-is
             Case{"123456789012345675", "123456789012345675"},  // SSCC is not a product
             Case{"sku-Red-L", "sku-Red-L"},                    // internal codes keep their case
             Case{" SKU-RED-L ", "SKU-RED-L"},
             Case{"", ""},
             Case{"   ", ""},
         }) {
        EXPECT_EQ(normalize_barcode(c.code), c.key) << '"' << c.code << '"';
    }
}

TEST(ExpandUpcE, ToUpcA) {
    struct Case {
        const char* upce;
        const char* upca;
    };
    for (const Case& c : {
             Case{"04252614", "042100005264"},  // last digit 1: manufacturer ends X00
             Case{"01234505", "012000003455"},  // 0-2: manufacturer ends X00
             Case{"01234558", "012345000058"},  // 5-9: product is the last digit
             Case{"01234589", "012345000089"},
             Case{"01234531", "012300000451"},  // 3: three manufacturer digits
             Case{"01234543", "012340000053"},  // 4: four manufacturer digits
             Case{"11234555", "112345000055"},  // number system 1
             Case{"0425261", "042100005264"},   // 7 digits: no check digit given
             Case{"425261", "042100005264"},    // 6 digits: number system 0 implied
             Case{"04252615", ""},              // check digit one off
             Case{"24252614", ""},              // number system 2 does not exist
             Case{"0425261A", ""},
             Case{"04252", ""},
             Case{"042526140", ""},
             Case{"", ""},
         }) {
        EXPECT_EQ(expand_upc_e(c.upce), c.upca) << c.upce;
        if (*c.upca != '\0') {
            EXPECT_TRUE(is_gtin(c.upca)) << c.upca;
        }
    }
}

// ---- parse_product_scan ----------------------------------------------------------

TEST(ParseProductScan, Gs1DataMatrixGivesGtinSerialLotExpiry) {
    auto product =
        parse_product_scan(parse_scan("]d20109506000134352"
                                      "17261130"
                                      "10LOT42" +
                                      GS + "21SN-0001\r"));
    ASSERT_TRUE(product.ok()) << product.error().to_string();
    EXPECT_EQ(product->code, "09506000134352");
    EXPECT_TRUE(product->is_gtin);
    EXPECT_EQ(product->serial, "SN-0001");
    EXPECT_EQ(product->lot, "LOT42");
    EXPECT_EQ(product->expiry, "261130");
    EXPECT_EQ(product->elements.size(), 4U);
}

TEST(ParseProductScan, ContentGtinWhenNoAi01) {
    auto product =
        parse_product_scan(parse_scan("]C10212345678901231"
                                      "3712"));
    ASSERT_TRUE(product.ok()) << product.error().to_string();
    EXPECT_EQ(product->code, "12345678901231");
    EXPECT_TRUE(product->is_gtin);
}

TEST(ParseProductScan, SameProductWhateverTheSymbology) {
    const std::string key = "00036000291452";
    for (const std::string& raw :
         {std::string("]E00036000291452"), std::string("]E0036000291452"),
          std::string("036000291452\r\n"), std::string("]C10100036000291452"),
          std::string("]Q30100036000291452"
                      "21S1"),
          GS + "0100036000291452"}) {
        auto product = parse_product_scan(parse_scan(raw));
        ASSERT_TRUE(product.ok()) << raw << ": " << product.error().to_string();
        EXPECT_EQ(product->code, key) << raw;
        EXPECT_TRUE(product->is_gtin) << raw;
    }
}

TEST(ParseProductScan, UpcEIsExpandedThenNormalised) {
    auto product = parse_product_scan(parse_scan("]E004252614"));
    ASSERT_TRUE(product.ok());
    EXPECT_EQ(product->code, "00042100005264");
    EXPECT_TRUE(product->is_gtin);
}

TEST(ParseProductScan, InternalCodeStaysAsScanned) {
    auto product = parse_product_scan(parse_scan("]C0sku-Red-L\r\n"));
    ASSERT_TRUE(product.ok());
    EXPECT_EQ(product->code, "sku-Red-L");
    EXPECT_FALSE(product->is_gtin);
    EXPECT_TRUE(product->elements.empty());
}

TEST(ParseProductScan, WrongCheckDigitIsNotAGtin) {
    auto product = parse_product_scan(parse_scan("]E04006381333932"));
    ASSERT_TRUE(product.ok());
    EXPECT_EQ(product->code, "4006381333932");
    EXPECT_FALSE(product->is_gtin);
}

TEST(ParseProductScan, Errors) {
    struct Case {
        const char* name;
        ScanData scan;
        const char* code;
    };
    ScanData gs1_sscc;
    gs1_sscc.payload = "00123456789012345675";
    gs1_sscc.gs1 = true;
    ScanData with_control;
    with_control.payload = std::string("ABC\x01", 4);
    ScanData with_nul;
    with_nul.payload = std::string(
        "40063813\0"
        "33931",
        14);
    ScanData huge;
    huge.payload = std::string(kMaxPayloadBytes + 1, '7');
    ScanData gs1_bad;
    gs1_bad.payload = "0109506000134353";
    gs1_bad.gs1 = true;
    for (const Case& c : {
             Case{"empty", parse_scan(""), "barcode.empty"},
             Case{"only suffix", parse_scan("\r\n"), "barcode.empty"},
             Case{"only AIM id", parse_scan("]C0"), "barcode.empty"},
             Case{"only spaces", parse_scan("   "), "barcode.empty"},
             Case{"only GS", parse_scan(GS + GS), "barcode.empty"},
             Case{"GS1 without GTIN", gs1_sscc, "barcode.no_gtin"},
             Case{"GS1 lot only", parse_scan("]d210LOT"), "barcode.no_gtin"},
             Case{"control byte", with_control, "barcode.garbage"},
             Case{"NUL byte", with_nul, "barcode.garbage"},
             Case{"too long", huge, "barcode.garbage"},
             Case{"bad GTIN check digit", gs1_bad, "gs1.bad_check_digit"},
             Case{"GS1 unknown AI", parse_scan("]C199X"), "gs1.unknown_ai"},
         }) {
        auto product = parse_product_scan(c.scan);
        ASSERT_FALSE(product.ok()) << c.name;
        EXPECT_EQ(product.error().code, c.code) << c.name << ": " << product.error().message;
    }
}

TEST(ParseProductScan, LongestAcceptedPayload) {
    ScanData scan;
    scan.payload = std::string(kMaxPayloadBytes, 'A');
    EXPECT_TRUE(parse_product_scan(scan).ok());
}

}  // namespace
}  // namespace packline::station
