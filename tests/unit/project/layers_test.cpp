// The layers run one way (docs/ARCHITECTURE.md, "Layers"): a file reaches
// only its own module and the public headers (include/) of modules beneath
// it. Every #include of the product's sources is resolved to the file it
// names and judged:
//   - upward or sideways: the included module is not beneath the includer;
//   - private: the included header is another module's src/ or io/ file.
// The debts that remain from before the rule are listed below, each by name;
// a new crossing fails, and so does a listed debt that is gone (strike it),
// so the list only ever shrinks.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "project_tree.h"

namespace packline {
namespace {

namespace fs = std::filesystem;
using project_tree::project_files;
using project_tree::project_root;
using project_tree::read_file;
using project_tree::relative_to_root;

struct Module {
    const char* name;
    int layer;
};

// Folder (or file) -> module, the most specific entry first. Layers, bottom
// to top: 0 base; 1 hardware; 2 drivers, labels, the SQLite wrapper, the web
// server; 3 the station core; 4 sync, the packer screen, the demo; 5 the
// station's side of sync, the hub; 6 the programs.
struct Placement {
    const char* prefix;
    Module module;
};
const Placement kPlacements[] = {
    {"hardware/base/", {"base", 0}},
    {"hardware/", {"hardware", 1}},
    {"drivers/", {"drivers", 2}},
    {"labels/", {"labels", 2}},
    {"station/sqlite/", {"sqlite", 2}},
    {"station/web/include/packline/web/packer_screen.h", {"packer-screen", 4}},
    {"station/web/src/screen/", {"packer-screen", 4}},
    {"station/web/", {"web", 2}},
    {"station/include/packline/station/demo_catalogue.h", {"demo", 4}},
    {"station/src/demo/", {"demo", 4}},
    {"station/src/daemon/", {"packline-stationd", 6}},
    {"station/src/cli/", {"packline", 6}},
    {"station/", {"station", 3}},
    {"sync/station/", {"station-sync", 5}},
    {"sync/hub/cli/", {"packline-hub", 6}},
    {"sync/hub/", {"hub", 5}},
    {"sync/", {"sync", 4}},
    {"firmware-host/", {"firmware", 1}},
};

std::optional<Module> module_of(const std::string& relative) {
    for (const Placement& placement : kPlacements)
        if (relative.starts_with(placement.prefix)) return placement.module;
    return std::nullopt;
}

bool is_public(const std::string& relative) {
    return relative.find("/include/") != std::string::npos;
}

const char* const kProductFolders[] = {"hardware", "drivers", "labels",
                                       "station",  "sync",    "firmware-host"};

std::vector<fs::path> product_sources() {
    std::vector<fs::path> sources;
    for (const fs::path& file : project_files({".h", ".cpp", ".in", ".hpp", ".c"})) {
        const std::string relative = relative_to_root(file);
        for (const char* folder : kProductFolders)
            if (relative.starts_with(std::string(folder) + "/")) sources.push_back(file);
    }
    return sources;
}

// The header a quoted #include names: beside the including file, under a
// public include/ folder, or else the one product header whose path ends so
// (a private include directory a CMake target adds). Empty for a system or
// generated header.
class IncludeResolver {
  public:
    explicit IncludeResolver(const std::vector<fs::path>& sources) {
        for (const fs::path& file : sources) {
            const std::string relative = relative_to_root(file);
            headers_.push_back(relative);
            const std::size_t include = relative.find("/include/");
            if (include != std::string::npos)
                include_roots_.insert(relative.substr(0, include + 9));
        }
    }

    std::string resolve(const fs::path& from, const std::string& name,
                        std::vector<std::string>& ambiguities) const {
        const fs::path beside = (from.parent_path() / name).lexically_normal();
        if (fs::exists(beside)) return relative_to_root(beside);
        for (const std::string& root : include_roots_)
            if (fs::exists(project_root() / root / name)) return root + name;
        std::vector<std::string> found;
        for (const std::string& header : headers_)
            if (header.ends_with("/" + name)) found.push_back(header);
        if (found.size() > 1)
            ambiguities.push_back(relative_to_root(from) + ": \"" + name + "\" could be " +
                                  found.front() + " or " + found.back());
        return found.size() == 1 ? found.front() : std::string();
    }

  private:
    std::vector<std::string> headers_;
    std::set<std::string> include_roots_;
};

// Each crossing as "module: file -> header (why)": one line per including
// file and included header.
struct Crossings {
    std::set<std::string> lines;
    std::vector<std::string> ambiguities;
    int includes_judged = 0;
};

Crossings find_crossings() {
    const std::vector<fs::path> sources = product_sources();
    const IncludeResolver resolver(sources);
    const std::regex include_line(R"re(^\s*#\s*include\s*"([^"]+)")re");
    Crossings crossings;
    for (const fs::path& file : sources) {
        const std::string from = relative_to_root(file);
        const std::optional<Module> from_module = module_of(from);
        if (!from_module) continue;
        const std::string text = read_file(file);
        std::size_t at = 0;
        while (at < text.size()) {
            std::size_t end = text.find('\n', at);
            if (end == std::string::npos) end = text.size();
            const std::string line = text.substr(at, end - at);
            at = end + 1;
            std::smatch match;
            if (!std::regex_search(line, match, include_line)) continue;
            const std::string to = resolver.resolve(file, match[1], crossings.ambiguities);
            const std::optional<Module> to_module = to.empty() ? std::nullopt : module_of(to);
            if (!to_module) continue;
            ++crossings.includes_judged;
            if (std::string(to_module->name) == from_module->name) continue;
            if (!is_public(to))
                crossings.lines.insert(from + " -> " + to + " (private to " + to_module->name +
                                       ")");
            else if (to_module->layer >= from_module->layer)
                crossings.lines.insert(from + " -> " + to + " (" + from_module->name + " reaches " +
                                       (to_module->layer > from_module->layer ? "up" : "across") +
                                       " to " + to_module->name + ")");
        }
    }
    return crossings;
}

// The debts, each to be paid by a later change: strike a line when its
// crossing is gone. None is left.
const std::set<std::string> kKnownDebts = {};

TEST(Layers, EveryIncludeResolvesToOneFile) {
    const Crossings crossings = find_crossings();
    EXPECT_TRUE(crossings.ambiguities.empty()) << ::testing::PrintToString(crossings.ambiguities);
    // The walk really judged the product's includes (a broken resolver would
    // find no crossing at all).
    EXPECT_GT(crossings.includes_judged, 500);
}

TEST(Layers, NoNewCrossing) {
    const Crossings crossings = find_crossings();
    for (const std::string& line : crossings.lines)
        EXPECT_TRUE(kKnownDebts.contains(line)) << "a new crossing of the layers: " << line;
}

TEST(Layers, EveryListedDebtStillExists) {
    const Crossings crossings = find_crossings();
    for (const std::string& debt : kKnownDebts)
        EXPECT_TRUE(crossings.lines.contains(debt)) << "paid, strike it from kKnownDebts: " << debt;
}

TEST(Layers, TheModuleMapKnowsEverySourceFolder) {
    for (const fs::path& file : product_sources()) {
        const std::string relative = relative_to_root(file);
        EXPECT_TRUE(module_of(relative).has_value()) << relative;
    }
    EXPECT_EQ(module_of("hardware/base/include/packline/error.h")->name, std::string("base"));
    EXPECT_EQ(module_of("sync/hub/cli/main.cpp")->name, std::string("packline-hub"));
}

}  // namespace
}  // namespace packline
