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

[dashboard]
enabled = false
listen = "[::1]:8443"
session_hours = 10
idle_minutes = 15
shift_starts = ["22:00", "06:00", "14:00"]
ship_within_hours = 48
cert_file = "tls/hub.crt"
key_file = "/etc/ssl/private/hub.key"
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
    const DashboardConfig& dashboard = config->dashboard;
    EXPECT_FALSE(dashboard.enabled);
    EXPECT_EQ(dashboard.listen, "[::1]:8443");
    EXPECT_EQ(dashboard.session_hours, 10);
    EXPECT_EQ(dashboard.idle_minutes, 15);
    EXPECT_THAT(dashboard.shift_starts, ElementsAre("06:00", "14:00", "22:00"));  // sorted
    EXPECT_EQ(dashboard.ship_within_hours, 48);
    EXPECT_EQ(dashboard.cert_file, "/etc/packline/tls/hub.crt");  // like the database
    EXPECT_EQ(dashboard.key_file, "/etc/ssl/private/hub.key");

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
    EXPECT_TRUE(config->dashboard.enabled);
    EXPECT_EQ(config->dashboard.listen, "127.0.0.1:8480");  // loopback unless chosen
    EXPECT_EQ(config->dashboard.session_hours, 12);
    EXPECT_EQ(config->dashboard.idle_minutes, 30);
    EXPECT_THAT(config->dashboard.shift_starts, ElementsAre("06:00", "14:00", "22:00"));
    EXPECT_EQ(config->dashboard.ship_within_hours, 24);
    EXPECT_EQ(config->dashboard.cert_file, "");
    EXPECT_EQ(config->dashboard.key_file, "");
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
    expect_refused("[hub]\nsites = [\"a\"]\nsite = \"b\"\n",
                   "unknown key 'site' in [hub]; did you mean 'sites'?");
    expect_refused("[hub]\nsites = [\"a\"]\n[hubs]\n", "unknown table 'hubs'; did you mean 'hub'?");
    expect_refused("[hub]\nsites = [\"a\"]\nshare_group = \"a+b\"\n", "'hub.share_group'");
    expect_refused("[hub]\nsites = [\"a\"]\n[pool]\nbatch = 5000\n", "'pool.batch'");
    expect_refused("[hub]\nsites = [\"a\"]\n[pool]\nlow_water = -1\n", "'pool.low_water'");
    expect_refused("[hub]\nsites = [\"a\"]\n[pool]\nlowwater = 1\n",
                   "unknown key 'lowwater' in [pool]; did you mean 'low_water'?");
    expect_refused("[hub]\nsites = [\"a\"\n", "line ");
    const std::string hub = "[hub]\nsites = [\"a\"]\n[dashboard]\n";
    expect_refused(hub + "port = 8480\n", "unknown key 'port' in [dashboard] (enabled, listen, ");
    expect_refused(hub + "idle_minute = 5\n",
                   "unknown key 'idle_minute' in [dashboard]; did you mean 'idle_minutes'?");
    // [mqtt] is checked when the file is read, not when the hub connects.
    expect_refused("[hub]\nsites = [\"a\"]\n[mqtt]\nbrokers = \"tcp://b\"\nwindw = 9\n",
                   "hub.toml: unknown key 'windw' in [mqtt]; did you mean 'window'?");
    expect_refused("[hub]\nsites = [\"a\"]\n[dashbaord]\n",
                   "unknown table 'dashbaord'; did you mean 'dashboard'?");
    expect_refused(hub + "enabled = \"yes\"\n", "'dashboard.enabled'");
    for (const char* listen : {"8480", ":8480", "localhost", "localhost:65536", "localhost:http",
                               "::1:8480", "[]:8480", "host name:8480"})
        expect_refused(hub + "listen = \"" + listen + "\"\n", "'dashboard.listen'");
    expect_refused(hub + "session_hours = 0\n", "'dashboard.session_hours'");
    expect_refused(hub + "idle_minutes = 1441\n", "'dashboard.idle_minutes'");
    expect_refused(hub + "ship_within_hours = 0\n", "'dashboard.ship_within_hours'");
    expect_refused(hub + "shift_starts = []\n", "'dashboard.shift_starts'");
    expect_refused(hub + "shift_starts = \"06:00\"\n", "'dashboard.shift_starts'");
    expect_refused(hub + "shift_starts = [\"6:00\"]\n", "'6:00' is not a time");
    expect_refused(hub + "shift_starts = [\"24:00\"]\n", "'24:00' is not a time");
    expect_refused(hub + "shift_starts = [600]\n", "'dashboard.shift_starts'");
    expect_refused(hub + "shift_starts = [\"06:00\", \"06:00\"]\n", "'06:00' is there twice");
    expect_refused(hub + "cert_file = \"hub.crt\"\n", "go together");
    expect_refused(hub + "key_file = \"hub.key\"\n", "go together");
    expect_refused(hub + "cert_file = \"\"\nkey_file = \"hub.key\"\n", "'dashboard.cert_file'");
    // Non-ASCII outside a string: refused by the guard before toml++ sees it.
    expect_refused("[hub]\nsites = [\"a\"]\n\xc3\xa9 = 1\n", "line 3");
}

TEST(HubConfig, MqttKeysAreCheckedWhenTheFileIsRead) {
    // Issue 14: a misspelt [mqtt] key is refused with the file, not later
    // when the hub connects.
    const auto config = parse_hub_config(
        "[hub]\nsites = [\"a\"]\n[mqtt]\nbrokers = \"tcp://h:1883\"\nwindoww = 5\n", "hub.toml");
    ASSERT_FALSE(config);
    EXPECT_EQ(config.error().code, "config.invalid");
    EXPECT_THAT(config.error().message,
                HasSubstr("hub.toml: unknown key 'windoww' in [mqtt]; did you mean 'window'?"));
    // Values are still the shared reader's business.
    const auto slow = parse_hub_config(
        "[hub]\nsites = [\"a\"]\n[mqtt]\nbrokers = \"tcp://h:1883\"\nwindow = 0\n", "hub.toml");
    ASSERT_TRUE(slow);
    const auto settings = hub_mqtt_settings(*slow, std::nullopt);
    ASSERT_FALSE(settings);
    EXPECT_EQ(settings.error().code, "sync.mqtt_settings");
    EXPECT_THAT(settings.error().message, HasSubstr("window"));
}

}  // namespace
}  // namespace packline::hub
