#include "packline/labels/label_code.h"

#include <gtest/gtest.h>

#include <string>

namespace packline::labels {
namespace {

TEST(LabelCode, PayloadJoinsOrderAndTracking) {
    EXPECT_EQ(label_code_payload("SO-1001", "1Z5R89390357567127"),
              "PL1|SO-1001|1Z5R89390357567127");
    EXPECT_EQ(label_code_payload("订单-42", "SF1234567890"), "PL1|订单-42|SF1234567890");
}

TEST(LabelCode, RoundTrips) {
    const std::string payload = label_code_payload("SO-1001", "RB123456785GB");
    auto code = parse_label_code(payload);
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(code->order_id, "SO-1001");
    EXPECT_EQ(code->tracking_number, "RB123456785GB");
}

TEST(LabelCode, RefusesFieldsThatWouldBreakTheFormat) {
    const std::string forty(40, 'A');
    const std::string forty_one(41, 'A');
    EXPECT_EQ(label_code_payload(forty, forty), "PL1|" + forty + "|" + forty);
    struct Case {
        std::string order, tracking;
    };
    const Case bad[] = {
        {"", "1Z5R89390357567127"},
        {"SO-1001", ""},
        {"SO|1001", "1Z5R89390357567127"},
        {"SO-1001", "1Z5R|89390357567127"},
        {"SO-1001\r", "1Z5R89390357567127"},
        {"SO-1001", "1Z5R89390357567127\n"},
        {std::string("SO\0", 3), "X"},
        {"SO\x7f", "X"},
        {"SO\xc2\x85", "X"},    // NEL, a C1 control
        {"SO\xff", "X"},        // not UTF-8
        {"SO\xc3", "X"},        // truncated UTF-8
        {"\xc0\xaf", "X"},      // overlong '/'
        {"\xed\xa0\x80", "X"},  // a surrogate
        {forty_one, "X"},
        {"X", forty_one},
    };
    for (const auto& c : bad) {
        EXPECT_EQ(label_code_payload(c.order, c.tracking), "") << c.order << " / " << c.tracking;
        EXPECT_FALSE(parse_label_code("PL1|" + c.order + "|" + c.tracking).has_value())
            << c.order << " / " << c.tracking;
    }
}

TEST(LabelCode, ParsingIsStrict) {
    const char* bad[] = {
        "",
        "PL1",
        "PL1|",
        "PL1||",
        "PL1|SO-1001",
        "PL1|SO-1001|",
        "PL1||1Z5R89390357567127",
        "PL1|SO-1001|1Z5R89390357567127|extra",
        "PL2|SO-1001|1Z5R89390357567127",  // unknown version
        "pl1|SO-1001|1Z5R89390357567127",  // case matters
        " PL1|SO-1001|1Z5R89390357567127",
        "]Q1PL1|SO-1001|1Z5R89390357567127",  // the caller strips AIM ids
        "PL1|SO-1001|1Z5R89390357567127\r",   // scanner suffix left on
        "1Z5R89390357567127",                 // a carrier barcode, not ours
    };
    for (const char* payload : bad)
        EXPECT_FALSE(parse_label_code(payload).has_value()) << payload;

    auto code = parse_label_code("PL1|A|B");
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(*code, (LabelCode{"A", "B"}));
}

TEST(LabelCode, SurvivesHugeInput) {
    const std::string huge = "PL1|" + std::string(1 << 20, 'A') + "|B";
    EXPECT_FALSE(parse_label_code(huge).has_value());
}

}  // namespace
}  // namespace packline::labels
