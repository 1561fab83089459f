// A driver's options as data: each option's name, type, default and help
// (OptionSpec), and the options of one configured device checked against
// them once (DriverOptions). The registry, `packline devices --drivers` and
// docs/devices.md all read the same specs (tests/unit/devices/driver_docs_test.cpp
// holds the docs to them).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "packline/error.h"

namespace packline::drivers {

// Options as configured: [devices.scale] path = "/dev/ttyUSB0" -> {"path": ...}.
using DeviceOptions = std::map<std::string, std::string>;

enum class OptionType {
    Text,
    Number,   // a whole number within [min, max]
    Decimal,  // a number with a fraction within [min, max]
    Flag,     // true/false (yes/no, 1/0)
};

// "text", "number", "decimal", "true/false": as docs/devices.md writes them.
std::string_view to_string(OptionType type);

struct OptionSpec {
    std::string name;
    OptionType type = OptionType::Text;
    // The value when the option is left out, as written in packline.toml;
    // empty when there is none or it depends on other options (the help says).
    std::string default_value;
    std::string help;
    double min = 0;
    double max = 0;
};

// One device's options, checked against its driver's specs: every option is
// known, numbers are whole (or decimal) and in range, flags are true or
// false. Each option is parsed here and nowhere else; a driver reads the
// values it was given and keeps its own defaults for the others.
class DriverOptions {
  public:
    // `where` prefixes every message ("devices.scale (serial)"). The first
    // problem: an unknown option (with the nearest accepted name, or all of
    // them), else the first bad value in the specs' order.
    static Result<DriverOptions> parse(std::string where, const std::vector<OptionSpec>& specs,
                                       const DeviceOptions& given);

    [[nodiscard]] bool given(std::string_view name) const;
    [[nodiscard]] std::string text(std::string_view name, std::string fallback = {}) const;
    // Set `target` when the option was given.
    template <typename Integer>
    void number(std::string_view name, Integer& target) const {
        if (auto found = numbers_.find(name); found != numbers_.end())
            target = static_cast<Integer>(found->second);
    }
    void millis(std::string_view name, std::chrono::milliseconds& target) const;
    void decimal(std::string_view name, double& target) const;
    void flag(std::string_view name, bool& target) const;

    [[nodiscard]] const std::string& where() const { return where_; }
    // A devices.invalid error about these options: "<where>: <message>".
    [[nodiscard]] Error invalid(const std::string& message) const;

  private:
    std::string where_;
    std::map<std::string, std::string, std::less<>> texts_;
    std::map<std::string, std::int64_t, std::less<>> numbers_;
    std::map<std::string, double, std::less<>> decimals_;
    std::map<std::string, bool, std::less<>> flags_;
};

}  // namespace packline::drivers
