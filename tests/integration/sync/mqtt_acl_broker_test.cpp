// Broker access control as docs/mqtt/README.md asks for it ("Broker
// access"): every station has its own user and may publish only under its
// own station topics, by an ACL with per-client patterns (%u). A real
// mosquitto enforces it; the test proves that the documented ACL does what
// it says: a station's own messages reach the hub, a message on another
// station's topics never does, and a client without credentials cannot
// connect at all. The broker runs with the settings of the shipped
// docs/mqtt/mosquitto.conf, which bind every client id to its user name: a
// station's password cannot take over the hub's connection or session.
#include <gtest/gtest.h>
#include <mqtt/async_client.h>

#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "mosquitto_broker.h"
#include "mqtt_fake_hub.h"
#include "sync_drain_rig.h"

namespace packline {
namespace {

using namespace std::chrono_literals;
using testing::FakeHub;
using testing::MemoryOutbox;
using testing::MosquittoBroker;
using testing::StationSide;

// The example ACL of docs/mqtt/ (mosquitto acl_file syntax), used as it is,
// so the documented file is the tested one.
std::string site_acl() {
    std::ifstream file(std::string(PACKLINE_SOURCE_DIR) + "/docs/mqtt/mosquitto.acl");
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

// The behaviour lines of docs/mqtt/mosquitto.conf; the harness sets the
// listener, files, credentials and persistence of its private broker itself.
std::string shipped_settings() {
    const std::set<std::string> harness_keys{
        "listener",        "certfile",      "keyfile",
        "cafile",          "password_file", "acl_file",
        "allow_anonymous", "persistence",   "persistence_location"};
    std::ifstream file(std::string(PACKLINE_SOURCE_DIR) + "/docs/mqtt/mosquitto.conf");
    std::string line;
    std::string settings;
    while (std::getline(file, line)) {
        std::istringstream words(line);
        std::string key;
        if (!(words >> key) || key.front() == '#' || harness_keys.contains(key)) continue;
        settings += line + "\n";
    }
    return settings;
}

std::string shipment_fixture() {
    std::ifstream file(std::string(PACKLINE_SOURCE_DIR) + "/tests/fixtures/mqtt/shipment.json");
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

TEST(MqttAclBrokerTest, AStationCanSpeakOnlyForItself) {
    if (auto missing = MosquittoBroker::missing_tool()) GTEST_SKIP() << *missing;
    MosquittoBroker::Options options;
    options.users = {{testing::kTestStation, "station-pw"}, {"bench-2", "pw2"}, {"hub", "hub-pw"}};
    options.acl = site_acl();
    options.settings = shipped_settings();
    ASSERT_FALSE(options.acl.empty());
    MosquittoBroker broker(options);
    ASSERT_TRUE(broker.running()) << broker.error();

    sync::MqttSettings settings = testing::test_settings(broker.uri());
    settings.username = testing::kTestStation;
    settings.password = "station-pw";
    MemoryOutbox outbox;
    StationSide side(settings, outbox);
    ASSERT_EQ(side.error(), "");
    FakeHub hub(broker.uri(), {"hub", "hub-pw", "", 0});
    hub.start_connect();
    side.start();
    ASSERT_TRUE(side.client().wait_connected(15s));
    ASSERT_EQ(hub.finish_connect(), "");

    // Its own outbox: delivered and acknowledged, so reads and writes of its
    // own topics work.
    outbox.add(5);
    side.drain().notify_outbox_changed();
    ASSERT_TRUE(FakeHub::wait_for([&] { return outbox.pending_count() == 0; }));

    // Another station's topic, with the station's credentials: the broker
    // drops it, the hub never sees it.
    const std::string payload = shipment_fixture();
    const std::string foreign = "packline/v1/ams1/stations/bench-2/shipments";
    const std::size_t before = hub.arrivals().size();
    ASSERT_TRUE(side.client().publish(foreign, payload));
    // And a message on its own topic after it, which does arrive: once it is
    // in, the foreign one (sent first, same connection, in order) would have
    // been too.
    const std::string own = "packline/v1/" + std::string(testing::kTestSite) + "/stations/" +
                            testing::kTestStation + "/events";
    ASSERT_TRUE(side.client().publish(own, R"({"event_id":"marker"})"));
    ASSERT_TRUE(FakeHub::wait_for([&] {
        for (const auto& arrival : hub.arrivals())
            if (arrival.event_id == "marker") return true;
        return false;
    }));
    for (std::size_t index = before; index < hub.arrivals().size(); ++index)
        EXPECT_NE(hub.arrivals()[index].topic, foreign) << "the ACL let a foreign shipment through";
}

TEST(MqttAclBrokerTest, WithoutCredentialsNoStationConnects) {
    if (auto missing = MosquittoBroker::missing_tool()) GTEST_SKIP() << *missing;
    MosquittoBroker::Options options;
    options.users = {{"hub", "hub-pw"}};
    options.acl = site_acl();
    options.settings = shipped_settings();
    ASSERT_FALSE(options.acl.empty());
    MosquittoBroker broker(options);
    ASSERT_TRUE(broker.running()) << broker.error();
    MemoryOutbox outbox;
    StationSide side(testing::test_settings(broker.uri()), outbox);
    ASSERT_EQ(side.error(), "");
    side.start();
    const Status connected = side.client().wait_connected(15s);
    ASSERT_FALSE(connected);
    EXPECT_EQ(connected.error().code, "sync.mqtt_auth") << connected.error().to_string();
}

TEST(MqttAclBrokerTest, AStationsPasswordCannotTakeOverTheHubsClientId) {
    if (auto missing = MosquittoBroker::missing_tool()) GTEST_SKIP() << *missing;
    MosquittoBroker::Options options;
    options.users = {{testing::kTestStation, "station-pw"}, {"hub", "hub-pw"}};
    options.acl = site_acl();
    options.settings = shipped_settings();
    ASSERT_NE(options.settings.find("use_username_as_clientid true"), std::string::npos)
        << "the shipped mosquitto.conf no longer binds client ids to users";
    MosquittoBroker broker(options);
    ASSERT_TRUE(broker.running()) << broker.error();

    // The hub: its default client id is predictable (packline-hub-<host>),
    // and it keeps a persistent session.
    const std::string hub_client_id = "packline-hub-warehouse-1";
    auto connect = [&](mqtt::async_client& client, const std::string& user,
                       const std::string& password, bool clean) {
        auto connect_options = mqtt::connect_options_builder()
                                   .mqtt_version(MQTTVERSION_5)
                                   .clean_start(clean)
                                   .properties({{mqtt::property::SESSION_EXPIRY_INTERVAL, 3600}})
                                   .user_name(user)
                                   .password(password)
                                   .connect_timeout(std::chrono::seconds(10))
                                   .finalize();
        client.connect(connect_options)->wait_for(std::chrono::seconds(15));
        return client.is_connected();
    };
    mqtt::async_client hub(broker.uri(), hub_client_id, mqtt::create_options(MQTTVERSION_5),
                           nullptr);
    ASSERT_TRUE(connect(hub, "hub", "hub-pw", false));

    // A client with a station's password asks for the hub's client id, with
    // a clean start that would discard the hub's session.
    mqtt::async_client intruder(broker.uri(), hub_client_id, mqtt::create_options(MQTTVERSION_5),
                                nullptr);
    ASSERT_TRUE(connect(intruder, testing::kTestStation, "station-pw", true));

    // The hub is still connected: a QoS 1 round trip on its own connection
    // completes (a taken-over connection would have been closed by the
    // broker while it accepted the intruder).
    const std::string acks = "packline/v1/" + std::string(testing::kTestSite) + "/stations/" +
                             testing::kTestStation + "/acks";
    bool published = false;
    try {
        auto token = hub.publish(acks, std::string(R"({"probe":1})"), 1, false);
        published = token->wait_for(std::chrono::seconds(10)) && hub.is_connected();
    } catch (const mqtt::exception& error) {
        ADD_FAILURE() << "the hub lost its connection: " << error.what();
    }
    EXPECT_TRUE(published) << "the intruder took over the hub's client id\n" << broker.log_tail();
    for (auto* client : {&intruder, &hub}) {
        try {
            if (client->is_connected()) client->disconnect()->wait_for(std::chrono::seconds(2));
        } catch (const mqtt::exception&) {
        }
    }
}

}  // namespace
}  // namespace packline
