// The station's Store as the outbox drain's OutboxSource, and a way to fill
// an outbox through the real commit path (tests and benchmarks).
//
// StoreOutboxSource opens its own Store on the station's database the first
// time the drain uses it, on the drain's thread (a Store is thread-bound;
// WAL lets it write beside the station loop's Store). A rejected row is
// retired and recorded: an "outbox.rejected" event (payload: the event id
// and the hub's reason) is appended first, then the row is marked
// delivered, so a crash in between can only record the rejection twice,
// never lose it.
//
// This is the adapter packline-stationd will use once the drain is wired in
// (issue 5, a later slice); it lives in tests/support until then.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "packline/station/messages.h"
#include "packline/station/store.h"
#include "packline/sync/outbox_drain.h"

namespace packline::testing {

inline constexpr std::string_view kOutboxRejectedEvent = "outbox.rejected";

class StoreOutboxSource final : public sync::OutboxSource {
  public:
    StoreOutboxSource(std::string database, std::string station)
        : database_(std::move(database)), station_(std::move(station)) {}

    Result<std::vector<sync::OutboxRow>> pending(int limit) override {
        if (auto opened = open(); !opened) return opened.error();
        auto messages = store_->pending_outbox(limit);
        if (!messages) return messages.error();
        std::vector<sync::OutboxRow> rows;
        rows.reserve(messages->size());
        for (station::OutboxMessage& message : messages.value())
            rows.push_back(sync::OutboxRow{message.seq, std::move(message.event_id),
                                           std::move(message.topic), std::move(message.payload),
                                           message.attempts});
        return rows;
    }

    Status delivered(std::string_view event_id, std::int64_t at_ms) override {
        if (auto opened = open(); !opened) return opened;
        return store_->mark_delivered(event_id, at_ms);
    }

    Status rejected(std::string_view event_id, std::string_view reason,
                    std::int64_t at_ms) override {
        if (auto opened = open(); !opened) return opened;
        station::EventRecord record;
        record.event_id = station::new_event_id();
        record.at_ms = at_ms;
        record.station = station_;
        record.type = std::string(kOutboxRejectedEvent);
        record.payload = nlohmann::json{{"event_id", event_id}, {"reason", reason}}.dump();
        if (auto appended = store_->append_event(record); !appended) return appended;
        return store_->mark_delivered(event_id, at_ms);
    }

    Status attempted(std::string_view event_id) override {
        if (auto opened = open(); !opened) return opened;
        return store_->record_outbox_attempt(event_id);
    }

  private:
    Status open() {
        if (store_) return {};
        auto opened = station::Store::open(database_);
        if (!opened) return opened.error();
        store_ = std::move(opened.value());
        return {};
    }

    std::string database_;
    std::string station_;
    std::unique_ptr<station::Store> store_;
};

// Writes `count` outbox rows through Store::commit, one packing step each
// (an item accepted on one parcel), as the station does. Returns the event
// ids in outbox order; empty on failure (the error in `error`).
inline std::vector<std::string> fill_outbox(station::Store& store, const std::string& site,
                                            const std::string& station_id, int count,
                                            std::string& error) {
    station::Order order;
    order.id = "SO-SYNC-1";
    order.site = site;
    order.created_at_ms = 1'795'000'000'000;
    order.carrier = "ups";
    order.lines = {{"TEE-RED-L", 1}};
    if (auto upserted = store.upsert_order(order); !upserted) {
        error = upserted.error().to_string();
        return {};
    }
    station::Parcel parcel;
    parcel.order_id = order.id;
    parcel.station = station_id;
    parcel.packer = "ana";
    parcel.state = station::ParcelState::Scanning;
    parcel.packaging = "BOX-S";
    parcel.carrier = "ups";
    parcel.created_at_ms = order.created_at_ms;
    parcel.updated_at_ms = order.created_at_ms;
    const std::string topic = "packline/v1/" + site + "/stations/" + station_id + "/events";
    std::vector<std::string> event_ids;
    for (int index = 0; index < count; ++index) {
        station::Transition transition;
        transition.parcel = parcel;
        transition.event.event_id = station::new_event_id();
        transition.event.at_ms = order.created_at_ms + index;
        transition.event.station = station_id;
        transition.event.type = std::string(station::event_type::item_accepted);
        transition.event.order_id = order.id;
        transition.event.payload = R"({"source":"sync test"})";
        // The payload only has to carry its event id for the fake hub; the
        // hub's validation is not what these tests are about.
        transition.outbox = station::OutboxMessage{
            0,     "",
            topic, nlohmann::json{{"event_id", transition.event.event_id}, {"index", index}}.dump(),
            0,     0};
        auto committed = store.commit(transition);
        if (!committed) {
            error = committed.error().to_string();
            return {};
        }
        parcel.id = *committed;
        event_ids.push_back(transition.event.event_id);
    }
    return event_ids;
}

}  // namespace packline::testing
