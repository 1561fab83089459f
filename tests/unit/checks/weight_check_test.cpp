// Contents check, weight part: expected weight, tolerance (site and per SKU)
// and the scale reading.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "checks_fixtures.h"

namespace packline::station {
namespace {

using hardware::WeightReading;
using hardware::WeightStatus;
using testing::catalogue;
using testing::scanned;

std::string detail(const CheckResult& result, std::string_view key) {
    for (const Detail& entry : result.details)
        if (entry.key == key) return entry.value;
    return "<no " + std::string(key) + ">";
}

WeightReading reading(double grams, WeightStatus status = WeightStatus::Stable) {
    return {"scale-1", grams, status, 0};
}

TEST(ExpectedWeight, SumOfUnitWeightsPlusTare) {
    const testing::SkuMap skus = catalogue();
    const std::vector<ScannedItem> items{scanned("TEE-RED-L"), scanned("TEE-BLU-M"),
                                         scanned("TEE-BLU-M"), scanned("MUG-WHT")};
    EXPECT_DOUBLE_EQ(expected_weight_g(items, skus, 120.0), 180.0 + 170.0 + 170.0 + 350.0 + 120.0);
    EXPECT_DOUBLE_EQ(expected_weight_g({}, skus, 120.0), 120.0);
    EXPECT_DOUBLE_EQ(expected_weight_g({scanned("NOT-IN-CATALOGUE")}, skus, 0.0), 0.0);
    EXPECT_DOUBLE_EQ(expected_weight_g(items, skus, -5.0), 870.0)
        << "a negative tare counts as none";
}

struct ToleranceCase {
    std::string_view label;
    double expected_g;
    WeightTolerance site;
    std::optional<double> sku_abs_g;
    std::optional<double> sku_pct;
    double tolerance_g;
};

TEST(WeightTolerance, LargestOfSiteAndSkuRules) {
    const ToleranceCase cases[] = {
        {"site absolute wins on a light parcel", 200.0, {20.0, 5.0}, {}, {}, 20.0},
        {"site percent wins on a heavy parcel", 1020.0, {20.0, 5.0}, {}, {}, 51.0},
        {"equal at 400 g", 400.0, {20.0, 5.0}, {}, {}, 20.0},
        {"SKU absolute widens", 1020.0, {20.0, 5.0}, 80.0, {}, 80.0},
        {"SKU percent widens", 1020.0, {20.0, 5.0}, {}, 10.0, 102.0},
        {"SKU abs and pct: larger of the two", 1020.0, {20.0, 5.0}, 60.0, 10.0, 102.0},
        {"a tighter SKU never narrows", 1020.0, {20.0, 5.0}, 5.0, 1.0, 51.0},
        {"no tolerance at all", 1020.0, {0.0, 0.0}, {}, {}, 0.0},
        {"negative settings count as zero", 1020.0, {-20.0, -5.0}, -3.0, {}, 0.0},
    };
    for (const ToleranceCase& c : cases) {
        testing::SkuMap skus = catalogue();
        skus["MUG-WHT"].tolerance_abs_g = c.sku_abs_g;
        skus["MUG-WHT"].tolerance_pct = c.sku_pct;
        const std::vector<ScannedItem> items{scanned("TEE-RED-L"), scanned("MUG-WHT"),
                                             scanned("MUG-WHT")};
        EXPECT_DOUBLE_EQ(weight_tolerance_g(c.expected_g, c.site, items, skus), c.tolerance_g)
            << c.label;
    }
}

TEST(WeightTolerance, OnlySkusInTheParcelWiden) {
    testing::SkuMap skus = catalogue();
    skus["PHONE-X"].tolerance_abs_g = 500.0;
    const std::vector<ScannedItem> items{scanned("TEE-RED-L")};
    EXPECT_DOUBLE_EQ(weight_tolerance_g(1020.0, {20.0, 5.0}, items, skus), 51.0);
    EXPECT_DOUBLE_EQ(weight_tolerance_g(1020.0, {20.0, 5.0}, {scanned("PHONE-X")}, skus), 500.0);
}

struct WeightCase {
    std::string_view label;
    WeightReading reading;
    std::string_view reason;  // empty = passes
};

TEST(CheckWeight, StableReadingWithinToleranceInclusive) {
    // Expected 1 020 g, tolerance 51 g (5 %): 969 g .. 1 071 g pass.
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const WeightCase cases[] = {
        {"exact", reading(1020.0), ""},
        {"lower bound", reading(969.0), ""},
        {"upper bound", reading(1071.0), ""},
        {"1 g under the lower bound", reading(968.0), "weight.too_light"},
        {"1 g over the upper bound", reading(1072.0), "weight.too_heavy"},
        {"a tenth over", reading(1071.1), "weight.too_heavy"},
        {"far too light", reading(812.0), "weight.too_light"},
        {"in motion at the right weight", reading(1020.0, WeightStatus::InMotion),
         "weight.unstable"},
        {"under zero", reading(-12.0, WeightStatus::UnderZero), "weight.negative"},
        {"stable but negative", reading(-3.0), "weight.negative"},
        {"overload", reading(1020.0, WeightStatus::Overload), "weight.overload"},
        {"fault", reading(1020.0, WeightStatus::Fault), "weight.scale_fault"},
        {"not a number", reading(nan), "weight.scale_fault"},
        {"infinite", reading(std::numeric_limits<double>::infinity()), "weight.scale_fault"},
        {"at zero", reading(0.0, WeightStatus::AtZero), "weight.empty"},
        {"stable zero", reading(0.0), "weight.empty"},
        {"stable crumb", reading(0.4), "weight.empty"},
    };
    for (const WeightCase& c : cases) {
        const CheckResult result = check_weight(1020.0, 51.0, c.reading);
        EXPECT_EQ(result.passed, c.reason.empty()) << c.label << ": " << result.message;
        EXPECT_EQ(result.reason, c.reason) << c.label;
        if (!result.passed) {
            EXPECT_FALSE(result.message.empty()) << c.label;
        }
    }
}

TEST(CheckWeight, ToleranceFromSitePercentIsInclusiveToo) {
    const testing::SkuMap skus = catalogue();
    const std::vector<ScannedItem> items{scanned("TEE-RED-L"), scanned("TEE-BLU-M")};
    const double expected = expected_weight_g(items, skus, 13.0);                    // 363 g
    const double tolerance = weight_tolerance_g(expected, {0.0, 3.0}, items, skus);  // 10.89 g
    EXPECT_TRUE(check_weight(expected, tolerance, reading(expected + tolerance)).passed);
    EXPECT_TRUE(check_weight(expected, tolerance, reading(expected - tolerance)).passed);
    EXPECT_FALSE(check_weight(expected, tolerance, reading(expected + tolerance + 1.0)).passed);
}

TEST(CheckWeight, PerSkuToleranceLetsABulkyItemPass) {
    testing::SkuMap skus = catalogue();
    const std::vector<ScannedItem> items{scanned("MUG-WHT"), scanned("MUG-WHT"),
                                         scanned("MUG-WHT")};
    const double expected = expected_weight_g(items, skus, 150.0);  // 1 200 g
    const WeightTolerance site{20.0, 5.0};                          // 60 g
    EXPECT_EQ(
        check_weight(expected, weight_tolerance_g(expected, site, items, skus), reading(1290.0))
            .reason,
        "weight.too_heavy");
    skus["MUG-WHT"].tolerance_abs_g = 90.0;  // hand-made mugs vary
    EXPECT_TRUE(
        check_weight(expected, weight_tolerance_g(expected, site, items, skus), reading(1290.0))
            .passed);
    EXPECT_EQ(
        check_weight(expected, weight_tolerance_g(expected, site, items, skus), reading(1291.0))
            .reason,
        "weight.too_heavy");
}

TEST(CheckWeight, MessagesAndDetails) {
    const CheckResult light = check_weight(1020.0, 51.0, reading(812.0));
    EXPECT_EQ(light.message,
              "Parcel weighs 812 g, expected 1 020 g ± 51 g — something is missing?");
    EXPECT_EQ(detail(light, "expected_g"), "1020");
    EXPECT_EQ(detail(light, "tolerance_g"), "51");
    EXPECT_EQ(detail(light, "measured_g"), "812");
    EXPECT_EQ(detail(light, "difference_g"), "-208");

    const CheckResult heavy = check_weight(12500.0, 625.5, reading(13200.25));
    EXPECT_EQ(heavy.message,
              "Parcel weighs 13 200 g, expected 12 500 g ± 626 g — something extra inside?");
    EXPECT_EQ(detail(heavy, "tolerance_g"), "625.5");
    EXPECT_EQ(detail(heavy, "measured_g"), "13200.3");
    EXPECT_EQ(detail(heavy, "difference_g"), "700.3");

    const CheckResult unstable =
        check_weight(1020.0, 51.0, reading(1003.0, WeightStatus::InMotion));
    EXPECT_EQ(unstable.message, "Scale is still settling — keep the parcel still");
    EXPECT_EQ(detail(unstable, "measured_g"), "1003");
    EXPECT_EQ(detail(unstable, "device"), "scale-1");
}

}  // namespace
}  // namespace packline::station
