// The [sync] / [mqtt] configuration section, read as key = value text.
#include "packline/sync/mqtt_options.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace packline::sync {
namespace {

TEST(MqttOptions, EveryKeySetsItsMember) {
    const std::map<std::string, std::string> options{
        {"brokers", "tcp://127.0.0.1:1883, tcp://10.0.0.2:1884"},
        {"client_id", "bench-3"},
        {"username", "bench-3"},
        {"password", "s3cret"},
        {"keep_alive_s", "15"},
        {"connect_timeout_s", "5"},
        {"session_expiry_s", "3600"},
        {"reconnect_min_ms", "250"},
        {"reconnect_max_ms", "8000"},
        {"ack_timeout_ms", "12000"},
        {"window", "128"},
        {"mqtt_version", "3.1.1"},
    };
    auto settings = mqtt_settings_from_options(options, "sync");
    ASSERT_TRUE(settings) << settings.error().to_string();
    EXPECT_EQ(settings->brokers,
              (std::vector<std::string>{"tcp://127.0.0.1:1883", "tcp://10.0.0.2:1884"}));
    EXPECT_EQ(settings->client_id, "bench-3");
    EXPECT_EQ(settings->username, "bench-3");
    EXPECT_EQ(settings->password, "s3cret");
    EXPECT_EQ(settings->keep_alive, std::chrono::seconds(15));
    EXPECT_EQ(settings->connect_timeout, std::chrono::seconds(5));
    EXPECT_EQ(settings->session_expiry, std::chrono::seconds(3600));
    EXPECT_EQ(settings->reconnect_min, std::chrono::milliseconds(250));
    EXPECT_EQ(settings->reconnect_max, std::chrono::milliseconds(8000));
    EXPECT_EQ(settings->ack_timeout, std::chrono::milliseconds(12000));
    EXPECT_EQ(settings->window, 128);
    EXPECT_EQ(settings->mqtt_version, MqttVersion::V3_1_1);
}

TEST(MqttOptions, OnlyTheBrokerIsNeededAndTheRestKeepsItsDefaults) {
    auto settings = mqtt_settings_from_options({{"brokers", "tcp://broker.local"}}, "sync");
    ASSERT_TRUE(settings) << settings.error().to_string();
    const MqttSettings defaults;
    EXPECT_EQ(settings->window, defaults.window);
    EXPECT_EQ(settings->ack_timeout, defaults.ack_timeout);
    EXPECT_EQ(settings->mqtt_version, MqttVersion::V5);
}

TEST(MqttOptions, ThePasswordCanComeFromAFile) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("packline-mqtt-password-" + std::to_string(::getpid()));
    std::ofstream(path) << "from-file\r\nsecond line ignored\n";
    auto settings = mqtt_settings_from_options(
        {{"brokers", "tcp://b:1883"}, {"username", "u"}, {"password_file", path.string()}}, "sync");
    ASSERT_TRUE(settings) << settings.error().to_string();
    EXPECT_EQ(settings->password, "from-file");
    auto both = mqtt_settings_from_options({{"brokers", "tcp://b:1883"},
                                            {"username", "u"},
                                            {"password", "p"},
                                            {"password_file", path.string()}},
                                           "sync");
    ASSERT_FALSE(both);
    EXPECT_NE(both.error().message.find("sync.password_file"), std::string::npos);
    std::filesystem::remove(path);
    auto missing = mqtt_settings_from_options(
        {{"brokers", "tcp://b:1883"}, {"username", "u"}, {"password_file", path.string()}}, "sync");
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("cannot be read"), std::string::npos);
}

TEST(MqttOptions, WhatCannotWorkIsRefusedNamingSectionAndKey) {
    struct Case {
        std::map<std::string, std::string> options;
        std::string expected;  // part of the message
    };
    const std::vector<Case> cases{
        {{}, "mqtt.brokers: missing"},
        {{{"brokers", " , "}}, "mqtt.brokers: no broker address"},
        {{{"brokers", "http://b"}}, "is not tcp://host:port"},
        {{{"brokers", "tcp://b"}, {"windw", "3"}},
         "unknown key 'windw' in [mqtt]; did you mean 'window'?"},
        {{{"brokers", "tcp://b"}, {"colour", "3"}}, "unknown key 'colour' in [mqtt] (brokers, "},
        {{{"brokers", "tcp://b"}, {"window", "0"}}, "mqtt.window: '0' is not a whole number"},
        {{{"brokers", "tcp://b"}, {"window", "12.5"}}, "mqtt.window"},
        {{{"brokers", "tcp://b"}, {"keep_alive_s", "-1"}}, "mqtt.keep_alive_s"},
        {{{"brokers", "tcp://b"}, {"ack_timeout_ms", "99999999999999999999"}},
         "mqtt.ack_timeout_ms"},
        {{{"brokers", "tcp://b"}, {"mqtt_version", "4"}}, "mqtt.mqtt_version"},
        {{{"brokers", "tcp://b"}, {"reconnect_min_ms", "9000"}, {"reconnect_max_ms", "10"}},
         "reconnect"},
        {{{"brokers", "tcp://b"}, {"password", "p"}}, "password"},
    };
    for (const Case& test : cases) {
        auto settings = mqtt_settings_from_options(test.options, "mqtt");
        ASSERT_FALSE(settings) << test.expected;
        EXPECT_EQ(settings.error().code, "sync.mqtt_settings");
        EXPECT_NE(settings.error().message.find(test.expected), std::string::npos)
            << settings.error().message;
    }
}

}  // namespace
}  // namespace packline::sync
