#include "packline/station/packing_station.h"

#include <nlohmann/json.hpp>

#include "evidence.h"
#include "packer_feedback.h"
#include "packline/station/device_board.h"
#include "packline/station/message_sequence.h"
#include "packline/station/packer_session.h"
#include "packline/station/packer_view.h"
#include "packline/station/parcel_flow.h"
#include "packline/station/store.h"
#include "packline/station/supervisor_gate.h"
#include "parcel_coordinator.h"
#include "pause_record.h"

namespace packline::station {

// The station around the parcel: it routes each input to the piece that owns
// it (the packer session, the supervisor gate, the device board, the parcel's
// coordinator), keeps time for the timeouts, and answers the hub's requests.
struct PackingStation::Impl {
    Store& store;
    const Clock& clock;  // every time the station stamps or compares
    StationConfig config;
    PackerFeedback feedback;   // screens and the light tower
    DeviceBoard device_board;  // device health, as the devices last reported it
    EvidenceRetention retention;
    PackerSession session;  // sign-in, the idle lock and a pause from the hub
    SupervisorGate gate;    // a supervisor's badge and reason
    ParcelCoordinator parcel;

    Impl(Store& store_, StationConfig config_, StationDevices devices, const Clock& clock_,
         IdSource& ids)
        : store(store_),
          clock(clock_),
          config(std::move(config_)),
          feedback(devices.indicator),
          retention(store_, config.evidence, config.station_id, ids),
          session(config.packers, clock_.now_ms()),
          gate(config.supervisors, config.override_reasons, config.supervisor_timeout_ms),
          parcel(store_, config, clock_, ids, devices, feedback, device_board, gate) {}

    const std::optional<Parcel>& current() const { return parcel.parcel(); }
    std::string current_order() const { return current() ? current()->order_id : ""; }

    void on_scan(const hardware::ScanEvent& event) {
        session.activity(clock.now_ms());
        const ScanInput input = classify_scan(event.data, event.manual);
        if (input.kind == ScanKind::Empty)
            return parcel.report(VerdictKind::Rejected, verdict::scan_empty,
                                 "Empty scan — scan again.");
        if (auto refused = session.refusal(input)) return parcel.report(std::move(*refused));
        switch (input.kind) {
            case ScanKind::Command:
                return parcel.command(input.argument);
            case ScanKind::SupervisorBadge:
                return parcel.apply(gate.badge(input.argument, current(), clock.now_ms()));
            case ScanKind::OverrideReason: {
                SupervisorGate::ReasonOutcome outcome = gate.reason(input.argument, current());
                if (!outcome.override_input) return parcel.apply(std::move(outcome.told));
                return parcel.override_with(*outcome.override_input);
            }
            case ScanKind::PackerBadge:
                return sign_in(input.argument);
            case ScanKind::Code:
            case ScanKind::Empty:
                return parcel.code(input);
        }
    }

    void sign_in(const std::string& packer) {
        if (packer.empty()) return;
        config.packer = packer;
        session.sign_in(clock.now_ms());
        parcel.append_event("packer.login", "", {{"packer", packer}});
        parcel.report(VerdictKind::Info, verdict::packer_login, "Hello " + packer + ".");
    }

    void on_device_status(const hardware::DeviceStatusEvent& event) {
        const DeviceBoard::Change change = device_board.record(event);
        if (!change.changed) return;
        parcel.append_event("device.health", current_order(),
                            {{"device", event.device},
                             {"kind", hardware::to_string(event.kind)},
                             {"health", hardware::to_string(event.health)},
                             {"detail", event.detail}});
        parcel.device_changed(change, {{"device", event.device},
                                       {"kind", std::string(hardware::to_string(event.kind))},
                                       {"health", std::string(hardware::to_string(event.health))}});
    }

    void on_tick(std::int64_t now) {
        retention.tick(now);
        parcel.steps().replenish();
        parcel.apply(gate.tick(now));
        if (session.idle_due(now)) lock_idle();
        parcel.timeouts(now);
    }

    void lock_idle() {
        session.lock_idle();
        const std::string minutes = std::to_string(session.idle_lock_minutes());
        const bool active = current() && !flow::is_terminal(current()->state);
        parcel.append_event("packer.logout", active ? current()->order_id : "",
                            {{"packer", config.packer}, {"reason", "idle"}});
        parcel.report(
            VerdictKind::Info, verdict::station_locked,
            "Locked after " + minutes + " min without activity — scan your packer badge to go on.",
            {{"minutes", minutes}});
    }

    // ---- from the hub ----------------------------------------------------

    Status pause(const RemoteRequest& request) {
        const PackerSession::Pause pause{request.issued_by, request.reason};
        if (auto saved = save_pause(store, pause); !saved.ok()) return saved;
        session.pause(pause);
        parcel.append_event("station.paused", current_order(),
                            {{"by", request.issued_by}, {"reason", request.reason}});
        parcel.report(VerdictKind::Info, verdict::station_paused,
                      "Station paused by " + request.issued_by +
                          (request.reason.empty() ? std::string() : " (" + request.reason + ")") +
                          ". Stop packing until it is resumed.");
        return {};
    }

    Status resume(const RemoteRequest& request) {
        if (auto cleared = clear_pause(store); !cleared.ok()) return cleared;
        const bool was_paused = session.paused().has_value();
        session.resume();
        parcel.append_event("station.resumed", current_order(),
                            {{"by", request.issued_by}, {"reason", request.reason}});
        const bool active = current() && !flow::is_terminal(current()->state);
        if (was_paused)
            parcel.report(VerdictKind::Info, verdict::station_resumed,
                          "Station resumed by " + request.issued_by + ". " +
                              (active ? flow::resume_hint(*current()) : "Scan an order."));
        return {};
    }

    void show_message(const RemoteRequest& request) {
        parcel.append_event("station.message", current_order(),
                            {{"by", request.issued_by}, {"text", request.text}});
        parcel.report(VerdictKind::Info, verdict::station_message,
                      request.issued_by + ": " + request.text, {{"from", request.issued_by}});
    }

    Status remote_reprint(const RemoteRequest& request) {
        if (auto refused = flow::remote_reprint_refusal(current(), request.order_id))
            return *refused;
        gate.remote_reprint(request.issued_by, request.reason, clock.now_ms());
        parcel.reprint();
        return {};
    }

    PackerView packer_view() const {
        PackerView view;
        view.station = make_snapshot(session, config.packer, current(), device_board);
        if (session.locked()) view.lock_reason = session.lock_reason();
        if (const auto& supervisor = gate.pending())
            view.supervisor = PendingSupervisorView{supervisor->name, supervisor->for_reprint,
                                                    gate.expires_at_ms()};
        if (current()) describe_parcel(view, parcel.context(), *current());
        return view;
    }

    Status restore() {
        if (auto opened = parcel.steps().sequence(); !opened.ok())
            return opened.error().context("restore");
        auto pause = load_pause(store);
        if (!pause.ok()) return pause.error().context("restore");
        if (pause.value()) session.pause(*pause.value());
        return parcel.restore();
    }
};

PackingStation::PackingStation(Store& store, StationConfig config, StationDevices devices,
                               const Clock& clock, IdSource& ids)
    : impl_(std::make_unique<Impl>(store, std::move(config), devices, clock, ids)) {}

PackingStation::~PackingStation() = default;

const Clock& PackingStation::clock() const {
    return impl_->clock;
}

Status PackingStation::restore() {
    return impl_->restore();
}

void PackingStation::handle(const hardware::DeviceEvent& event) {
    std::visit(
        [&](const auto& typed) {
            using T = std::decay_t<decltype(typed)>;
            if constexpr (std::is_same_v<T, hardware::ScanEvent>) {
                impl_->on_scan(typed);
            } else if constexpr (std::is_same_v<T, hardware::WeightReading>) {
                impl_->parcel.weight(typed);
                impl_->feedback.weight(typed);
            } else if constexpr (std::is_same_v<T, hardware::PrintJobUpdate>) {
                impl_->parcel.print_update(typed);
            } else {
                impl_->on_device_status(typed);
                impl_->feedback.device(typed);
            }
        },
        event);
}

void PackingStation::tick(std::int64_t now_ms) {
    impl_->on_tick(now_ms);
}

ObserverSubscription PackingStation::add_observer(StationObserver& observer) {
    return impl_->feedback.subscribe(observer);
}

const std::optional<Parcel>& PackingStation::parcel() const {
    return impl_->current();
}

const StationConfig& PackingStation::config() const {
    return impl_->config;
}

void PackingStation::order_changed(const std::string& order_id) {
    impl_->parcel.order_changed(order_id);
}

Status PackingStation::pause(const RemoteRequest& request) {
    return impl_->pause(request);
}

Status PackingStation::resume(const RemoteRequest& request) {
    return impl_->resume(request);
}

void PackingStation::show_message(const RemoteRequest& request) {
    impl_->show_message(request);
}

Status PackingStation::remote_reprint(const RemoteRequest& request) {
    return impl_->remote_reprint(request);
}

StationSnapshot PackingStation::snapshot() const {
    return make_snapshot(impl_->session, impl_->config.packer, impl_->current(),
                         impl_->device_board);
}

PackerView PackingStation::packer_view() const {
    return impl_->packer_view();
}

Result<MessageSequence*> PackingStation::message_sequence() {
    return impl_->parcel.steps().sequence();
}

}  // namespace packline::station
