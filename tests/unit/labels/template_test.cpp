#include "packline/labels/template.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace packline::labels {
namespace {

constexpr const char* kMinimal = R"(
description = "test"
width_mm = 50
height_mm = 30
dpi = 203
[[element]]
type = "text"
x = 1
y = 1
width = 48
height = 10
text = "{recipient.name}"
)";

std::string with(std::string_view extra) {
    return std::string(kMinimal) + std::string(extra);
}

TEST(LabelTemplate, BuiltInsLoadAndCoverTheIssueSizes) {
    const auto templates = list_templates();
    ASSERT_GE(templates.size(), 6u);
    for (const auto& info : templates) {
        SCOPED_TRACE(info.name);
        auto loaded = load_template(info.name);
        ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
        EXPECT_EQ(loaded->name, info.name);
        EXPECT_FALSE(loaded->description.empty());
        EXPECT_EQ(info.origin, "built-in");
    }
    auto four_by_six = load_template("shipping-4x6-203");
    ASSERT_TRUE(four_by_six.ok());
    EXPECT_EQ(four_by_six->width_dots(), 812);
    EXPECT_EQ(four_by_six->height_dots(), 1218);
    auto high = load_template("shipping-4x6-300");
    ASSERT_TRUE(high.ok());
    EXPECT_EQ(high->width_dots(), 1200);
    EXPECT_EQ(high->height_dots(), 1800);
    EXPECT_EQ(high->elements.size(), four_by_six->elements.size());  // from its base
    auto metric = load_template("shipping-100x150");
    ASSERT_TRUE(metric.ok());
    EXPECT_EQ(metric->width_dots(), 799);
    auto brother = load_template("brother-62mm");
    ASSERT_TRUE(brother.ok());
    EXPECT_FALSE(brother->allows("zpl"));
    EXPECT_TRUE(brother->allows("png"));
    for (const char* slip : {"packing-slip-a4", "packing-slip-letter"}) {
        auto loaded = load_template(slip);
        ASSERT_TRUE(loaded.ok());
        EXPECT_TRUE(std::any_of(loaded->elements.begin(), loaded->elements.end(),
                                [](const auto& e) { return e.type == ElementType::Items; }));
    }
}

TEST(LabelTemplate, ParsesElements) {
    auto parsed = parse_template(with(R"(
[[element]]
type = "barcode"
symbology = "qr"
x = 30
y = 12
width = 15
height = 15
data = "{label_code}"
module = 0.5
)"),
                                 "mine.toml");
    ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
    EXPECT_EQ(parsed->name, "mine");
    ASSERT_EQ(parsed->elements.size(), 2u);
    EXPECT_EQ(parsed->elements[1].symbology, Symbology::QrCode);
    EXPECT_DOUBLE_EQ(parsed->elements[1].module_mm, 0.5);
}

TEST(LabelTemplate, MistakesAreReportedWithTheKey) {
    struct Case {
        std::string text;
        std::string expect;
    };
    const Case cases[] = {
        {"width_mm = ", "line"},
        {with("colour = \"red\"\n"), "colour is not a template key"},
        {with("[[element]]\ntype = \"circle\"\nx = 1\ny = 1\nwidth = 1\nheight = 1\n"),
         "element[1].type"},
        {with("[[element]]\ntype = \"text\"\nx = 1\ny = 1\nwidth = 1\nheight = 1\n"
              "text = \"{recipent.name}\"\n"),
         "unknown field {recipent.name}"},
        {with("[[element]]\ntype = \"text\"\nx = 40\ny = 1\nwidth = 20\nheight = 1\n"
              "text = \"x\"\n"),
         "does not fit on the page"},
        {with("[[element]]\ntype = \"text\"\nx = 1\ny = 1\nwidth = 1\nheight = 1\n"
              "text = \"x\"\nsize = 6\nmin_size = 8\n"),
         "min_size must not exceed size"},
        {with("[[element]]\ntype = \"barcode\"\nsymbology = \"aztec\"\nx = 1\ny = 1\n"
              "width = 1\nheight = 1\ndata = \"x\"\n"),
         "symbology"},
        {with("[[element]]\ntype = \"items\"\nx = 1\ny = 1\nwidth = 1\nheight = 1\n"),
         "columns is needed"},
        {with("dpi = 5\n"), "dpi"},
        {"base = \"no-such-template\"\n", "no built-in template"},
        {"width_mm = 50\nheight_mm = 30\n", "at least one [[element]]"},
        {with("zpl_text = \"fancy\"\n"), "zpl_text"},
        {with("formats = [\"svg\"]\n"), "formats"},
        {with("[[element]]\ntype = \"text\"\nwhen = \"nothing\"\nx = 1\ny = 1\nwidth = 1\n"
              "height = 1\ntext = \"x\"\n"),
         "when names no field"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.text);
        auto parsed = parse_template(c.text, "bad.toml");
        ASSERT_FALSE(parsed.ok());
        EXPECT_EQ(parsed.error().code, "label.bad_template");
        EXPECT_NE(parsed.error().message.find("bad.toml"), std::string::npos)
            << parsed.error().message;
        EXPECT_NE(parsed.error().message.find(c.expect), std::string::npos)
            << parsed.error().message;
    }
}

TEST(LabelTemplate, ADirectoryOverridesAndExtendsTheBuiltIns) {
    const auto directory = std::filesystem::temp_directory_path() / "packline-template-test";
    std::filesystem::remove_all(directory);
    std::filesystem::create_directories(directory);
    std::ofstream(directory / "mine.toml") << kMinimal;
    std::ofstream(directory / "shipping-4x6-203.toml")
        << "base = \"shipping-4x6-203\"\ndescription = \"site copy\"\n";
    auto mine = load_template("mine", directory.string());
    ASSERT_TRUE(mine.ok()) << mine.error().to_string();
    EXPECT_EQ(mine->description, "test");
    auto copy = load_template("shipping-4x6-203", directory.string());
    ASSERT_TRUE(copy.ok()) << copy.error().to_string();
    EXPECT_EQ(copy->description, "site copy");
    auto by_path = load_template((directory / "mine.toml").string());
    ASSERT_TRUE(by_path.ok());
    const auto listed = list_templates(directory.string());
    EXPECT_TRUE(
        std::any_of(listed.begin(), listed.end(), [](const auto& t) { return t.name == "mine"; }));
    auto missing = load_template("nope", directory.string());
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, "label.no_template");
    EXPECT_NE(missing.error().message.find("shipping-4x6-203"), std::string::npos);
    EXPECT_FALSE(load_template("../etc/passwd").ok());
    std::filesystem::remove_all(directory);
}

}  // namespace
}  // namespace packline::labels
