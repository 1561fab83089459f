// The packer screen's words: every language file has the same keys, every
// reason code in the catalogue and every step code the station reports has
// a title and an action in every language, so no verdict ever shows up
// untranslated or blank on a bench.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "packline/station/checks_reasons.h"
#include "packline/station/verdict.h"

namespace packline::web {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

const fs::path kAssets = fs::path(PACKLINE_SOURCE_DIR) / "station/web/assets/packer";

std::vector<std::string> languages() {
    std::vector<std::string> found;
    for (const auto& entry : fs::directory_iterator(kAssets / "i18n"))
        if (entry.path().extension() == ".json") found.push_back(entry.path().stem().string());
    std::sort(found.begin(), found.end());
    return found;
}

json load(const std::string& language) {
    return json::parse(read(kAssets / "i18n" / (language + ".json")), nullptr, false);
}

std::set<std::string> keys_of(const json& object) {
    std::set<std::string> keys;
    for (const auto& [key, value] : object.items())
        keys.insert(key);
    return keys;
}

// Every code the station reports: its own verdict codes and the checks'
// reason codes.
std::set<std::string> reported_codes() {
    std::set<std::string> codes;
    for (std::string_view code : station::all_verdict_codes())
        codes.insert(std::string(code));
    return codes;
}

TEST(ScreenText, EnglishAndChineseShip) {
    const auto found = languages();
    EXPECT_NE(std::find(found.begin(), found.end(), "en"), found.end());
    EXPECT_NE(std::find(found.begin(), found.end(), "zh-CN"), found.end());
}

TEST(ScreenText, EveryLanguageHasTheSameKeys) {
    const json english = load("en");
    ASSERT_TRUE(english.is_object());
    for (const std::string& language : languages()) {
        const json text = load(language);
        ASSERT_TRUE(text.is_object()) << language << ".json does not parse";
        EXPECT_EQ(text.value("language", ""), language);
        EXPECT_EQ(keys_of(text["ui"]), keys_of(english["ui"])) << language;
        EXPECT_EQ(keys_of(text["verdicts"]), keys_of(english["verdicts"])) << language;
        for (const auto& [key, value] : text["ui"].items())
            EXPECT_TRUE(value.is_string()) << language << " ui." << key;
    }
}

TEST(ScreenText, EveryCodeTheStationReportsHasATitleAndAnAction) {
    std::set<std::string> codes = reported_codes();
    ASSERT_GT(codes.size(), 20u);
    for (const station::ReasonInfo& reason : station::all_reasons())
        codes.insert(std::string(reason.code));
    for (const std::string& language : languages()) {
        const json verdicts = load(language)["verdicts"];
        for (const std::string& code : codes) {
            SCOPED_TRACE(language + " " + code);
            ASSERT_TRUE(verdicts.contains(code)) << "no text for " << code;
            const json& entry = verdicts[code];
            EXPECT_FALSE(entry.value("title", "").empty());
            EXPECT_TRUE(entry.contains("action") && entry["action"].is_string());
        }
    }
}

// "code/cause" entries give a cause its own advice; the code must be one
// the station reports, or the entry is never shown.
TEST(ScreenText, EveryCauseEntryBelongsToAReportedCode) {
    std::set<std::string> codes = reported_codes();
    for (const station::ReasonInfo& reason : station::all_reasons())
        codes.insert(std::string(reason.code));
    int causes = 0;
    const json verdicts = load("en")["verdicts"];
    for (const auto& [key, entry] : verdicts.items()) {
        const std::size_t slash = key.find('/');
        if (slash == std::string::npos) continue;
        ++causes;
        EXPECT_TRUE(codes.contains(key.substr(0, slash))) << key;
        EXPECT_FALSE(entry.value("title", "").empty()) << key;
    }
    EXPECT_GE(causes, 1);
}

}  // namespace
}  // namespace packline::web
