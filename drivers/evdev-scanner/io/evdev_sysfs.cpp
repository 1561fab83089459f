#include "evdev_sysfs.h"

#include <linux/input-event-codes.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

namespace packline::drivers::evdev_internal {

namespace {

namespace fs = std::filesystem;

std::string read_attribute(const fs::path& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back())))
        line.pop_back();
    return line;
}

std::optional<std::uint16_t> parse_hex16(std::string_view text) {
    if (text.empty() || text.size() > 4) return std::nullopt;
    std::uint16_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
    if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// capabilities/key is a bitmap printed as hex words, most significant word
// first, one `long` (64 bits here) per word, leading zero words omitted.
bool has_key(const std::vector<std::uint64_t>& words_low_first, unsigned key) {
    const std::size_t word = key / 64;
    if (word >= words_low_first.size()) return false;
    return ((words_low_first[word] >> (key % 64)) & 1u) != 0;
}

bool keyboard_like(const std::string& capabilities) {
    std::vector<std::uint64_t> words;
    std::istringstream in(capabilities);
    std::string token;
    while (in >> token) {
        std::uint64_t value = 0;
        const auto [end, error] =
            std::from_chars(token.data(), token.data() + token.size(), value, 16);
        if (error != std::errc{} || end != token.data() + token.size()) return false;
        words.push_back(value);
    }
    std::reverse(words.begin(), words.end());
    for (unsigned key = KEY_1; key <= KEY_0; ++key)
        if (!has_key(words, key)) return false;
    return has_key(words, KEY_ENTER);
}

int event_number(const std::string& name) {
    int number = 0;
    std::from_chars(name.data() + 5, name.data() + name.size(), number);
    return number;
}

}  // namespace

std::string lower_case(std::string_view text) {
    std::string lower;
    lower.reserve(text.size());
    for (char c : text)
        lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower;
}

std::vector<InputNode> list_input_nodes() {
    std::error_code error;
    std::map<std::string, std::string> by_id;  // "event5" -> by-id path
    for (const auto& entry : fs::directory_iterator("/dev/input/by-id", error)) {
        std::error_code link_error;
        const fs::path target = fs::read_symlink(entry.path(), link_error);
        if (link_error) continue;
        const std::string event_name = target.filename().string();
        const std::string path = entry.path().string();
        // Keyboards often have an -event-kbd and an -if01-event-... node;
        // prefer the keyboard one, else the shortest name.
        auto& chosen = by_id[event_name];
        if (chosen.empty() || path.ends_with("-event-kbd") ||
            (!chosen.ends_with("-event-kbd") && path.size() < chosen.size()))
            chosen = path;
    }

    std::vector<InputNode> nodes;
    for (const auto& entry : fs::directory_iterator("/sys/class/input", error)) {
        const std::string event_name = entry.path().filename().string();
        if (!event_name.starts_with("event")) continue;
        // eventN/device links to the input device (inputM), which is also
        // eventN's parent directory; umockdev testbeds only have the latter.
        std::error_code link_error;
        fs::path device = entry.path() / "device";
        if (!fs::exists(device / "name", link_error)) {
            const fs::path real = fs::canonical(entry.path(), link_error);
            if (!link_error) device = real.parent_path();
        }
        InputNode node;
        node.event_name = event_name;
        node.device_path = "/dev/input/" + event_name;
        node.name = read_attribute(device / "name");
        const auto vendor = parse_hex16(read_attribute(device / "id" / "vendor"));
        const auto product = parse_hex16(read_attribute(device / "id" / "product"));
        if (vendor && product) node.usb_id = UsbId{*vendor, *product};
        node.keyboard_like = keyboard_like(read_attribute(device / "capabilities" / "key"));
        if (const auto found = by_id.find(event_name); found != by_id.end())
            node.by_id = found->second;
        nodes.push_back(std::move(node));
    }
    std::sort(nodes.begin(), nodes.end(), [](const InputNode& a, const InputNode& b) {
        return event_number(a.event_name) < event_number(b.event_name);
    });
    return nodes;
}

}  // namespace packline::drivers::evdev_internal
