// What the station really writes to its outbox (station/src/core/messages.cpp)
// passes the validator the hub will run, and goes to a topic of the map.
// Only this test links both: packline_sync never depends on the station core.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "packline/station/messages.h"
#include "packline/sync/schemas.h"
#include "packline/sync/topics.h"

namespace packline {
namespace {

station::Parcel confirmed_parcel() {
    station::Parcel parcel;
    parcel.id = 42;
    parcel.order_id = "SO-1";
    parcel.sequence = 2;
    parcel.closed_partial = true;
    parcel.station = "bench-3";
    parcel.packer = "ana";
    parcel.state = station::ParcelState::Confirmed;
    parcel.items = {{"TEE-RED-L", "04006381333931", "", "", 1},
                    {"BUDS", "09506000134352", "SN-1", "LOT7", 2}};
    parcel.weight_g = 612.5;
    parcel.expected_weight_g = 620;
    parcel.packaging = "BOX-S";
    parcel.carrier = "ups";
    parcel.tracking_number = "1Z5R89390357567127";
    parcel.label_job_id = "sim-1";
    parcel.label_attempts = 1;
    parcel.customer = station::CheckStatus::Overridden;
    parcel.contents = station::CheckStatus::Passed;
    parcel.express = station::CheckStatus::Passed;
    parcel.confirmed_at_ms = 1795000000000;
    return parcel;
}

TEST(StationPayloads, AShipmentConfirmationPassesTheHubsValidator) {
    station::StationConfig config;
    config.site = "ams1";
    config.station_id = "bench-3";
    station::Order order;
    order.id = "SO-1";
    const std::string payload = station::shipment_confirmation_json(
        confirmed_parcel(), order, config, station::new_event_id(),
        {{"customer", "customer.phone_invalid", "verified-by-phone", "SUP-1"}}, 1);
    const Status valid = sync::validate_message("shipment", payload);
    EXPECT_TRUE(valid) << valid.error().to_string() << "\n" << payload;

    const auto topic = sync::parse_topic(station::station_topic(config, "shipments"));
    ASSERT_TRUE(topic) << topic.error().to_string();
    EXPECT_EQ(topic->kind, sync::TopicKind::Shipments);
    EXPECT_EQ(topic->site, "ams1");
    EXPECT_EQ(topic->station, "bench-3");
}

TEST(StationPayloads, AShipmentWithPhotoAndDefaultConfigPassesToo) {
    station::Parcel parcel = confirmed_parcel();
    parcel.label_attempts = 3;
    parcel.items.clear();
    parcel.photo = station::EvidencePhoto{"/var/lib/packline/evidence/2026-05-01/SO-1-p2-42.jpg",
                                          std::string(64, 'c'), 1795000000000, 0};
    station::Order order;
    order.id = "订单/2026/1";  // an imported id that could never be a topic level
    const std::string payload = station::shipment_confirmation_json(
        parcel, order, station::StationConfig{}, station::new_event_id(), {}, 2);
    const Status valid = sync::validate_message("shipment", payload);
    EXPECT_TRUE(valid) << valid.error().to_string() << "\n" << payload;
}

TEST(StationPayloads, AStationWhoseIdCannotBeATopicLevelIsRefusedNotSent) {
    station::StationConfig config;
    config.station_id = "bench/3";
    station::Order order;
    order.id = "SO-1";
    const std::string payload = station::shipment_confirmation_json(
        confirmed_parcel(), order, config, station::new_event_id(), {}, 0);
    const Status valid = sync::validate_message("shipment", payload);
    ASSERT_FALSE(valid);
    EXPECT_THAT(valid.error().message, ::testing::HasSubstr("/station"));
    EXPECT_FALSE(sync::parse_topic(station::station_topic(config, "shipments")));
}

}  // namespace
}  // namespace packline
