#include "packline/sync/outbound.h"

#include <algorithm>
#include <exception>
#include <nlohmann/json.hpp>

#include "message_validation.h"
#include "packline/sync/schemas.h"
#include "packline/sync/sync_errors.h"
#include "packline/sync/text_checks.h"

namespace packline::sync {
namespace {

using nlohmann::json;

// The station-event schema's limits, in bytes (a byte count bounds the
// character count the schema counts).
constexpr std::size_t kMaxTopicText = 1024;
constexpr std::size_t kMaxMessageText = 1000;

// Never throws: bytes that are not UTF-8 become U+FFFD.
std::string dump(const json& value) {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Text from elsewhere (a topic as received, an error message quoting it)
// made fit for a schema that wants UTF-8 without NUL, of bounded length:
// cut first (U+FFFD takes three bytes where a bad byte took one), then made
// valid, then cut again at a character boundary.
std::string bounded_text(std::string_view text, std::size_t limit) {
    return std::string(text::cut_utf8(text::sanitized(text::cut_utf8(text, limit)), limit));
}

// The event id of a refused payload, when it has a readable one.
std::string quoted_event_id(std::string_view payload) {
    if (payload.size() > kMaxPayloadBytes || text::nests_deeper_than(payload, kMaxJsonDepth))
        return {};
    const json document = json::parse(payload, nullptr, false);
    if (!document.is_object()) return {};
    const auto found = document.find("event_id");
    if (found == document.end() || !found->is_string()) return {};
    const std::string& event_id = found->get_ref<const std::string&>();
    return is_event_id(event_id) ? event_id : std::string();
}

// Codes are "module.reason" (station-event's reason_code: up to four
// dot-separated parts of 1 to 32 of [a-z0-9_]); anything else is reported
// under a generic code rather than not at all.
std::string reason_code(std::string_view code) {
    int parts = 1;
    std::size_t part_length = 0;
    bool plain = true;
    for (const char c : code) {
        if (c == '.') {
            plain = plain && part_length > 0;
            part_length = 0;
            ++parts;
        } else {
            plain = plain && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
            ++part_length;
        }
        plain = plain && part_length <= 32 && parts <= 4;
    }
    plain = plain && part_length > 0;
    return plain ? std::string(code) : std::string("sync.error");
}

json envelope_of(std::string_view schema, const Envelope& envelope,
                 const StationIdentity& identity) {
    return json{{"schema", schema},
                {"event_id", envelope.event_id},
                {"sent_at_ms", envelope.sent_at_ms},
                {"sequence", envelope.sequence},
                {"site", identity.site},
                {"station", identity.station}};
}

// The encoders' self-check: what the hub would refuse is not sent.
Result<std::string> checked(std::string_view schema_name, const json& message) {
    std::string text = dump(message);
    if (auto valid = parse_and_validate(schema_name, text); !valid)
        return valid.error().context("encode " + std::string(schema_name));
    return text;
}

}  // namespace

Result<std::string> error_event_json(const StationIdentity& identity, const Envelope& envelope,
                                     const Error& error, std::string_view topic,
                                     std::string_view payload, std::int64_t refused) {
    try {
        json message = envelope_of("packline.station-event/1", envelope, identity);
        message["kind"] = "error";
        message["code"] = reason_code(error.code);
        message["message"] = bounded_text(error.message, kMaxMessageText);
        message["topic"] = bounded_text(topic, kMaxTopicText);
        if (refused > 1)
            message["details"] =
                json::array({{{"key", "refused"}, {"value", std::to_string(refused)}}});
        if (std::string rejected = quoted_event_id(payload); !rejected.empty())
            message["rejected_event_id"] = std::move(rejected);
        return checked("station-event", message);
    } catch (const std::exception& failure) {
        return Error{errors::kSyncBadMessage, std::string("encode error event: ") + failure.what()};
    }
}

Result<std::string> station_status_json(const StationIdentity& identity, const Envelope& envelope,
                                        std::string_view version, const StationStatus& status) {
    try {
        json message = envelope_of("packline.station-status/1", envelope, identity);
        message["state"] = status.state;
        message["version"] = version;
        message["packer"] = bounded_text(status.packer, 128);
        message["current_order"] = bounded_text(status.current_order, 512);
        message["counters"] = {{"parcels_started", status.counters.parcels_started},
                               {"confirmed", status.counters.confirmed},
                               {"exceptions", status.counters.exceptions},
                               {"overrides", status.counters.overrides},
                               {"abandoned", status.counters.abandoned},
                               {"scans", status.counters.scans}};
        message["parcels_per_hour"] = std::clamp(status.parcels_per_hour, 0.0, 100000.0);
        message["exceptions_by_check"] = {{"customer", status.counters.exceptions_customer},
                                          {"contents", status.counters.exceptions_contents},
                                          {"express", status.counters.exceptions_express}};
        json devices = json::array();
        for (const StationStatus::Device& device : status.devices) {
            if (devices.size() == 32) break;
            json entry{{"name", bounded_text(device.name.empty() ? device.kind : device.name, 128)},
                       {"kind", device.kind},
                       {"health", device.health}};
            if (!device.detail.empty()) entry["detail"] = bounded_text(device.detail, 256);
            devices.push_back(std::move(entry));
        }
        message["devices"] = std::move(devices);
        message["outbox_backlog"] = status.outbox_backlog;
        message["refused_messages"] = std::max<std::int64_t>(0, status.refused_messages);
        message["last_sync_ms"] = status.last_sync_ms;
        if (status.clock_skew_ms) message["clock_skew_ms"] = *status.clock_skew_ms;
        json pool = json::array();
        for (const station::PoolStock& entry : status.tracking_pool) {
            const bool plain_code =
                !entry.carrier.empty() && entry.carrier.size() <= 32 &&
                std::all_of(entry.carrier.begin(), entry.carrier.end(), [](char c) {
                    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
                });
            if (!plain_code || pool.size() == 32) continue;
            pool.push_back({{"carrier", entry.carrier}, {"available", entry.available}});
        }
        message["tracking_pool"] = std::move(pool);
        return checked("station-status", message);
    } catch (const std::exception& failure) {
        return Error{errors::kSyncBadMessage,
                     std::string("encode station status: ") + failure.what()};
    }
}

Result<std::string> offline_status_json(const StationIdentity& identity, const Envelope& envelope,
                                        std::string_view version, OfflineReason reason) {
    try {
        json message = envelope_of("packline.station-status/1", envelope, identity);
        message["state"] = "offline";
        message["offline_reason"] =
            reason == OfflineReason::ConnectionLost ? "connection_lost" : "shutdown";
        message["version"] = version;
        return checked("station-status", message);
    } catch (const std::exception& failure) {
        return Error{errors::kSyncBadMessage,
                     std::string("encode offline status: ") + failure.what()};
    }
}

}  // namespace packline::sync
