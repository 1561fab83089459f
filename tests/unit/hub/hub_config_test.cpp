// hub.toml: what it sets, what it refuses (with the key or line), and how
// [mqtt] becomes MqttSettings.
#include "packline/hub/hub_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace packline::hub {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(HubConfig, ReadsEveryTable) {
    const auto config = parse_hub_config(R"(
[hub]
sites = ["ams1", "sha1"]
database = "data/hub.db"
share_group = "hubs"
instance = "hub-a"
summary_interval_s = 30

[mqtt]
brokers = ["tcp://127.0.0.1:1883", "tcp://127.0.0.2:1883"]
username = "hub"
password = "secret"
window = 500

[pool]
low_water = 15
batch = 250
)",
                                         "hub.toml", "/etc/packline");
    ASSERT_TRUE(config) << config.error().to_string();
    EXPECT_THAT(config->sites, ElementsAre("ams1", "sha1"));
    EXPECT_EQ(config->database, "/etc/packline/data/hub.db");
    EXPECT_EQ(config->share_group, "hubs");
    EXPECT_EQ(config->instance, "hub-a");
    EXPECT_EQ(config->summary_interval_s, 30);
    EXPECT_EQ(config->pool_low_water, 15);
    EXPECT_EQ(config->pool_batch, 250);

    const auto settings = hub_mqtt_settings(*config, std::nullopt);
    ASSERT_TRUE(settings) << settings.error().to_string();
    EXPECT_THAT(settings->brokers, ElementsAre("tcp://127.0.0.1:1883", "tcp://127.0.0.2:1883"));
    EXPECT_EQ(settings->username, "hub");
    EXPECT_EQ(settings->password, "secret");
    EXPECT_EQ(settings->window, 500);

    const auto overridden = hub_mqtt_settings(*config, std::string("tcp://broker:1884"));
    ASSERT_TRUE(overridden);
    EXPECT_THAT(overridden->brokers, ElementsAre("tcp://broker:1884"));
}

TEST(HubConfig, DefaultsAreSensible) {
    const auto config = parse_hub_config("[hub]\nsites = [\"ams1\"]\n", "hub.toml");
    ASSERT_TRUE(config) << config.error().to_string();
    EXPECT_EQ(config->database, "hub.db");
    EXPECT_EQ(config->share_group, "packline-hub");
    EXPECT_FALSE(config->instance.empty());
    EXPECT_EQ(config->pool_low_water, 20);
    EXPECT_EQ(config->pool_batch, 100);
    const auto no_broker = hub_mqtt_settings(*config, std::nullopt);
    ASSERT_FALSE(no_broker);
    EXPECT_THAT(no_broker.error().message, HasSubstr("mqtt.brokers"));
    EXPECT_TRUE(hub_mqtt_settings(*config, std::string("tcp://127.0.0.1:1883")));
    // An empty share group: plain subscriptions.
    EXPECT_EQ(parse_hub_config("[hub]\nsites = [\"a\"]\nshare_group = \"\"\n", "x")->share_group,
              "");
}

void expect_refused(const std::string& text, const std::string& why) {
    const auto config = parse_hub_config(text, "hub.toml");
    ASSERT_FALSE(config) << text;
    EXPECT_EQ(config.error().code, "config.invalid");
    EXPECT_THAT(config.error().message, HasSubstr("hub.toml: "));
    EXPECT_THAT(config.error().message, HasSubstr(why)) << text;
}

TEST(HubConfig, RefusesWhatCannotWork) {
    expect_refused("", "'hub.sites' is missing");
    expect_refused("[hub]\nsites = []\n", "'hub.sites' is missing");
    expect_refused("[hub]\nsites = [\"a/b\"]\n", "cannot be a topic level");
    expect_refused("[hub]\nsites = [1]\n", "'hub.sites'");
    expect_refused("[hub]\nsites = [\"a\"]\nsite = \"b\"\n", "unknown key 'hub.site'");
    expect_refused("[hub]\nsites = [\"a\"]\n[hubs]\n", "unknown table '[hubs]'");
    expect_refused("[hub]\nsites = [\"a\"]\nshare_group = \"a+b\"\n", "'hub.share_group'");
    expect_refused("[hub]\nsites = [\"a\"]\n[pool]\nbatch = 5000\n", "'pool.batch'");
    expect_refused("[hub]\nsites = [\"a\"]\n[pool]\nlow_water = -1\n", "'pool.low_water'");
    expect_refused("[hub]\nsites = [\"a\"]\n[pool]\nlowwater = 1\n", "unknown key 'pool.lowwater'");
    expect_refused("[hub]\nsites = [\"a\"\n", "line ");
    // Non-ASCII outside a string: refused by the guard before toml++ sees it.
    expect_refused("[hub]\nsites = [\"a\"]\n\xc3\xa9 = 1\n", "line 3");
}

TEST(HubConfig, MqttKeysAreCheckedByTheSharedReader) {
    const auto config = parse_hub_config(
        "[hub]\nsites = [\"a\"]\n[mqtt]\nbrokers = \"tcp://h:1883\"\nwindoww = 5\n", "hub.toml");
    ASSERT_TRUE(config);
    const auto settings = hub_mqtt_settings(*config, std::nullopt);
    ASSERT_FALSE(settings);
    EXPECT_EQ(settings.error().code, "sync.mqtt_settings");
    EXPECT_THAT(settings.error().message, HasSubstr("windoww"));
}

}  // namespace
}  // namespace packline::hub
