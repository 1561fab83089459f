// What the sync tests share: the example messages of tests/fixtures/mqtt/
// (one or more per schema: "<schema>[.<variant>].json") and the topic each
// would travel on.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace packline::sync::testing {

inline std::string fixture_dir() {
    return std::string(PACKLINE_SOURCE_DIR) + "/tests/fixtures/mqtt/";
}

inline std::string fixture(const std::string& file_name) {
    std::ifstream in(fixture_dir() + file_name, std::ios::binary);
    EXPECT_TRUE(in.good()) << "missing fixture " << file_name;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

inline nlohmann::json fixture_json(const std::string& file_name) {
    return nlohmann::json::parse(fixture(file_name));
}

struct FixtureFile {
    std::string file_name;  // "order.on-hold.json"
    std::string schema;     // "order"
};

inline std::vector<FixtureFile> fixture_files() {
    std::vector<FixtureFile> files;
    for (const auto& entry : std::filesystem::directory_iterator(fixture_dir())) {
        const std::string name = entry.path().filename().string();
        if (!name.ends_with(".json")) continue;
        files.push_back({name, name.substr(0, name.find('.'))});
    }
    std::sort(files.begin(), files.end(),
              [](const auto& left, const auto& right) { return left.file_name < right.file_name; });
    return files;
}

inline std::string dump(const nlohmann::json& value) {
    return value.dump();
}

}  // namespace packline::sync::testing
