// Error codes are names, declared once: every module's codes are constants
// in its one *_errors.h header, each code in one header only, every code on
// docs/error-codes.md and nothing there that is not a code, and no product
// source builds or compares an error with a code spelled as a literal.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "project_tree.h"

namespace packline {
namespace {

namespace fs = std::filesystem;
using project_tree::project_files;
using project_tree::read_file;
using project_tree::relative_to_root;

const std::set<std::string> kProductFolders{"hardware", "drivers", "labels", "station", "sync"};

bool in_product(const std::string& relative) {
    return kProductFolders.count(relative.substr(0, relative.find('/'))) != 0;
}

bool is_errors_header(const std::string& relative) {
    return relative.find("/include/packline/") != std::string::npos &&
           relative.ends_with("_errors.h");
}

struct Declared {
    std::map<std::string, std::string> code_of;    // constant -> code
    std::map<std::string, std::string> header_of;  // code -> header
};

Declared declared_codes() {
    Declared declared;
    const std::regex constant(
        R"re(inline constexpr const char\* (k\w+) = "([a-z0-9_]+\.[a-z0-9_]+)";)re");
    for (const fs::path& file : project_files({".h"})) {
        const std::string relative = relative_to_root(file);
        if (!in_product(relative) || !is_errors_header(relative)) continue;
        const std::string text = read_file(file);
        std::set<std::string> listed;  // the header's array
        const std::size_t array = text.find("inline constexpr std::array");
        EXPECT_NE(array, std::string::npos) << relative << " has no array of its codes";
        const std::regex entry(R"(\s(k\w+),)");
        for (auto it =
                 std::sregex_iterator(text.begin() + static_cast<long>(array), text.end(), entry);
             it != std::sregex_iterator(); ++it)
            listed.insert((*it)[1]);
        std::set<std::string> constants;
        for (auto it = std::sregex_iterator(text.begin(), text.end(), constant);
             it != std::sregex_iterator(); ++it) {
            const std::string name = (*it)[1];
            const std::string code = (*it)[2];
            constants.insert(name);
            EXPECT_TRUE(declared.code_of.emplace(name, code).second) << name << " twice";
            const auto [where, fresh] = declared.header_of.emplace(code, relative);
            EXPECT_TRUE(fresh) << code << " in " << relative << " and " << where->second;
        }
        EXPECT_EQ(listed, constants) << relative << ": the array lists other codes than declared";
    }
    return declared;
}

TEST(ErrorCodes, EveryCodeIsDeclaredOnceAndListedOnTheDocsPage) {
    const Declared declared = declared_codes();
    ASSERT_GT(declared.header_of.size(), 100u);
    const std::string page = read_file(project_tree::project_root() / "docs/error-codes.md");
    std::map<std::string, std::string> documented;  // code -> constant
    const std::regex row(R"(^\| `([a-z0-9_]+\.[a-z0-9_]+)` \| `(k\w+)` \|)");
    std::istringstream lines(page);
    std::string line;
    while (std::getline(lines, line)) {
        std::smatch match;
        if (std::regex_search(line, match, row)) documented[match[1]] = match[2];
    }
    for (const auto& [name, code] : declared.code_of) {
        const auto found = documented.find(code);
        EXPECT_NE(found, documented.end()) << code << " is not on docs/error-codes.md";
        if (found != documented.end()) {
            EXPECT_EQ(found->second, name) << code;
        }
    }
    for (const auto& [code, name] : documented)
        EXPECT_EQ(declared.header_of.count(code), 1u)
            << "docs/error-codes.md lists " << code << ", which no header declares";
}

TEST(ErrorCodes, NoProductSourceSpellsACodeAsALiteral) {
    const Declared declared = declared_codes();
    const std::regex literal(R"re("([a-z][a-z0-9_]*\.[a-z0-9_]+)")re");
    std::size_t sources = 0;
    for (const fs::path& file : project_files({".cpp", ".h"})) {
        const std::string relative = relative_to_root(file);
        // The verdicts shown to the packer are constants of their own (verdict.h).
        if (!in_product(relative) || is_errors_header(relative) ||
            relative.ends_with("station/verdict.h"))
            continue;
        ++sources;
        std::istringstream lines(read_file(file));
        std::string line;
        int number = 0;
        while (std::getline(lines, line)) {
            ++number;
            const std::string code = line.substr(0, line.find("//"));
            for (auto it = std::sregex_iterator(code.begin(), code.end(), literal);
                 it != std::sregex_iterator(); ++it)
                EXPECT_EQ(declared.header_of.count((*it)[1]), 0u)
                    << relative << ":" << number << ": \"" << (*it)[1]
                    << "\" is a code; use its constant (docs/error-codes.md)";
        }
    }
    EXPECT_GT(sources, 300u);
}

}  // namespace
}  // namespace packline
