// Broker access control as docs/mqtt/README.md asks for it ("Broker
// access"): every station has its own user and may publish only under its
// own station topics, by an ACL with per-client patterns (%u). A real
// mosquitto enforces it; the test proves that the documented ACL does what
// it says: a station's own messages reach the hub, a message on another
// station's topics never does, and a client without credentials cannot
// connect at all.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
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

std::string shipment_fixture() {
    std::ifstream file(std::string(PACKLINE_SOURCE_DIR) + "/tests/fixtures/mqtt/shipment.json");
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

TEST(MqttAclBrokerTest, AStationCanSpeakOnlyForItself) {
    if (auto missing = MosquittoBroker::missing_tool()) GTEST_SKIP() << *missing;
    MosquittoBroker::Options options;
    options.users = {{testing::kTestStation, "station-pw"}, {"bench-2", "pw2"}, {"hub", "hub-pw"}};
    options.acl = site_acl();
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

}  // namespace
}  // namespace packline
