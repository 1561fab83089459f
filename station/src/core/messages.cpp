#include "packline/station/messages.h"

#include <array>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>

#include "packline/ids.h"

namespace packline::station {

std::string station_topic(const StationConfig& config, std::string_view leaf) {
    return "packline/v1/" + config.site + "/stations/" + config.station_id + "/" +
           std::string(leaf);
}

std::string shipment_confirmation_json(const Parcel& parcel, const Order& order,
                                       const StationConfig& config, std::string_view event_id,
                                       const std::vector<OverrideRecord>& overrides,
                                       int label_reprints, std::int64_t sent_at_ms,
                                       std::int64_t sequence) {
    nlohmann::json items = nlohmann::json::array();
    for (const ScannedItem& item : parcel.items) {
        nlohmann::json entry{{"sku", item.sku}, {"barcode", item.barcode}};
        if (!item.serial.empty()) entry["serial"] = item.serial;
        if (!item.lot.empty()) entry["lot"] = item.lot;
        if (item.manual) entry["manual"] = true;
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
    if (sent_at_ms > 0) message["sent_at_ms"] = sent_at_ms;
    if (sequence > 0) message["sequence"] = sequence;
    return json_text(message);
}

namespace {

// The first `limit` code points of UTF-8 `text` (bytes that are not UTF-8
// are replaced later, by json_text).
std::string cut_characters(const std::string& text, std::size_t limit) {
    std::size_t characters = 0;
    for (std::size_t index = 0; index < text.size(); ++index) {
        const auto byte = static_cast<unsigned char>(text[index]);
        if ((byte & 0xC0) != 0x80) {
            if (characters == limit) return text.substr(0, index);
            ++characters;
        }
    }
    return text;
}

}  // namespace

std::string station_event_json(const StationConfig& config, std::string_view event_id,
                               std::int64_t sent_at_ms, std::int64_t sequence,
                               const StationEventFields& fields) {
    nlohmann::json message{{"schema", kStationEventSchema},
                           {"event_id", event_id},
                           {"sent_at_ms", sent_at_ms},
                           {"sequence", sequence},
                           {"site", config.site},
                           {"station", config.station_id},
                           {"kind", fields.kind}};
    auto put = [&](const char* member, const std::string& value, std::size_t limit) {
        if (!value.empty()) message[member] = cut_characters(value, limit);
    };
    put("order_id", fields.order_id, 512);
    if (fields.parcel_id > 0) message["parcel_id"] = fields.parcel_id;
    if (!fields.packer.empty() || fields.kind == "packing_started")
        message["packer"] = cut_characters(fields.packer, 128);
    put("check", fields.check, 32);
    put("reason", fields.reason, 200);
    put("override_reason", fields.override_reason, 128);
    put("supervisor", fields.supervisor, 128);
    if (!fields.message.empty() || fields.kind == "exception")
        message["message"] = cut_characters(fields.message, 1000);
    if (!fields.details.empty()) {
        nlohmann::json details = nlohmann::json::array();
        for (const Detail& detail : fields.details) {
            if (details.size() == 32) break;
            if (detail.key.empty()) continue;
            details.push_back({{"key", cut_characters(detail.key, 64)},
                               {"value", cut_characters(detail.value, 1000)}});
        }
        message["details"] = std::move(details);
    }
    return json_text(message);
}

std::string json_text(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string new_event_id() {
    return random_uuid();
}

}  // namespace packline::station
