// Golden files for every template: the exact ZPL sent to thermal printers
// (every sample) and the exact PNG (Latin and Chinese samples). A change to a
// template, the renderer or the fonts shows here as a diff a person reviews.
//
// Goldens change only with a stated reason:
//   PACKLINE_UPDATE_GOLDENS="why they change" ctest --test-dir build -R label_golden
// rewrites the files that differ and appends the reason and the files to
// tests/golden/labels/CHANGES.md. Without a reason nothing is rewritten.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "label_samples.h"
#include "packline/labels/render.h"
#include "packline/labels/template.h"

namespace packline::labels {
namespace {

namespace fs = std::filesystem;

const fs::path kGolden = fs::path(PACKLINE_SOURCE_DIR) / "tests/golden/labels";
const fs::path kActual = fs::path(PACKLINE_BINARY_DIR) / "test-output/labels-golden";

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void write(const fs::path& path, const std::string& bytes) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string today() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char buffer[16];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &utc);
    return buffer;
}

TEST(LabelGolden, EveryTemplateMatchesItsGoldenFiles) {
    const char* reason_env = std::getenv("PACKLINE_UPDATE_GOLDENS");
    const std::string reason = reason_env != nullptr ? reason_env : "";
    std::vector<std::string> changed;
    int compared = 0;
    for (const auto& info : list_templates()) {
        auto label_template = load_template(info.name);
        ASSERT_TRUE(label_template.ok());
        for (const auto& sample : test::label_samples()) {
            std::vector<LabelFormat> formats;
            if (label_template->allows("zpl")) formats.push_back(LabelFormat::Zpl);
            if (label_template->allows("png") &&
                (sample.name == "latin" || sample.name == "chinese"))
                formats.push_back(LabelFormat::Png);
            for (LabelFormat format : formats) {
                auto rendered = render_label(*label_template, sample.data, format);
                ASSERT_TRUE(rendered.ok()) << rendered.error().to_string();
                const fs::path relative =
                    fs::path(info.name) / (sample.name + "." + std::string(to_string(format)));
                const fs::path golden = kGolden / relative;
                ++compared;
                if (fs::exists(golden) && read(golden) == rendered->bytes) continue;
                if (!reason.empty()) {
                    write(golden, rendered->bytes);
                    changed.push_back(relative.string());
                    continue;
                }
                write(kActual / relative, rendered->bytes);
                ADD_FAILURE() << relative.string() << " differs from its golden file "
                              << (fs::exists(golden) ? "" : "(missing) ") << "; the new output is "
                              << (kActual / relative).string()
                              << ". If the change is intended, rerun with "
                                 "PACKLINE_UPDATE_GOLDENS=\"<why>\" to update it with a reason.";
            }
        }
    }
    EXPECT_GE(compared, 3 * 6 + 6 * 2);
    if (!changed.empty()) {
        std::ofstream log(kGolden / "CHANGES.md", std::ios::app);
        log << "\n## " << today() << ": " << reason << "\n\n";
        for (const auto& file : changed)
            log << "- " << file << "\n";
    }
}

}  // namespace
}  // namespace packline::labels
