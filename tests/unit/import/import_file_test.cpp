// Import files from disk: the format by extension or by content, and the two
// errors a file itself can cause.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "packline/station/import.h"

namespace packline::station {
namespace {

namespace fs = std::filesystem;

class ImportFile : public ::testing::Test {
  protected:
    void SetUp() override {
        directory_ = fs::temp_directory_path() /
                     ("packline-import-test-" +
                      std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(directory_);
    }
    void TearDown() override {
        std::error_code ignored;
        fs::remove_all(directory_, ignored);
    }

    std::string write(const std::string& name, const std::string& text) {
        const auto path = directory_ / name;
        std::ofstream(path, std::ios::binary) << text;
        return path.string();
    }

    fs::path directory_;
};

std::string fixture_path(const std::string& name) {
    return std::string(PACKLINE_SOURCE_DIR) + "/tests/fixtures/import/" + name;
}

TEST_F(ImportFile, ChoosesTheFormatByExtension) {
    const auto json = parse_import_file(fixture_path("sample.json"));
    ASSERT_TRUE(json.ok()) << json.error().to_string();
    EXPECT_EQ(json->batch.orders.size(), 3u);
    EXPECT_TRUE(json->problems.empty());

    const auto csv = parse_import_file(fixture_path("orders.csv"));
    ASSERT_TRUE(csv.ok());
    EXPECT_EQ(csv->batch.orders.size(), 3u);

    // The extension wins over the content: a CSV named .json is a JSON syntax error.
    const auto misnamed = parse_import_file(write("packaging.JSON", "code,name,tare_g\nB,b,1\n"));
    ASSERT_TRUE(misnamed.ok());
    EXPECT_TRUE(misnamed->batch.packaging.empty());
    ASSERT_EQ(misnamed->problems.size(), 1u);
    EXPECT_NE(misnamed->problems[0].message.find("invalid JSON"), std::string::npos);

    const auto upper = parse_import_file(write("PACKAGING.CSV", "code,name,tare_g\nB,b,1\n"));
    ASSERT_TRUE(upper.ok());
    EXPECT_EQ(upper->batch.packaging.size(), 1u);
}

TEST_F(ImportFile, ProblemsNameTheFile) {
    const std::string path = write("bad.csv", "code,name,tare_g\nB,b,-1\n");
    const auto result = parse_import_file(path);
    ASSERT_TRUE(result.ok());
    ASSERT_EQ(result->problems.size(), 1u);
    EXPECT_EQ(result->problems[0].file, path);
    EXPECT_EQ(result->problems[0].line, 2);
}

TEST_F(ImportFile, SniffsTheFormatWithoutAKnownExtension) {
    const auto json = parse_import_file(
        write("export.txt", "\xEF\xBB\xBF\n  {\"packaging\": [{\"code\": \"B\", \"tare_g\": 1}]}"));
    ASSERT_TRUE(json.ok());
    EXPECT_EQ(json->batch.packaging.size(), 1u);

    const auto csv = parse_import_file(write("export",
                                             "\"sku\",name,style,size,colour,unit_weight_g,"
                                             "barcodes,serial_required\nS,n,,,,1,,\n"));
    ASSERT_TRUE(csv.ok());
    EXPECT_EQ(csv->batch.skus.size(), 1u);
}

TEST_F(ImportFile, UnknownFormat) {
    for (const std::string text : {"", "hello", "a,b,c\n1,2,3\n", "skus;name\n", "[1, 2]"}) {
        const auto result = parse_import_file(write("data.txt", text));
        ASSERT_FALSE(result.ok()) << text;
        EXPECT_EQ(result.error().code, "import.unknown_format") << text;
    }
}

TEST_F(ImportFile, UnreadableFiles) {
    const auto missing = parse_import_file((directory_ / "missing.json").string());
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, "import.unreadable");
    EXPECT_NE(missing.error().message.find("missing.json"), std::string::npos);

    const auto folder = parse_import_file(directory_.string());
    ASSERT_FALSE(folder.ok());
    EXPECT_EQ(folder.error().code, "import.unreadable");
}

TEST(SniffImportFormat, Table) {
    const struct {
        std::string text;
        std::optional<ImportFormat> format;
    } cases[] = {
        {"{}", ImportFormat::Json},
        {" \r\n{\"orders\": []}", ImportFormat::Json},
        {"order_id,sku,quantity", ImportFormat::Csv},
        {"Code,Name,Tare_g\r\n", ImportFormat::Csv},
        {"name, sku ,unit_weight_g", ImportFormat::Csv},
        {"\"order_id\",\"sku\"", ImportFormat::Csv},
        {"skus,codes", std::nullopt},       // a column name must match whole
        {"sku", std::nullopt},              // one column is not evidence of CSV
        {"barcode;sku;qty", std::nullopt},  // semicolon-separated is not supported
        {"", std::nullopt},
        {"<xml/>", std::nullopt},
    };
    for (const auto& example : cases)
        EXPECT_EQ(sniff_import_format(example.text), example.format) << example.text;
}

}  // namespace
}  // namespace packline::station
