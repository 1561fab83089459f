// The project's own files as the tests that check the project itself see
// them: no build trees, no installed packages, no fuzz corpora (bytes, not
// words), no hidden folders.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

namespace packline::project_tree {

inline const std::filesystem::path& project_root() {
    static const std::filesystem::path root = PACKLINE_SOURCE_DIR;
    return root;
}

inline std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

inline std::string relative_to_root(const std::filesystem::path& path) {
    return std::filesystem::relative(path, project_root()).generic_string();
}

// Files whose extension (".md") or whole name ("CMakeLists.txt") is in
// `wanted`, sorted.
inline std::vector<std::filesystem::path> project_files(const std::set<std::string>& wanted) {
    namespace fs = std::filesystem;
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(project_root());
         it != fs::recursive_directory_iterator(); ++it) {
        const std::string name = it->path().filename().string();
        const std::string relative = relative_to_root(it->path());
        if (it->is_directory() &&
            (name.starts_with(".") || name.starts_with("build") || name == "node_modules" ||
             relative == "tests/fuzz/corpus" || relative == "tests/fuzz/crashes")) {
            it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file()) continue;
        if (wanted.contains(it->path().extension().string()) || wanted.contains(name))
            files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace packline::project_tree
