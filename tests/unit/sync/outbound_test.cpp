// The messages sync makes itself fit their schemas whatever they are fed:
// the error event for a refused message, and the offline status of the will.
#include "packline/sync/outbound.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "packline/sync/inbound.h"
#include "packline/sync/schemas.h"
#include "sync_test_support.h"

namespace packline::sync {
namespace {

using nlohmann::json;
using testing::fixture;
using ::testing::HasSubstr;

const StationIdentity kStation{"ams1", "bench-3"};
const Envelope kEnvelope{"3f4a5b6c-7d8e-4f9a-8ba2-b3c4d5e6f708", 1795421100000, 1206};

TEST(ErrorEvent, ReportsARefusedMessageWithItsTopicAndEventId) {
    json order = json::parse(fixture("order.json"));
    order["lines"][0]["quantity"] = 0;
    const std::string payload = order.dump();
    const std::string topic = "packline/v1/ams1/orders/1001";
    const auto refused = decode_inbound(topic, payload);
    ASSERT_FALSE(refused);

    const auto event = error_event_json(kStation, kEnvelope, refused.error(), topic, payload);
    ASSERT_TRUE(event) << event.error().to_string();
    const Status valid = validate_message("station-event", *event);
    EXPECT_TRUE(valid) << valid.error().to_string();
    const json message = json::parse(*event);
    EXPECT_EQ(message["kind"], "error");
    EXPECT_EQ(message["code"], "sync.bad_message");
    EXPECT_THAT(message["message"].get<std::string>(), HasSubstr("/lines/0/quantity"));
    EXPECT_EQ(message["topic"], topic);
    EXPECT_EQ(message["rejected_event_id"], "0b7e6f3a-54c1-4d2e-9a0f-7c1d2e3f4a5b");
    EXPECT_EQ(message["event_id"], kEnvelope.event_id);
    EXPECT_EQ(message["sequence"], 1206);
    EXPECT_EQ(message["site"], "ams1");
    EXPECT_EQ(message["station"], "bench-3");
}

TEST(ErrorEvent, HostileTopicsAndPayloadsStillMakeAValidEvent) {
    const std::string topics[] = {
        std::string("packline/v1/ams1/orders/\0\x01\xff\xc3", 28),
        std::string(5000, 'x') + "\xe4\xb8",  // cut in the middle of a character
        std::string(3000, '\xff'),
    };
    for (const std::string& topic : topics) {
        SCOPED_TRACE(topic.size());
        const auto refused = decode_inbound(topic, "{");
        ASSERT_FALSE(refused);
        const auto event = error_event_json(kStation, kEnvelope, refused.error(), topic, "{");
        ASSERT_TRUE(event) << event.error().to_string();
        EXPECT_TRUE(validate_message("station-event", *event));
        EXPECT_FALSE(json::parse(*event).contains("rejected_event_id"));
    }
    // An error that is not the module.reason shape is reported under a
    // generic code, and a payload's event id is only quoted when it is one.
    const Error odd{"Weird Code!", std::string(5000, 'm')};
    const auto event = error_event_json(kStation, kEnvelope, odd, "t",
                                        R"({"event_id": "0B7E6F3A-54C1-4D2E-9A0F-7C1D2E3F4A5B"})");
    ASSERT_TRUE(event) << event.error().to_string();
    const json message = json::parse(*event);
    EXPECT_EQ(message["code"], "sync.error");
    EXPECT_EQ(message["message"].get<std::string>().size(), 1000u);
    EXPECT_FALSE(message.contains("rejected_event_id"));
}

TEST(ErrorEvent, AStationWithABadIdentityOrEnvelopeSendsNothing) {
    const Error error{"sync.bad_message", "x"};
    const auto bad_station = error_event_json({"ams1", "bench/3"}, kEnvelope, error, "t", "");
    ASSERT_FALSE(bad_station);
    EXPECT_THAT(bad_station.error().message, HasSubstr("/station"));
    EXPECT_FALSE(error_event_json(kStation, {"not-a-uuid", 1, 1}, error, "t", ""));
    EXPECT_FALSE(error_event_json(kStation, {kEnvelope.event_id, -5, 1}, error, "t", ""));
}

TEST(OfflineStatus, TheWillAndTheShutdownStatusFitTheSchema) {
    for (const auto reason : {OfflineReason::ConnectionLost, OfflineReason::Shutdown}) {
        const auto status = offline_status_json(kStation, kEnvelope, "0.1.0", reason);
        ASSERT_TRUE(status) << status.error().to_string();
        EXPECT_TRUE(validate_message("station-status", *status));
        const json message = json::parse(*status);
        EXPECT_EQ(message["state"], "offline");
        EXPECT_EQ(message["offline_reason"],
                  reason == OfflineReason::ConnectionLost ? "connection_lost" : "shutdown");
        EXPECT_EQ(message["version"], "0.1.0");
        EXPECT_EQ(message["station"], "bench-3");
    }
    EXPECT_FALSE(offline_status_json(kStation, kEnvelope, "", OfflineReason::Shutdown));
    EXPECT_FALSE(offline_status_json({"", "bench-3"}, kEnvelope, "0.1.0", OfflineReason::Shutdown));
}

}  // namespace
}  // namespace packline::sync

namespace packline::sync {
namespace {

// Issue 14: refused messages are counted, and the count is in the status.
TEST(StationStatusJson, CarriesTheCountOfRefusedMessages) {
    StationStatus status;
    status.state = "idle";
    status.refused_messages = 10'000;
    const auto text = station_status_json(kStation, kEnvelope, "0.14.0", status);
    ASSERT_TRUE(text) << text.error().to_string();
    EXPECT_EQ(json::parse(*text)["refused_messages"], 10'000);
}

TEST(ErrorEvent, AReportOfManyRefusalsCarriesTheirCount) {
    const auto event = error_event_json(kStation, kEnvelope, Error{"sync.bad_message", "garbage"},
                                        "packline/v1/ams1/stations/bench-3/commands", "x", 9'999);
    ASSERT_TRUE(event) << event.error().to_string();
    EXPECT_EQ(json::parse(*event)["details"],
              json::parse(R"([{"key": "refused", "value": "9999"}])"));
}

}  // namespace
}  // namespace packline::sync
