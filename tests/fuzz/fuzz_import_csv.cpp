// Any bytes given to the CSV importer give records and problems, never a
// crash, a hang or an exception; and every record that loads obeys the rules.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "packline/station/import.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto result = packline::station::parse_import_csv(text, "fuzz.csv");
    for (const auto& order : result.batch.orders) {
        if (order.id.empty() || order.lines.empty()) std::abort();
        for (const auto& line : order.lines)
            if (line.sku.empty() || line.quantity < 1 || line.quantity > 10000) std::abort();
    }
    for (const auto& sku : result.batch.skus)
        if (sku.sku.empty() || !(sku.unit_weight_g >= 0.0)) std::abort();
    for (const auto& packaging : result.batch.packaging)
        if (packaging.code.empty() || !(packaging.tare_g >= 0.0)) std::abort();
    return 0;
}
