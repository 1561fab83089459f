// A scripted packing shift: simulated devices, a scripted packer, and the real
// station (store, state machine, loop). `packline demo` and the end-to-end and
// crash tests run it. Mistakes are planted among good parcels; the report says
// whether each was caught and whether each good parcel was confirmed.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "packline/error.h"
#include "packline/station/config.h"
#include "packline/station/domain.h"
#include "packline/station/packing_station.h"

namespace packline::station {

class StationLoop;
class Store;

enum class Mistake {
    None,
    Split,  // not a mistake: a good order shipped in two parcels
    WrongVariant,
    MissingItem,
    ExtraItem,
    RepeatedSerial,
    WeightOff,
    Cancelled,
    OnHold,
    BadPhone,  // caught by the customer check, then overridden by a supervisor
    InvalidTracking,
    LabelOtherOrder,
    UnstableScale,
};
std::string_view to_string(Mistake mistake);
// The reason code the station must raise for a planted mistake ("" for good orders).
std::string_view expected_reason(Mistake mistake);
// Whether a parcel with this mistake still ends confirmed once the packer fixes it.
bool ends_confirmed(Mistake mistake);

struct ShiftOptions {
    int orders = 50;
    std::uint64_t seed = 1;
    double mistake_share = 0.3;      // share of orders with a planted mistake
    StationConfig config;            // database path, tolerances, timeouts
    bool log_confirmations = false;  // print "CONFIRMED <parcel> <order> <tracking>" lines
    int step_timeout_ms = 10000;     // a step that gets no answer in time fails the shift
    int pace_ms = 0;  // the packer waits this long before each scan (a demo people can watch)
    // Optional: called once the station and its loop exist, before packing
    // starts; the observer it returns watches the station for the whole
    // shift (packline-stationd attaches sync here). `finish` is called after
    // the packer is done and the loop stopped, before the observer goes.
    std::function<Result<std::unique_ptr<StationObserver>>(StationLoop&, PackingStation&, Store&)>
        attach;
    std::function<void(StationObserver&)> finish;
};

struct ShiftOrderReport {
    std::string order_id;
    Mistake mistake = Mistake::None;
    std::vector<std::string> caught;  // reason codes of every exception raised
    int parcels = 0;
    int confirmed = 0;
    CheckStatus customer = CheckStatus::Pending;
    CheckStatus contents = CheckStatus::Pending;
    CheckStatus express = CheckStatus::Pending;
    std::string final_state;
    bool ok = false;      // the planted mistake was caught / the good order confirmed
    std::string problem;  // why not ok
};

struct ShiftReport {
    std::vector<ShiftOrderReport> orders;
    int planted = 0;
    int caught = 0;
    int good = 0;
    int good_confirmed = 0;
    int parcels_confirmed = 0;
    double seconds = 0.0;
    bool success() const;
};

Result<ShiftReport> run_shift(const ShiftOptions& options, std::ostream& log);

void print_shift_report(const ShiftReport& report, std::ostream& out);

}  // namespace packline::station
