// The published schemas, compiled into packline_sync, accept every example
// message in tests/fixtures/mqtt/ and refuse each way a message can be wrong:
// a missing member, a wrong type, an unknown member, another schema version,
// an id that could inject topic characters, an oversized, malformed or
// non-UTF-8 payload.
#include "packline/sync/schemas.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "packline/station/field_limits.h"
#include "sync_test_support.h"

namespace packline::sync {
namespace {

using nlohmann::json;
using testing::dump;
using testing::fixture;
using testing::fixture_json;
using ::testing::HasSubstr;

// One valid example per message schema, the base of the mutations below.
const std::map<std::string, std::string>& base_examples() {
    static const std::map<std::string, std::string> examples{
        {"order", "order.json"},
        {"sku", "sku.json"},
        {"packaging", "packaging.json"},
        {"command", "command.reprint.json"},
        {"tracking-pool", "tracking-pool.json"},
        {"ack", "ack.json"},
        {"shipment", "shipment.json"},
        {"station-event", "station-event.exception.json"},
        {"station-status", "station-status.json"},
    };
    return examples;
}

json schema_json(const std::string& name) {
    return json::parse(schema_text(name));
}

// Refused with the given code, and the message contains `reason`.
void expect_refused(const std::string& schema, const std::string& payload,
                    const std::string& reason, const std::string& code = "sync.bad_message") {
    const Status status = validate_message(schema, payload);
    ASSERT_FALSE(status) << "accepted: " << payload.substr(0, 300);
    EXPECT_EQ(status.error().code, code);
    EXPECT_THAT(status.error().message, HasSubstr(reason));
}

void expect_refused(const std::string& schema, const json& message, const std::string& reason) {
    expect_refused(schema, dump(message), reason);
}

void expect_accepted(const std::string& schema, const json& message) {
    const Status status = validate_message(schema, dump(message));
    EXPECT_TRUE(status) << status.error().to_string();
}

TEST(Schemas, TheCompiledSchemasAreTheFilesInDocs) {
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(PACKLINE_SOURCE_DIR) +
                                                                 "/docs/mqtt/schemas")) {
        const std::string name = entry.path().filename().string();
        ASSERT_TRUE(name.ends_with(".schema.json")) << name;
        files.push_back(name.substr(0, name.size() - std::string(".schema.json").size()));
    }
    std::sort(files.begin(), files.end());
    EXPECT_EQ(schema_names(), files);
    for (const std::string& name : files) {
        SCOPED_TRACE(name);
        // A schema that did not compile reports itself on every use.
        const Status status = validate_message(name, "{}");
        ASSERT_FALSE(status);
        EXPECT_EQ(status.error().code, "sync.bad_message");
        if (name != "envelope") {
            EXPECT_EQ(schema_id(name), "packline." + name + "/1");
        }
    }
    EXPECT_EQ(schema_id("envelope"), "");
}

TEST(Schemas, EveryExampleMessageValidatesAgainstItsSchema) {
    std::set<std::string> covered;
    const auto files = testing::fixture_files();
    ASSERT_GE(files.size(), base_examples().size());
    for (const auto& file : files) {
        SCOPED_TRACE(file.file_name);
        const Status status = validate_message(file.schema, fixture(file.file_name));
        EXPECT_TRUE(status) << status.error().to_string();
        covered.insert(file.schema);
    }
    for (const std::string& name : schema_names())
        if (name != "envelope") {
            EXPECT_TRUE(covered.contains(name)) << "no example of " << name;
        }
}

TEST(Schemas, AnUnknownSchemaNameIsAnErrorOfTheCaller) {
    expect_refused("invoice", fixture("order.json"), "no schema named 'invoice'",
                   "sync.unknown_schema");
    EXPECT_EQ(schema_text("invoice"), "");
    EXPECT_EQ(schema_id("invoice"), "");
}

TEST(Schemas, EveryRequiredMemberIsRequired) {
    for (const auto& [schema, file] : base_examples()) {
        // Kept alive: a range-for over schema_json(...)["required"] would walk a
        // destroyed temporary.
        const json schema_document = schema_json(schema);
        for (const auto& member : schema_document["required"]) {
            SCOPED_TRACE(schema + " without " + member.get<std::string>());
            json message = fixture_json(file);
            ASSERT_TRUE(message.contains(member)) << "the example lacks it";
            message.erase(member.get<std::string>());
            expect_refused(schema, message,
                           "Missing required property '" + member.get<std::string>() + "'");
        }
    }
}

// A value of another JSON type than `value` has.
json other_type(const json& value) {
    if (value.is_string()) return 42;
    if (value.is_number_integer()) return "42";
    if (value.is_number()) return "1.5";
    if (value.is_boolean()) return "true";
    if (value.is_array()) return json::object();
    if (value.is_object()) return json::array();
    return "null";
}

TEST(Schemas, EveryMemberOfTheWrongTypeIsRefused) {
    for (const auto& [schema, file] : base_examples()) {
        const json example = fixture_json(file);
        for (const auto& [member, value] : example.items()) {
            SCOPED_TRACE(schema + "." + member);
            json message = example;
            message[member] = other_type(value);
            EXPECT_FALSE(validate_message(schema, dump(message)));
            message[member] = nullptr;
            EXPECT_FALSE(validate_message(schema, dump(message)));
        }
    }
}

TEST(Schemas, IntegersMustBeWholeNumbers) {
    json order = fixture_json("order.json");
    order["lines"][0]["quantity"] = 2.0;
    expect_refused("order", order, "/lines/0/quantity");
    json status = fixture_json("station-status.json");
    status["sent_at_ms"] = 1795421200000.5;
    expect_refused("station-status", status, "/sent_at_ms");
}

TEST(Schemas, UnknownMembersAreRefusedAtEveryLevel) {
    for (const auto& [schema, file] : base_examples()) {
        SCOPED_TRACE(schema);
        json message = fixture_json(file);
        message["surprise"] = 1;
        expect_refused(schema, message, "surprise");
    }
    json order = fixture_json("order.json");
    order["recipient"]["address"]["floor"] = "3";
    expect_refused("order", order, "/recipient/address");
    order = fixture_json("order.json");
    order["lines"][1]["price"] = 9.99;
    expect_refused("order", order, "/lines/1");
    json ack = fixture_json("ack.json");
    ack["acks"][0]["stored_at_ms"] = 1;
    expect_refused("ack", ack, "/acks/0");
    json status = fixture_json("station-status.json");
    status["counters"]["reprints"] = 1;
    expect_refused("station-status", status, "/counters");
    json shipment = fixture_json("shipment.json");
    shipment["evidence"]["checks"]["weight"] = "passed";
    expect_refused("shipment", shipment, "/evidence/checks");
}

TEST(Schemas, AnotherVersionOrAnotherKindOfMessageIsRefusedAsSuch) {
    for (const auto& [schema, file] : base_examples()) {
        SCOPED_TRACE(schema);
        json message = fixture_json(file);
        message["schema"] = "packline." + schema + "/2";
        expect_refused(schema, message,
                       "schema version packline." + schema +
                           "/2 is not supported (this end reads "
                           "packline." +
                           schema + "/1)");
        message["schema"] = schema == "order" ? "packline.sku/1" : "packline.order/1";
        expect_refused(schema, message, "where packline." + schema + "/1 belongs");
        for (const char* malformed : {"order", "packline.order", "packline.order/0",
                                      "packline.order/1 ", "PACKLINE.ORDER/1", ""}) {
            message["schema"] = malformed;
            expect_refused(schema, message, "/schema");
        }
    }
}

TEST(Schemas, EventIdsAreLowerCaseUuids) {
    const char* bad_ids[] = {"",
                             "1234",
                             "0B7E6F3A-54C1-4D2E-9A0F-7C1D2E3F4A5B",
                             "0b7e6f3a54c14d2e9a0f7c1d2e3f4a5b",
                             "0b7e6f3a-54c1-4d2e-9a0f-7c1d2e3f4a5b0",
                             "{0b7e6f3a-54c1-4d2e-9a0f-7c1d2e3f4a5b}",
                             "0b7e6f3a-54c1-4d2e-9a0f-7c1d2e3f4a5g"};
    for (const auto& [schema, file] : base_examples()) {
        for (const char* id : bad_ids) {
            SCOPED_TRACE(schema + " " + id);
            json message = fixture_json(file);
            message["event_id"] = id;
            expect_refused(schema, message, "/event_id");
        }
    }
    json ack = fixture_json("ack.json");
    ack["acks"][2]["event_id"] = "e5a3c0b2/8cad";
    expect_refused("ack", ack, "/acks/2/event_id");
}

// Where each schema carries a value that is (or names) a topic level.
struct IdMember {
    std::string schema;
    std::string file;
    json::json_pointer pointer;
};

std::vector<IdMember> id_members() {
    return {
        {"order", "order.json", json::json_pointer("/site")},
        {"order", "order.json", json::json_pointer("/order_id")},
        {"order", "order.json", json::json_pointer("/lines/0/sku")},
        {"sku", "sku.json", json::json_pointer("/site")},
        {"sku", "sku.json", json::json_pointer("/sku")},
        {"packaging", "packaging.json", json::json_pointer("/site")},
        {"packaging", "packaging.json", json::json_pointer("/code")},
        {"command", "command.reprint.json", json::json_pointer("/order_id")},
        {"tracking-pool", "tracking-pool.json", json::json_pointer("/site")},
        {"tracking-pool", "tracking-pool.json", json::json_pointer("/station")},
        {"station-event", "station-event.exception.json", json::json_pointer("/site")},
        {"station-event", "station-event.exception.json", json::json_pointer("/station")},
        {"station-status", "station-status.json", json::json_pointer("/site")},
        {"station-status", "station-status.json", json::json_pointer("/station")},
        {"shipment", "shipment.json", json::json_pointer("/site")},
        {"shipment", "shipment.json", json::json_pointer("/station")},
    };
}

TEST(Schemas, IdsThatCouldInjectTopicCharactersAreRefused) {
    const std::string bad_values[] = {
        "a/b",   "a+b",    "#", std::string("a\0b", 3), "a\x01", "a\tb", "a\nb", "a\x7f",
        " lead", "trail ", "",
    };
    for (const IdMember& member : id_members()) {
        for (const std::string& value : bad_values) {
            SCOPED_TRACE(member.schema + " " + member.pointer.to_string() + " = " +
                         ::testing::PrintToString(value));
            json message = fixture_json(member.file);
            ASSERT_TRUE(message.contains(member.pointer));
            message[member.pointer] = value;
            expect_refused(member.schema, message, member.pointer.to_string());
        }
        SCOPED_TRACE(member.schema + " " + member.pointer.to_string());
        json message = fixture_json(member.file);
        message[member.pointer] = "中文 id-1";
        // Other checks of the example still hold (a shipment has no length
        // limit beyond the pattern's): only the id changed.
        expect_accepted(member.schema, message);
    }
}

TEST(Schemas, TopicIdsHoldAtMost128Characters) {
    std::string chinese;
    for (int i = 0; i < 128; ++i)
        chinese += "货";
    json order = fixture_json("order.json");
    order["order_id"] = chinese;
    expect_accepted("order", order);
    order["order_id"] = chinese + "货";
    expect_refused("order", order, "/order_id");
    order["order_id"] = std::string(129, 'a');
    expect_refused("order", order, "/order_id");
}

// Issue 14: a shipment's order id was unbounded: a megabyte-long id
// reached the hub's store and export. Ids are bounded as in the order contract.
TEST(Schemas, ShipmentStringsAreBounded) {
    std::string chinese;
    for (int i = 0; i < 128; ++i)
        chinese += "货";
    json shipment = fixture_json("shipment.json");
    shipment["order_id"] = chinese;
    expect_accepted("shipment", shipment);
    shipment["order_id"] = chinese + "货";
    expect_refused("shipment", shipment, "/order_id");
    shipment["order_id"] = std::string(100'000, '7');
    expect_refused("shipment", shipment, "/order_id");
    for (const char* pointer : {"/tracking_number", "/packaging", "/carrier", "/packer",
                                "/items/0/sku", "/items/0/barcode", "/evidence/label_job_id"}) {
        SCOPED_TRACE(pointer);
        json message = fixture_json("shipment.json");
        ASSERT_TRUE(message.contains(json::json_pointer(pointer)));
        message[json::json_pointer(pointer)] = std::string(4097, 'x');
        expect_refused("shipment", message, pointer);
    }
}

// The importer bounds its fields with station::limits (field_limits.h): the
// same limits as the schemas, checked here value by value, so a file cannot
// load what the contract would refuse.
TEST(Schemas, TheImportersLimitsAreTheContracts) {
    for (const auto& entry : station::limits::contract_limits()) {
        SCOPED_TRACE(std::string(entry.schema) + " " + std::string(entry.pointer));
        const json::json_pointer pointer{std::string(entry.pointer)};
        json message = fixture_json(base_examples().at(std::string(entry.schema)));
        const bool list = message.contains(pointer) && message[pointer].is_array();
        auto with = [&](std::size_t count) {
            json changed = message;
            if (list) {
                json items = json::array();
                for (std::size_t i = 0; i < count; ++i)
                    items.push_back(
                        message[pointer].empty() ? json("7" + std::to_string(i))
                        : message[pointer][0].is_string()
                            ? json(message[pointer][0].get<std::string>() + std::to_string(i))
                            : message[pointer][0]);
                changed[pointer] = items;
            } else {
                changed[pointer] = std::string(count, '7');
            }
            return changed;
        };
        expect_accepted(std::string(entry.schema), with(entry.limit));
        expect_refused(std::string(entry.schema), with(entry.limit + 1),
                       std::string(entry.pointer));
    }
}

TEST(Schemas, StringAndArrayLimitsHold) {
    json command = fixture_json("command.message.json");
    std::string text;
    for (int i = 0; i < 1000; ++i)
        text += "字";  // the limit counts characters, not bytes
    command["text"] = text;
    expect_accepted("command", command);
    command["text"] = text + "!";
    expect_refused("command", command, "/text");

    json order = fixture_json("order.json");
    order["lines"] = json::array();
    expect_refused("order", order, "/lines");
    for (int i = 0; i < 1001; ++i)
        order["lines"].push_back({{"sku", "SKU-" + std::to_string(i)}, {"quantity", 1}});
    expect_refused("order", order, "/lines");
    order["lines"].erase(1000);
    expect_accepted("order", order);

    order = fixture_json("order.json");
    for (const int quantity : {0, -1, 10001}) {
        order["lines"][0]["quantity"] = quantity;
        expect_refused("order", order, "/lines/0/quantity");
    }
    order["lines"][0]["quantity"] = 10000;
    expect_accepted("order", order);

    json pool = fixture_json("tracking-pool.json");
    pool["numbers"] = json::array();
    expect_refused("tracking-pool", pool, "/numbers");

    json sku = fixture_json("sku.json");
    sku["unit_weight_g"] = -0.5;
    expect_refused("sku", sku, "/unit_weight_g");
    sku = fixture_json("sku.json");
    sku["barcodes"][1] = "CAM01\tINT";
    expect_refused("sku", sku, "/barcodes/1");
}

TEST(Schemas, ErrorsNameTheJsonPointerOfTheFailingMember) {
    json status = fixture_json("station-status.json");
    status["devices"][1]["health"] = "broken";
    const Status result = validate_message("station-status", dump(status));
    ASSERT_FALSE(result);
    EXPECT_THAT(result.error().message,
                HasSubstr("packline.station-status/1: /devices/1/health: Failed to match against "
                          "any enum values"));

    json order = fixture_json("order.json");
    order["lines"][0]["quantity"] = 0;
    order["recipient"]["phone"] = 31201234567;
    order["lines"][1]["quantity"] = 0;
    order["status"] = "lost";
    order["extra"] = 1;
    const Status many = validate_message("order", dump(order));
    ASSERT_FALSE(many);
    EXPECT_THAT(many.error().message, HasSubstr("/lines/0/quantity"));
    EXPECT_THAT(many.error().message, HasSubstr("more)"));
}

TEST(Schemas, CommandMembersDependOnTheCommand) {
    json message = fixture_json("command.message.json");
    message.erase("text");
    expect_refused("command", message, "conditional");
    json pause = fixture_json("command.pause.json");
    pause["text"] = "hello";
    expect_refused("command", pause, "conditional");
    pause = fixture_json("command.pause.json");
    pause["order_id"] = "1001";
    expect_refused("command", pause, "conditional");
    json reprint = fixture_json("command.reprint.json");
    reprint.erase("order_id");
    expect_accepted("command", reprint);
    reprint["command"] = "shutdown";
    expect_refused("command", reprint, "/command");
}

TEST(Schemas, ARejectedAckCarriesItsReason) {
    json ack = fixture_json("ack.json");
    ack["acks"][2].erase("reason");
    expect_refused("ack", ack, "/acks/2");
    ack["acks"] = json::array();
    expect_refused("ack", ack, "/acks");
}

TEST(Schemas, EachStationEventKindCarriesWhatItNeeds) {
    const std::pair<std::string, std::vector<std::string>> kinds[] = {
        {"station-event.packing-started.json", {"order_id", "parcel_id", "packer"}},
        {"station-event.exception.json", {"parcel_id", "check", "reason", "message"}},
        {"station-event.override.json",
         {"order_id", "parcel_id", "check", "reason", "override_reason", "supervisor"}},
        {"station-event.error.json", {"code", "message"}},
    };
    for (const auto& [file, members] : kinds) {
        for (const std::string& member : members) {
            SCOPED_TRACE(file + " without " + member);
            json message = fixture_json(file);
            message.erase(member);
            expect_refused("station-event", message, "conditional");
        }
    }
    json event = fixture_json("station-event.exception.json");
    event["reason"] = "Contents Wrong Variant";
    expect_refused("station-event", event, "/reason");
}

TEST(Schemas, AnOfflineStatusIsShortAndEveryOtherStatusIsComplete) {
    const std::vector<std::string> full = {"packer",           "current_order",       "counters",
                                           "parcels_per_hour", "exceptions_by_check", "devices",
                                           "outbox_backlog",   "last_sync_ms"};
    for (const std::string& member : full) {
        SCOPED_TRACE(member);
        json status = fixture_json("station-status.json");
        status.erase(member);
        expect_refused("station-status", status, "conditional");
    }
    json online = fixture_json("station-status.json");
    online["offline_reason"] = "shutdown";
    expect_refused("station-status", online, "conditional");
    json offline = fixture_json("station-status.offline.json");
    offline.erase("offline_reason");
    expect_refused("station-status", offline, "conditional");
    offline = fixture_json("station-status.offline.json");
    offline["state"] = "asleep";
    expect_refused("station-status", offline, "/state");
}

TEST(Schemas, TheShipmentEnvelopeMembersStayOptionalInVersion1) {
    json shipment = fixture_json("shipment.json");
    ASSERT_FALSE(shipment.contains("sent_at_ms"));
    shipment["sent_at_ms"] = 1795000000500;
    shipment["sequence"] = 9;
    expect_accepted("shipment", shipment);
    shipment["sequence"] = -1;
    expect_refused("shipment", shipment, "/sequence");
}

TEST(Schemas, OversizedPayloadsAreRefusedBeforeParsing) {
    json order = fixture_json("order.json");
    order["recipient"]["name"] = std::string(kMaxPayloadBytes, 'a');
    // Not JSON at all past the size: only the size can be the reason.
    std::string payload = dump(order) + "}}}}";
    expect_refused("order", payload, "larger than the limit of 262144");

    // Just under the limit, the message is judged on its content.
    const std::string base = dump(fixture_json("order.json"));
    order = fixture_json("order.json");
    order["recipient"]["name"] = std::string(kMaxPayloadBytes - base.size() - 10, 'a');
    payload = dump(order);
    ASSERT_LE(payload.size(), kMaxPayloadBytes);
    expect_refused("order", payload, "/recipient/name: String should be no more than 256");
}

TEST(Schemas, MalformedPayloadsAreRefusedWithTheReason) {
    const std::string order = fixture("order.json");
    const std::pair<std::string, std::string> cases[] = {
        {"", "empty payload"},
        {order.substr(0, order.size() / 2), "invalid JSON"},
        {order + "{}", "invalid JSON"},
        {"{\"schema\": \"packline.order/1\",}", "invalid JSON"},
        {"{\"sent_at_ms\": NaN}", "invalid JSON"},
        {"{\"a\": \"\\ud800\"}", "invalid JSON"},            // a lone surrogate escape
        {"\xef\xbb\xbf{}", "/: Missing required property"},  // a BOM is skipped, then judged
        {"[]", "not a JSON object"},
        {"42", "not a JSON object"},
        {"null", "not a JSON object"},
        {"{\"name\": \"caf\xe9\"}", "not valid UTF-8 (byte 13)"},   // Latin-1
        {"{\"name\": \"\xc0\xaf\"}", "not valid UTF-8 (byte 10)"},  // overlong '/'
        {"{\"name\": \"\xed\xa0\x80\"}", "not valid UTF-8"},        // a surrogate
        {"\xff\xfe{\x00}", "not valid UTF-8 (byte 0)"},
        {std::string(20, '[') + std::string(20, ']'), "nests deeper than 16 levels"},
        {"{\"a\": " + std::string(17, '[') + std::string(17, ']') + "}", "nests deeper"},
    };
    for (const auto& [payload, reason] : cases) {
        SCOPED_TRACE(::testing::PrintToString(payload.substr(0, 80)));
        expect_refused("order", payload, reason);
    }
    // valijson would count "a\u0000bbb..." as one character: NUL is refused
    // wherever it is, so no length limit can be slipped past.
    json nul = fixture_json("order.json");
    nul["recipient"]["name"] = std::string("a\0", 2) + std::string(300, 'b');
    expect_refused("order", nul, "/recipient/name: a string holds U+0000 (NUL)");
    nul = fixture_json("order.json");
    nul["lines"][1][std::string("x\0", 2)] = 1;
    expect_refused("order", nul, "/lines/1/x\\x00: a string holds U+0000");
    // Brackets inside strings are text, not nesting.
    json sku = fixture_json("sku.json");
    sku["name"] = std::string(40, '[');
    expect_accepted("sku", sku);
}

// Every definition the envelope shares is restated identically where a
// message schema uses it, and every message schema's envelope members refer
// to those definitions: one rule, written out in each file.
TEST(Schemas, EveryMessageSchemaRestatesTheEnvelopeIdentically) {
    const json envelope = schema_json("envelope");
    for (const std::string& name : schema_names()) {
        if (name == "envelope" || name == "shipment") continue;
        SCOPED_TRACE(name);
        const json schema = schema_json(name);
        EXPECT_EQ(schema["$schema"], envelope["$schema"]);
        EXPECT_EQ(schema["$id"], "https://packline.example/schemas/packline." + name + "/1");
        EXPECT_EQ(schema["properties"]["schema"], json({{"const", "packline." + name + "/1"}}));
        for (const char* member : {"event_id", "sent_at_ms", "sequence"})
            EXPECT_EQ(schema["properties"][member],
                      json({{"$ref", std::string("#/definitions/") + member}}))
                << member;
        for (const auto& [definition, value] : schema["definitions"].items())
            if (envelope["definitions"].contains(definition)) {
                EXPECT_EQ(value, envelope["definitions"][definition]) << definition;
            }
        EXPECT_EQ(schema["additionalProperties"], false);
    }
    // The shipment predates the envelope file and is read by the station's
    // own test checker, which knows fewer keywords: it restates the patterns.
    const json shipment = schema_json("shipment");
    EXPECT_EQ(shipment["properties"]["event_id"]["pattern"],
              envelope["definitions"]["event_id"]["pattern"]);
    EXPECT_EQ(shipment["properties"]["site"]["pattern"],
              envelope["definitions"]["topic_id"]["pattern"]);
    EXPECT_EQ(shipment["properties"]["station"]["pattern"],
              envelope["definitions"]["topic_id"]["pattern"]);
}

void collect_patterns(const json& value, std::vector<std::string>& patterns) {
    if (value.is_object()) {
        for (const auto& [key, member] : value.items()) {
            if (key == "pattern" && member.is_string())
                patterns.push_back(member);
            else
                collect_patterns(member, patterns);
        }
    } else if (value.is_array()) {
        for (const auto& member : value)
            collect_patterns(member, patterns);
    }
}

// libstdc++'s std::regex (valijson's engine) recurses once per character a
// repetition consumes: "^[^/]+$" over a 100 kB string overflows the stack.
// Every repetition in the schemas is therefore bounded.
TEST(Schemas, EveryPatternRepetitionIsBounded) {
    std::vector<std::string> patterns;
    for (const std::string& name : schema_names())
        collect_patterns(schema_json(name), patterns);
    ASSERT_GT(patterns.size(), 10u);
    for (const std::string& pattern : patterns) {
        SCOPED_TRACE(pattern);
        bool in_class = false;
        for (std::size_t i = 0; i < pattern.size(); ++i) {
            const char c = pattern[i];
            if (c == '\\') {
                ++i;
            } else if (in_class) {
                in_class = c != ']';
            } else if (c == '[') {
                in_class = true;
            } else {
                EXPECT_NE(c, '*');
                EXPECT_NE(c, '+');
                if (c == '{') {
                    EXPECT_NE(pattern[pattern.find('}', i) - 1], ',');
                }
            }
        }
    }
    // And the engine really survives a long string against the id pattern.
    json order = fixture_json("order.json");
    order["lines"][0]["sku"] = std::string(200000, 'x');
    expect_refused("order", order, "/lines/0/sku");
}

// valijson checks uniqueItems by comparing every pair, and keeps checking
// after maxItems failed: one 230 KB pool top-up of 30000 short numbers took
// 16 s of CPU. Repeats are harmless where the contract could forbid them
// (the decoder keeps each number and barcode once), so no schema uses it.
TEST(Schemas, NoSchemaUsesUniqueItemsAndLongArraysAreRefusedCheaply) {
    for (const std::string& name : schema_names()) {
        const std::string flat = schema_json(name).flatten().dump();
        EXPECT_EQ(flat.find("/uniqueItems\""), std::string::npos) << name;
    }
    json pool = fixture_json("tracking-pool.json");
    pool["numbers"] = json::array();
    for (int i = 0; i < 30000; ++i)
        pool["numbers"].push_back(std::to_string(i));
    expect_refused("tracking-pool", pool, "/numbers: Array should contain no more than 1000");
}

TEST(Schemas, ValidationIsSafeFromManyThreadsAtOnce) {
    const std::string good = fixture("station-status.json");
    json broken = fixture_json("station-status.json");
    broken["site"] = "a/b";
    const std::string bad = dump(broken);
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 50; ++i) {
                if (!validate_message("station-status", good)) ++wrong;
                if (validate_message("station-status", bad)) ++wrong;
            }
        });
    }
    for (auto& thread : threads)
        thread.join();
    EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace packline::sync
