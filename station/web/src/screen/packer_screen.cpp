#include "packline/web/packer_screen.h"

#include <nlohmann/json.hpp>

#include "packline/station/packer_view.h"

namespace packline::web {

namespace {

using nlohmann::json;

std::string dump(const json& value) {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

json details_object(const std::vector<station::Detail>& details) {
    json object = json::object();
    for (const station::Detail& detail : details)
        object[detail.key] = detail.value;
    return object;
}

std::string_view sound_for(station::VerdictKind kind) {
    switch (kind) {
        case station::VerdictKind::Accepted:
            return "good";
        case station::VerdictKind::Rejected:
        case station::VerdictKind::Exception:
            return "wrong";
        case station::VerdictKind::Confirmed:
            return "confirmed";
        case station::VerdictKind::Info:
            return "none";
    }
    return "none";
}

std::string_view label_status(const station::Parcel& parcel) {
    using station::ParcelState;
    if (parcel.state == ParcelState::Confirmed) return "scanned";
    if (parcel.state == ParcelState::Printing) return "printing";
    if (parcel.state == ParcelState::AwaitingScanBack) return "printed";
    if (parcel.state == ParcelState::Exception && parcel.label_attempts > 0) return "printed";
    return "none";
}

std::string_view weight_status_word(hardware::WeightStatus status) {
    switch (status) {
        case hardware::WeightStatus::Stable:
            return "stable";
        case hardware::WeightStatus::InMotion:
            return "in_motion";
        case hardware::WeightStatus::AtZero:
            return "at_zero";
        case hardware::WeightStatus::UnderZero:
            return "under_zero";
        case hardware::WeightStatus::Overload:
            return "overload";
        case hardware::WeightStatus::Fault:
            return "fault";
    }
    return "fault";
}

std::string_view device_kind_word(hardware::DeviceKind kind) {
    return hardware::to_string(kind);
}

}  // namespace

std::string packer_view_json(const station::PackerView& view, const station::StationConfig& config,
                             std::string_view language,
                             const std::optional<station::Verdict>& verdict,
                             std::uint64_t verdict_id,
                             const std::deque<VerdictSound>& recent_sounds) {
    const station::StationSnapshot& snapshot = view.station;
    json out{{"station", config.station_id}, {"site", config.site},
             {"language", language},         {"state", snapshot.state},
             {"locked", snapshot.locked},    {"lock_reason", view.lock_reason},
             {"packer", snapshot.packer},    {"packer_since_ms", snapshot.packer_since_ms}};
    out["paused"] = snapshot.state == "paused"
                        ? json{{"by", snapshot.paused_by}, {"reason", snapshot.pause_reason}}
                        : json(nullptr);
    json devices = json::array();
    for (const auto& device : snapshot.devices)
        devices.push_back({{"name", device.name},
                           {"kind", device_kind_word(device.kind)},
                           {"health", hardware::to_string(device.health)},
                           {"detail", device.detail}});
    out["devices"] = std::move(devices);

    out["order"] = nullptr;
    if (view.order) {
        const station::Order& order = *view.order;
        const station::Address& address = order.recipient.address;
        out["order"] = {{"id", order.id},
                        {"status", station::to_string(order.status)},
                        {"carrier", order.carrier},
                        {"service", order.service},
                        {"tracking_number", order.tracking_number},
                        {"ship_by_ms", order.ship_by_ms},
                        {"recipient",
                         {{"name", order.recipient.name},
                          {"phone", order.recipient.phone},
                          {"address",
                           {{"lines", address.lines},
                            {"city", address.city},
                            {"region", address.region},
                            {"postal_code", address.postal_code},
                            {"country", address.country}}}}}};
    }

    out["parcel"] = nullptr;
    if (view.parcel) {
        const station::Parcel& parcel = *view.parcel;
        int manual = 0;
        for (const station::ScannedItem& item : parcel.items)
            manual += item.manual ? 1 : 0;
        json exception = nullptr;
        if (parcel.exception && parcel.state == station::ParcelState::Exception)
            exception = {{"check", parcel.exception->check},
                         {"reason", parcel.exception->reason},
                         {"message", parcel.exception->message},
                         {"details", details_object(parcel.exception->details)},
                         {"overridable", view.overridable}};
        out["parcel"] = {{"id", parcel.id},
                         {"sequence", parcel.sequence},
                         {"state", station::to_string(parcel.state)},
                         {"customer", station::to_string(parcel.customer)},
                         {"contents", station::to_string(parcel.contents)},
                         {"express", station::to_string(parcel.express)},
                         {"tracking_number", parcel.tracking_number},
                         {"carrier", parcel.carrier},
                         {"label", label_status(parcel)},
                         {"label_attempts", parcel.label_attempts},
                         {"weight_g", parcel.weight_g ? json(*parcel.weight_g) : json(nullptr)},
                         {"expected_weight_g", parcel.expected_weight_g},
                         {"closed_partial", parcel.closed_partial},
                         {"manual_entries", manual},
                         {"exception", std::move(exception)}};
    }

    json lines = json::array();
    for (const station::PackerLineView& line : view.lines)
        lines.push_back({{"sku", line.sku},
                         {"name", line.name},
                         {"style", line.style},
                         {"size", line.size},
                         {"colour", line.colour},
                         {"required", line.required},
                         {"scanned", line.scanned},
                         {"manual", line.manual},
                         {"serial_required", line.serial_required}});
    out["lines"] = std::move(lines);

    out["weight"] = nullptr;
    if (view.weight)
        out["weight"] = {{"expected_g", view.weight->expected_g},
                         {"tolerance_g", view.weight->tolerance_g},
                         {"min_g", view.weight->expected_g - view.weight->tolerance_g},
                         {"max_g", view.weight->expected_g + view.weight->tolerance_g}};

    json reasons = json::array();
    for (const station::OverrideReason& reason : config.override_reasons)
        reasons.push_back({{"code", reason.code}, {"label", reason.label}});
    out["supervisor"] = nullptr;
    if (view.supervisor)
        out["supervisor"] = {{"name", view.supervisor->name},
                             {"for_reprint", view.supervisor->for_reprint},
                             {"expires_at_ms", view.supervisor->expires_at_ms},
                             {"reasons", reasons}};
    out["override_reasons"] = std::move(reasons);

    out["verdict"] = nullptr;
    if (verdict)
        out["verdict"] = {{"id", verdict_id},
                          {"kind", station::to_string(verdict->kind)},
                          {"code", verdict->code},
                          {"message", verdict->message},
                          {"details", details_object(verdict->details)},
                          {"at_ms", verdict->at_ms},
                          {"sound", sound_for(verdict->kind)}};
    json sounds = json::array();
    for (const VerdictSound& entry : recent_sounds)
        sounds.push_back({{"id", entry.id}, {"sound", entry.sound}});
    out["recent_sounds"] = std::move(sounds);
    out["commands"] = {{"retry", view.commands.retry},
                       {"reprint", view.commands.reprint},
                       {"split", view.commands.split},
                       {"close", view.commands.close},
                       {"abandon", view.commands.abandon}};
    return dump(out);
}

PackerScreen::PackerScreen(const station::PackingStation& station, LiveFeed& feed,
                           std::string language)
    : station_(station), feed_(feed), language_(std::move(language)) {}

void PackerScreen::publish() {
    feed_.publish("view", packer_view_json(station_.packer_view(), station_.config(), language_,
                                           last_verdict_, verdict_count_, recent_sounds_));
}

void PackerScreen::on_verdict(const station::Verdict& verdict) {
    ++verdict_count_;
    constexpr std::size_t kRecentSounds = 8;
    recent_sounds_.push_back({verdict_count_, sound_for(verdict.kind)});
    if (recent_sounds_.size() > kRecentSounds) recent_sounds_.pop_front();
    last_verdict_ = verdict;
    last_verdict_->parcel.reset();  // the view carries the parcel
    publish();
}

void PackerScreen::on_weight(const hardware::WeightReading& reading) {
    // Scales repeat themselves several times a second: a reading goes out
    // when it changed, and every two seconds anyway so the screen can tell
    // a live scale from a silent one.
    constexpr std::int64_t kRepeatMs = 2000;
    const bool same = last_reading_ && last_reading_->grams == reading.grams &&
                      last_reading_->status == reading.status &&
                      last_reading_->device == reading.device;
    if (same && reading.at_ms - last_reading_->at_ms < kRepeatMs) return;
    last_reading_ = reading;
    feed_.publish("scale", dump(json{{"device", reading.device},
                                     {"grams", reading.grams},
                                     {"status", weight_status_word(reading.status)},
                                     {"at_ms", reading.at_ms}}));
}

void PackerScreen::on_device(const hardware::DeviceStatusEvent&) {
    publish();
}

}  // namespace packline::web
