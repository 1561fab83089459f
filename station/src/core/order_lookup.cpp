#include "order_lookup.h"

#include <algorithm>
#include <map>

#include "packline/station/station_errors.h"

namespace packline::station {

OrderLookup::OrderLookup(Store& store, const StationConfig& config)
    : store_(store), config_(config) {}

Result<OrderLookup::Match> OrderLookup::order_for_scan(const ScanInput& input) const {
    Match match;
    if (input.is_label()) {
        auto found = store_.find_order(*input.label_order_id);
        if (!found.ok()) return found.error();
        match.order = found.value();
        match.waybill = input.tracking_number;
        return match;
    }
    auto found = store_.find_order(input.scan.payload);
    if (!found.ok()) return found.error();
    if (found.value()) {
        match.order = found.value();
        return match;
    }
    if (input.tracking_number.empty()) return match;
    auto by_tracking = store_.find_order_by_tracking(input.tracking_number);
    if (!by_tracking.ok()) return by_tracking.error();
    match.order = by_tracking.value();
    if (match.order) match.waybill = input.tracking_number;
    return match;
}

bool OrderLookup::is_tracking_of_some_order(const std::string& tracking) const {
    auto found = store_.find_order_by_tracking(tracking);
    return found.ok() && found.value().has_value();
}

Status OrderLookup::load(const std::string& order_id, std::int64_t current_parcel_id) {
    auto found = store_.find_order(order_id);
    if (!found.ok()) return found.error();
    if (!found.value())
        return Error(errors::kOrderUnknown, "order " + order_id + " is not in the store");
    order_ = *found.value();
    skus_.clear();
    for (const OrderLine& line : order_->lines) {
        auto sku = store_.find_sku(line.sku);
        if (sku.ok() && sku.value()) skus_.emplace(line.sku, *sku.value());
    }
    std::map<std::string, int, std::less<>> shipped;
    auto parcels = store_.parcels_for_order(order_id);
    if (!parcels.ok()) return parcels.error();
    for (const Parcel& other : parcels.value()) {
        if (other.id == current_parcel_id || other.state != ParcelState::Confirmed) continue;
        for (const ScannedItem& item : other.items)
            ++shipped[item.sku];
    }
    open_lines_.clear();
    for (const OrderLine& line : order_->lines) {
        const int done = shipped[line.sku];
        shipped[line.sku] = std::max(0, done - line.quantity);
        const int left = line.quantity - std::min(done, line.quantity);
        if (left > 0) open_lines_.push_back({line.sku, left});
    }
    return {};
}

flow::OrderContext OrderLookup::context(bool with_tare) const {
    return flow::OrderContext{order_ ? &*order_ : nullptr, &skus_, &open_lines_,
                              with_tare ? tare_g() : 0.0, config_.tolerance};
}

double OrderLookup::tare_g() const {
    const std::string code =
        order_ && !order_->packaging.empty() ? order_->packaging : config_.default_packaging;
    if (!code.empty()) {
        auto packaging = store_.find_packaging(code);
        if (packaging.ok() && packaging.value()) return packaging.value()->tare_g;
    }
    return config_.default_tare_g;
}

Result<OrderLookup::Tracking> OrderLookup::tracking_for(const Parcel& parcel) const {
    Tracking tracking;
    tracking.number = flow::assigned_tracking(parcel, *order_);
    if (tracking.number.empty() && !parcel.carrier.empty()) {
        auto pooled = store_.next_pool_number(parcel.carrier);
        if (pooled.ok() && pooled.value()) {
            tracking.number = *pooled.value();
            tracking.pool_number = tracking.number;
        }
    }
    if (!tracking.number.empty()) {
        auto in_use = store_.tracking_number_used(tracking.number, parcel.id);
        if (!in_use.ok()) return in_use.error();
        tracking.used = in_use.value();
    }
    return tracking;
}

flow::ItemInput OrderLookup::item(const ProductScan& product, bool manual,
                                  std::int64_t parcel_id) const {
    flow::ItemInput item;
    item.code = product.code;
    item.serial = product.serial;
    item.lot = product.lot;
    item.manual = manual;
    auto by_code = store_.find_sku_by_barcode(item.code);
    if (by_code.ok() && by_code.value()) item.sku = by_code.value();
    if (!item.sku) {
        auto by_id = store_.find_sku(item.code);
        if (by_id.ok() && by_id.value()) item.sku = by_id.value();
    }
    if (item.sku && !item.serial.empty()) {
        auto used = store_.serial_used(item.sku->sku, item.serial, parcel_id);
        item.serial_elsewhere = used.ok() && used.value();
    }
    return item;
}

}  // namespace packline::station
