// What one import brings into the station: orders, the product catalogue and
// packaging. The importer produces it from files or MQTT messages; the store
// writes it in one transaction (Store::import).
#pragma once

#include <vector>

#include "packline/station/domain.h"

namespace packline::station {

struct ImportBatch {
    std::vector<Order> orders;
    std::vector<Sku> skus;
    std::vector<Packaging> packaging;
};

}  // namespace packline::station
