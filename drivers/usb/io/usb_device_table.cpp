#include "packline/drivers/usb_device_table.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "packline/drivers/usb_errors.h"

namespace packline::drivers {
namespace generated {
extern const std::string_view kUsbDevicesTsv;
}  // namespace generated

namespace {

constexpr std::array<std::string_view, 1> kKnownQuirks{kUsbQuirkHoneywellFeature};

std::optional<std::uint16_t> parse_hex16(std::string_view text) {
    if (text.empty() || text.size() > 4) return std::nullopt;
    std::uint16_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<std::uint8_t> parse_decimal8(std::string_view text) {
    if (text.empty() || text.size() > 3) return std::nullopt;
    unsigned value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, 10);
    if (error != std::errc() || end != text.data() + text.size() || value > 255)
        return std::nullopt;
    return static_cast<std::uint8_t>(value);
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const auto at = text.find(separator, start);
        parts.push_back(text.substr(start, at == std::string_view::npos ? at : at - start));
        if (at == std::string_view::npos) break;
        start = at + 1;
    }
    return parts;
}

std::string hex4(std::uint16_t value) {
    char text[8];
    std::snprintf(text, sizeof text, "%04x", static_cast<unsigned>(value));
    return text;
}

}  // namespace

std::string to_string(UsbVidPid id) {
    return hex4(id.vendor) + ":" + hex4(id.product);
}

std::optional<UsbVidPid> parse_usb_vid_pid(std::string_view text) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    const auto vendor = parse_hex16(text.substr(0, colon));
    const auto product = parse_hex16(text.substr(colon + 1));
    if (!vendor || !product) return std::nullopt;
    return UsbVidPid{*vendor, *product};
}

std::optional<UsbBusAddress> parse_usb_bus_address(std::string_view text) {
    if (text.starts_with("usb ")) text.remove_prefix(4);
    const auto slash = text.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    const auto bus = parse_decimal8(text.substr(0, slash));
    const auto address = parse_decimal8(text.substr(slash + 1));
    if (!bus || !address) return std::nullopt;
    return UsbBusAddress{*bus, *address};
}

std::string to_string(UsbBusAddress address) {
    char text[16];
    std::snprintf(text, sizeof text, "%03u/%03u", static_cast<unsigned>(address.bus),
                  static_cast<unsigned>(address.address));
    return text;
}

std::string_view to_string(UsbDeviceRole role) {
    return role == UsbDeviceRole::Scale ? "scale" : "scanner";
}

bool UsbDeviceEntry::has_quirk(std::string_view quirk) const {
    return std::find(quirks.begin(), quirks.end(), quirk) != quirks.end();
}

const UsbDeviceEntry* UsbDeviceTable::find(UsbVidPid id) const {
    for (const auto& entry : entries) {
        if (entry.id == id) return &entry;
    }
    return nullptr;
}

Result<UsbDeviceTable> parse_usb_device_table(std::string_view text, std::string_view source) {
    UsbDeviceTable table;
    table.source = std::string(source);
    std::size_t line_number = 0;
    for (auto line : split(text, '\n')) {
        ++line_number;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        const auto bad = [&](const std::string& why) {
            return Error(errors::kUsbTableBadLine,
                         std::string(source) + ":" + std::to_string(line_number) + ": " + why);
        };
        if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
        if (line.front() == '#') continue;
        const auto columns = split(line, '\t');
        if (columns.size() != 5) {
            return bad("expected 5 TAB-separated columns (vid pid kind name quirks), got " +
                       std::to_string(columns.size()));
        }
        UsbDeviceEntry entry;
        const auto vendor = parse_hex16(columns[0]);
        if (!vendor) return bad("vid '" + std::string(columns[0]) + "' is not 1..4 hex digits");
        const auto product = parse_hex16(columns[1]);
        if (!product) return bad("pid '" + std::string(columns[1]) + "' is not 1..4 hex digits");
        entry.id = {*vendor, *product};
        if (columns[2] == "scale") {
            entry.role = UsbDeviceRole::Scale;
        } else if (columns[2] == "scanner") {
            entry.role = UsbDeviceRole::Scanner;
        } else {
            return bad("kind '" + std::string(columns[2]) + "' is not scale or scanner");
        }
        if (columns[3].find_first_not_of(' ') == std::string_view::npos) return bad("empty name");
        entry.name = std::string(columns[3]);
        if (columns[4] != "-") {
            for (const auto quirk : split(columns[4], ',')) {
                if (std::find(kKnownQuirks.begin(), kKnownQuirks.end(), quirk) ==
                    kKnownQuirks.end()) {
                    return bad("unknown quirk '" + std::string(quirk) + "'");
                }
                entry.quirks.emplace_back(quirk);
            }
        }
        if (table.find(entry.id) != nullptr) {
            return bad("vid:pid " + to_string(entry.id) + " is listed twice");
        }
        table.entries.push_back(std::move(entry));
    }
    return table;
}

Result<UsbDeviceTable> load_usb_device_table(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Error(errors::kUsbTableUnreadable, "usb device table " + path + ": cannot read");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_usb_device_table(text.str(), path);
}

std::string_view builtin_usb_device_table_text() {
    return generated::kUsbDevicesTsv;
}

const UsbDeviceTable& builtin_usb_device_table() {
    // The built-in table is tested; a parse failure here is a build bug.
    static const UsbDeviceTable table = [] {
        auto parsed = parse_usb_device_table(generated::kUsbDevicesTsv, "usb-devices.tsv");
        return parsed ? std::move(parsed).value() : UsbDeviceTable{"usb-devices.tsv", {}};
    }();
    return table;
}

Result<UsbDeviceTable> usb_device_table(const std::string& path) {
    if (path.empty()) return builtin_usb_device_table();
    return load_usb_device_table(path);
}

}  // namespace packline::drivers
