// MQTT settings are checked before any connection: a typo in an address or a
// missing certificate is a clear error at start, not a mystery at 3 a.m.
#include "packline/sync/mqtt_settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace packline::sync {
namespace {

using ::testing::HasSubstr;

MqttSettings with_broker(std::string uri) {
    MqttSettings settings;
    settings.brokers = {std::move(uri)};
    return settings;
}

TEST(MqttSettings, TheDefaultsWorkWithAPlainOrTlsBroker) {
    EXPECT_TRUE(validate_mqtt_settings(with_broker("tcp://127.0.0.1:1883")));
    EXPECT_TRUE(validate_mqtt_settings(with_broker("ssl://mqtt.example.net:8883")));
    EXPECT_TRUE(validate_mqtt_settings(with_broker("tcp://broker")));
    EXPECT_TRUE(validate_mqtt_settings(with_broker("ssl://[::1]:8883")));
    const MqttSettings defaults;
    EXPECT_EQ(defaults.window, 64);
    EXPECT_EQ(defaults.ack_timeout, std::chrono::seconds(30));
    EXPECT_EQ(defaults.keep_alive, std::chrono::seconds(30));
    EXPECT_EQ(defaults.mqtt_version, MqttVersion::V5);
    EXPECT_EQ(default_client_id("ams1", "bench-3"), "packline-ams1-bench-3");
}

TEST(MqttSettings, WhatCannotWorkIsRefusedWithTheMemberNamed) {
    struct Case {
        MqttSettings settings;
        std::string member;
    };
    std::vector<Case> cases;
    cases.push_back({MqttSettings{}, "brokers"});
    for (const char* uri : {"mqtt://host:1883", "tcp://", "tcp://host:", "tcp://host:99999",
                            "tcp://host:12ab", "ssl://[::1", "tcp://host/path:1"})
        cases.push_back({with_broker(uri), "brokers"});
    MqttSettings settings = with_broker("tcp://h:1");
    settings.window = 0;
    cases.push_back({settings, "window"});
    settings = with_broker("tcp://h:1");
    settings.reconnect_max = std::chrono::milliseconds(10);
    cases.push_back({settings, "reconnect_max"});
    settings = with_broker("tcp://h:1");
    settings.ack_timeout = std::chrono::milliseconds(0);
    cases.push_back({settings, "ack_timeout"});
    settings = with_broker("tcp://h:1");
    settings.password = "secret";
    cases.push_back({settings, "password"});
    settings = with_broker("ssl://h:1");
    settings.cert_file = "/etc/hostname";
    cases.push_back({settings, "key_file"});
    settings = with_broker("ssl://h:1");
    settings.ca_file = "/nonexistent/ca.crt";
    cases.push_back({settings, "ca_file"});
    for (const Case& item : cases) {
        const Status status = validate_mqtt_settings(item.settings);
        ASSERT_FALSE(status) << item.member;
        EXPECT_EQ(status.error().code, "sync.mqtt_settings");
        EXPECT_THAT(status.error().message, HasSubstr("mqtt settings: " + item.member + ":"));
    }
}

}  // namespace
}  // namespace packline::sync
