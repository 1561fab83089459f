// The station's config parser refuses unknown [sync] keys with its own list
// (packline_station does not link the sync module): the list must be the
// MQTT client's keys plus the station's own, no more, no fewer.
#include <gtest/gtest.h>

#include <algorithm>

#include "packline/station/config.h"
#include "packline/sync/mqtt_options.h"

namespace packline {
namespace {

TEST(SyncConfigKeys, TheStationKnowsExactlyTheSyncModulesKeys) {
    std::vector<std::string_view> expected{"enabled", "status_interval_s", "clock_skew_warning_ms"};
    for (std::string_view name : sync::mqtt_option_names())
        expected.push_back(name);
    std::vector<std::string_view> station(station::sync_option_names());
    std::sort(expected.begin(), expected.end());
    std::sort(station.begin(), station.end());
    EXPECT_EQ(station, expected);
}

TEST(SyncConfigKeys, EveryKeyTheStationAcceptsTheSyncModuleAcceptsToo) {
    std::string text = "[sync]\n";
    for (std::string_view name : sync::mqtt_option_names())
        text += std::string(name) + " = \"x\"\n";
    auto config = station::parse_config(text, "bench.toml");
    ASSERT_TRUE(config.ok()) << config.error().message;
    EXPECT_EQ(config->sync.options.size(), sync::mqtt_option_names().size());
}

}  // namespace
}  // namespace packline
