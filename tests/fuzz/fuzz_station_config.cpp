// The station configuration is typed by people: any bytes give a config or a
// clear error, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "packline/station/config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto config = packline::station::parse_config(text, "fuzz.toml");
    if (!config.ok() && config.error().message.empty()) __builtin_trap();
    return 0;
}
