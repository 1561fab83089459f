// JSON import: the sample file, and every way a record or a file can be wrong.
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

TEST(ImportJson, SampleFileLoadsEveryRecord) {
    const auto result = parse_import_json(fixture("sample.json"), "sample.json");
    EXPECT_TRUE(result.problems.empty()) << describe(result);
    ASSERT_EQ(result.batch.packaging.size(), 2u);
    ASSERT_EQ(result.batch.skus.size(), 3u);
    ASSERT_EQ(result.batch.orders.size(), 3u);

    EXPECT_EQ(result.batch.packaging[1].code, "BAG-M");
    EXPECT_EQ(result.batch.packaging[1].name, "Mailer bag");
    EXPECT_DOUBLE_EQ(result.batch.packaging[1].tare_g, 35.5);

    const Sku& tee = result.batch.skus[0];
    EXPECT_EQ(tee.sku, "TEE-RED-M");
    EXPECT_EQ(tee.style, "TEE");
    EXPECT_EQ(tee.size, "M");
    EXPECT_EQ(tee.colour, "Red");
    EXPECT_DOUBLE_EQ(tee.unit_weight_g, 180.0);
    // EAN-13 0012345678905 is stored as its GTIN-14 lookup key.
    EXPECT_EQ(tee.barcodes, std::vector<std::string>{"00012345678905"});
    EXPECT_FALSE(tee.serial_required);
    EXPECT_FALSE(tee.tolerance_abs_g.has_value());
    // UPC-A is padded too; an internal code stays as written.
    EXPECT_EQ(result.batch.skus[1].barcodes,
              (std::vector<std::string>{"00036000291452", "TEE-RED-L"}));
    const Sku& camera = result.batch.skus[2];
    EXPECT_TRUE(camera.serial_required);
    EXPECT_EQ(camera.tolerance_abs_g, 5.0);
    EXPECT_EQ(camera.tolerance_pct, 1.5);

    const Order* amsterdam = find_order(result, "1001");
    ASSERT_NE(amsterdam, nullptr);
    EXPECT_EQ(amsterdam->site, "ams1");
    EXPECT_EQ(amsterdam->created_at_ms, 1795420800000);
    EXPECT_EQ(amsterdam->ship_by_ms, 1795536000000);
    EXPECT_EQ(amsterdam->status, OrderStatus::Open);
    EXPECT_EQ(amsterdam->recipient.address.country, "NL");  // written "nl"
    EXPECT_EQ(amsterdam->recipient.address.lines, std::vector<std::string>{"Prinsengracht 263"});
    EXPECT_EQ(amsterdam->carrier, "ups");
    EXPECT_EQ(amsterdam->packaging, "BOX-S");
    ASSERT_EQ(amsterdam->lines.size(), 2u);
    EXPECT_EQ(amsterdam->lines[0].sku, "TEE-RED-M");
    EXPECT_EQ(amsterdam->lines[0].quantity, 2);
    EXPECT_EQ(amsterdam->lines[1].sku, "CAM-01");

    const Order* shanghai = find_order(result, "1002");
    ASSERT_NE(shanghai, nullptr);
    EXPECT_EQ(shanghai->recipient.name, "王小明");
    EXPECT_EQ(shanghai->recipient.address.lines,
              (std::vector<std::string>{"浦东新区世纪大道100号", "15楼"}));
    EXPECT_EQ(shanghai->recipient.address.city, "上海市");
    EXPECT_EQ(shanghai->service, "标快");
    EXPECT_EQ(shanghai->status, OrderStatus::OnHold);
    EXPECT_EQ(shanghai->created_at_ms, 1795422600000);  // 16:30 +08:00 = 08:30Z
    EXPECT_EQ(shanghai->ship_by_ms, 1795593600000);     // epoch milliseconds as written
    EXPECT_EQ(shanghai->tracking_number, "SF1234567890123");

    // An incomplete recipient still loads: the customer check refuses it at the scan.
    const Order* incomplete = find_order(result, "1003");
    ASSERT_NE(incomplete, nullptr);
    EXPECT_EQ(incomplete->recipient.name, "Incomplete Recipient");
    EXPECT_TRUE(incomplete->recipient.phone.empty());
    EXPECT_EQ(incomplete->created_at_ms, 1795407300000);  // 23:15 -05:00
    EXPECT_EQ(incomplete->ship_by_ms, 0);
    EXPECT_EQ(incomplete->status, OrderStatus::Open);
}

TEST(ImportJson, BadRecordsAreReportedAtTheirLineAndTheRestLoad) {
    const std::string text =
        "{\"schema\": \"packline.import/1\",\n"                                                 // 1
        " \"orders\": [\n"                                                                      // 2
        "  {\"id\": \"A1\", \"lines\": [{\"sku\": \"S\", \"quantity\": 1}]},\n"                 // 3
        "  {\"id\": \"A2\",\n"                                                                  // 4
        "   \"lines\": [{\"sku\": \"S\", \"quantity\": 0}]},\n"                                 // 5
        "  {\"id\": \"A3\", \"lines\": []},\n"                                                  // 6
        "  {\"id\": \"A4\", \"status\": 3, \"lines\": [{\"sku\": \"S\", \"quantity\": 1}]},\n"  // 7
        "  \"A5\",\n"                                                                           // 8
        "  {\"lines\": [{\"sku\": \"S\", \"quantity\": 1}]},\n"                                 // 9
        "  {\"id\": \"A7\", \"lines\": [{\"sku\": \"S\", \"quantity\": 5}]}\n"  // 10
        " ],\n"                                                                 // 11
        " \"skus\": [{\"sku\": \"S\", \"unit_weight_g\": -1},\n"                // 12
        "          {\"sku\": \"T\", \"unit_weight_g\": 10}]\n"                  // 13
        "}\n";
    const auto result = parse_import_json(text, "orders.json");
    ASSERT_EQ(result.batch.orders.size(), 2u) << describe(result);
    EXPECT_EQ(result.batch.orders[0].id, "A1");
    EXPECT_EQ(result.batch.orders[1].id, "A7");
    ASSERT_EQ(result.batch.skus.size(), 1u);
    EXPECT_EQ(result.batch.skus[0].sku, "T");

    ASSERT_EQ(result.problems.size(), 6u) << describe(result);
    struct Expected {
        int line;
        std::string record;
        std::string message;
    };
    // Packaging and SKUs are read before orders.
    const Expected expected[] = {
        {12, "sku S", "unit_weight_g must be a number of grams, 0 or more"},
        {4, "order A2", "quantity 0 is out of range (1 to 10000)"},
        {6, "order A3", "lines is empty"},
        {7, "order A4", "status must be a string"},
        {8, "order #5", "must be a JSON object"},
        {9, "order #6", "id is missing"},
    };
    for (std::size_t i = 0; i < std::size(expected); ++i) {
        EXPECT_EQ(result.problems[i].file, "orders.json");
        EXPECT_EQ(result.problems[i].line, expected[i].line) << result.problems[i].message;
        EXPECT_EQ(result.problems[i].record, expected[i].record);
        EXPECT_THAT(result.problems[i].message, HasSubstr(expected[i].message));
    }
}

struct BadOrder {
    std::string json;  // the body of one order object
    std::string message;
};

TEST(ImportJson, OrdersThatCannotBeRepresentedAreRefused) {
    const std::string good_line = R"("lines": [{"sku": "S", "quantity": 1}])";
    const BadOrder cases[] = {
        {R"("id": "X", "lines": [{"sku": "S", "quantity": 10001}])",
         "quantity 10001 is out of range"},
        {R"("id": "X", "lines": [{"sku": "S", "quantity": 99999999999999999999}])",
         "must be a whole number"},
        {R"("id": "X", "lines": [{"sku": "S", "quantity": 18446744073709551615}])", "out of range"},
        {R"("id": "X", "lines": [{"sku": "S", "quantity": -1}])", "quantity -1 is out of range"},
        {R"("id": "X", "lines": [{"sku": "S", "quantity": 2.5}])", "must be a whole number"},
        {R"("id": "X", "lines": [{"sku": "S", "quantity": "2"}])", "must be a whole number"},
        {R"("id": "X", "lines": [{"sku": "S"}])", "lines[0].quantity is missing"},
        {R"("id": "X", "lines": [{"sku": "", "quantity": 1}])", "lines[0].sku is empty"},
        {R"("id": "X", "lines": [{"sku": 12, "quantity": 1}])", "lines[0].sku must be a string"},
        {R"("id": "X", "lines": [{"quantity": 1}])", "lines[0].sku is missing"},
        {R"("id": "X", "lines": ["S"])", "lines[0] must be an object"},
        {R"("id": "X", "lines": {"sku": "S"})", "lines must be an array"},
        {R"("id": "X")", "lines is missing"},
        {R"("id": "", )" + good_line, "no id"},
        {R"("id": true, )" + good_line, "id must be a string"},
        {R"("id": "X", "status": "lost", )" + good_line, "status \"lost\" is not one of"},
        {R"("id": "X", "created_at": "2026-13-01T00:00:00Z", )" + good_line, "created_at"},
        {R"("id": "X", "created_at": "2026-11-23", )" + good_line, "not an RFC 3339 date-time"},
        {R"("id": "X", "ship_by": true, )" + good_line, "ship_by must be an RFC 3339"},
        {R"("id": "X", "ship_by": 1.5e12, )" + good_line, "ship_by must be an RFC 3339"},
        {R"("id": "X", "created_at": "1969-12-31T23:59:59Z", )" + good_line, "before 1970"},
        {R"("id": "X", "created_at": -5, )" + good_line, "before 1970"},
        {R"("id": "X", "recipient": "Anna", )" + good_line, "recipient must be an object"},
        {R"("id": "X", "recipient": {"name": ["A"]}, )" + good_line,
         "recipient.name must be a string"},
        {R"("id": "X", "recipient": {"address": {"lines": "Main St 1"}}, )" + good_line,
         "recipient.address.lines must be an array"},
        {R"("id": "X", "recipient": {"address": {"lines": [1]}}, )" + good_line,
         "recipient.address.lines must hold only strings"},
        {R"("id": "X", "carrier": 7, )" + good_line, "carrier must be a string"},
    };
    for (const auto& example : cases) {
        const std::string text = "{\"orders\": [\n{" + example.json + "}\n]}";
        const auto result = parse_import_json(text);
        EXPECT_TRUE(result.batch.orders.empty()) << example.json;
        ASSERT_EQ(result.problems.size(), 1u) << example.json << "\n" << describe(result);
        EXPECT_EQ(result.problems[0].line, 2) << example.json;
        EXPECT_THAT(result.problems[0].message, HasSubstr(example.message)) << example.json;
        EXPECT_THAT(result.problems[0].message, HasSubstr("not loaded")) << example.json;
    }
}

TEST(ImportJson, OrderValuesAtTheEdgesStillLoad) {
    const std::string text = R"({"orders": [
        {"id": 4711, "lines": [{"sku": " S ", "quantity": 10000}],
         "status": "On-Hold", "carrier": "UPS", "created_at": 0, "ship_by": null,
         "recipient": {"address": {"country": " de "}}, "extra": {"ignored": true}}]})";
    const auto result = parse_import_json(text);
    EXPECT_TRUE(result.problems.empty()) << describe(result);
    ASSERT_EQ(result.batch.orders.size(), 1u);
    const Order& order = result.batch.orders[0];
    EXPECT_EQ(order.id, "4711");  // integer ids are common in shop exports
    EXPECT_EQ(order.lines[0].sku, "S");
    EXPECT_EQ(order.lines[0].quantity, 10000);
    EXPECT_EQ(order.status, OrderStatus::OnHold);
    EXPECT_EQ(order.carrier, "ups");
    EXPECT_EQ(order.recipient.address.country, "DE");
    EXPECT_EQ(order.ship_by_ms, 0);
}

TEST(ImportJson, AnOrderMayAskForAnSscc) {
    const auto result = parse_import_json(
        R"({"orders": [{"id": "S-1", "sscc": "340123451234567895",
                        "lines": [{"sku": "A", "quantity": 1}]},
                       {"id": "S-2", "lines": [{"sku": "A", "quantity": 1}]}]})");
    EXPECT_TRUE(result.problems.empty()) << describe(result);
    ASSERT_EQ(result.batch.orders.size(), 2u);
    EXPECT_EQ(result.batch.orders[0].sscc, "340123451234567895");
    EXPECT_EQ(result.batch.orders[1].sscc, "");
}

TEST(ImportJson, SkusAndPackagingWithWrongTypesAreRefused) {
    const struct {
        std::string json;
        std::string message;
    } cases[] = {
        {R"({"skus": [{"sku": "S", "unit_weight_g": -0.5}]})",
         "unit_weight_g must be a number of grams"},
        {R"({"skus": [{"sku": "S"}]})", "unit_weight_g is missing"},
        {R"({"skus": [{"sku": "S", "unit_weight_g": "180"}]})", "unit_weight_g must be a number"},
        {R"({"skus": [{"unit_weight_g": 1}]})", "sku is missing"},
        {R"({"skus": [{"sku": "  ", "unit_weight_g": 1}]})", "sku is empty"},
        {R"({"skus": [{"sku": "S", "unit_weight_g": 1, "barcodes": [12345678905]}]})",
         "a number loses leading zeros"},
        {R"({"skus": [{"sku": "S", "unit_weight_g": 1, "barcodes": "0012345678905"}]})",
         "barcodes must be an array"},
        {R"({"skus": [{"sku": "S", "unit_weight_g": 1, "serial_required": "yes"}]})",
         "serial_required must be true or false"},
        {R"({"skus": [{"sku": "S", "unit_weight_g": 1, "tolerance_pct": -1}]})", "tolerance_pct"},
        {R"({"skus": [{"sku": "S", "unit_weight_g": 1, "tolerance_abs_g": "5"}]})",
         "tolerance_abs_g must be a number"},
        {R"({"packaging": [{"code": "BOX", "tare_g": -5}]})", "tare_g must be a number of grams"},
        {R"({"packaging": [{"code": "BOX"}]})", "tare_g is missing"},
        {R"({"packaging": [{"name": "Box", "tare_g": 5}]})", "code is missing"},
    };
    for (const auto& example : cases) {
        const auto result = parse_import_json(example.json);
        EXPECT_TRUE(result.batch.skus.empty() && result.batch.packaging.empty()) << example.json;
        ASSERT_EQ(result.problems.size(), 1u) << example.json << "\n" << describe(result);
        EXPECT_EQ(result.problems[0].line, 1);
        EXPECT_THAT(result.problems[0].message, HasSubstr(example.message)) << example.json;
    }
}

TEST(ImportJson, BarcodesThatCouldNeverBeScannedAreSkippedWithAProblem) {
    const std::string text = R"({"skus": [{"sku": "S", "unit_weight_g": 1,
        "barcodes": ["", "  ", "A\tB", "0012345678905", "0012345678905", "12345678905"]}]})";
    const auto result = parse_import_json(text);
    ASSERT_EQ(result.batch.skus.size(), 1u);
    // Empty codes are dropped silently, repeats once, the tab makes a code unscannable.
    EXPECT_EQ(result.batch.skus[0].barcodes,
              (std::vector<std::string>{"00012345678905", "12345678905"}));
    ASSERT_EQ(result.problems.size(), 1u) << describe(result);
    EXPECT_THAT(result.problems[0].message, HasSubstr("skipped"));
}

TEST(ImportJson, InvalidSyntaxLoadsNothingAndSaysWhere) {
    const std::string text =
        "{\"orders\": [\n"
        "  {\"id\": \"1\", \"lines\": [{\"sku\": \"S\", \"quantity\": 1}]},\n"
        "  {\"id\": \"2\" \"lines\": []}\n"
        "]}\n";
    const auto result = parse_import_json(text, "broken.json");
    EXPECT_TRUE(result.batch.orders.empty());
    ASSERT_EQ(result.problems.size(), 1u) << describe(result);
    EXPECT_EQ(result.problems[0].file, "broken.json");
    EXPECT_EQ(result.problems[0].line, 3);
    EXPECT_THAT(result.problems[0].message, HasSubstr("invalid JSON at line 3, column 14"));
    EXPECT_THAT(result.problems[0].message, HasSubstr("nothing loaded from this file"));
}

TEST(ImportJson, EveryKindOfBrokenDocumentGivesOneProblem) {
    const struct {
        std::string text;
        int line;
        std::string message;
    } cases[] = {
        {"", 0, "the file is empty"},
        {" \n\t\r\n", 0, "the file is empty"},
        {"\xEF\xBB\xBF", 0, "the file is empty"},
        {"{", 1, "invalid JSON"},
        {"{\"orders\": [],}", 1, "invalid JSON"},
        {"{\"orders\": [\n\n{\"id\": \"1\", \"x\": 1e400}]}", 3, "invalid JSON at line 3"},
        {"{\"orders\": [\"\xFF\"]}", 1, "invalid JSON"},
        {"{\"a\": 1} trailing", 1, "invalid JSON"},
        {"[]", 1, "must be a JSON object"},
        {"\"orders\"", 1, "must be a JSON object"},
        {"{\"schema\": \"packline.import/2\", \"orders\": []}", 1, "is not supported"},
        {"{\n\"schema\": 1}", 2, "is not supported"},
        {"{\"skus\": [],\n \"orders\": {\"id\": \"1\"}}", 2, "\"orders\" must be an array"},
        {"{\"packaging\": \"BOX-S\"}", 1, "\"packaging\" must be an array"},
    };
    for (const auto& example : cases) {
        const auto result = parse_import_json(example.text);
        EXPECT_TRUE(result.batch.orders.empty() && result.batch.skus.empty() &&
                    result.batch.packaging.empty());
        ASSERT_EQ(result.problems.size(), 1u) << example.text << "\n" << describe(result);
        EXPECT_EQ(result.problems[0].line, example.line) << example.text;
        EXPECT_THAT(result.problems[0].message, HasSubstr(example.message)) << example.text;
    }
}

TEST(ImportJson, ByteOrderMarkAndCrlfAreFine) {
    const std::string text =
        "\xEF\xBB\xBF{\"orders\": [\r\n"
        "  {\"id\": \"1\", \"lines\": [{\"sku\": \"S\", \"quantity\": 1}]},\r\n"
        "  {\"id\": \"2\", \"lines\": [{\"sku\": \"S\", \"quantity\": 0}]}\r\n"
        "]}\r\n";
    const auto result = parse_import_json(text);
    ASSERT_EQ(result.batch.orders.size(), 1u) << describe(result);
    ASSERT_EQ(result.problems.size(), 1u);
    EXPECT_EQ(result.problems[0].line, 3);
}

TEST(ImportJson, DuplicatesLaterWinsAndIsReported) {
    const std::string text =
        "{\"orders\": [\n"
        "  {\"id\": \"1\", \"site\": \"old\", \"lines\": [{\"sku\": \"S\", \"quantity\": 1}]},\n"
        "  {\"id\": \"2\", \"lines\": [{\"sku\": \"S\", \"quantity\": 1}]},\n"
        "  {\"id\": \"1\", \"site\": \"new\", \"lines\": [{\"sku\": \"S\", \"quantity\": 2}]}\n"
        " ],\n"
        " \"skus\": [{\"sku\": \"S\", \"unit_weight_g\": 1}, {\"sku\": \"S\", \"unit_weight_g\": "
        "2}],\n"
        " \"packaging\": [{\"code\": \"B\", \"tare_g\": 1},\n {\"code\": \"B\", \"tare_g\": 2}]\n"
        "}";
    const auto result = parse_import_json(text);
    ASSERT_EQ(result.batch.orders.size(), 2u);
    EXPECT_EQ(result.batch.orders[0].id, "1");
    EXPECT_EQ(result.batch.orders[0].site, "new");
    EXPECT_EQ(result.batch.orders[0].lines[0].quantity, 2);
    ASSERT_EQ(result.batch.skus.size(), 1u);
    EXPECT_DOUBLE_EQ(result.batch.skus[0].unit_weight_g, 2.0);
    ASSERT_EQ(result.batch.packaging.size(), 1u);
    EXPECT_DOUBLE_EQ(result.batch.packaging[0].tare_g, 2.0);

    ASSERT_EQ(result.problems.size(), 3u) << describe(result);
    EXPECT_EQ(result.problems[0].record, "packaging B");
    EXPECT_EQ(result.problems[0].line, 8);
    EXPECT_EQ(result.problems[1].record, "sku S");
    EXPECT_EQ(result.problems[1].line, 6);
    EXPECT_EQ(result.problems[2].record, "order 1");
    EXPECT_EQ(result.problems[2].line, 4);
    EXPECT_THAT(result.problems[2].message, HasSubstr("first at line 2"));
    EXPECT_THAT(result.problems[2].message, HasSubstr("replaces it"));
    // The later records loaded: notes, not refusals (issue 14: the summary
    // counted them as skipped).
    for (const auto& problem : result.problems)
        EXPECT_TRUE(problem.loaded) << problem.message;
}

// Issue 14: a 1 MB order id or name loaded (and took minutes to render as a
// label). Every text field is bounded as the MQTT contract bounds it.
TEST(ImportJson, TextLongerThanTheContractAllowsIsRefusedWithItsField) {
    const std::string good_line = R"("lines": [{"sku": "S", "quantity": 1}])";
    const std::string megabyte(1 << 20, 'x');
    std::string chinese_name;
    for (int i = 0; i < 257; ++i)
        chinese_name += "名";
    const BadOrder cases[] = {
        {R"("id": ")" + megabyte + R"(", )" + good_line,
         "id is 1048576 characters long (at most 128)"},
        {R"("id": "X", "recipient": {"name": ")" + megabyte + R"("}, )" + good_line,
         "name is 1048576 characters long (at most 256)"},
        {R"("id": "X", "recipient": {"name": ")" + chinese_name + R"("}, )" + good_line,
         "name is 257 characters long (at most 256)"},
        {R"("id": "X", "recipient": {"phone": ")" + std::string(65, '1') + R"("}, )" + good_line,
         "phone is 65 characters long (at most 64)"},
        {R"("id": "X", "recipient": {"address": {"lines": [")" + std::string(257, 'a') +
             R"("]}}, )" + good_line,
         "an address line is 257 characters long (at most 256)"},
        {R"("id": "X", "recipient": {"address": {"lines": ["1","2","3","4","5","6","7","8","9"]}}, )" +
             good_line,
         "the address has 9 lines (at most 8)"},
        {R"("id": "X", "tracking_number": ")" + std::string(65, '1') + R"(", )" + good_line,
         "tracking_number is 65 characters long (at most 64)"},
        {R"("id": "X", "lines": [{"sku": ")" + std::string(129, 'S') + R"(", "quantity": 1}])",
         "an order line's sku is 129 characters long (at most 128)"},
        // NUL is refused by the contract: escaped in JSON it is still a NUL.
        {R"("id": "X\u0000Y", )" + good_line, "id holds a NUL character"},
        {R"("id": "X", "recipient": {"name": "Anna\u0000"}, )" + good_line,
         "name holds a NUL character"},
    };
    for (const auto& example : cases) {
        const std::string text = "{\"orders\": [\n{" + example.json + "}\n]}";
        const auto result = parse_import_json(text);
        EXPECT_TRUE(result.batch.orders.empty()) << example.json.substr(0, 200);
        ASSERT_EQ(result.problems.size(), 1u) << describe(result).substr(0, 1000);
        EXPECT_EQ(result.problems[0].line, 2);
        EXPECT_FALSE(result.problems[0].loaded);
        EXPECT_THAT(result.problems[0].message, HasSubstr(example.message));
        EXPECT_THAT(result.problems[0].message, HasSubstr("not loaded"));
        // The problem shows a long id cut short, never the megabyte.
        EXPECT_LT(result.problems[0].record.size() + result.problems[0].message.size(), 400u);
    }

    // At the limits, everything loads.
    std::string name;
    for (int i = 0; i < 256; ++i)
        name += "名";
    const auto at_limits = parse_import_json(R"({"orders": [{"id": ")" + std::string(128, '7') +
                                             R"(", "recipient": {"name": ")" + name +
                                             R"("}, "lines": [{"sku": "S", "quantity": 1}]}],
            "skus": [{"sku": "S", "name": ")" +
                                             name + R"(", "unit_weight_g": 1}],
            "packaging": [{"code": "B", "name": ")" +
                                             name + R"(", "tare_g": 1}]})");
    EXPECT_TRUE(at_limits.problems.empty()) << describe(at_limits);
    EXPECT_EQ(at_limits.batch.orders.size(), 1u);
    EXPECT_EQ(at_limits.batch.skus.size(), 1u);
    EXPECT_EQ(at_limits.batch.packaging.size(), 1u);

    const auto catalogue = parse_import_json(R"({"skus": [{"sku": "S", "name": ")" + megabyte +
                                             R"(", "unit_weight_g": 1},
                    {"sku": "T\u0000", "unit_weight_g": 1}],
            "packaging": [{"code": "B", "name": ")" +
                                             std::string(257, 'n') + R"(", "tare_g": 1}]})");
    EXPECT_TRUE(catalogue.batch.skus.empty());
    EXPECT_TRUE(catalogue.batch.packaging.empty());
    EXPECT_THAT(describe(catalogue), HasSubstr("name is 1048576 characters long (at most 256)"));
    EXPECT_THAT(describe(catalogue), HasSubstr("sku holds a NUL character"));
    EXPECT_THAT(describe(catalogue), HasSubstr("name is 257 characters long (at most 256)"));
}

TEST(ImportJson, EscapedMemberNamesAndNestedArraysKeepLinesRight) {
    const std::string text =
        "{\"meta\": {\"note\": [1, [2, 3], {\"orders\": [4]}]},\n"
        " \"\\u006frders\": [\n"
        "  {\"id\": \"1\", \"lines\": [{\"sku\": \"S\", \"quantity\": 1}, {\"sku\": \"T\", "
        "\"quantity\": 1}]},\n"
        "  {\"id\": \"2\", \"note\": \"a, [b] {c}\", \"lines\": [{\"sku\": \"S\", \"quantity\": "
        "0}]}\n"
        "]}";
    const auto result = parse_import_json(text);
    ASSERT_EQ(result.batch.orders.size(), 1u) << describe(result);
    ASSERT_EQ(result.problems.size(), 1u);
    EXPECT_EQ(result.problems[0].line, 4);
    EXPECT_EQ(result.problems[0].record, "order 2");
}

TEST(ImportJson, ARepeatedMemberCountsOnlyOnceAsInTheParser) {
    const std::string text =
        "{\"orders\": [{\"id\": \"old\", \"lines\": []}],\n"
        " \"orders\": [\n"
        "  {\"id\": \"1\", \"lines\": [{\"sku\": \"S\", \"quantity\": 1}]},\n"
        "  {\"id\": \"2\", \"lines\": []}\n"
        "]}";
    const auto result = parse_import_json(text);
    ASSERT_EQ(result.batch.orders.size(), 1u) << describe(result);
    EXPECT_EQ(result.batch.orders[0].id, "1");
    ASSERT_EQ(result.problems.size(), 1u);
    EXPECT_EQ(result.problems[0].line, 4);
    EXPECT_EQ(result.problems[0].record, "order 2");
}

TEST(ImportJson, ManyOrdersLoad) {
    std::string text = "{\"orders\": [\n";
    for (int i = 0; i < 20000; ++i) {
        if (i > 0) text += ",\n";
        text += "{\"id\": \"" + std::to_string(i) +
                "\", \"lines\": [{\"sku\": \"S\", \"quantity\": " + (i == 12345 ? "0" : "1") +
                "}]}";
    }
    text += "\n]}";
    const auto result = parse_import_json(text);
    EXPECT_EQ(result.batch.orders.size(), 19999u);
    ASSERT_EQ(result.problems.size(), 1u);
    EXPECT_EQ(result.problems[0].line, 12345 + 2);
}

TEST(ImportJson, DeepNestingIsAnErrorValueNotACrash) {
    const std::string text =
        "{\"orders\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
    const auto result = parse_import_json(text);
    EXPECT_TRUE(result.batch.orders.empty());
    EXPECT_FALSE(result.problems.empty());
}

}  // namespace
}  // namespace packline::station
