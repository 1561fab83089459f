// What the packer screen shows: the station's state, the order and parcel in
// hand, each order line with its counts, the weight band, a supervisor
// waiting for a reason, and which commands apply now. Built on the loop
// thread by PackingStation::packer_view() (plain data, copied out).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "packline/station/device_board.h"
#include "packline/station/domain.h"
#include "packline/station/packer_session.h"
#include "packline/station/packing_station.h"
#include "packline/station/parcel_flow.h"  // is_overridable

namespace packline::station {

struct PackerLineView {
    std::string sku;
    std::string name;
    std::string style;
    std::string size;
    std::string colour;
    int required = 0;  // units this parcel may hold (earlier parcels' units are not counted)
    int scanned = 0;   // units in this parcel
    int manual = 0;    // of which typed by hand
    bool serial_required = false;
};

struct WeightBand {
    double expected_g = 0.0;
    double tolerance_g = 0.0;
};

struct PendingSupervisorView {
    std::string name;
    bool for_reprint = false;  // badge scanned at the scan-back: a reprint, not an override
    std::int64_t expires_at_ms = 0;
};

// The packer's commands (PL-CMD:...) that would do something now.
struct PackerCommands {
    bool retry = false;
    bool reprint = false;
    bool split = false;  // close this parcel as a partial parcel of a multi-parcel order
    bool close = false;
    bool abandon = false;
};

struct PackerView {
    StationSnapshot station;
    std::string lock_reason;  // "sign_in" or "idle" while locked
    std::optional<Order> order;
    // The parcel in hand; a parcel just confirmed or abandoned stays until the
    // next order is scanned, so the packer sees how it ended.
    std::optional<Parcel> parcel;
    bool overridable = false;  // the parcel's exception may be overridden by a supervisor
    std::vector<PackerLineView> lines;
    std::optional<WeightBand> weight;
    std::optional<PendingSupervisorView> supervisor;
    PackerCommands commands;
};

// Whether a supervisor may override an exception with this reason code.
// Item-level contents reasons (take the wrong item out, RETRY), tracking
// number problems, print failures and an outdated label are fixed, never
// overridden.
bool is_overridable(std::string_view reason);

// The station as a supervisor sees it: its state, who packs, the parcel's
// order and the devices.
StationSnapshot make_snapshot(const PackerSession& session, const std::string& packer,
                              const std::optional<Parcel>& parcel, const DeviceBoard& devices);

// Fills in the parcel in hand: its order, each open line with its counts,
// the weight band and the commands that apply in its state.
void describe_parcel(PackerView& view, const flow::OrderContext& context, const Parcel& parcel);

}  // namespace packline::station
