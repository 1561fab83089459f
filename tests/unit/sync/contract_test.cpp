// The contract is written down three times: the channel table in code
// (topics.h), the AsyncAPI document and the README's topic map. This test
// keeps them saying the same, and keeps the schemas' enums in step with the
// station's own names for states, statuses and devices.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "packline/hardware/events.h"
#include "packline/station/domain.h"
#include "packline/sync/schemas.h"
#include "packline/sync/topics.h"

namespace packline::sync {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

std::string read_doc(const std::string& path) {
    std::ifstream in(std::string(PACKLINE_SOURCE_DIR) + "/docs/mqtt/" + path);
    EXPECT_TRUE(in.good()) << path;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

json enum_at(const std::string& schema, const std::string& pointer) {
    return json::parse(schema_text(schema)).at(json::json_pointer(pointer)).at("enum");
}

bool contains(const json& values, std::string_view value) {
    return std::find(values.begin(), values.end(), std::string(value)) != values.end();
}

// The entry of a top-level YAML mapping (`operations:`) that holds
// position `inside`: from its key, indented by two spaces, to the next line
// indented by two spaces or less.
std::string yaml_block(const std::string& document, std::size_t inside) {
    std::size_t from = document.rfind('\n', inside);
    while (from != std::string::npos && from > 0 &&
           !(document.compare(from, 3, "\n  ") == 0 && document[from + 3] != ' '))
        from = document.rfind('\n', from - 1);
    if (from == std::string::npos) from = 0;
    std::size_t line = document.find('\n', inside);
    while (line != std::string::npos && line + 1 < document.size()) {
        const std::size_t indent = document.find_first_not_of(' ', line + 1);
        if (indent == std::string::npos) break;
        if (document[indent] != '\n' && indent - (line + 1) <= 2)
            return document.substr(from, line - from);
        line = document.find('\n', line + 1);
    }
    return document.substr(from);
}

// Every channel of the table appears in the AsyncAPI document with its
// address, its schema file, and an operation whose MQTT binding states the
// same QoS and retain flag.
TEST(Contract, TheAsyncApiDocumentHasEveryChannelAsTheCodeHasIt) {
    const std::string document = read_doc("asyncapi.yaml");
    EXPECT_THAT(document, HasSubstr("asyncapi: 3.0.0"));
    for (const ChannelRule& rule : channel_rules()) {
        SCOPED_TRACE(rule.address);
        const std::string channel =
            "\n  " + std::string(rule.leaf) + ":\n    address: '" + std::string(rule.address) + "'";
        EXPECT_THAT(document, HasSubstr(channel));
        EXPECT_THAT(document,
                    HasSubstr("$ref: './schemas/" + std::string(rule.schema) + ".schema.json'"));
        const std::size_t used = document.find("$ref: '#/channels/" + std::string(rule.leaf) + "'");
        ASSERT_NE(used, std::string::npos) << "no operation on " << rule.leaf;
        const std::string operation = yaml_block(document, used);
        EXPECT_THAT(operation, HasSubstr("qos: " + std::to_string(rule.qos) + "\n"));
        EXPECT_THAT(operation,
                    HasSubstr(std::string("retain: ") + (rule.retained ? "true" : "false") + "\n"));
        EXPECT_THAT(operation,
                    HasSubstr(rule.direction == Direction::HubToStation ? "action: receive"
                                                                        : "action: send"));
    }
}

TEST(Contract, TheReadmeTopicMapHasEveryChannelAsTheCodeHasIt) {
    const std::string readme = read_doc("README.md");
    for (const ChannelRule& rule : channel_rules()) {
        const std::string row =
            "| `" + std::string(rule.address) + "` | " +
            (rule.direction == Direction::HubToStation ? "hub → station" : "station → hub") +
            " | " + std::to_string(rule.qos) + " | " + (rule.retained ? "yes" : "no") + " | [" +
            std::string(rule.schema) + "](schemas/" + std::string(rule.schema) + ".schema.json) |";
        EXPECT_THAT(readme, HasSubstr(row));
    }
}

TEST(Contract, SchemaEnumsUseTheStationsOwnNames) {
    const json statuses = enum_at("order", "/properties/status");
    for (const auto status :
         {station::OrderStatus::Open, station::OrderStatus::OnHold, station::OrderStatus::Cancelled,
          station::OrderStatus::Packed, station::OrderStatus::Shipped}) {
        EXPECT_TRUE(contains(statuses, station::to_string(status))) << station::to_string(status);
        EXPECT_EQ(station::order_status_from_string(station::to_string(status)), status);
    }
    EXPECT_EQ(statuses.size(), 5u);

    const json states = enum_at("station-status", "/properties/state");
    for (const auto state : {station::ParcelState::Scanning, station::ParcelState::Weighing,
                             station::ParcelState::Printing, station::ParcelState::AwaitingScanBack,
                             station::ParcelState::Exception})
        EXPECT_TRUE(contains(states, station::to_string(state))) << station::to_string(state);

    const json kinds = enum_at("station-status", "/properties/devices/items/properties/kind");
    for (const auto kind : {hardware::DeviceKind::Scanner, hardware::DeviceKind::Scale,
                            hardware::DeviceKind::LabelPrinter, hardware::DeviceKind::Camera,
                            hardware::DeviceKind::Indicator})
        EXPECT_TRUE(contains(kinds, hardware::to_string(kind))) << hardware::to_string(kind);
    const json health = enum_at("station-status", "/properties/devices/items/properties/health");
    for (const auto each : {hardware::DeviceHealth::Present, hardware::DeviceHealth::Absent,
                            hardware::DeviceHealth::Faulty})
        EXPECT_TRUE(contains(health, hardware::to_string(each))) << hardware::to_string(each);
}

}  // namespace
}  // namespace packline::sync
