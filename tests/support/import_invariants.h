// The rules every record an importer lets through must obey, whatever bytes
// it was given; the import fuzz targets abort when one is broken.
#pragma once

#include <cstdlib>

#include "packline/station/import.h"

namespace packline::testing {

inline void check_import_invariants(const station::ImportResult& result) {
    for (const auto& order : result.batch.orders) {
        if (order.id.empty() || order.lines.empty()) std::abort();
        for (const auto& line : order.lines)
            if (line.sku.empty() || line.quantity < 1 || line.quantity > 10000) std::abort();
    }
    for (const auto& sku : result.batch.skus)
        if (sku.sku.empty() || !(sku.unit_weight_g >= 0.0)) std::abort();
    for (const auto& packaging : result.batch.packaging)
        if (packaging.code.empty() || !(packaging.tare_g >= 0.0)) std::abort();
}

}  // namespace packline::testing
