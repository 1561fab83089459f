#include "pause_record.h"

#include <nlohmann/json.hpp>
#include <string_view>

#include "packline/station/messages.h"

namespace packline::station {

namespace {
constexpr std::string_view kPauseKey = "station.paused";
}

Status save_pause(Store& store, const PackerSession::Pause& pause) {
    return store.set_station_value(
        kPauseKey, json_text(nlohmann::json{{"by", pause.by}, {"reason", pause.reason}}));
}

Status clear_pause(Store& store) {
    return store.clear_station_value(kPauseKey);
}

Result<std::optional<PackerSession::Pause>> load_pause(Store& store) {
    auto record = store.station_value(kPauseKey);
    if (!record.ok()) return record.error();
    if (!record.value()) return std::optional<PackerSession::Pause>();
    const auto json = nlohmann::json::parse(*record.value(), nullptr, false);
    return std::optional<PackerSession::Pause>(
        PackerSession::Pause{json.is_object() ? json.value("by", "") : "",
                             json.is_object() ? json.value("reason", "") : ""});
}

}  // namespace packline::station
