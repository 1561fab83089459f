// The error codes of sync: stable and machine-readable, the code
// of a packline::Error (error.h). docs/error-codes.md lists every code
// of every module (tests/unit/project/error_codes_test.cpp keeps it so).
#pragma once

#include <array>

namespace packline::errors {

inline constexpr const char* kSyncBadMessage = "sync.bad_message";
inline constexpr const char* kSyncBadTopic = "sync.bad_topic";
inline constexpr const char* kSyncCommandExpired = "sync.command_expired";
inline constexpr const char* kSyncMqttAuth = "sync.mqtt_auth";
inline constexpr const char* kSyncMqttConnect = "sync.mqtt_connect";
inline constexpr const char* kSyncMqttOffline = "sync.mqtt_offline";
inline constexpr const char* kSyncMqttPublish = "sync.mqtt_publish";
inline constexpr const char* kSyncMqttSettings = "sync.mqtt_settings";
inline constexpr const char* kSyncMqttSubscribe = "sync.mqtt_subscribe";
inline constexpr const char* kSyncMqttTls = "sync.mqtt_tls";
inline constexpr const char* kSyncNotDrained = "sync.not_drained";
inline constexpr const char* kSyncUnknownSchema = "sync.unknown_schema";

inline constexpr std::array kSyncErrors{
    kSyncBadMessage,    kSyncBadTopic,    kSyncCommandExpired, kSyncMqttAuth,
    kSyncMqttConnect,   kSyncMqttOffline, kSyncMqttPublish,    kSyncMqttSettings,
    kSyncMqttSubscribe, kSyncMqttTls,     kSyncNotDrained,     kSyncUnknownSchema,
};

}  // namespace packline::errors
