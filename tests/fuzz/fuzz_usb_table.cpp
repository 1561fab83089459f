// Arbitrary text as a VID:PID table (drivers/usb/data/usb-devices.tsv format)
// and as "vid:pid" / "bus/address" strings. Nothing may crash; a failed parse
// is usb_table.bad_line naming "fuzz.tsv:<line>: "; a parsed table has
// non-empty names, unique ids and known quirks, and survives a round trip
// through its own text form unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "packline/drivers/usb_device_table.h"

namespace {
void require(bool condition) {
    if (!condition) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace packline::drivers;
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    if (const auto id = parse_usb_vid_pid(text)) require(parse_usb_vid_pid(to_string(*id)) == id);
    if (const auto at = parse_usb_bus_address(text)) {
        require(parse_usb_bus_address(to_string(*at)) == at);
    }

    auto table = parse_usb_device_table(text, "fuzz.tsv");
    if (!table) {
        require(table.error().code == "usb_table.bad_line");
        require(table.error().message.rfind("fuzz.tsv:", 0) == 0);
        return 0;
    }
    std::string again;
    for (std::size_t i = 0; i < table->entries.size(); ++i) {
        const auto& entry = table->entries[i];
        require(!entry.name.empty());
        require(table->find(entry.id) == &entry);
        for (const auto& quirk : entry.quirks)
            require(quirk == kUsbQuirkHoneywellFeature);
        const std::string id = to_string(entry.id);
        std::string quirks;
        for (const auto& quirk : entry.quirks)
            quirks += (quirks.empty() ? "" : ",") + quirk;
        again += id.substr(0, 4) + "\t" + id.substr(5) + "\t" + std::string(to_string(entry.role)) +
                 "\t" + entry.name + "\t" + (quirks.empty() ? "-" : quirks) + "\n";
    }
    auto reparsed = parse_usb_device_table(again, "again.tsv");
    require(reparsed.ok());
    require(reparsed->entries.size() == table->entries.size());
    for (std::size_t i = 0; i < table->entries.size(); ++i) {
        require(reparsed->entries[i].id == table->entries[i].id);
        require(reparsed->entries[i].role == table->entries[i].role);
        require(reparsed->entries[i].name == table->entries[i].name);
        require(reparsed->entries[i].quirks == table->entries[i].quirks);
    }
    return 0;
}
