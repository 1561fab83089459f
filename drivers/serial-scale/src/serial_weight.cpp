#include "packline/drivers/serial_weight.h"

#include <array>
#include <cmath>
#include <cstddef>

namespace packline::drivers {
namespace {

constexpr std::int64_t kExactLimit = std::int64_t{1} << 53;

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equals_ignoring_case(std::string_view text, std::string_view word) {
    if (text.size() != word.size()) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (lower(text[i]) != word[i]) return false;
    }
    return true;
}

// grams = mantissa * numerator / (denominator * 10^places)
struct Factor {
    std::int64_t numerator;
    std::int64_t denominator;
};

Factor factor_of(SerialUnit unit) {
    switch (unit) {
        case SerialUnit::Gram:
            return {1, 1};
        case SerialUnit::Kilogram:
            return {1000, 1};
        case SerialUnit::Milligram:
            return {1, 1000};
        case SerialUnit::Pound:
            return {45'359'237, 100'000};
        case SerialUnit::Ounce:
            return {28'349'523'125, 1'000'000'000};
        case SerialUnit::Carat:
            return {1, 5};
    }
    return {1, 1};
}

double power_of_ten(int exponent) {
    double result = 1.0;
    for (int i = 0; i < exponent; ++i)
        result *= 10.0;
    return result;
}

}  // namespace

std::optional<SerialUnit> parse_serial_unit(std::string_view text) {
    static constexpr std::array<std::pair<std::string_view, SerialUnit>, 6> kUnits{{
        {"g", SerialUnit::Gram},
        {"kg", SerialUnit::Kilogram},
        {"mg", SerialUnit::Milligram},
        {"lb", SerialUnit::Pound},
        {"oz", SerialUnit::Ounce},
        {"ct", SerialUnit::Carat},
    }};
    for (const auto& [name, unit] : kUnits) {
        if (equals_ignoring_case(text, name)) return unit;
    }
    return std::nullopt;
}

std::string_view to_string(SerialUnit unit) {
    switch (unit) {
        case SerialUnit::Gram:
            return "g";
        case SerialUnit::Kilogram:
            return "kg";
        case SerialUnit::Milligram:
            return "mg";
        case SerialUnit::Pound:
            return "lb";
        case SerialUnit::Ounce:
            return "oz";
        case SerialUnit::Carat:
            return "ct";
    }
    return "?";
}

std::optional<SerialDecimal> parse_serial_decimal(std::string_view text) {
    std::size_t i = 0;
    const auto skip_blanks = [&] {
        while (i < text.size() && text[i] == ' ')
            ++i;
    };
    SerialDecimal result;
    skip_blanks();
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
        result.negative = text[i] == '-';
        ++i;
        skip_blanks();
    }
    int digits = 0;
    bool seen_point = false;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '.') {
            if (seen_point) return std::nullopt;
            seen_point = true;
        } else if (c >= '0' && c <= '9') {
            if (++digits > 15) return std::nullopt;
            result.mantissa = result.mantissa * 10 + (c - '0');
            if (seen_point) ++result.places;
        } else {
            break;
        }
    }
    skip_blanks();
    if (digits == 0 || i != text.size()) return std::nullopt;
    return result;
}

double serial_to_grams(const SerialDecimal& weight, SerialUnit unit) {
    if (weight.mantissa == 0) return 0.0;  // no "-0 g" readings
    const Factor factor = factor_of(unit);
    const double sign = weight.negative ? -1.0 : 1.0;
    std::int64_t numerator = 0;
    const bool exact_numerator =
        !__builtin_mul_overflow(weight.mantissa, factor.numerator, &numerator) &&
        numerator <= kExactLimit;
    // 10^places * denominator is exact in a double up to 10^22 (5^22 < 2^53).
    const int denominator_exponent = weight.places;
    const double denominator =
        power_of_ten(denominator_exponent) * static_cast<double>(factor.denominator);
    if (exact_numerator && denominator_exponent + 9 <= 22) {
        // One correctly rounded division of two exact doubles.
        return sign * static_cast<double>(numerator) / denominator;
    }
    const double grams =
        static_cast<double>(weight.mantissa) * static_cast<double>(factor.numerator) / denominator;
    return std::isfinite(grams) ? sign * grams : 0.0;
}

}  // namespace packline::drivers
