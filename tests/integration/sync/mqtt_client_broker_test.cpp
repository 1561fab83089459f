// The station's MQTT client against a real mosquitto: credentials, TLS
// (server verification, client certificates), the will on a lost
// connection and the offline status on a clean stop, and the fall-back to
// MQTT 3.1.1. Failures must say what went wrong and where.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <mqtt/async_client.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "mosquitto_broker.h"
#include "mqtt311_fake_broker.h"
#include "mqtt_fake_hub.h"
#include "packline/sync/mqtt_settings.h"
#include "packline/sync/schemas.h"
#include "sync_drain_rig.h"
#include "tcp_cut_proxy.h"

namespace packline {
namespace {

using namespace std::chrono_literals;
using testing::FakeHub;
using ::testing::HasSubstr;
using testing::MemoryOutbox;
using testing::MosquittoBroker;
using testing::StationSide;

#define SKIP_WITHOUT_MOSQUITTO()                                                      \
    do {                                                                              \
        if (auto missing = MosquittoBroker::missing_tool()) GTEST_SKIP() << *missing; \
    } while (false)

// Connects both and drains `rows` outbox rows through the broker: the proof
// that a connection is usable, not merely open.
void expect_round_trip(StationSide& side, FakeHub& hub, MemoryOutbox& outbox, int rows) {
    hub.start_connect();
    side.start(false);
    const Status connected = side.client().wait_connected(15s);
    ASSERT_TRUE(connected) << connected.error().to_string();
    ASSERT_EQ(hub.finish_connect(), "");
    side.start_pump();
    outbox.add(rows);
    side.drain().notify_outbox_changed();
    EXPECT_TRUE(FakeHub::wait_for([&] { return outbox.pending_count() == 0; }))
        << outbox.pending_count() << " pending";
}

TEST(MqttClientBrokerTest, AWrongPasswordFailsClearlyAndTheRightOneWorks) {
    SKIP_WITHOUT_MOSQUITTO();
    MosquittoBroker::Options options;
    options.users = {{"bench-3", "right-pw"}, {"hub", "hub-pw"}};
    MosquittoBroker broker(options);
    ASSERT_TRUE(broker.running()) << broker.error();

    {
        sync::MqttSettings settings = testing::test_settings(broker.uri());
        settings.username = "bench-3";
        settings.password = "wrong-pw";
        MemoryOutbox outbox;
        StationSide side(settings, outbox);
        ASSERT_EQ(side.error(), "");
        side.start();
        const Status connected = side.client().wait_connected(15s);
        ASSERT_FALSE(connected);
        EXPECT_EQ(connected.error().code, "sync.mqtt_auth");
        EXPECT_THAT(
            connected.error().message,
            HasSubstr("mqtt: connect tcp://127.0.0.1:" + std::to_string(broker.port()) + ": "));
        EXPECT_THAT(connected.error().message, HasSubstr("not authorized"));
        EXPECT_FALSE(side.client().connected());
        // It keeps trying (an operator may fix the password file) and keeps
        // saying why it fails.
        std::this_thread::sleep_for(300ms);
        ASSERT_TRUE(side.client().last_error().has_value());
        EXPECT_EQ(side.client().last_error()->code, "sync.mqtt_auth");
    }

    sync::MqttSettings settings = testing::test_settings(broker.uri());
    settings.username = "bench-3";
    settings.password = "right-pw";
    MemoryOutbox outbox;
    StationSide side(settings, outbox);
    FakeHub hub(broker.uri(), {"hub", "hub-pw", ""});
    expect_round_trip(side, hub, outbox, 10);
}

TEST(MqttClientBrokerTest, TlsWithTheRightCaWorksAndAWrongCaFailsClearly) {
    SKIP_WITHOUT_MOSQUITTO();
    MosquittoBroker::Options options;
    options.tls = true;
    MosquittoBroker broker(options);
    ASSERT_TRUE(broker.running()) << broker.error();
    const std::string ca = (broker.certs_dir() / "ca.crt").string();

    {
        sync::MqttSettings settings = testing::test_settings(broker.uri());
        settings.ca_file = (broker.certs_dir() / "other-ca.crt").string();
        MemoryOutbox outbox;
        StationSide side(settings, outbox);
        ASSERT_EQ(side.error(), "");
        side.start();
        const Status connected = side.client().wait_connected(15s);
        ASSERT_FALSE(connected);
        EXPECT_EQ(connected.error().code, "sync.mqtt_tls") << connected.error().to_string();
        EXPECT_THAT(connected.error().message,
                    HasSubstr("mqtt: connect ssl://localhost:" + std::to_string(broker.port())));
        EXPECT_THAT(connected.error().message, HasSubstr("TLS: certificate verify failed: "));
    }

    sync::MqttSettings settings = testing::test_settings(broker.uri());
    settings.ca_file = ca;
    MemoryOutbox outbox;
    StationSide side(settings, outbox);
    FakeHub hub(broker.uri(), {"", "", ca});
    expect_round_trip(side, hub, outbox, 10);
}

TEST(MqttClientBrokerTest, ABrokerThatDemandsAClientCertificateGetsOne) {
    SKIP_WITHOUT_MOSQUITTO();
    MosquittoBroker::Options options;
    options.tls = true;
    options.require_client_certificate = true;
    MosquittoBroker broker(options);
    ASSERT_TRUE(broker.running()) << broker.error();

    {
        sync::MqttSettings settings = testing::test_settings(broker.uri());
        settings.ca_file = (broker.certs_dir() / "ca.crt").string();
        MemoryOutbox outbox;
        StationSide side(settings, outbox);
        side.start();
        const Status refused = side.client().wait_connected(15s);
        ASSERT_FALSE(refused);
        EXPECT_EQ(refused.error().code, "sync.mqtt_tls") << refused.error().to_string();
        EXPECT_THAT(refused.error().message, HasSubstr("mqtt: connect ssl://localhost:"));
        EXPECT_THAT(refused.error().message, HasSubstr("requires a client certificate"));
    }

    sync::MqttSettings settings = testing::test_settings(broker.uri());
    settings.ca_file = (broker.certs_dir() / "ca.crt").string();
    settings.cert_file = (broker.certs_dir() / "client.crt").string();
    settings.key_file = (broker.certs_dir() / "client.key").string();
    MemoryOutbox outbox;
    StationSide side(settings, outbox);
    side.start();
    const Status connected = side.client().wait_connected(15s);
    EXPECT_TRUE(connected) << connected.error().to_string() << "\n" << broker.log_tail();
}

nlohmann::json parsed(const std::string& payload) {
    return nlohmann::json::parse(payload, nullptr, false);
}

TEST(MqttClientBrokerTest, ALostConnectionFiresAFreshWillEachTimeAndAStopSaysShutdown) {
    SKIP_WITHOUT_MOSQUITTO();
    MosquittoBroker broker;
    ASSERT_TRUE(broker.running()) << broker.error();
    testing::TcpCutProxy proxy(broker.port());
    ASSERT_TRUE(proxy.listening());

    MemoryOutbox outbox;
    StationSide side(testing::test_settings(proxy.uri()), outbox);
    ASSERT_EQ(side.error(), "");
    FakeHub hub(broker.uri());
    hub.start_connect();
    side.start();
    ASSERT_TRUE(side.client().wait_connected(15s));
    ASSERT_EQ(hub.finish_connect(), "");
    EXPECT_EQ(side.client().mqtt_version(), 5);

    const auto offline_wills = [&] {
        std::vector<nlohmann::json> wills;
        for (const std::string& payload : hub.statuses()) {
            const nlohmann::json status = parsed(payload);
            if (status.value("offline_reason", "") == "connection_lost") wills.push_back(status);
        }
        return wills;
    };
    for (std::size_t cut = 1; cut <= 2; ++cut) {
        const std::int64_t connections = side.client().connection_count();
        proxy.cut();
        ASSERT_TRUE(FakeHub::wait_for([&] { return offline_wills().size() >= cut; }))
            << broker.log_tail();
        ASSERT_TRUE(FakeHub::wait_for([&] {
            return side.client().connection_count() > connections;
        })) << "no reconnection after cut "
            << cut;
        ASSERT_TRUE(FakeHub::wait_for([&] { return side.client().connected(); }));
    }
    const auto wills = offline_wills();
    ASSERT_EQ(wills.size(), 2u);
    // Two connections, two wills: the hub deduplicates by event id, so the
    // second must not repeat the first.
    EXPECT_NE(wills[0]["event_id"], wills[1]["event_id"]);
    EXPECT_LT(wills[0]["sequence"], wills[1]["sequence"]);
    for (const std::string& payload : hub.statuses()) {
        const Status valid = sync::validate_message("station-status", payload);
        EXPECT_TRUE(valid) << valid.error().to_string() << "\n" << payload;
    }

    ASSERT_TRUE(side.client().stop());
    ASSERT_TRUE(FakeHub::wait_for([&] {
        const auto statuses = hub.statuses();
        return !statuses.empty() &&
               parsed(statuses.back()).value("offline_reason", "") == "shutdown";
    }));
    const nlohmann::json last = parsed(hub.statuses().back());
    EXPECT_EQ(last["state"], "offline");
    EXPECT_EQ(last["station"], testing::kTestStation);
    // A clean stop fires no will.
    std::this_thread::sleep_for(200ms);
    EXPECT_EQ(offline_wills().size(), 2u);
}

// The broker keeps a session from CONNECT on, but the station's
// subscriptions only from their SUBACK: a connection lost in between (here,
// or in an earlier run of the station) leaves a session without them. The
// station must not take "session present" for "subscribed", or the hub's
// acks never reach it and nothing is ever retired (found by the network
// chaos test under 30 % packet loss).
TEST(MqttClientBrokerTest, ASessionLeftWithoutSubscriptionsIsSubscribedAgain) {
    SKIP_WITHOUT_MOSQUITTO();
    MosquittoBroker broker;
    ASSERT_TRUE(broker.running()) << broker.error();
    {
        // What the interrupted connection left: the station's session, no
        // subscriptions.
        mqtt::async_client leftover(
            broker.uri(), sync::default_client_id(testing::kTestSite, testing::kTestStation),
            mqtt::create_options(MQTTVERSION_5), nullptr);
        auto options = mqtt::connect_options_builder()
                           .mqtt_version(MQTTVERSION_5)
                           .clean_start(true)
                           .properties({{mqtt::property::SESSION_EXPIRY_INTERVAL, 3600}})
                           .finalize();
        ASSERT_TRUE(leftover.connect(options)->wait_for(10s));
        ASSERT_TRUE(leftover.disconnect()->wait_for(10s));
    }
    MemoryOutbox outbox;
    StationSide side(testing::test_settings(broker.uri()), outbox);
    ASSERT_EQ(side.error(), "");
    FakeHub hub(broker.uri());
    expect_round_trip(side, hub, outbox, 5);
}

TEST(MqttClientBrokerTest, ABrokerThatRefusesMqtt5GetsMqtt311) {
    testing::Mqtt311FakeBroker broker;
    ASSERT_TRUE(broker.listening());
    MemoryOutbox outbox;
    StationSide side(testing::test_settings(broker.uri()), outbox);
    ASSERT_EQ(side.error(), "");
    side.start();
    const Status connected = side.client().wait_connected(15s);
    ASSERT_TRUE(connected) << connected.error().to_string();
    EXPECT_EQ(side.client().mqtt_version(), 4);
    EXPECT_EQ(broker.protocol_levels(), (std::vector<int>{5, 4}));
    EXPECT_EQ(broker.subscriptions(), 6);  // station_subscriptions()
    // The station's outbox rows are accepted by this broker (PUBACK) but
    // nobody acknowledges them: they stay pending.
    outbox.add(3);
    side.drain().notify_outbox_changed();
    ASSERT_TRUE(FakeHub::wait_for([&] { return side.drain().stats().published == 3; }));
    EXPECT_EQ(outbox.pending_count(), 3u);
}

TEST(MqttClientBrokerTest, SettingsThatCannotWorkAreRefusedBeforeAnyConnection) {
    MemoryOutbox outbox;
    sync::MqttSettings settings = testing::test_settings("mqtt://127.0.0.1:1883");
    StationSide bad_scheme(settings, outbox);
    EXPECT_THAT(bad_scheme.error(), HasSubstr("sync.mqtt_settings"));
    EXPECT_THAT(bad_scheme.error(), HasSubstr("brokers"));

    settings = testing::test_settings("ssl://localhost:8883");
    settings.ca_file = "/nonexistent/ca.crt";
    StationSide missing_ca(settings, outbox);
    EXPECT_THAT(missing_ca.error(), HasSubstr("ca_file"));
}

}  // namespace
}  // namespace packline
