// Messages a station sends, for hub tests: the fixtures of tests/fixtures/mqtt
// re-addressed to any site and station, with a fresh event id and the
// sequence a test wants, and the topic each travels on.
#pragma once

#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "packline/hub/event_ids.h"

namespace packline::testing {

inline nlohmann::json mqtt_fixture(const std::string& file_name) {
    std::ifstream in(std::string(PACKLINE_SOURCE_DIR) + "/tests/fixtures/mqtt/" + file_name,
                     std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return nlohmann::json::parse(text.str());
}

inline std::string station_topic(const std::string& site, const std::string& station,
                                 const std::string& leaf) {
    return "packline/v1/" + site + "/stations/" + station + "/" + leaf;
}

struct StationMessage {
    std::string topic;
    std::string event_id;
    nlohmann::json body;
    [[nodiscard]] std::string payload() const { return body.dump(); }
};

// A shipment confirmation (shipment.json) of `order_id` with tracking number
// `tracking`.
inline StationMessage shipment_message(const std::string& site, const std::string& station,
                                       const std::string& order_id = "SO-1",
                                       const std::string& tracking = "1Z5R89390357567127",
                                       std::int64_t sequence = 1) {
    nlohmann::json body = mqtt_fixture("shipment.json");
    body["event_id"] = hub::new_event_id();
    body["site"] = site;
    body["station"] = station;
    body["order_id"] = order_id;
    body["tracking_number"] = tracking;
    body["sequence"] = sequence;
    body["sent_at_ms"] = 1795000000000 + sequence;
    return {station_topic(site, station, "shipments"), body["event_id"], body};
}

// A station event (station-event.<variant>.json: exception, override,
// packing-started, error).
inline StationMessage event_message(const std::string& site, const std::string& station,
                                    const std::string& variant = "exception",
                                    std::int64_t sequence = 1) {
    nlohmann::json body = mqtt_fixture("station-event." + variant + ".json");
    body["event_id"] = hub::new_event_id();
    body["site"] = site;
    body["station"] = station;
    body["sequence"] = sequence;
    return {station_topic(site, station, "events"), body["event_id"], body};
}

// A status (station-status.json, or station-status.offline.json when
// `offline`), sent at `sent_at_ms`.
inline StationMessage status_message(const std::string& site, const std::string& station,
                                     std::int64_t sequence, std::int64_t sent_at_ms,
                                     bool offline = false) {
    nlohmann::json body =
        mqtt_fixture(offline ? "station-status.offline.json" : "station-status.json");
    body["event_id"] = hub::new_event_id();
    body["site"] = site;
    body["station"] = station;
    body["sequence"] = sequence;
    body["sent_at_ms"] = sent_at_ms;
    return {station_topic(site, station, "status"), body["event_id"], body};
}

}  // namespace packline::testing
