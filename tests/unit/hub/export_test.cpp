// The export of confirmations: CSV (RFC 4180, header, CRLF) and JSON, field
// by field, and the times the command line accepts.
#include "packline/hub/export.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "hub_messages.h"
#include "packline/hub/ingest.h"

namespace packline::hub {
namespace {

using nlohmann::json;

ReceivedShipment received(const testing::StationMessage& message, std::int64_t at) {
    const std::vector<std::string> sites = {"ams1"};
    auto decision = decide_ingest(message.topic, message.payload(), sites);
    EXPECT_EQ(decision.verdict, IngestVerdict::Accepted) << decision.reason;
    return ReceivedShipment{std::get<ShipmentRecord>(decision.record), at};
}

// Splits RFC 4180 text into records of fields.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
    std::vector<std::vector<std::string>> records(1);
    std::string field;
    bool quoted = false;
    for (std::size_t index = 0; index < text.size(); ++index) {
        const char c = text[index];
        if (quoted) {
            if (c == '"' && index + 1 < text.size() && text[index + 1] == '"') {
                field += '"';
                ++index;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            records.back().push_back(field);
            field.clear();
        } else if (c == '\r' && index + 1 < text.size() && text[index + 1] == '\n') {
            records.back().push_back(field);
            field.clear();
            records.emplace_back();
            ++index;
        } else {
            field += c;
        }
    }
    if (records.back().empty()) records.pop_back();
    return records;
}

TEST(Export, CsvHasAHeaderAndEveryFieldOfEachConfirmation) {
    auto message = testing::shipment_message("ams1", "bench-3", "1001", "1Z5R89390357567127");
    message.body["packer"] = "Ana \"the fast\", senior";  // quoting
    const auto first = received(message, 1795421100123);
    const auto second = received(
        testing::shipment_message("ams1", "bench-4", "1002", "RR123456785NL"), 1795421200000);
    const std::vector<ReceivedShipment> rows = {first, second};
    const std::string text = export_csv(rows);
    const auto records = parse_csv(text);
    ASSERT_EQ(records.size(), 3u) << text;
    EXPECT_EQ(records[0], export_columns());
    const std::vector<std::string> expected = {
        message.event_id,
        "ams1",
        "bench-3",
        "1001",
        "42",
        "2",
        "true",
        "ups",
        "1Z5R89390357567127",
        "612.5",
        "620",
        "BOX-S",
        "Ana \"the fast\", senior",
        "2",
        "SN-1",
        "customer",
        "2026-11-18T11:06:40.000Z",
        "1795000000000",
        "2026-11-23T08:05:00.123Z",
        "1795421100123",
    };
    EXPECT_EQ(records[1], expected);
    EXPECT_EQ(records[2][2], "bench-4");
    EXPECT_EQ(records[2][3], "1002");
    EXPECT_EQ(records[2][8], "RR123456785NL");
    EXPECT_NE(text.find("\"Ana \"\"the fast\"\", senior\""), std::string::npos);
    // Nothing received: the header alone.
    EXPECT_EQ(parse_csv(export_csv({})).size(), 1u);
}

TEST(Export, JsonHasTheSameFieldsAndTheConfirmationAsSent) {
    const auto message = testing::shipment_message("ams1", "bench-3", "1001");
    const std::vector<ReceivedShipment> rows = {received(message, 1795421100123)};
    const json document = json::parse(export_json(rows, 1795421100000, 1795421200000));
    EXPECT_EQ(document["schema"], "packline.hub-export/1");
    EXPECT_EQ(document["since_ms"], 1795421100000);
    EXPECT_EQ(document["until_ms"], 1795421200000);
    EXPECT_EQ(document["count"], 1);
    const json& entry = document["shipments"][0];
    EXPECT_EQ(entry["event_id"], message.event_id);
    EXPECT_EQ(entry["order_id"], "1001");
    EXPECT_EQ(entry["parcel_id"], 42);
    EXPECT_EQ(entry["partial"], true);
    EXPECT_EQ(entry["weight_g"], 612.5);
    EXPECT_EQ(entry["item_count"], 2);
    EXPECT_EQ(entry["serials"], "SN-1");
    EXPECT_EQ(entry["overridden_checks"], "customer");
    EXPECT_EQ(entry["received_at"], "2026-11-23T08:05:00.123Z");
    EXPECT_EQ(entry["received_at_ms"], 1795421100123);
    EXPECT_EQ(entry["shipment"], message.body);
    // Every CSV column is a member.
    for (const std::string& column : export_columns())
        EXPECT_TRUE(entry.contains(column)) << column;
}

TEST(Export, TimesAreRfc3339DatesOrMilliseconds) {
    EXPECT_EQ(parse_export_time("2026-11-23T08:00:00Z"), 1795420800000);
    EXPECT_EQ(parse_export_time("2026-11-23T09:00:00.250+01:00"), 1795420800250);
    EXPECT_EQ(parse_export_time("2026-11-23"), 1795392000000);
    EXPECT_EQ(parse_export_time("1795420800000"), 1795420800000);
    EXPECT_FALSE(parse_export_time("yesterday"));
    EXPECT_FALSE(parse_export_time(""));
    EXPECT_EQ(iso8601_utc(1795420800250), "2026-11-23T08:00:00.250Z");
    EXPECT_EQ(iso8601_utc(0), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(export_format_from_string("csv"), ExportFormat::Csv);
    EXPECT_FALSE(export_format_from_string("xml"));
}

// Issue 14: an order id or a packer that a spreadsheet reads as a formula
// is written with a leading quote, so it shows as text and never runs.
TEST(Export, CsvCellsThatWouldBeFormulasAreNeutralised) {
    auto message = testing::shipment_message("ams1", "bench-3", "=HYPERLINK(\"http://x\",\"y\")",
                                             "1Z5R89390357567127");
    message.body["packer"] = "@SUM(1+1)";
    message.body["packaging"] = "+BOX";
    auto second = testing::shipment_message("ams1", "bench-3", "-2+3", "1Z5R89390357567127");
    second.body["packer"] = "\tcmd";
    const std::vector<ReceivedShipment> rows = {received(message, 1795421100123),
                                                received(second, 1795421100124)};
    const std::string text = export_csv(rows);
    const auto records = parse_csv(text);
    ASSERT_EQ(records.size(), 3u) << text;
    EXPECT_EQ(records[1][3], "'=HYPERLINK(\"http://x\",\"y\")");
    EXPECT_EQ(records[1][11], "'+BOX");
    EXPECT_EQ(records[1][12], "'@SUM(1+1)");
    EXPECT_EQ(records[2][3], "'-2+3");
    EXPECT_EQ(records[2][12], "'\tcmd");
    EXPECT_NE(text.find(",\"'@SUM(1+1)\","), std::string::npos) << text;
    // No cell of the file starts a formula.
    for (const auto& record : records)
        for (const std::string& cell : record)
            EXPECT_TRUE(cell.empty() ||
                        std::string_view("=+-@\t\r").find(cell.front()) == std::string_view::npos)
                << cell;
    // Ordinary values are unchanged.
    EXPECT_EQ(records[1][8], "1Z5R89390357567127");
}

}  // namespace
}  // namespace packline::hub
