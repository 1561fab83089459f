// The parcel's coordinator: it gathers the facts a packing rule needs
// (order_lookup.h), runs the rule (parcel_flow.h) and applies its decision:
// the step in one store transaction, then what the packer is told, then what
// follows (the label, the evidence photo, the confirmation). It owns the
// parcel in progress. Thread-bound: the station loop thread.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "label_jobs.h"
#include "order_lookup.h"
#include "packer_feedback.h"
#include "packline/clock.h"
#include "packline/ids.h"
#include "packline/station/config.h"
#include "packline/station/device_board.h"
#include "packline/station/packing_station.h"
#include "packline/station/parcel_flow.h"
#include "packline/station/scan_input.h"
#include "packline/station/store.h"
#include "packline/station/supervisor_gate.h"
#include "step_log.h"

namespace packline::station {

class ParcelCoordinator {
  public:
    // Every reference must outlive the coordinator; `config` is the
    // station's own (its packer changes at sign-in and restore).
    ParcelCoordinator(Store& store, StationConfig& config, const Clock& clock, IdSource& ids,
                      StationDevices devices, PackerFeedback& feedback,
                      const DeviceBoard& device_board, SupervisorGate& gate);

    // ---- inputs ----
    void code(const ScanInput& input);  // an order, item, waybill or label
    void command(const std::string& name);
    void override_with(const flow::OverrideInput& input);  // the gate let it through
    void weight(const hardware::WeightReading& reading);
    void print_update(const hardware::PrintJobUpdate& update);
    // A device kind became unusable or usable again (`details` for the packer).
    void device_changed(const DeviceBoard::Change& change, std::vector<Detail> details);
    // The weigh and print timeouts.
    void timeouts(std::int64_t now_ms);
    void order_changed(const std::string& order_id);
    // Prints the label again, audited (a supervisor at the gate, or the packer).
    void reprint();
    // Takes up the station's active parcel from the store after a restart.
    Status restore();

    // ---- what the station around it uses ----
    void apply(flow::Decision decision, const std::string& scanned = {});
    void report(Verdict verdict);
    void report(VerdictKind kind, std::string_view code, std::string message,
                std::vector<Detail> details = {});
    // A line of the log outside any parcel step (of the active parcel, if any).
    void append_event(std::string type, const std::string& order_id, nlohmann::json payload);
    const std::optional<Parcel>& parcel() const { return parcel_; }
    flow::OrderContext context(bool with_tare = false) const { return lookup_.context(with_tare); }
    StepLog& steps() { return steps_; }

  private:
    // One step for the store: the parcel's new state and its record, with
    // what the step also takes (a pool number) or settles (the shipment).
    struct Step {
        Parcel next;
        flow::StepRecord record;
        std::string pool_number;
        std::optional<OutboxMessage> shipment;  // set for the confirmation
        std::optional<OrderStatus> order_status;
    };
    bool commit(Step step);
    std::int64_t active_parcel_id() const;
    void record_manual_entry(const std::string& step, const std::string& code);
    Status load_order(const std::string& order_id, std::int64_t current_parcel_id) {
        return lookup_.load(order_id, current_parcel_id);
    }
    const Order& order() const { return *lookup_.order(); }
    bool usable(hardware::DeviceKind kind) const { return device_board_.usable(kind); }
    std::string unusable_reason(hardware::DeviceKind kind) const {
        return device_board_.unusable_reason(kind);
    }

    void start_parcel(const ScanInput& input);
    void item_or_waybill(const ScanInput& input);
    void item(const ScanInput& input);
    void scan_back(const ScanInput& input);
    void retry();
    void run_express();
    void print_label(Parcel next, std::string pool_number, const std::string& step_type);
    void confirm();
    std::optional<Error> attach_photo(Parcel& next);

    Store& store_;
    StationConfig& config_;
    const Clock& clock_;
    IdSource& ids_;
    StationDevices devices_;
    PackerFeedback& feedback_;
    const DeviceBoard& device_board_;
    SupervisorGate& gate_;
    StepLog steps_;
    LabelJobs labels_;
    OrderLookup lookup_;  // the active parcel's order, as the store has it

    std::optional<Parcel> parcel_;
    std::int64_t state_since_ms_ = 0;
    std::optional<hardware::WeightReading> weighing_reading_;  // the last one while weighing
    // The label is due but the printer is away: printing waits for it.
    bool print_waiting_ = false;
    // The printer's final answer on the current job, when the store could
    // not save what it means (a failing disk). A printer reports a job once:
    // the answer is kept and applied again at the packer's next scan (or
    // when the print timeout comes), so the parcel does not wait for a
    // timeout and a second label once the disk works again.
    std::optional<hardware::PrintJobUpdate> unsaved_print_;
};

}  // namespace packline::station
