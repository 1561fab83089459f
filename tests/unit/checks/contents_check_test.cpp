// Contents check, items part: each scan against the parcel's open lines, and
// line completeness before weighing.
#include <gtest/gtest.h>

#include <optional>

#include "checks_fixtures.h"

namespace packline::station {
namespace {

using testing::catalogue;
using testing::order_with;
using testing::scanned;

std::string detail(const CheckResult& result, std::string_view key) {
    for (const Detail& entry : result.details)
        if (entry.key == key) return entry.value;
    return "<no " + std::string(key) + ">";
}

// One parcel of order SO-1001: 1 × Red Tee L, 2 × Blue Tee M, 1 × Phone X.
class ContentsCheck : public ::testing::Test {
  protected:
    testing::SkuMap skus = catalogue();
    Order order = order_with({{"TEE-RED-L", 1}, {"TEE-BLU-M", 2}, {"PHONE-X", 1}});
    std::vector<ScannedItem> items;

    ContentsView view() const { return {&order, order.lines, &items, &skus}; }

    ItemScan scan(std::string_view sku, std::string serial = {}) const {
        const auto found = skus.find(sku);
        return {found == skus.end() ? nullptr : &found->second,
                "code-" + std::string(sku),
                std::move(serial),
                {}};
    }
};

struct ItemCase {
    std::string_view label;
    std::vector<ScannedItem> already;  // this parcel so far
    std::string_view sku;              // "" = the code resolved to nothing
    std::string serial;
    bool used_elsewhere = false;
    std::string_view reason;  // empty = passes
};

TEST_F(ContentsCheck, EveryScanIsCheckedAgainstTheOpenLines) {
    const ItemCase cases[] = {
        {"first item of a line", {}, "TEE-RED-L", "", false, ""},
        {"second of two", {scanned("TEE-BLU-M")}, "TEE-BLU-M", "", false, ""},
        {"serial given", {}, "PHONE-X", "SN-0001", false, ""},
        {"unknown code", {}, "", "", false, "contents.unknown_code"},
        {"not in the order, no variant", {}, "MUG-WHT", "", false, "contents.not_in_order"},
        {"other style entirely", {}, "SOCK-BLK", "", false, "contents.not_in_order"},
        {"wrong size", {}, "TEE-RED-M", "", false, "contents.wrong_variant"},
        {"wrong colour and size", {}, "TEE-GRN-S", "", false, "contents.wrong_variant"},
        {"third of two",
         {scanned("TEE-BLU-M"), scanned("TEE-BLU-M")},
         "TEE-BLU-M",
         "",
         false,
         "contents.over_quantity"},
        {"second of one", {scanned("TEE-RED-L")}, "TEE-RED-L", "", false, "contents.over_quantity"},
        {"serial missing", {}, "PHONE-X", "", false, "contents.serial_required"},
        {"serial blank", {}, "PHONE-X", "   ", false, "contents.serial_required"},
        {"serial used by another parcel",
         {},
         "PHONE-X",
         "SN-0001",
         true,
         "contents.serial_repeated"},
        {"same serial twice in this parcel",
         {scanned("PHONE-X", "SN-0001")},
         "PHONE-X",
         "SN-0001",
         false,
         "contents.serial_repeated"},
        {"line complete, other serial",
         {scanned("PHONE-X", "SN-0001")},
         "PHONE-X",
         "SN-0002",
         false,
         "contents.over_quantity"},
        {"line complete, no serial",
         {scanned("PHONE-X", "SN-0001")},
         "PHONE-X",
         "",
         false,
         "contents.over_quantity"},
    };
    for (const ItemCase& c : cases) {
        items = c.already;
        const CheckResult result = check_item(view(), scan(c.sku, c.serial), c.used_elsewhere);
        EXPECT_EQ(result.passed, c.reason.empty()) << c.label << ": " << result.message;
        EXPECT_EQ(result.reason, c.reason) << c.label << ": " << result.message;
        if (!result.passed) {
            EXPECT_FALSE(result.message.empty()) << c.label;
        }
    }
}

TEST_F(ContentsCheck, WrongVariantSaysWhatTheOrderWants) {
    const CheckResult size = check_item(view(), scan("TEE-RED-M"), false);
    EXPECT_EQ(size.message, "Order wants Red / L — you scanned Red / M");
    EXPECT_EQ(detail(size, "expected_sku"), "TEE-RED-L");
    EXPECT_EQ(detail(size, "scanned_sku"), "TEE-RED-M");
    EXPECT_EQ(detail(size, "differs"), "size");
    EXPECT_EQ(detail(size, "expected_size"), "L");
    EXPECT_EQ(detail(size, "scanned_size"), "M");

    const CheckResult both = check_item(view(), scan("TEE-GRN-S"), false);
    EXPECT_EQ(both.message, "Order wants Red / L — you scanned Green / S");
    EXPECT_EQ(detail(both, "differs"), "colour,size");

    // Blue L: Red L (same size) and Blue M (same colour) are both open; the
    // first open line wins the tie.
    const CheckResult colour = check_item(view(), scan("TEE-BLU-L"), false);
    EXPECT_EQ(colour.message, "Order wants Red / L — you scanned Blue / L");
    EXPECT_EQ(detail(colour, "differs"), "colour");
    EXPECT_EQ(detail(colour, "expected_colour"), "Red");
    EXPECT_EQ(detail(colour, "scanned_colour"), "Blue");

    // Once Red L is packed, a Red M points at the line still open.
    items = {scanned("TEE-RED-L")};
    EXPECT_EQ(check_item(view(), scan("TEE-RED-M"), false).message,
              "Order wants Blue / M — you scanned Red / M");
}

TEST_F(ContentsCheck, WrongVariantNeedsTheOrderedSkuInTheCatalogue) {
    skus.erase("TEE-RED-L");
    skus.erase("TEE-BLU-M");
    EXPECT_EQ(check_item(view(), scan("TEE-RED-M"), false).reason, "contents.not_in_order");
}

TEST_F(ContentsCheck, MessagesForQuantityAndSerials) {
    items = {scanned("TEE-BLU-M"), scanned("TEE-BLU-M")};
    const CheckResult over = check_item(view(), scan("TEE-BLU-M"), false);
    EXPECT_EQ(over.message, "Already packed 2 of 2 × Blue Tee M — put it aside");
    EXPECT_EQ(detail(over, "wanted"), "2");
    EXPECT_EQ(detail(over, "scanned"), "2");

    items = {scanned("PHONE-X", "SN-0001")};
    const CheckResult twice = check_item(view(), scan("PHONE-X", "SN-0001"), false);
    EXPECT_EQ(
        twice.message,
        "Serial SN-0001 of Phone X Black 128 GB is already in this parcel — scan a different item");
    EXPECT_EQ(detail(twice, "where"), "this_parcel");

    items.clear();
    const CheckResult elsewhere = check_item(view(), scan("PHONE-X", "SN-0001"), true);
    EXPECT_EQ(detail(elsewhere, "where"), "other_parcel");
    EXPECT_EQ(detail(elsewhere, "serial"), "SN-0001");

    EXPECT_EQ(check_item(view(), scan("PHONE-X"), false).message,
              "Scan the serial number of Phone X Black 128 GB");

    const CheckResult unknown = check_item(view(), scan("NOPE"), false);
    EXPECT_EQ(unknown.message, "Unknown barcode code-NOPE — not in the product list");
    EXPECT_EQ(detail(unknown, "code"), "code-NOPE");

    EXPECT_EQ(check_item(view(), scan("MUG-WHT"), false).message,
              "White Mug is not in order SO-1001 — put it aside");
}

TEST_F(ContentsCheck, LinesPackedInEarlierParcelsAreOverQuantity) {
    // Multi-parcel order: Red Tee L went in parcel 1; this parcel has the rest.
    ContentsView second = view();
    second.open_lines = {{"TEE-BLU-M", 2}, {"PHONE-X", 1}};
    const CheckResult result = check_item(second, scan("TEE-RED-L"), false);
    EXPECT_EQ(result.reason, "contents.over_quantity");
    EXPECT_EQ(result.message, "All 1 × Red Tee L already went in earlier parcels — put it aside");
    EXPECT_EQ(detail(result, "ordered"), "1");
    EXPECT_EQ(detail(result, "wanted"), "0");
}

TEST_F(ContentsCheck, EmptyOrNullViewNeverCrashes) {
    const ContentsView empty;
    const auto mug = skus.find("MUG-WHT");
    EXPECT_EQ(check_item(empty, {&mug->second, "x", "", ""}, false).reason,
              "contents.not_in_order");
    EXPECT_EQ(check_item(empty, {nullptr, std::string(10000, '\xff'), "", ""}, false).reason,
              "contents.unknown_code");
    EXPECT_TRUE(line_progress(empty).empty());
    EXPECT_TRUE(lines_complete(empty));
    EXPECT_TRUE(check_lines_complete(empty).passed);
}

TEST_F(ContentsCheck, ProgressAndCompleteness) {
    order.lines.push_back({"TEE-BLU-M", 1});  // a second line of the same SKU adds up
    order.lines.push_back({"SOCK-BLK", 0});   // nothing to pack on a zero line
    items = {scanned("TEE-BLU-M"), scanned("TEE-RED-L")};
    const std::vector<LineProgress> progress = line_progress(view());
    ASSERT_EQ(progress.size(), 3u);
    EXPECT_EQ(progress[0].sku, "TEE-RED-L");
    EXPECT_EQ(progress[0].wanted, 1);
    EXPECT_EQ(progress[0].scanned, 1);
    EXPECT_EQ(progress[1].sku, "TEE-BLU-M");
    EXPECT_EQ(progress[1].wanted, 3);
    EXPECT_EQ(progress[1].scanned, 1);
    EXPECT_EQ(progress[2].sku, "PHONE-X");
    EXPECT_FALSE(lines_complete(view()));

    const CheckResult missing = check_lines_complete(view());
    EXPECT_EQ(missing.reason, "contents.missing_item");
    EXPECT_EQ(missing.message, "Missing 2 × Blue Tee M, 1 × Phone X Black 128 GB");
    EXPECT_EQ(detail(missing, "missing.TEE-BLU-M"), "2");
    EXPECT_EQ(detail(missing, "missing.PHONE-X"), "1");
    EXPECT_EQ(detail(missing, "missing.TEE-RED-L"), "<no missing.TEE-RED-L>");

    items.push_back(scanned("TEE-BLU-M"));
    items.push_back(scanned("TEE-BLU-M"));
    items.push_back(scanned("PHONE-X", "SN-1"));
    EXPECT_TRUE(lines_complete(view()));
    EXPECT_TRUE(check_lines_complete(view()).passed);
}

TEST_F(ContentsCheck, MissingListIsShortForALongOrder) {
    order.lines = {
        {"TEE-RED-L", 1}, {"TEE-RED-M", 1}, {"TEE-BLU-M", 1}, {"MUG-WHT", 1}, {"UNLISTED-SKU", 4}};
    const CheckResult missing = check_lines_complete(view());
    EXPECT_EQ(missing.message, "Missing 1 × Red Tee L, 1 × Red Tee M, 1 × Blue Tee M and 2 more");
    EXPECT_EQ(missing.details.size(), 5u);
    EXPECT_EQ(detail(missing, "missing.UNLISTED-SKU"), "4");
}

TEST(ContentsCheckSingle, MissingItemMessage) {
    const testing::SkuMap skus = catalogue();
    const Order order = order_with({{"TEE-BLU-M", 1}});
    const std::vector<ScannedItem> none;
    const ContentsView view{&order, order.lines, &none, &skus};
    EXPECT_EQ(check_lines_complete(view).message, "Missing 1 × Blue Tee M");
}

}  // namespace
}  // namespace packline::station
