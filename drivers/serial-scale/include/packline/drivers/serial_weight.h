// Decimal weights and units shared by the serial scale parsers (MT-SICS, NCI,
// Toledo continuous, CAS). Weights travel as ASCII decimals; we keep them as an
// integer mantissa and a count of decimal places until the last step, so that
// "1.000 lb" becomes exactly the double nearest to 453.59237 g.
// Unit factors are the legal definitions: 1 lb = 453.59237 g, 1 oz = 1/16 lb
// = 28.349523125 g, 1 ct (metric carat) = 0.2 g.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace packline::drivers {

enum class SerialUnit { Gram, Kilogram, Milligram, Pound, Ounce, Carat };

// "g", "kg", "mg", "lb", "oz", "ct", any letter case ("KG", "Lb").
std::optional<SerialUnit> parse_serial_unit(std::string_view text);

std::string_view to_string(SerialUnit unit);

// A decimal read from the wire: value = (negative ? -1 : 1) * mantissa / 10^places.
struct SerialDecimal {
    std::int64_t mantissa = 0;
    int places = 0;
    bool negative = false;
};

// Accepts an optional sign ('+' or '-'), blanks between sign and digits (CAS pads
// "+  1.500"), digits with at most one '.', surrounding blanks. At most 15
// digits so that the mantissa stays exact in a double. Anything else: nullopt.
std::optional<SerialDecimal> parse_serial_decimal(std::string_view text);

// Grams as the double nearest to the exact value whenever mantissa and factor
// fit in 53 bits (always for real scale readings); always finite.
double serial_to_grams(const SerialDecimal& weight, SerialUnit unit);

}  // namespace packline::drivers
