#include "packline/station/messages.h"

#include <array>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>

namespace packline::station {

std::string station_topic(const StationConfig& config, std::string_view leaf) {
    return "packline/v1/" + config.site + "/stations/" + config.station_id + "/" +
           std::string(leaf);
}

std::string shipment_confirmation_json(const Parcel& parcel, const Order& order,
                                       const StationConfig& config, std::string_view event_id,
                                       const std::vector<OverrideRecord>& overrides,
                                       int label_reprints) {
    nlohmann::json items = nlohmann::json::array();
    for (const ScannedItem& item : parcel.items) {
        nlohmann::json entry{{"sku", item.sku}, {"barcode", item.barcode}};
        if (!item.serial.empty()) entry["serial"] = item.serial;
        if (!item.lot.empty()) entry["lot"] = item.lot;
        items.push_back(std::move(entry));
    }
    nlohmann::json override_list = nlohmann::json::array();
    for (const OverrideRecord& record : overrides)
        override_list.push_back({{"check", record.check},
                                 {"reason", record.reason},
                                 {"override_reason", record.chosen},
                                 {"supervisor", record.supervisor}});
    nlohmann::json evidence{{"label_job_id", parcel.label_job_id},
                            {"label_attempts", parcel.label_attempts},
                            {"label_reprints", label_reprints},
                            {"checks",
                             {{"customer", to_string(parcel.customer)},
                              {"contents", to_string(parcel.contents)},
                              {"express", to_string(parcel.express)}}},
                            {"overrides", std::move(override_list)}};
    if (parcel.photo)
        evidence["photo"] = {{"sha256", parcel.photo->sha256},
                             {"path", parcel.photo->path},
                             {"taken_at_ms", parcel.photo->taken_at_ms}};
    nlohmann::json message{
        {"schema", kShipmentSchema},
        {"event_id", event_id},
        {"site", config.site},
        {"station", config.station_id},
        {"order_id", order.id},
        {"parcel_id", parcel.id},
        {"parcel_sequence", parcel.sequence},
        {"partial", parcel.closed_partial},
        {"carrier", parcel.carrier},
        {"tracking_number", parcel.tracking_number},
        {"weight_g", parcel.weight_g.value_or(0.0)},
        {"expected_weight_g", parcel.expected_weight_g},
        {"packaging", parcel.packaging},
        {"items", std::move(items)},
        {"packer", parcel.packer},
        {"confirmed_at_ms", parcel.confirmed_at_ms},
        {"evidence", std::move(evidence)},
    };
    return json_text(message);
}

std::string json_text(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string new_event_id() {
    static std::mutex mutex;
    static std::mt19937_64 generator{std::random_device{}()};
    std::array<std::uint64_t, 2> words{};
    {
        std::lock_guard lock(mutex);
        words = {generator(), generator()};
    }
    // Version 4, variant 10xx.
    words[0] = (words[0] & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;
    words[1] = (words[1] & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
    char text[37];
    std::snprintf(text, sizeof text, "%08x-%04x-%04x-%04x-%012llx",
                  static_cast<unsigned>(words[0] >> 32),
                  static_cast<unsigned>((words[0] >> 16) & 0xFFFF),
                  static_cast<unsigned>(words[0] & 0xFFFF), static_cast<unsigned>(words[1] >> 48),
                  static_cast<unsigned long long>(words[1] & 0xFFFFFFFFFFFFULL));
    return text;
}

}  // namespace packline::station
