// The shipment confirmation the station puts in its outbox conforms to the
// published JSON Schema (docs/mqtt/schemas/shipment.schema.json). The checker
// below covers the keywords that schema uses; an unknown keyword fails the
// test so the schema cannot silently outgrow it.
#include "packline/station/messages.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>

namespace packline::station {
namespace {

using nlohmann::json;

void validate(const json& schema, const json& value, const std::string& path,
              std::vector<std::string>& errors) {
    static const std::set<std::string> known{"$schema",
                                             "$id",
                                             "title",
                                             "description",
                                             "type",
                                             "required",
                                             "additionalProperties",
                                             "properties",
                                             "items",
                                             "const",
                                             "enum",
                                             "minLength",
                                             "maxLength",
                                             "minimum",
                                             "format",
                                             "pattern"};
    for (const auto& [keyword, _] : schema.items())
        if (!known.contains(keyword))
            errors.push_back(path + ": schema keyword '" + keyword + "' not checked");
    if (schema.contains("type")) {
        const std::string type = schema["type"];
        const bool ok =
            (type == "object" && value.is_object()) || (type == "array" && value.is_array()) ||
            (type == "string" && value.is_string()) || (type == "boolean" && value.is_boolean()) ||
            (type == "integer" && value.is_number_integer()) ||
            (type == "number" && value.is_number());
        if (!ok) {
            errors.push_back(path + ": expected " + type + ", got " + value.dump());
            return;
        }
    }
    if (schema.contains("const") && value != schema["const"])
        errors.push_back(path + ": not the constant");
    if (schema.contains("enum") &&
        std::find(schema["enum"].begin(), schema["enum"].end(), value) == schema["enum"].end())
        errors.push_back(path + ": " + value.dump() + " not in enum");
    if (schema.contains("minLength") && value.is_string() &&
        value.get<std::string>().size() < schema["minLength"].get<std::size_t>())
        errors.push_back(path + ": too short");
    if (schema.contains("maxLength") && value.is_string()) {
        // JSON Schema counts characters: count the UTF-8 lead bytes.
        const std::string text = value.get<std::string>();
        const auto characters = static_cast<std::size_t>(
            std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
        if (characters > schema["maxLength"].get<std::size_t>())
            errors.push_back(path + ": too long");
    }
    if (schema.contains("minimum") && value.is_number() &&
        value.get<double>() < schema["minimum"].get<double>())
        errors.push_back(path + ": below minimum");
    if (schema.contains("pattern") && value.is_string() &&
        !std::regex_search(value.get<std::string>(),
                           std::regex(schema["pattern"].get<std::string>())))
        errors.push_back(path + ": does not match " + schema["pattern"].get<std::string>());
    if (schema.value("format", "") == "uuid" &&
        !std::regex_match(
            value.get<std::string>(),
            std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
        errors.push_back(path + ": not a version 4 UUID");
    if (value.is_object()) {
        for (const auto& required : schema.value("required", json::array()))
            if (!value.contains(required))
                errors.push_back(path + ": missing " + required.get<std::string>());
        const json properties = schema.value("properties", json::object());
        for (const auto& [key, member] : value.items()) {
            if (properties.contains(key))
                validate(properties[key], member, path + "." + key, errors);
            else if (schema.value("additionalProperties", true) == false)
                errors.push_back(path + ": unexpected property " + key);
        }
    }
    if (value.is_array() && schema.contains("items"))
        for (std::size_t i = 0; i < value.size(); ++i)
            validate(schema["items"], value[i], path + "[" + std::to_string(i) + "]", errors);
}

json load_schema() {
    std::ifstream in(std::string(PACKLINE_SOURCE_DIR) + "/docs/mqtt/schemas/shipment.schema.json");
    return json::parse(in);
}

Parcel sample_parcel() {
    Parcel parcel;
    parcel.id = 42;
    parcel.order_id = "SO-1";
    parcel.sequence = 2;
    parcel.closed_partial = true;
    parcel.station = "bench-3";
    parcel.packer = "ana";
    parcel.state = ParcelState::Confirmed;
    parcel.items = {{"TEE-RED-L", "04006381333931", "", "", 1},
                    {"BUDS", "09506000134352", "SN-1", "LOT7", 2}};
    parcel.weight_g = 612.5;
    parcel.expected_weight_g = 620;
    parcel.packaging = "BOX-S";
    parcel.carrier = "ups";
    parcel.tracking_number = "1Z5R89390357567127";
    parcel.label_job_id = "sim-1";
    parcel.label_attempts = 1;
    parcel.customer = CheckStatus::Overridden;
    parcel.contents = CheckStatus::Passed;
    parcel.express = CheckStatus::Passed;
    parcel.confirmed_at_ms = 1795000000000;
    return parcel;
}

TEST(ShipmentConfirmation, ConformsToThePublishedSchema) {
    StationConfig config;
    Order order;
    order.id = "SO-1";
    const std::string event_id = new_event_id();
    const json message = json::parse(shipment_confirmation_json(
        sample_parcel(), order, config, event_id,
        {{"customer", "customer.phone_invalid", "verified-by-phone", "SUP-1"}}));
    std::vector<std::string> errors;
    validate(load_schema(), message, "$", errors);
    for (const std::string& error : errors)
        ADD_FAILURE() << error;
    EXPECT_EQ(message["event_id"], event_id);
    EXPECT_EQ(message["items"][1]["serial"], "SN-1");
    EXPECT_EQ(message["evidence"]["overrides"][0]["supervisor"], "SUP-1");
}

TEST(ShipmentConfirmation, AnEvidencePhotoAndReprintsConformToo) {
    Parcel parcel = sample_parcel();
    parcel.label_attempts = 3;
    parcel.photo = EvidencePhoto{"/var/lib/packline/evidence/2026-05-01/SO-1-p2-42.jpg",
                                 std::string(64, 'c'), 1795000000000, 0};
    Order order;
    order.id = "SO-1";
    const json message = json::parse(
        shipment_confirmation_json(parcel, order, StationConfig{}, new_event_id(), {}, 2));
    std::vector<std::string> errors;
    validate(load_schema(), message, "$", errors);
    for (const std::string& error : errors)
        ADD_FAILURE() << error;
    EXPECT_EQ(message["evidence"]["label_attempts"], 3);
    EXPECT_EQ(message["evidence"]["label_reprints"], 2);
    EXPECT_EQ(message["evidence"]["photo"]["sha256"], std::string(64, 'c'));
    EXPECT_EQ(message["evidence"]["photo"]["taken_at_ms"], 1795000000000);

    // The checker holds the hash to its pattern.
    json wrong = message;
    wrong["evidence"]["photo"]["sha256"] = "C0FFEE";
    errors.clear();
    validate(load_schema(), wrong, "$", errors);
    EXPECT_EQ(errors.size(), 1u);
}

TEST(ShipmentConfirmation, TheCheckerCatchesAWrongPayload) {
    json message = json::parse(
        shipment_confirmation_json(sample_parcel(), Order{}, StationConfig{}, "not-a-uuid", {}));
    message.erase("tracking_number");
    message["weight_g"] = "heavy";
    std::vector<std::string> errors;
    validate(load_schema(), message, "$", errors);
    EXPECT_GE(errors.size(),
              3u);  // missing tracking number, weight not a number, bad event id, empty order id
}

TEST(ShipmentConfirmation, TopicAndEventIds) {
    StationConfig config;
    config.site = "ams1";
    config.station_id = "bench-3";
    EXPECT_EQ(station_topic(config, "shipments"), "packline/v1/ams1/stations/bench-3/shipments");
    std::set<std::string> ids;
    for (int i = 0; i < 1000; ++i)
        ids.insert(new_event_id());
    EXPECT_EQ(ids.size(), 1000u);
}

TEST(JsonText, NeverThrowsOnBytesThatAreNotUtf8) {
    json value{{"scan", std::string("\xff\xfe\x01", 3)}};
    EXPECT_NO_THROW((void)json_text(value));
    EXPECT_NE(json_text(value).find("\\u0001"), std::string::npos);
}

}  // namespace
}  // namespace packline::station
