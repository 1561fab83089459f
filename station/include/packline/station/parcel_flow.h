// The packing rules as data: given the parcel as it stands, what the rules
// know of its order, an input and the time, each function returns a Decision
// (the parcel's next state with the step that records it, what to tell the
// packer, and what happens next). No store, no clock, no device: the station
// gathers the facts an input needs (a SKU looked up, a serial seen before, a
// pool number), calls the rule and applies its decision in one transaction.
// tests/unit/flow/ walks every state with every kind of input.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "packline/error.h"
#include "packline/hardware/events.h"
#include "packline/station/checks_contents.h"
#include "packline/station/domain.h"
#include "packline/station/scan_input.h"
#include "packline/station/verdict.h"

namespace packline::station {

// Whether a supervisor may override an exception with this reason code.
// Item-level contents reasons, tracking number problems, print failures and
// an outdated label are fixed, never overridden.
bool is_overridable(std::string_view reason);

namespace flow {

using SkuMap = std::map<std::string, Sku, std::less<>>;

// One field of a step's record in the event log.
struct StepField {
    std::string key;
    std::variant<std::string, std::int64_t, double, bool, std::vector<Detail>> value;
};

// A step as the event log records it: "item.accepted" with its fields.
struct StepRecord {
    std::string type;
    std::vector<StepField> fields;

    // The field's text, or empty when it is missing or not text.
    std::string text(std::string_view key) const;
    bool flag(std::string_view key) const;
};

// What comes after a decision is applied.
enum class FollowUp {
    None,
    Express,  // choose the tracking number and print the label
    Confirm,  // take the evidence photo and confirm the parcel
    Retry,    // RETRY, as if the packer scanned it
};

struct Decision {
    // The parcel to commit together with `step`; none = nothing is committed.
    std::optional<Parcel> next;
    StepRecord step;
    // A line for the event log written before the step (item.rejected).
    std::optional<StepRecord> logged;
    // What the packer is told once the step is saved; none = nothing.
    std::optional<Verdict> verdict;
    FollowUp then = FollowUp::None;
    // "order" or "waybill": the input was typed by hand, and the hub hears of it.
    std::string manual_entry;
    // A number from the station's pool that this step takes (with its label).
    std::string pool_number;
    // A check that fails once the step is saved: the parcel goes into
    // exception next (a parcel is on record from its first scan, so is
    // what is wrong with it).
    struct Raise {
        std::string check;
        CheckResult result;
    };
    std::optional<Raise> then_raise;
    // The weigh or print timeout counts from now (a device came back).
    bool restart_wait = false;
    // The scale's last reading no longer stands (the scale went away).
    bool forget_reading = false;

    bool empty() const { return !next && !verdict && then == FollowUp::None; }
};

// What the rules read of the parcel's order (loaded by the station).
struct OrderContext {
    const Order* order = nullptr;
    const SkuMap* skus = nullptr;
    // What the parcel may still hold: the lines minus earlier confirmed parcels.
    const std::vector<OrderLine>* open_lines = nullptr;
    double tare_g = 0.0;  // of the parcel's packaging
    WeightTolerance tolerance;
};

// Item-level reasons: the wrong thing was scanned; taking it out and
// scanning RETRY resolves them, there is nothing to override.
bool is_item_reason(std::string_view reason);
bool is_terminal(ParcelState state);
// Whether a label may be printed again now: awaiting the scan-back, or in
// an express exception.
bool is_reprintable(const Parcel& parcel);
// What the packer does next in the parcel's state.
std::string resume_hint(const Parcel& parcel);

// What the contents check sees of `parcel`. A split parcel holds exactly
// what was scanned into it.
ContentsView contents_view(const OrderContext& context, const Parcel& parcel);
double weight_tolerance_of(const OrderContext& context, const Parcel& parcel);

// ---- scans ---------------------------------------------------------------

// Where a code (ScanKind::Code) goes in the parcel's state.
enum class ScanRoute {
    StartParcel,       // no parcel in progress: the code names an order
    ItemOrWaybill,     // scanning or weighing: an item, our label or a waybill
    WhilePrinting,     // the label is printing: wait for it
    ScanBack,          // the printed label, scanned back
    AlreadyConfirmed,  // the label of the parcel just confirmed, read again
    Refused,           // the state refuses the scan (route_refusal says why)
};
ScanRoute route_scan(const std::optional<Parcel>& parcel, const ScanInput& input);
// What the packer is told when the route is WhilePrinting, AlreadyConfirmed
// or Refused.
Decision route_refusal(const Parcel& parcel, ScanRoute route);
// Whether the scan reads as the label of `parcel` (its order and tracking
// number, or its tracking number alone).
bool is_label_of(const Parcel& parcel, const ScanInput& input);

// ---- the rules, one per input -------------------------------------------

// The parcel goes into exception: `check` failed with `result`.
Decision raise(std::string_view check, const CheckResult& result, Parcel next);

// A new parcel of an order, at the first scan of its order barcode, label or
// waybill. `previous` is every earlier parcel of the order; `waybill` the
// tracking number the order was found by (empty for its order barcode).
struct ParcelStart {
    const std::vector<Parcel>* previous = nullptr;
    std::string waybill;
    std::string station;
    std::string packer;
    std::string default_packaging;
    bool manual = false;
};
Decision start_parcel(const OrderContext& context, const ParcelStart& start, std::int64_t now_ms);

// A waybill or our label scanned while packing: it must belong here.
// `label_order_id` is set for our label.
Decision check_waybill_scan(const OrderContext& context, const Parcel& parcel,
                            const std::optional<std::string>& label_order_id,
                            const std::string& seen_tracking, bool manual);

// An item scanned into the parcel, with the facts the store gave.
struct ItemInput {
    std::optional<Sku> sku;  // what the code resolved to
    std::string code;
    std::string serial;
    std::string lot;
    bool serial_elsewhere = false;  // the SKU + serial is in another parcel
    bool manual = false;
};
Decision add_item(const OrderContext& context, const Parcel& parcel, const ItemInput& item,
                  std::int64_t now_ms);

// CLOSE, SPLIT, ABANDON and RETRY. RETRY of a customer exception re-reads
// the order first (retry_reloads_order): it may have been corrected centrally.
Decision close_parcel(const OrderContext& context, const Parcel& parcel);
Decision split_parcel(const OrderContext& context, const Parcel& parcel);
Decision abandon_parcel(const Parcel& parcel);
bool retry_reloads_order(const Parcel& parcel);
Decision retry_parcel(const OrderContext& context, const Parcel& parcel);

// A supervisor's reason for the parcel's exception (the badge was checked).
struct OverrideInput {
    std::string reason_code;
    std::string reason_label;
    std::string badge;
    std::string name;
};
Decision override_exception(const OrderContext& context, const Parcel& parcel,
                            const OverrideInput& input);

// A scale reading while weighing; empty while there is nothing to decide.
Decision weigh(const OrderContext& context, const Parcel& parcel,
               const hardware::WeightReading& reading);
// Weighing ran out of time with the scale still moving.
Decision weigh_timeout(const OrderContext& context, const Parcel& parcel,
                       const hardware::WeightReading& last);

// The tracking number for the label: the parcel's own, or the order's for
// its first parcel; empty when it has to come from the pool.
std::string assigned_tracking(const Parcel& parcel, const Order& order);
// The express check on the chosen number. On success `next` carries the
// number and the label is printed; otherwise `refused` is the exception.
struct TrackingChoice {
    Parcel next;
    std::optional<Decision> refused;
};
TrackingChoice choose_tracking(const Parcel& parcel, std::string number, bool used);

// The label was handed to the printer as job `job_id`.
Decision label_submitted(Parcel next, const std::string& job_id, const std::string& step_type,
                         std::string pool_number);
// The label could not be made or handed over. A number taken from the pool
// goes back with it (the parcel must not keep it).
Decision label_failed(Parcel next, const CheckResult& result, bool pool_number);
// The printer's answer on the parcel's job; empty while it is still printing
// or for another job.
Decision print_finished(const Parcel& parcel, const hardware::PrintJobUpdate& update);
Decision print_timeout(const Parcel& parcel);

// Why a supervisor's reprint from the hub cannot be done now
// (command.not_applicable), if it cannot: no parcel in progress, a parcel of
// another order than `order_id` (empty = any), or no label yet.
std::optional<Error> remote_reprint_refusal(const std::optional<Parcel>& parcel,
                                            const std::string& order_id);

// The label scanned back: it must decode to this order and tracking number.
Decision scan_back(const Order& order, const Parcel& parcel,
                   const std::optional<std::string>& label_order_id,
                   const std::string& tracking_number);

// The confirmed parcel, and whether it completes the order.
struct Confirmation {
    Parcel next;
    bool order_done = false;
};
Confirmation confirm_parcel(const OrderContext& context, const Parcel& parcel, std::int64_t now_ms);
// The confirmation's record: its shipment message's id, and the evidence
// photo's hash or why there is none (`photo_failed`, a code; may be empty).
StepRecord confirmation_step(const Parcel& next, const std::string& shipment_event_id,
                             const std::string& photo_failed);

// A kind of device became unusable (`reason` says why, for the packer), or
// usable again. `print_waiting`: the label is due and waits for the printer.
Decision device_lost(hardware::DeviceKind kind, const std::string& reason,
                     const std::optional<Parcel>& parcel);
Decision device_back(hardware::DeviceKind kind, const std::optional<Parcel>& parcel,
                     bool print_waiting);

// The order changed centrally while its parcel was in progress.
Decision order_changed(const std::optional<Order>& before, const Order& now, const Parcel& parcel);

}  // namespace flow
}  // namespace packline::station
