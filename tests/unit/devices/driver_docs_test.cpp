// docs/devices.md documents every driver's options as the driver table
// declares them: one "#### `name` (kinds)" heading per descriptor and, under
// it, a table of its options with their types and defaults in the table's
// order (or "No options."). Change a driver's options and this fails until
// the page says the same.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "packline/drivers/registry.h"

namespace packline::drivers {
namespace {

struct DocumentedOption {
    std::string name;
    std::string type;
    std::string default_value;
    bool operator==(const DocumentedOption&) const = default;
};

std::ostream& operator<<(std::ostream& out, const DocumentedOption& option) {
    return out << option.name << " (" << option.type << ", default '" << option.default_value
               << "')";
}

std::string heading_of(const DriverDescriptor& driver) {
    std::string kinds;
    for (hardware::DeviceKind kind : driver.kinds)
        kinds += (kinds.empty() ? "" : ", ") + std::string(config_word(kind));
    return "`" + driver.name + "` (" + kinds + ")";
}

std::string cell(std::string text) {
    const auto first = text.find_first_not_of(' ');
    if (first == std::string::npos) return "";
    text = text.substr(first, text.find_last_not_of(' ') - first + 1);
    if (text.size() >= 2 && text.front() == '`' && text.back() == '`')
        text = text.substr(1, text.size() - 2);
    return text;
}

// Heading -> the options its table lists (empty for "No options.").
std::map<std::string, std::vector<DocumentedOption>> documented_drivers() {
    std::ifstream file(std::string(PACKLINE_SOURCE_DIR) + "/docs/devices.md");
    std::map<std::string, std::vector<DocumentedOption>> drivers;
    std::vector<DocumentedOption>* current = nullptr;
    std::string line;
    while (std::getline(file, line)) {
        if (line.rfind("#### ", 0) == 0) {
            current = &drivers[line.substr(5)];
            continue;
        }
        if (line.rfind("#", 0) == 0) current = nullptr;
        if (current == nullptr || line.rfind("| `", 0) != 0) continue;
        std::vector<std::string> cells;
        std::istringstream row(line.substr(1));
        std::string text;
        while (std::getline(row, text, '|'))
            cells.push_back(cell(text));
        if (cells.size() >= 3) current->push_back({cells[0], cells[1], cells[2]});
    }
    return drivers;
}

TEST(DriverDocs, DevicesPageListsEveryDriversOptionsAsTheTableDeclaresThem) {
    const auto documented = documented_drivers();
    ASSERT_FALSE(documented.empty()) << "no '#### `driver` (kinds)' headings in docs/devices.md";
    std::size_t options = 0;
    for (const DriverDescriptor& driver : driver_table()) {
        const std::string heading = heading_of(driver);
        SCOPED_TRACE(heading);
        const auto found = documented.find(heading);
        ASSERT_NE(found, documented.end()) << "docs/devices.md has no heading #### " << heading;
        std::vector<DocumentedOption> declared;
        for (const OptionSpec& option : driver.options)
            declared.push_back(
                {option.name, std::string(to_string(option.type)), option.default_value});
        EXPECT_EQ(found->second, declared);
        options += declared.size();
    }
    EXPECT_EQ(documented.size(), driver_table().size()) << "a heading for a driver that is gone";
    EXPECT_GT(options, 30u);
}

TEST(DriverDocs, EveryOptionHasHelpAndNumbersHaveARange) {
    for (const DriverDescriptor& driver : driver_table())
        for (const OptionSpec& option : driver.options) {
            SCOPED_TRACE(driver.name + " " + option.name);
            EXPECT_FALSE(option.help.empty());
            if (option.type == OptionType::Number || option.type == OptionType::Decimal) {
                EXPECT_LT(option.min, option.max);
            }
        }
}

}  // namespace
}  // namespace packline::drivers
