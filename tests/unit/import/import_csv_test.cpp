// CSV import: orders, skus and packaging files; RFC 4180 framing; bad rows
// reported at the physical line they start on while the others load.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "import_test_support.h"
#include "packline/station/import.h"

namespace packline::station {
namespace {

using ::testing::HasSubstr;

const std::string kOrderHeader =
    "order_id,site,created_at,ship_by,status,name,phone,address1,address2,city,region,"
    "postal_code,country,carrier,service,tracking_number,packaging,sku,quantity\n";

// One orders row with the given id, sku and quantity; the other cells filled.
std::string order_row(const std::string& id, const std::string& sku, const std::string& quantity,
                      const std::string& name = "Anna") {
    return id + ",ams1,2026-11-23T08:00:00Z,,open," + name +
           ",+31201234567,Main 1,,Amsterdam,,1016 GV,NL,ups,standard,,BOX-S," + sku + "," +
           quantity + "\n";
}

TEST(ImportCsv, OrdersFileMergesRowsIntoOrders) {
    const auto result = parse_import_csv(fixture("orders.csv"), "orders.csv");
    EXPECT_TRUE(result.problems.empty()) << describe(result);  // unknown "note" column: ignored
    ASSERT_EQ(result.batch.orders.size(), 3u);
    EXPECT_TRUE(result.batch.skus.empty());

    const Order* tokyo = find_order(result, "2001");
    ASSERT_NE(tokyo, nullptr);
    EXPECT_EQ(tokyo->site, "tyo1");
    EXPECT_EQ(tokyo->created_at_ms, 1795392000000);  // 09:00 +09:00 = 00:00Z
    EXPECT_EQ(tokyo->recipient.name, "山田 太郎");
    EXPECT_EQ(tokyo->recipient.address.lines,
              std::vector<std::string>{"千代田区丸の内1-9-1, グラントウキョウ"});
    EXPECT_EQ(tokyo->recipient.address.country, "JP");
    EXPECT_EQ(tokyo->carrier, "sf");
    ASSERT_EQ(tokyo->lines.size(), 2u);  // the second row only names order, sku and quantity
    EXPECT_EQ(tokyo->lines[0].sku, "TEE-RED-M");
    EXPECT_EQ(tokyo->lines[0].quantity, 2);
    EXPECT_EQ(tokyo->lines[1].sku, "CAM-01");
    EXPECT_EQ(tokyo->lines[1].quantity, 1);

    const Order* amsterdam = find_order(result, "2002");
    ASSERT_NE(amsterdam, nullptr);
    EXPECT_EQ(amsterdam->recipient.name, "Jan \"Jantje\" Jansen");
    // A quoted line break inside address1 makes two address lines.
    EXPECT_EQ(amsterdam->recipient.address.lines,
              (std::vector<std::string>{"Keizersgracht 1", "Achterhuis", "3-hoog"}));
    EXPECT_EQ(amsterdam->status, OrderStatus::OnHold);
    EXPECT_EQ(amsterdam->created_at_ms, 1795420800000);  // epoch milliseconds
    EXPECT_EQ(amsterdam->ship_by_ms, 0);
    EXPECT_EQ(amsterdam->tracking_number, "1Z999AA10123456784");

    const Order* beijing = find_order(result, "2003");
    ASSERT_NE(beijing, nullptr);
    EXPECT_EQ(beijing->recipient.name, "李华");
    EXPECT_EQ(beijing->recipient.address.city, "北京市");
    EXPECT_EQ(beijing->service, "标快");
    ASSERT_EQ(beijing->lines.size(), 2u);
    EXPECT_EQ(beijing->lines[1].quantity, 4);
}

TEST(ImportCsv, AnOptionalSsccColumn) {
    const std::string header = kOrderHeader.substr(0, kOrderHeader.size() - 1) + ",sscc\n";
    const std::string row = order_row("S-1", "A", "1");
    const auto result = parse_import_csv(
        header + row.substr(0, row.size() - 1) + ",340123451234567895\n", "orders.csv");
    EXPECT_TRUE(result.problems.empty()) << describe(result);
    ASSERT_EQ(result.batch.orders.size(), 1u);
    EXPECT_EQ(result.batch.orders[0].sscc, "340123451234567895");
    // Without the column the orders load with no SSCC.
    const auto without = parse_import_csv(kOrderHeader + row, "orders.csv");
    ASSERT_EQ(without.batch.orders.size(), 1u);
    EXPECT_EQ(without.batch.orders[0].sscc, "");
}

TEST(ImportCsv, SkusFile) {
    const auto result = parse_import_csv(fixture("skus.csv"), "skus.csv");
    EXPECT_TRUE(result.problems.empty()) << describe(result);
    ASSERT_EQ(result.batch.skus.size(), 4u);
    const Sku& tee = result.batch.skus[0];
    EXPECT_EQ(tee.name, "Tee, red");
    EXPECT_EQ(tee.barcodes, std::vector<std::string>{"00012345678905"});
    EXPECT_FALSE(tee.serial_required);
    EXPECT_FALSE(tee.tolerance_abs_g.has_value());
    EXPECT_DOUBLE_EQ(result.batch.skus[1].unit_weight_g, 195.5);
    EXPECT_EQ(result.batch.skus[1].barcodes,
              (std::vector<std::string>{"00036000291452", "TEE-RED-L"}));
    const Sku& camera = result.batch.skus[2];
    EXPECT_EQ(camera.name, "Action camera \"Pro\"");
    EXPECT_EQ(camera.barcodes, (std::vector<std::string>{"04006381333931", "CAM01-INT"}));
    EXPECT_TRUE(camera.serial_required);
    EXPECT_EQ(camera.tolerance_abs_g, 5.0);
    EXPECT_EQ(camera.tolerance_pct, 1.5);
    const Sku& tea = result.batch.skus[3];
    EXPECT_EQ(tea.name, "緑茶 100g");
    EXPECT_EQ(tea.colour, "緑");
    EXPECT_TRUE(tea.barcodes.empty());
}

TEST(ImportCsv, PackagingFile) {
    const auto result = parse_import_csv(fixture("packaging.csv"), "packaging.csv");
    EXPECT_TRUE(result.problems.empty()) << describe(result);
    ASSERT_EQ(result.batch.packaging.size(), 3u);
    EXPECT_EQ(result.batch.packaging[1].name, "Mailer bag, medium");
    EXPECT_DOUBLE_EQ(result.batch.packaging[1].tare_g, 35.5);
    EXPECT_EQ(result.batch.packaging[2].name, "段ボール 60サイズ");
}

TEST(ImportCsv, BadRowsAreReportedAtThePhysicalLineWhereTheyStart) {
    const std::string text =
        kOrderHeader +                                                          // 1
        "3001,ams1,,,open,Anna,1,\"Main 1\nBack house\",,A,,1,NL,ups,,,,S,1\n"  // 2-3
        + order_row("3002", "S", "0")                                           // 4
        + "3003,ams1,too,few,fields\n"                                          // 5
        + "\n"                                                                  // 6 (blank)
        + order_row("3004", "S", "2")                                           // 7
        + order_row("3005", "S", "abc")                                         // 8
        + order_row("3006", "", "1")                                            // 9
        + order_row("", "S", "1")                                               // 10
        + order_row("3007", "S", "99999999999999999999")                        // 11
        + order_row("3008", "S", "1.5")                                         // 12
        + order_row("3009", "S", "10001");                                      // 13
    const auto result = parse_import_csv(text, "orders.csv");
    ASSERT_EQ(result.batch.orders.size(), 2u) << describe(result);
    EXPECT_EQ(result.batch.orders[0].id, "3001");
    EXPECT_EQ(result.batch.orders[0].recipient.address.lines,
              (std::vector<std::string>{"Main 1", "Back house"}));
    EXPECT_EQ(result.batch.orders[1].id, "3004");

    const struct {
        int line;
        std::string record;
        std::string message;
    } expected[] = {
        {4, "order 3002", "quantity 0 is out of range (1 to 10000)"},
        {5, "order 3003", "the row has 5 fields, the header has 19"},
        {8, "order 3005", "quantity \"abc\" is not a whole number"},
        {9, "order 3006", "sku is empty"},
        {10, "order (no id)", "order_id is empty"},
        {11, "order 3007", "quantity 99999999999999999999 is out of range"},
        {12, "order 3008", "quantity \"1.5\" is not a whole number"},
        {13, "order 3009", "quantity 10001 is out of range"},
    };
    ASSERT_EQ(result.problems.size(), std::size(expected)) << describe(result);
    for (std::size_t i = 0; i < std::size(expected); ++i) {
        EXPECT_EQ(result.problems[i].file, "orders.csv");
        EXPECT_EQ(result.problems[i].line, expected[i].line) << result.problems[i].message;
        EXPECT_EQ(result.problems[i].record, expected[i].record);
        EXPECT_THAT(result.problems[i].message, HasSubstr(expected[i].message));
    }
}

TEST(ImportCsv, AnOrderLoadsWholeOrNotAtAll) {
    const std::string text =
        kOrderHeader + order_row("4001", "A", "1") +  // 2
        order_row("4002", "A", "1") +                 // 3
        order_row("4001", "B", "-2") +                // 4: a bad line refuses all of 4001
        order_row("4002", "B", "1", "Bert") +         // 5: a different recipient refuses 4002
        order_row("4003", "A", "1") +                 // 6
        "4003,,,,,,,,,,,,,,,,,B,3\n" +                // 7: empty cells inherit
        order_row("4003", "C", "1");                  // 8: the same values again are fine
    const auto result = parse_import_csv(text);
    ASSERT_EQ(result.batch.orders.size(), 1u) << describe(result);
    EXPECT_EQ(result.batch.orders[0].id, "4003");
    EXPECT_EQ(result.batch.orders[0].lines.size(), 3u);
    EXPECT_EQ(result.batch.orders[0].recipient.name, "Anna");

    ASSERT_EQ(result.problems.size(), 2u) << describe(result);
    EXPECT_EQ(result.problems[0].line, 4);
    EXPECT_THAT(result.problems[0].message, HasSubstr("order 4001 not loaded"));
    EXPECT_EQ(result.problems[1].line, 5);
    EXPECT_THAT(result.problems[1].message,
                HasSubstr("name \"Bert\" differs from \"Anna\" on line 3 of the same order"));
    EXPECT_THAT(result.problems[1].message, HasSubstr("order 4002 not loaded"));
}

TEST(ImportCsv, OrderCellsAreValidated) {
    const struct {
        std::string row;
        std::string message;
    } cases[] = {
        {"5001,s,2026-13-01T00:00:00Z,,open,N,P,A,,C,,1,NL,ups,,,,S,1", "created_at"},
        {"5001,s,,yesterday,open,N,P,A,,C,,1,NL,ups,,,,S,1",
         "ship_by \"yesterday\" is not an RFC 3339"},
        {"5001,s,,,lost,N,P,A,,C,,1,NL,ups,,,,S,1", "status \"lost\""},
        {"5001,s,1969-12-31T00:00:00Z,,open,N,P,A,,C,,1,NL,ups,,,,S,1", "before 1970"},
        {"5001,s,,,open,N,P,\xC3(,,C,,1,NL,ups,,,,S,1", "not valid UTF-8"},
        {"5001,s,,,open,N,P,\"A\"x,,C,,1,NL,ups,,,,S,1", "text after the closing quote"},
    };
    for (const auto& example : cases) {
        const auto result = parse_import_csv(kOrderHeader + example.row + "\n");
        EXPECT_TRUE(result.batch.orders.empty()) << example.row;
        ASSERT_EQ(result.problems.size(), 1u) << example.row << "\n" << describe(result);
        EXPECT_EQ(result.problems[0].line, 2);
        EXPECT_THAT(result.problems[0].message, HasSubstr(example.message)) << example.row;
    }
}

// Issue 14: a raw NUL and a megabyte-long cell loaded; both are refused
// now, with the field named, as the MQTT contract refuses them.
TEST(ImportCsv, NulAndOverlongCellsAreRefused) {
    const std::string megabyte(1 << 20, 'N');
    const struct {
        std::string row;
        std::string message;
    } cases[] = {
        {"5001,s,,,open," + megabyte + ",P,A,,C,,1,NL,ups,,,,S,1",
         "name is 1048576 characters long (at most 256)"},
        {"5001,s,,,open,An" + std::string(1, '\0') + "na,P,A,,C,,1,NL,ups,,,,S,1",
         "name holds a NUL character"},
        {"50" + std::string(1, '\0') + "01,s,,,open,N,P,A,,C,,1,NL,ups,,,,S,1",
         "id holds a NUL character"},
        {std::string(129, '5') + ",s,,,open,N,P,A,,C,,1,NL,ups,,,,S,1",
         "id is 129 characters long (at most 128)"},
    };
    for (const auto& example : cases) {
        const auto result = parse_import_csv(kOrderHeader + example.row + "\n");
        EXPECT_TRUE(result.batch.orders.empty()) << example.message;
        ASSERT_EQ(result.problems.size(), 1u) << describe(result).substr(0, 1000);
        EXPECT_EQ(result.problems[0].line, 2);
        EXPECT_FALSE(result.problems[0].loaded);
        EXPECT_THAT(result.problems[0].message, HasSubstr(example.message));
        EXPECT_LT(result.problems[0].message.size(), 400u);
    }
    const auto skus = parse_import_csv(
        "sku,name,style,size,colour,unit_weight_g,barcodes,serial_required\n"
        "S," +
        megabyte +
        ",,,,1,,\n"
        "T" +
        std::string(1, '\0') + ",n,,,,1,,\n");
    EXPECT_TRUE(skus.batch.skus.empty());
    ASSERT_EQ(skus.problems.size(), 2u) << describe(skus).substr(0, 1000);
    EXPECT_THAT(skus.problems[0].message, HasSubstr("name is 1048576 characters long"));
    EXPECT_THAT(skus.problems[1].message, HasSubstr("sku holds a NUL character"));
}

TEST(ImportCsv, IncompleteRecipientsStillLoad) {
    const auto result = parse_import_csv(kOrderHeader + "6001,,,,,,,,,,,,,,,,,S,1\n");
    EXPECT_TRUE(result.problems.empty()) << describe(result);
    ASSERT_EQ(result.batch.orders.size(), 1u);
    EXPECT_TRUE(result.batch.orders[0].recipient.name.empty());
    EXPECT_EQ(result.batch.orders[0].status, OrderStatus::Open);
}

TEST(ImportCsv, SkuRowsAreValidated) {
    const std::string header =
        "sku,name,style,size,colour,unit_weight_g,barcodes,serial_required\n";
    const struct {
        std::string row;
        std::string message;
    } cases[] = {
        {"S,n,s,M,Red,-1,,false", "unit_weight_g must be a number of grams, 0 or more"},
        {"S,n,s,M,Red,,,false", "unit_weight_g is empty"},
        {"S,n,s,M,Red,abc,,false", "unit_weight_g \"abc\" is not a number"},
        {"S,n,s,M,Red,inf,,false", "is not a number"},
        {"S,n,s,M,Red,nan,,false", "is not a number"},
        {"S,n,s,M,Red,1e999,,false", "is not a number"},
        {"S,n,s,M,Red,\"1,5\",,false", "is not a number"},
        {"S,n,s,M,Red,10,,maybe", "serial_required \"maybe\""},
        {",n,s,M,Red,10,,false", "sku is empty"},
    };
    for (const auto& example : cases) {
        const auto result = parse_import_csv(header + example.row + "\n");
        EXPECT_TRUE(result.batch.skus.empty()) << example.row;
        ASSERT_EQ(result.problems.size(), 1u) << example.row << "\n" << describe(result);
        EXPECT_EQ(result.problems[0].line, 2);
        EXPECT_THAT(result.problems[0].message, HasSubstr(example.message)) << example.row;
    }
    // Optional tolerance columns: a bad value is refused too.
    const auto tolerance = parse_import_csv(
        "sku,name,style,size,colour,unit_weight_g,barcodes,serial_required,tolerance_pct\n"
        "S,n,s,M,Red,10,,1,-3\n");
    ASSERT_EQ(tolerance.problems.size(), 1u);
    EXPECT_THAT(tolerance.problems[0].message, HasSubstr("tolerance_pct"));
}

TEST(ImportCsv, DuplicateSkusAndPackagingLaterWins) {
    const auto skus = parse_import_csv(
        "sku,name,style,size,colour,unit_weight_g,barcodes,serial_required\n"
        "S,first,,,,1,,\n"
        "T,other,,,,1,,\n"
        "S,second,,,,2,,\n");
    ASSERT_EQ(skus.batch.skus.size(), 2u);
    EXPECT_EQ(skus.batch.skus[0].name, "second");
    ASSERT_EQ(skus.problems.size(), 1u);
    EXPECT_EQ(skus.problems[0].line, 4);
    EXPECT_THAT(skus.problems[0].message, HasSubstr("duplicate sku \"S\" (first at line 2)"));
    EXPECT_TRUE(skus.problems[0].loaded);  // the later record loaded

    const auto packaging = parse_import_csv("tare_g,code,name\n5,B,one\n6,B,two\n");
    ASSERT_EQ(packaging.batch.packaging.size(), 1u);
    EXPECT_DOUBLE_EQ(packaging.batch.packaging[0].tare_g, 6.0);
    ASSERT_EQ(packaging.problems.size(), 1u);
    EXPECT_EQ(packaging.problems[0].line, 3);
}

TEST(ImportCsv, HeaderProblemsLoadNothing) {
    const struct {
        std::string text;
        int line;
        std::string message;
    } cases[] = {
        {"", 0, "the file is empty"},
        {"\xEF\xBB\xBF", 0, "the file is empty"},
        {"\r\n\r\n  \n", 0, "the file is empty"},
        {"hello,world\n1,2\n", 1, "names no order_id, sku or code column"},
        {"code,name\nBOX,Box\n", 1, "the packaging header lacks column(s) tare_g"},
        {"\n\ncode,name,tare\nBOX,Box,1\n", 3, "lacks column(s) tare_g (unknown columns: tare)"},
        {"sku,name,unit_weight_g\nS,n,1\n", 1,
         "the skus header lacks column(s) style, size, colour, barcodes, serial_required"},
        {"order_id,sku,quantity\n1,S,1\n", 1, "the orders header lacks column(s) site"},
        {"code,name,tare_g,Code\nB,n,1,C\n", 1, "column code appears twice"},
        {"\"code,name,tare_g\nB,n,1\n", 1, "the header row is malformed"},
    };
    for (const auto& example : cases) {
        const auto result = parse_import_csv(example.text);
        EXPECT_TRUE(result.batch.orders.empty() && result.batch.skus.empty() &&
                    result.batch.packaging.empty())
            << example.text;
        ASSERT_EQ(result.problems.size(), 1u) << example.text << "\n" << describe(result);
        EXPECT_EQ(result.problems[0].line, example.line) << example.text;
        EXPECT_THAT(result.problems[0].message, HasSubstr(example.message)) << example.text;
        EXPECT_THAT(result.problems[0].message, HasSubstr("nothing loaded")) << example.text;
    }
}

TEST(ImportCsv, ByteOrderMarkCrlfAndCaseInsensitiveHeaders) {
    const std::string text =
        "\xEF\xBB\xBF Code ,NAME,Tare_G\r\n"
        "BOX-S,\"Small\r\nbox\",120\r\n"
        "BOX-M,Medium,-1\r\n"
        "BOX-L,Large,300";  // no final line break
    const auto result = parse_import_csv(text);
    ASSERT_EQ(result.batch.packaging.size(), 2u) << describe(result);
    EXPECT_EQ(result.batch.packaging[0].code, "BOX-S");
    EXPECT_EQ(result.batch.packaging[0].name, "Small\nbox");  // CRLF in quotes becomes LF
    EXPECT_EQ(result.batch.packaging[1].code, "BOX-L");
    ASSERT_EQ(result.problems.size(), 1u);
    EXPECT_EQ(result.problems[0].line, 4);
    EXPECT_EQ(result.problems[0].record, "packaging BOX-M");
}

TEST(ImportCsv, LoneCarriageReturnsEndLinesToo) {
    const auto result = parse_import_csv("code,name,tare_g\rA,a,1\rB,b,x\rC,c,3\r");
    EXPECT_EQ(result.batch.packaging.size(), 2u);
    ASSERT_EQ(result.problems.size(), 1u);
    EXPECT_EQ(result.problems[0].line, 3);
}

TEST(ImportCsv, AnUnclosedQuoteSwallowsTheRestButEarlierRowsLoad) {
    const std::string text =
        "code,name,tare_g\n"
        "A,a,1\n"
        "B,\"never closed,2\n"
        "C,c,3\n";
    const auto result = parse_import_csv(text);
    ASSERT_EQ(result.batch.packaging.size(), 1u);
    EXPECT_EQ(result.batch.packaging[0].code, "A");
    ASSERT_EQ(result.problems.size(), 1u) << describe(result);
    EXPECT_EQ(result.problems[0].line, 3);
    EXPECT_EQ(result.problems[0].record, "packaging B");
    EXPECT_THAT(result.problems[0].message, HasSubstr("never closed"));
}

TEST(ImportCsv, QuotesFollowRfc4180) {
    const std::string text =
        "code,name,tare_g\n"
        "\"A\",\"with \"\"quotes\"\", commas, and\nline breaks\",\"1\"\n"
        "B,5\" inch box,2\n"  // a stray quote in an unquoted field is data
        "C,,3\n"
        "\"\",empty code,4\n";
    const auto result = parse_import_csv(text);
    ASSERT_EQ(result.batch.packaging.size(), 3u) << describe(result);
    EXPECT_EQ(result.batch.packaging[0].name, "with \"quotes\", commas, and\nline breaks");
    EXPECT_EQ(result.batch.packaging[1].name, "5\" inch box");
    EXPECT_EQ(result.batch.packaging[2].name, "");
    ASSERT_EQ(result.problems.size(), 1u);
    EXPECT_EQ(result.problems[0].line, 6);
    EXPECT_THAT(result.problems[0].message, HasSubstr("code is empty"));
}

TEST(ImportCsv, ManyRowsLoad) {
    std::string text = kOrderHeader;
    for (int i = 0; i < 10000; ++i)
        text += order_row(std::to_string(i / 2), "S" + std::to_string(i), "1");
    const auto result = parse_import_csv(text);
    EXPECT_TRUE(result.problems.empty()) << describe(result);
    ASSERT_EQ(result.batch.orders.size(), 5000u);
    EXPECT_EQ(result.batch.orders[4999].lines.size(), 2u);
}

}  // namespace
}  // namespace packline::station
