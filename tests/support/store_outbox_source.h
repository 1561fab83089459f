// A way to fill a station's outbox through the real commit path (tests and
// benchmarks), and the Store as the drain's source (now part of the station
// side of sync: sync/station/store_outbox_source.h).
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
#include "packline/sync/station/store_outbox_source.h"

namespace packline::testing {

using sync::kOutboxRejectedEvent;
using sync::StoreOutboxSource;

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
