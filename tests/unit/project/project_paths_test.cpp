// The project's words point at things that exist: every relative link in
// README.md and docs/ reaches a file (and its #anchor a heading there), and
// every path a comment or a document names (docs/store.md,
// tests/support/power_cut_vfs.h, packline/hardware/devices.h) is there. A file
// moved or renamed without its mentions fails here, not in a newcomer's
// hands.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "project_tree.h"

namespace packline {
namespace {

namespace fs = std::filesystem;

const fs::path kRoot = project_tree::project_root();
using project_tree::project_files;
using project_tree::read_file;

// The lines of a Markdown text, each with whether it is inside a fenced
// block (the fence lines themselves count as inside).
std::vector<std::pair<std::string, bool>> lines_of(const std::string& markdown) {
    std::vector<std::pair<std::string, bool>> lines;
    bool fenced = false;
    std::size_t at = 0;
    while (at < markdown.size()) {
        std::size_t end = markdown.find('\n', at);
        if (end == std::string::npos) end = markdown.size();
        std::string line = markdown.substr(at, end - at);
        at = end + 1;
        const bool fence = line.find("```") != std::string::npos;
        if (fence) fenced = !fenced;
        lines.emplace_back(std::move(line), fenced || fence);
    }
    return lines;
}

// Markdown without its fenced blocks and inline code spans, where brackets
// and paths are examples, not links.
std::string prose(const std::string& markdown) {
    std::string text;
    for (const auto& [line, fenced] : lines_of(markdown)) {
        if (fenced) {
            text += '\n';
            continue;
        }
        bool in_code = false;
        for (char c : line) {
            if (c == '`') in_code = !in_code;
            if (!in_code && c != '`') text += c;
        }
        text += '\n';
    }
    return text;
}

// GitHub's anchor for a heading: lower case, punctuation dropped (letters of
// any script, digits, '-', '_' and spaces kept), spaces to '-'.
std::string anchor_of(const std::string& heading) {
    std::string anchor;
    for (char c : heading) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x80) {
            anchor += c;
        } else if (std::isalnum(byte) || c == '-' || c == '_') {
            anchor += static_cast<char>(std::tolower(byte));
        } else if (c == ' ') {
            anchor += '-';
        }
    }
    return anchor;
}

std::set<std::string> anchors_in(const fs::path& markdown) {
    std::set<std::string> anchors;
    for (const auto& [line, fenced] : lines_of(read_file(markdown))) {
        if (fenced || !line.starts_with("#")) continue;
        const std::size_t title = line.find_first_not_of('#');
        if (title == std::string::npos || line[title] != ' ') continue;
        std::string heading = line.substr(title + 1);
        heading.erase(std::remove(heading.begin(), heading.end(), '`'), heading.end());
        anchors.insert(anchor_of(heading));
    }
    return anchors;
}

TEST(ProjectPaths, EveryRelativeLinkInTheDocsReachesItsFileAndHeading) {
    std::vector<fs::path> documents = project_files({".md"});
    ASSERT_GT(documents.size(), 10u);
    const std::regex link(R"(\]\(([^)\s]+)\))");
    int links = 0;
    for (const fs::path& document : documents) {
        const std::string text = prose(read_file(document));
        for (auto match = std::sregex_iterator(text.begin(), text.end(), link);
             match != std::sregex_iterator(); ++match) {
            const std::string target = (*match)[1].str();
            if (std::regex_search(target, std::regex("^[a-zA-Z][a-zA-Z0-9+.-]*:"))) continue;
            ++links;
            const std::size_t hash = target.find('#');
            const std::string file = target.substr(0, hash);
            const fs::path resolved =
                file.empty() ? document : (document.parent_path() / file).lexically_normal();
            SCOPED_TRACE(fs::relative(document, kRoot).string() + ": " + target);
            ASSERT_TRUE(fs::exists(resolved)) << "points nowhere";
            if (hash != std::string::npos && resolved.extension() == ".md") {
                EXPECT_TRUE(anchors_in(resolved).contains(target.substr(hash + 1)))
                    << "no such heading in " << fs::relative(resolved, kRoot).string();
            }
        }
    }
    EXPECT_GT(links, 20);
}

// A path a file names: under the project root, beside the file, or under a
// public include folder (packline/hardware/devices.h).
bool names_something(const std::string& path, const fs::path& naming_file,
                     const std::vector<fs::path>& include_roots) {
    if (fs::exists(kRoot / path) || fs::exists(naming_file.parent_path() / path)) return true;
    for (const fs::path& root : include_roots)
        if (fs::exists(root / path) || fs::exists(root / "packline" / path)) return true;
    return false;
}

TEST(ProjectPaths, EveryPathACommentOrADocumentNamesIsThere) {
    std::vector<fs::path> include_roots;
    for (auto it = fs::recursive_directory_iterator(kRoot);
         it != fs::recursive_directory_iterator(); ++it) {
        const std::string name = it->path().filename().string();
        if (it->is_directory() && (name.starts_with(".") || name.starts_with("build") ||
                                   name == "node_modules" || name == "corpus")) {
            it.disable_recursion_pending();
            continue;
        }
        if (it->is_directory() && name == "include") include_roots.push_back(it->path());
    }
    ASSERT_FALSE(include_roots.empty());
    const std::vector<fs::path> files = project_files(
        {".cpp", ".h", ".md", ".sh", ".cmake", ".in", ".js", ".yaml", ".toml", "CMakeLists.txt"});
    // A path starts at one of the project's folders and ends at a name, or
    // is a public header as included (packline/<module>/<name>.h; not an
    // MQTT topic). A glob or a pattern (tests/fuzz/fuzz_*, usb_testbed.*,
    // corpus/<name>) names no one file.
    const std::regex path(
        R"((^|[^\w/.-])((docs|tests|station|sync|drivers|labels|hardware|scripts|firmware-host|debian|cmake)/[\w./-]*\w|packline/[\w/.-]*\.h)((\.?[*<{])?))");
    std::map<std::string, std::set<std::string>> missing;
    int named = 0;
    for (const fs::path& file : files) {
        const std::string text = read_file(file);
        for (auto match = std::sregex_iterator(text.begin(), text.end(), path);
             match != std::sregex_iterator(); ++match) {
            if (!(*match)[4].str().empty()) continue;  // a pattern
            const std::string named_path = (*match)[2].str();
            ++named;
            if (!names_something(named_path, file, include_roots))
                missing[named_path].insert(fs::relative(file, kRoot).string());
        }
    }
    for (const auto& [named_path, where] : missing) {
        std::string files_naming;
        for (const std::string& one : where)
            files_naming += " " + one;
        ADD_FAILURE() << named_path << " is named by" << files_naming << " but is not there";
    }
    EXPECT_GT(named, 100);
}

}  // namespace
}  // namespace packline
