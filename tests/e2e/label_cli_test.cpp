// `packline label render` and `packline label templates` as a person uses them:
// an order file in, a label file out, in the format asked for or the one the
// file name says; clear errors and exit codes otherwise.
#include <gtest/gtest.h>

#include <fstream>

#include "packline/labels/zpl_inspect.h"
#include "process.h"

namespace packline::station {
namespace {

namespace fs = std::filesystem;

class LabelCli : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("packline-e2e-label-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    int packline(std::vector<std::string> args) {
        args.insert(args.begin(), testing::binary("packline"));
        return testing::run(args, dir_ / "out.txt");
    }
    std::string output() const { return testing::read_file(dir_ / "out.txt"); }
    std::string file(const std::string& name) const { return testing::read_file(dir_ / name); }

    const std::string order_ =
        std::string(PACKLINE_SOURCE_DIR) + "/tests/fixtures/import/one-order.json";
    fs::path dir_;
};

TEST_F(LabelCli, RendersEachFormat) {
    const std::string zpl = (dir_ / "label.zpl").string();
    ASSERT_EQ(packline({"label", "render", order_, "--template", "shipping-4x6-203", "--format",
                        "zpl", "-o", zpl, "--weight", "830", "--parcel", "1/2"}),
              0)
        << output();
    auto document = labels::inspect_zpl(file("label.zpl"));
    ASSERT_TRUE(document.ok()) << document.error().to_string();
    bool tracking = false;
    for (const auto& barcode : document->barcodes)
        tracking = tracking || barcode.data == "1Z5R89390357567127";
    EXPECT_TRUE(tracking);
    EXPECT_NE(std::find(document->texts.begin(), document->texts.end(), "PARCEL 1/2"),
              document->texts.end());
    EXPECT_NE(std::find(document->texts.begin(), document->texts.end(), "WEIGHT 830 g"),
              document->texts.end());

    // The format from the file name.
    ASSERT_EQ(packline({"label", "render", order_, "-o", (dir_ / "label.png").string()}), 0)
        << output();
    EXPECT_EQ(file("label.png").substr(1, 3), "PNG");
    ASSERT_EQ(packline({"label", "render", order_, "--template", "packing-slip-a4", "-o",
                        (dir_ / "slip.pdf").string()}),
              0)
        << output();
    EXPECT_EQ(file("slip.pdf").substr(0, 5), "%PDF-");
    EXPECT_NE(output().find("packing-slip-a4"), std::string::npos) << output();
}

TEST_F(LabelCli, ListsTheTemplates) {
    ASSERT_EQ(packline({"label", "templates"}), 0);
    for (const char* name : {"shipping-4x6-203", "shipping-4x6-300", "shipping-100x150",
                             "brother-62mm", "packing-slip-a4", "packing-slip-letter"})
        EXPECT_NE(output().find(name), std::string::npos) << name;
}

TEST_F(LabelCli, MistakesGiveAReasonAndAnExitCode) {
    const std::string out = (dir_ / "x.zpl").string();
    EXPECT_EQ(packline({"label", "render", order_, "--template", "nope", "-o", out}), 2);
    EXPECT_NE(output().find("no template called \"nope\""), std::string::npos) << output();
    EXPECT_EQ(packline({"label", "render", order_, "--template", "brother-62mm", "-o", out}), 1);
    EXPECT_NE(output().find("not made for zpl"), std::string::npos) << output();
    EXPECT_EQ(packline({"label", "render", order_, "-o", (dir_ / "x.svg").string()}), 2);
    EXPECT_NE(output().find("zpl, png or pdf"), std::string::npos) << output();
    EXPECT_EQ(packline({"label", "render", order_}), 2);  // no -o
    EXPECT_EQ(packline({"label", "render", order_, "--order", "9999", "-o", out}), 1);
    EXPECT_NE(output().find("no order 9999"), std::string::npos) << output();
    EXPECT_EQ(packline({"label", "render", order_, "--tracking", "1Z^XZ", "-o", out}), 1);
    EXPECT_NE(output().find("label.bad_field"), std::string::npos) << output();
    EXPECT_FALSE(fs::exists(out));
    const fs::path broken = dir_ / "broken.json";
    std::ofstream(broken) << "{\"orders\": [";
    EXPECT_EQ(packline({"label", "render", broken.string(), "-o", out}), 1);
    EXPECT_NE(output().find("broken.json"), std::string::npos) << output();
}

}  // namespace
}  // namespace packline::station
