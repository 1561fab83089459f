// How the station writes its steps down: a parcel step's transaction (the
// parcel, its event, and the station event the hub hears of it), loose log
// lines outside any step, typed entries, and the message sequence every
// outgoing message is numbered by. Thread-bound like the station.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "packline/clock.h"
#include "packline/error.h"
#include "packline/ids.h"
#include "packline/station/config.h"
#include "packline/station/message_sequence.h"
#include "packline/station/messages.h"
#include "packline/station/parcel_flow.h"
#include "packline/station/store.h"

namespace packline::station {

// A step's fields as the event log stores them (JSON).
nlohmann::json step_json(const flow::StepRecord& step);

class StepLog {
  public:
    // `config` is the station's own (its packer changes at sign-in); it,
    // `clock` and `ids` must outlive the log.
    StepLog(Store& store, const StationConfig& config, const Clock& clock, IdSource& ids);

    // The transaction that records `next` as the parcel's new state. Steps
    // the hub hears of (packing started, exceptions, overrides, typed items,
    // abandoned parcels) carry a station event; a confirmation carries its
    // shipment message instead.
    Transition transition(Parcel next, const flow::StepRecord& record,
                          std::optional<OutboxMessage> shipment);

    // The confirmation of parcel `next` for the hub (the shipments topic),
    // with the overrides and reprints of its audit trail.
    OutboxMessage shipment(const Parcel& next, const Order& order,
                           const std::vector<EventRecord>& trail);

    // A line of the log outside any parcel step (best effort: a log line,
    // not state). `parcel_id` is the active parcel's, or 0.
    void append(std::string type, const std::string& order_id, std::int64_t parcel_id,
                const nlohmann::json& payload);
    // An order or waybill typed on the screen: logged, and told to the hub
    // (a manual_entry station event) so supervisors see it.
    void manual_entry(const std::string& step, const std::string& code, const std::string& order_id,
                      std::int64_t parcel_id);

    // The station's message sequence, opened at the first use; an error
    // when the store cannot reserve numbers.
    Result<MessageSequence*> sequence();
    std::int64_t next_sequence();
    // Reserves more numbers ahead (at each tick; retried at the next).
    void replenish();

  private:
    EventRecord event(std::string type, const std::string& order_id, std::int64_t parcel_id,
                      const nlohmann::json& payload) const;

    Store& store_;
    const StationConfig& config_;
    const Clock& clock_;
    IdSource& ids_;
    std::unique_ptr<MessageSequence> sequence_;
};

// The overrides that go out with a confirmation, from the parcel's audit
// trail in the store (a restart between override and confirmation loses none).
std::vector<OverrideRecord> overrides_in(const std::vector<EventRecord>& events);

}  // namespace packline::station
