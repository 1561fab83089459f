// RFC 3339 date-times and epoch milliseconds. Written against the RFC's grammar
// (RFC 3339 §5.6) with plain calendar arithmetic, so the result never depends
// on the machine's locale, time zone or C library (no timegm, no strptime).
#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

#include "packline/station/import.h"
#include "text.h"

namespace packline::station {
namespace {

bool is_leap_year(std::int64_t year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

std::int64_t days_in_month(std::int64_t year, std::int64_t month) {
    constexpr std::int64_t kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && is_leap_year(year)) return 29;
    return kDays[month - 1];
}

// Days since 1970-01-01 in the proleptic Gregorian calendar. The year is
// shifted to start in March so that the leap day is the last day of the
// "year"; 400-year eras hold exactly 146097 days, and 719468 is the day number
// of 1970-01-01 counted from 0000-03-01.
std::int64_t days_from_civil(std::int64_t year, std::int64_t month, std::int64_t day) {
    if (month <= 2) year -= 1;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const std::int64_t year_of_era = year - era * 400;
    const std::int64_t shifted_month = month > 2 ? month - 3 : month + 9;
    // 153 days per 5 months (31+30+31+30+31) starting in March.
    const std::int64_t day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    const std::int64_t day_of_era =
        year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

// Reads exactly `count` ASCII digits at `position`.
std::optional<std::int64_t> digits(std::string_view text, std::size_t position, std::size_t count) {
    if (position + count > text.size()) return std::nullopt;
    std::int64_t value = 0;
    for (std::size_t i = position; i < position + count; ++i) {
        const char c = text[i];
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

std::optional<std::int64_t> parse_epoch_ms(std::string_view text) {
    // 18 digits keeps us far from int64 overflow (year ~33 million).
    if (text.empty() || text.size() > 18) return std::nullopt;
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<std::int64_t> parse_rfc3339(std::string_view text) {
    // full-date "T" partial-time time-offset; RFC 3339 §5.6 allows lower-case
    // t/z and (note in §5.6) a space instead of "T".
    if (text.size() < 20) return std::nullopt;
    const auto year = digits(text, 0, 4);
    const auto month = digits(text, 5, 2);
    const auto day = digits(text, 8, 2);
    const auto hour = digits(text, 11, 2);
    const auto minute = digits(text, 14, 2);
    const auto second = digits(text, 17, 2);
    if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
    if (text[4] != '-' || text[7] != '-' || text[13] != ':' || text[16] != ':') return std::nullopt;
    if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') return std::nullopt;
    if (*month < 1 || *month > 12) return std::nullopt;
    if (*day < 1 || *day > days_in_month(*year, *month)) return std::nullopt;
    // Second 60 is a leap second (RFC 3339 §5.7); it counts as the first
    // instant of the next minute, as POSIX time has no leap seconds.
    if (*hour > 23 || *minute > 59 || *second > 60) return std::nullopt;

    std::size_t position = 19;
    std::int64_t millis = 0;
    if (position < text.size() && text[position] == '.') {
        ++position;
        const std::size_t start = position;
        std::int64_t scale = 100;
        while (position < text.size() && text[position] >= '0' && text[position] <= '9') {
            // Digits past the millisecond are truncated.
            millis += (text[position] - '0') * scale;
            scale /= 10;
            ++position;
        }
        if (position == start) return std::nullopt;
    }
    if (position >= text.size()) return std::nullopt;

    std::int64_t offset_minutes = 0;
    const char zone = text[position];
    if (zone == 'Z' || zone == 'z') {
        ++position;
    } else if (zone == '+' || zone == '-') {
        const auto offset_hour = digits(text, position + 1, 2);
        const auto offset_minute = digits(text, position + 4, 2);
        if (!offset_hour || !offset_minute || text[position + 3] != ':') return std::nullopt;
        if (*offset_hour > 23 || *offset_minute > 59) return std::nullopt;
        offset_minutes = (*offset_hour * 60 + *offset_minute) * (zone == '-' ? -1 : 1);
        position += 6;
    } else {
        return std::nullopt;
    }
    if (position != text.size()) return std::nullopt;

    const std::int64_t days = days_from_civil(*year, *month, *day);
    const std::int64_t seconds =
        days * 86400 + *hour * 3600 + *minute * 60 + *second - offset_minutes * 60;
    return seconds * 1000 + millis;
}

}  // namespace

std::optional<std::int64_t> parse_timestamp_ms(std::string_view text) {
    text = import_text::trim(text);
    if (text.empty()) return std::nullopt;
    if (text.find_first_not_of("0123456789") == std::string_view::npos) return parse_epoch_ms(text);
    return parse_rfc3339(text);
}

}  // namespace packline::station
