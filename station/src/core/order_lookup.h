// What the parcel flow needs from the store, gathered before a rule runs:
// the order a scan names, the order's context for its parcel (lines, SKUs,
// what earlier parcels shipped, the packaging's tare), the SKU an item code
// resolves to and whether its serial was seen before. Thread-bound like the
// station.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "packline/error.h"
#include "packline/station/barcode.h"
#include "packline/station/config.h"
#include "packline/station/parcel_flow.h"
#include "packline/station/scan_input.h"
#include "packline/station/store.h"

namespace packline::station {

class OrderLookup {
  public:
    // `config` (default packaging and tare, tolerance) must outlive the lookup.
    OrderLookup(Store& store, const StationConfig& config);

    struct Match {
        std::optional<Order> order;
        std::string waybill;  // set when found through a pre-printed waybill or our label
    };
    // The order a scan names: our label's, the order id itself, or the
    // order a waybill's tracking number belongs to.
    Result<Match> order_for_scan(const ScanInput& input) const;
    bool is_tracking_of_some_order(const std::string& tracking) const;

    // Loads the order, its SKUs and what earlier parcels (other than
    // `current_parcel_id`; 0 for a new parcel) already shipped.
    Status load(const std::string& order_id, std::int64_t current_parcel_id);
    const std::optional<Order>& order() const { return order_; }
    // What the rules read of the loaded order. The tare is read when a rule
    // needs it (a packaging may change in the catalogue mid-parcel).
    flow::OrderContext context(bool with_tare = false) const;

    // An item scan with what the store knows of it, for parcel `parcel_id`.
    flow::ItemInput item(const ProductScan& product, bool manual, std::int64_t parcel_id) const;

    // The tracking number for the parcel's label: its own, its order's, or
    // the next of the station's pool for its carrier; and whether another
    // parcel used it already.
    struct Tracking {
        std::string number;       // empty when there is none
        std::string pool_number;  // set when the number comes from the pool
        bool used = false;
    };
    Result<Tracking> tracking_for(const Parcel& parcel) const;

  private:
    double tare_g() const;

    Store& store_;
    const StationConfig& config_;
    std::optional<Order> order_;
    flow::SkuMap skus_;
    std::vector<OrderLine> open_lines_;  // what this parcel may still hold
};

}  // namespace packline::station
