#include "packline/drivers/driver_options.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "packline/drivers/registry_errors.h"
#include "packline/nearest_name.h"

namespace packline::drivers {
namespace {

std::string bound(double value) {
    std::ostringstream text;
    text << value;
    return text.str();
}

}  // namespace

std::string_view to_string(OptionType type) {
    switch (type) {
        case OptionType::Text:
            return "text";
        case OptionType::Number:
            return "number";
        case OptionType::Decimal:
            return "decimal";
        case OptionType::Flag:
            return "true/false";
    }
    return "text";
}

Result<DriverOptions> DriverOptions::parse(std::string where, const std::vector<OptionSpec>& specs,
                                           const DeviceOptions& given) {
    DriverOptions options;
    options.where_ = std::move(where);
    for (const auto& [key, value] : given) {
        bool known = false;
        for (const OptionSpec& spec : specs)
            known = known || spec.name == key;
        if (known) continue;
        if (specs.empty())
            return options.invalid("unknown option '" + key + "' (this driver takes none)");
        std::vector<std::string_view> accepted;
        for (const OptionSpec& spec : specs)
            accepted.push_back(spec.name);
        return options.invalid(text::unknown_name_message("option", key, "", accepted));
    }
    for (const OptionSpec& spec : specs) {
        const auto found = given.find(spec.name);
        if (found == given.end()) continue;
        const std::string& value = found->second;
        switch (spec.type) {
            case OptionType::Text:
                options.texts_.emplace(spec.name, value);
                break;
            case OptionType::Number: {
                std::int64_t number = 0;
                const auto [end, error] =
                    std::from_chars(value.data(), value.data() + value.size(), number);
                if (error != std::errc() || end != value.data() + value.size() ||
                    static_cast<double>(number) < spec.min ||
                    static_cast<double>(number) > spec.max)
                    return options.invalid(spec.name + " must be a whole number from " +
                                           bound(spec.min) + " to " + bound(spec.max) + ", got '" +
                                           value + "'");
                options.numbers_.emplace(spec.name, number);
                break;
            }
            case OptionType::Decimal: {
                char* end = nullptr;
                const double number =
                    value.empty() ? std::nan("") : std::strtod(value.c_str(), &end);
                if (std::isnan(number) || end != value.c_str() + value.size() ||
                    number < spec.min || number > spec.max)
                    return options.invalid(spec.name + " must be a number from " + bound(spec.min) +
                                           " to " + bound(spec.max) + ", got '" + value + "'");
                options.decimals_.emplace(spec.name, number);
                break;
            }
            case OptionType::Flag:
                if (value == "true" || value == "yes" || value == "1")
                    options.flags_.emplace(spec.name, true);
                else if (value == "false" || value == "no" || value == "0")
                    options.flags_.emplace(spec.name, false);
                else
                    return options.invalid(spec.name + " must be true or false, got '" + value +
                                           "'");
                break;
        }
    }
    return options;
}

bool DriverOptions::given(std::string_view name) const {
    return texts_.count(name) != 0 || numbers_.count(name) != 0 || decimals_.count(name) != 0 ||
           flags_.count(name) != 0;
}

std::string DriverOptions::text(std::string_view name, std::string fallback) const {
    const auto found = texts_.find(name);
    return found == texts_.end() ? fallback : found->second;
}

void DriverOptions::millis(std::string_view name, std::chrono::milliseconds& target) const {
    if (auto found = numbers_.find(name); found != numbers_.end())
        target = std::chrono::milliseconds(found->second);
}

void DriverOptions::decimal(std::string_view name, double& target) const {
    if (auto found = decimals_.find(name); found != decimals_.end()) target = found->second;
}

void DriverOptions::flag(std::string_view name, bool& target) const {
    if (auto found = flags_.find(name); found != flags_.end()) target = found->second;
}

Error DriverOptions::invalid(const std::string& message) const {
    return Error(errors::kDevicesInvalid, where_ + ": " + message);
}

}  // namespace packline::drivers
