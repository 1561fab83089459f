// Order timestamps: RFC 3339 date-times and epoch milliseconds.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "packline/station/import.h"

namespace packline::station {
namespace {

struct Valid {
    std::string text;
    std::int64_t ms;
};

TEST(Timestamp, AcceptsRfc3339AndEpochMilliseconds) {
    const Valid cases[] = {
        {"1970-01-01T00:00:00Z", 0},
        {"2026-11-23T08:00:00Z", 1795420800000},
        {"2026-11-23t08:00:00z", 1795420800000},       // RFC 3339 §5.6: case-insensitive
        {"2026-11-23 08:00:00Z", 1795420800000},       // space instead of T (§5.6 note)
        {"2026-11-23T16:00:00+08:00", 1795420800000},  // Shanghai
        {"2026-11-23T03:00:00-05:00", 1795420800000},  // New York
        {"2026-11-23T08:00:00+05:45", 1795400100000},  // Kathmandu
        {"2026-11-23T08:00:00-00:00", 1795420800000},  // §4.3 unknown local offset
        {"2026-11-23T12:34:56.789Z", 1795437296789},
        {"2026-11-23T08:00:00.5Z", 1795420800500},
        {"2026-11-23T08:00:00.123456789Z", 1795420800123},  // truncated to ms
        {"2024-02-29T12:00:00Z", 1709208000000},            // leap day
        {"2000-03-01T00:00:00Z", 951868800000},             // after a 400-year leap day
        {"1999-12-31T23:59:60Z", 946684800000},             // leap second
        {"9999-12-31T23:59:59Z", 253402300799000},
        {"  2026-11-23T08:00:00Z\n", 1795420800000},
        {"1795420800000", 1795420800000},
        {"0", 0},
    };
    for (const auto& example : cases) {
        const auto parsed = parse_timestamp_ms(example.text);
        ASSERT_TRUE(parsed.has_value()) << example.text;
        EXPECT_EQ(*parsed, example.ms) << example.text;
    }
}

TEST(Timestamp, RefusesWhatIsNotADateTime) {
    const std::string cases[] = {
        "",
        "   ",
        "2026-11-23",            // a date, not a date-time
        "2026-11-23T08:00:00",   // no offset: local time of where?
        "2026-11-23T08:00Z",     // seconds are required
        "2026-02-29T00:00:00Z",  // 2026 is not a leap year
        "2100-02-29T00:00:00Z",  // century, not a leap year
        "2026-04-31T00:00:00Z",
        "2026-00-10T00:00:00Z",
        "2026-13-10T00:00:00Z",
        "2026-11-00T00:00:00Z",
        "2026-11-32T00:00:00Z",
        "2026-11-23T24:00:00Z",
        "2026-11-23T08:60:00Z",
        "2026-11-23T08:00:61Z",
        "2026-11-23T08:00:00+8:00",
        "2026-11-23T08:00:00+0800",
        "2026-11-23T08:00:00+08:60",
        "2026-11-23T08:00:00+24:00",
        "2026-11-23T08:00:00.Z",
        "2026-11-23T08:00:00Zjunk",
        "2026/11/23T08:00:00Z",
        "20261123T080000Z",
        "yesterday",
        "-1000",
        "12.5",
        "1e12",
        "1234567890123456789",  // 19 digits: past any plausible date
        "+1795420800000",
        std::string("2026-11-23T08:00:00\0Z", 21),
    };
    for (const auto& text : cases)
        EXPECT_FALSE(parse_timestamp_ms(text).has_value()) << text;
}

}  // namespace
}  // namespace packline::station
