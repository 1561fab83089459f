// 2. Contents check, weight part: once the lines are complete, a stable scale
// reading must fall within tolerance of the expected weight. Pure functions.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "packline/hardware/events.h"
#include "packline/station/domain.h"

namespace packline::station {

// Sum of the unit weights of the scanned items plus the packaging tare. An item
// whose SKU is not in `skus` counts 0 g (the weight check then shows the gap).
double expected_weight_g(const std::vector<ScannedItem>& items,
                         const std::map<std::string, Sku, std::less<>>& skus, double tare_g);

// max(site.abs_g, site.pct % of expected). A SKU present in `items` with its
// own tolerance (abs and/or pct, the larger of the two) widens it: the result
// is the maximum over the site and every such SKU. Never negative.
double weight_tolerance_g(double expected_g, const WeightTolerance& site,
                          const std::vector<ScannedItem>& items,
                          const std::map<std::string, Sku, std::less<>>& skus);

// Only a Stable reading within expected ± tolerance (inclusive) passes.
CheckResult check_weight(double expected_g, double tolerance_g,
                         const hardware::WeightReading& reading);

}  // namespace packline::station
