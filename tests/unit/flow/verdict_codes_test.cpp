// The station's verdict codes are names, listed once (verdict.h) and in the
// docs: the packer screen's texts and sounds, the hub and the operators'
// procedures key on them, so none may be written as a loose literal.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "packline/station/verdict.h"

namespace packline::station {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST(VerdictCodes, AreUniqueAndShapedAsGroupDotName) {
    std::set<std::string_view> seen;
    const std::regex shape("[a-z]+\\.[a-z_]+");
    for (std::string_view code : all_verdict_codes()) {
        EXPECT_TRUE(seen.insert(code).second) << code << " twice";
        EXPECT_TRUE(std::regex_match(std::string(code), shape)) << code;
    }
    EXPECT_GE(seen.size(), 40u);
}

TEST(VerdictCodes, EveryCodeIsDocumented) {
    const std::string docs = read(fs::path(PACKLINE_SOURCE_DIR) / "docs/checks.md");
    for (std::string_view code : all_verdict_codes())
        EXPECT_NE(docs.find("`" + std::string(code) + "`"), std::string::npos)
            << code << " is not in docs/checks.md";
}

// A verdict built with a literal code would escape the catalogue, its
// documentation and the screen's texts.
TEST(VerdictCodes, NoStationSourceWritesACodeAsALiteral) {
    const std::regex literal_code(
        R"re((VerdictKind::\w+,\s*"[a-z_]+\.[a-z_]+")|(refused\(\s*"[a-z_]+\.[a-z_]+"))re");
    int files = 0;
    for (const auto& entry :
         fs::recursive_directory_iterator(fs::path(PACKLINE_SOURCE_DIR) / "station")) {
        const fs::path& path = entry.path();
        if (path.extension() != ".cpp" && path.extension() != ".h") continue;
        if (path.string().find("node_modules") != std::string::npos) continue;
        ++files;
        const std::string text = read(path);
        std::smatch found;
        EXPECT_FALSE(std::regex_search(text, found, literal_code))
            << path << ": " << found.str() << " (use verdict::... from verdict.h)";
    }
    EXPECT_GT(files, 50);
}

}  // namespace
}  // namespace packline::station
