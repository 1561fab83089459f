// What the station prints on a parcel's label, from its order and parcel:
// the bridge from the domain (orders, SKUs) to packline/labels.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "packline/labels/label_data.h"
#include "packline/station/domain.h"

namespace packline::station {

struct LabelParcel {
    int sequence = 1;
    int count = 0;  // 0 = not known yet
    std::string tracking_number;
    std::string carrier;  // carrier code ("ups"); printed by its display name
    double weight_g = 0;
    std::string sscc;
};

struct LabelSender {
    std::string name, address;
    std::string station;
    std::string date;  // "YYYY-MM-DD"
};

// Finds a SKU's details for the order-lines table; may return nullopt.
using SkuLookup = std::function<std::optional<Sku>(const std::string& sku)>;

labels::LabelData make_label_data(const Order& order, const LabelParcel& parcel,
                                  const LabelSender& sender, const SkuLookup& lookup = {});

// Today's date in local time, as labels print it.
std::string label_date_today();
// The local date of `at_ms` (ms since the epoch) as printed on a label.
std::string label_date(std::int64_t at_ms);

}  // namespace packline::station
