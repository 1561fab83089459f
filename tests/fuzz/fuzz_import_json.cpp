// Any bytes given to the JSON importer give records and problems, never a
// crash, a hang or an exception; and every record that loads obeys the rules.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "import_invariants.h"
#include "packline/station/import.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto result = packline::station::parse_import_json(text, "fuzz.json");
    packline::testing::check_import_invariants(result);
    return 0;
}
