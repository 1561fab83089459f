#include "packline/station/packing_station.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "evidence.h"
#include "packline/labels/label_code.h"
#include "packline/labels/render.h"
#include "packline/labels/template.h"
#include "packline/station/barcode.h"
#include "packline/station/checks.h"
#include "packline/station/label_data.h"
#include "packline/station/message_sequence.h"
#include "packline/station/messages.h"
#include "packline/station/packer_view.h"
#include "packline/station/store.h"
#include "packline/station/tracking.h"
#include "reprint_audit.h"

namespace packline::station {

std::string_view to_string(VerdictKind kind) {
    switch (kind) {
        case VerdictKind::Accepted:
            return "accepted";
        case VerdictKind::Info:
            return "info";
        case VerdictKind::Rejected:
            return "rejected";
        case VerdictKind::Exception:
            return "exception";
        case VerdictKind::Confirmed:
            return "confirmed";
    }
    return "unknown";
}

namespace {

using hardware::WeightReading;
using hardware::WeightStatus;
using SkuMap = std::map<std::string, Sku, std::less<>>;

bool is_terminal(ParcelState state) {
    return state == ParcelState::Confirmed || state == ParcelState::Abandoned;
}

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

nlohmann::json details_json(const std::vector<Detail>& details) {
    nlohmann::json object = nlohmann::json::object();
    for (const Detail& detail : details)
        object[detail.key] = detail.value;
    return object;
}

// Item-level contents reasons: the wrong thing was scanned; taking it out and
// scanning RETRY resolves them, there is nothing to override.
bool is_item_reason(std::string_view reason) {
    return reason == "contents.unknown_code" || reason == "contents.not_in_order" ||
           reason == "contents.wrong_variant" || reason == "contents.over_quantity" ||
           reason == "contents.serial_required" || reason == "contents.serial_repeated" ||
           reason == "customer.waybill_mismatch";
}

}  // namespace

bool is_overridable(std::string_view reason) {
    return !(is_item_reason(reason) || reason == reason::tracking_invalid ||
             reason == reason::tracking_reused || reason == reason::tracking_missing ||
             reason == reason::carrier_unknown || reason == reason::wrong_carrier ||
             reason == reason::label_outdated || starts_with(reason, "express.print_"));
}

struct PackingStation::Impl {
    Store& store;
    const Clock& clock;  // every time the station stamps or compares
    StationConfig config;
    std::optional<labels::LabelTemplate> label_template;  // loaded at the first label
    StationDevices devices;
    // Shared with the subscriptions, which may outlive the station.
    std::shared_ptr<std::vector<StationObserver*>> observers =
        std::make_shared<std::vector<StationObserver*>>();

    std::optional<Parcel> parcel;
    // Derived from the store for the active parcel; rebuilt by load_order().
    std::optional<Order> order;
    SkuMap skus;
    std::vector<OrderLine> open_lines;  // what this parcel may still hold

    std::int64_t state_since_ms = 0;
    std::optional<WeightReading> weighing_reading;  // last reading seen while weighing

    struct PendingSupervisor {
        std::string badge;
        std::string name;
        std::int64_t at_ms = 0;
        // Scanned while waiting for the scan-back: for a reprint, not an override.
        bool for_reprint = false;
        std::string reason;  // the reprint's reason, when one was scanned
    };
    std::optional<PendingSupervisor> supervisor;

    // Device health by device id, as the devices last reported it. A kind no
    // device has reported on is assumed usable (simulated benches, tests).
    struct DeviceState {
        hardware::DeviceKind kind = hardware::DeviceKind::Scanner;
        hardware::DeviceHealth health = hardware::DeviceHealth::Present;
        std::string detail;
    };
    std::map<std::string, DeviceState, std::less<>> device_states;
    // The label is due but the printer is away: printing waits for it.
    bool print_waiting = false;
    // The printer's final answer on the current job, when the store could
    // not save what it means (a failing disk). A printer reports a job once:
    // the answer is kept and applied again at the packer's next scan (or
    // when the print timeout comes), so the parcel does not wait for a
    // timeout and a second label once the disk works again.
    std::optional<hardware::PrintJobUpdate> unsaved_print;
    EvidenceRetention retention;
    std::unique_ptr<MessageSequence> sequence;  // opened by restore() or the first message
    std::int64_t packer_since_ms = 0;           // when the packer signed in; 0 = default packer
    // A pause ordered from the hub; persisted under kPauseKey.
    struct Pause {
        std::string by;
        std::string reason;
    };
    std::optional<Pause> paused;
    static constexpr std::string_view kPauseKey = "station.paused";
    // Sign-in and the idle lock ([packers]): while locked only a packer
    // badge is accepted.
    bool locked = false;
    std::string lock_reason;  // "sign_in" or "idle"
    std::int64_t last_activity_ms = 0;
    bool scan_manual = false;  // the scan being handled was typed on the screen

    Impl(Store& store_, StationConfig config_, StationDevices devices_, const Clock& clock_)
        : store(store_),
          clock(clock_),
          config(std::move(config_)),
          devices(devices_),
          retention(store_, config.evidence, config.station_id) {
        locked = config.packers.sign_in_required;
        if (locked) lock_reason = "sign_in";
        last_activity_ms = clock.now_ms();
    }

    // ---- reporting ------------------------------------------------------

    void report(VerdictKind kind, std::string code, std::string message,
                std::vector<Detail> details = {}) {
        Verdict verdict;
        verdict.kind = kind;
        verdict.code = std::move(code);
        verdict.message = std::move(message);
        verdict.details = std::move(details);
        verdict.parcel = parcel;
        verdict.at_ms = clock.now_ms();
        if (devices.indicator != nullptr) {
            switch (kind) {
                case VerdictKind::Accepted:
                    devices.indicator->show(hardware::Signal::Working);
                    break;
                case VerdictKind::Confirmed:
                    devices.indicator->show(hardware::Signal::Ok);
                    break;
                case VerdictKind::Info:
                    devices.indicator->show(hardware::Signal::Attention);
                    break;
                case VerdictKind::Rejected:
                case VerdictKind::Exception:
                    devices.indicator->show(hardware::Signal::Error);
                    break;
            }
        }
        notify([&](StationObserver& observer) { observer.on_verdict(verdict); });
    }

    // By index: an observer that ends a subscription while it is told
    // something shortens the list, and no one is called after leaving it.
    template <typename Tell>
    void notify(const Tell& tell) {
        for (std::size_t index = 0; index < observers->size(); ++index)
            tell(*(*observers)[index]);
    }

    EventRecord make_event(std::string type, const Parcel& subject, nlohmann::json payload) {
        EventRecord event;
        event.event_id = new_event_id();
        event.at_ms = clock.now_ms();
        event.station = config.station_id;
        event.type = std::move(type);
        event.order_id = subject.order_id;
        event.parcel_id = subject.id;
        payload["state"] = to_string(subject.state);
        event.payload = json_text(payload);
        return event;
    }

    MessageSequence* message_sequence() {
        if (!sequence) {
            auto opened = MessageSequence::open(store);
            if (!opened.ok()) return nullptr;
            sequence = std::move(opened.value());
        }
        return sequence.get();
    }

    std::int64_t next_sequence() {
        MessageSequence* source = message_sequence();
        return source != nullptr ? source->next(&store) : 0;
    }

    // The station event the hub hears for this step, if any: packing started,
    // a check failed, a supervisor override, a parcel abandoned
    // (docs/mqtt/README.md).
    std::optional<StationEventFields> station_event_for(const std::string& type, const Parcel& next,
                                                        const nlohmann::json& payload) const {
        StationEventFields fields;
        fields.order_id = next.order_id;
        fields.packer = next.packer;
        auto text = [&](const char* member) {
            const auto found = payload.find(member);
            return found != payload.end() && found->is_string() ? found->get<std::string>()
                                                                : std::string();
        };
        if (type == event_type::parcel_started) {
            fields.kind = "packing_started";
        } else if (type == event_type::parcel_exception) {
            fields.kind = "exception";
            fields.check = text("check");
            fields.reason = text("reason");
            fields.message = text("message");
            if (next.exception) fields.details = next.exception->details;
        } else if (type == "item.accepted" && payload.value("manual", false)) {
            fields.kind = "manual_entry";
            fields.message = "Typed by hand: " + text("code");
            fields.details = {{"code", text("code")}, {"step", "item"}, {"sku", text("sku")}};
        } else if (type == event_type::parcel_override) {
            fields.kind = "override";
            fields.check = text("check");
            fields.reason = text("reason");
            fields.override_reason = text("override_reason");
            fields.supervisor = text("supervisor");
        } else if (type == event_type::parcel_abandoned) {
            // The hub counts abandoned parcels as the station does; the
            // exception it was given up in says why.
            fields.kind = "abandoned";
            if (next.exception) {
                fields.check = next.exception->check;
                fields.reason = next.exception->reason;
            }
        } else {
            return std::nullopt;
        }
        return fields;
    }

    // Commits `next` as the new parcel state. Memory follows the store, never
    // leads it: on failure the parcel stays as it was and the packer is told.
    bool commit(Parcel next, std::string event_type, nlohmann::json payload,
                std::optional<OutboxMessage> outbox = std::nullopt,
                std::optional<OrderStatus> order_status = std::nullopt,
                std::string pool_number = {}, bool confirm = false) {
        const bool state_changed = !parcel || parcel->state != next.state;
        next.updated_at_ms = clock.now_ms();
        Transition transition;
        if (!outbox) {
            if (auto fields = station_event_for(event_type, next, payload)) {
                // The parcel id is assigned inside the transaction for a new parcel.
                OutboxMessage message;
                message.event_id = new_event_id();
                message.topic = station_topic(config, "events");
                message.created_at_ms = next.updated_at_ms;
                transition.outbox_payload =
                    [this, fields = std::move(*fields), event_id = message.event_id,
                     at_ms = message.created_at_ms,
                     sequence_number = next_sequence()](std::int64_t parcel_id) mutable {
                        fields.parcel_id = parcel_id;
                        return station_event_json(config, event_id, at_ms, sequence_number, fields);
                    };
                outbox = std::move(message);
            }
        }
        transition.event = make_event(std::move(event_type), next, std::move(payload));
        transition.parcel = std::move(next);
        transition.outbox = std::move(outbox);
        transition.order_status = order_status;
        transition.take_pool_number = std::move(pool_number);
        transition.confirm = confirm;
        auto committed = store.commit(transition);
        if (!committed.ok()) {
            report(VerdictKind::Rejected, committed.error().code,
                   "Could not save this step, nothing was recorded: " + committed.error().message +
                       ". Scan again; call a supervisor if it repeats.");
            return false;
        }
        transition.parcel.id = committed.value();
        parcel = std::move(transition.parcel);
        if (state_changed) {
            state_since_ms = clock.now_ms();
            weighing_reading.reset();
        }
        return true;
    }

    // An event of the log outside any parcel transition (of the active
    // parcel, if there is one).
    EventRecord loose_event(std::string type, const std::string& order_id,
                            const nlohmann::json& payload) const {
        EventRecord event;
        event.event_id = new_event_id();
        event.at_ms = clock.now_ms();
        event.station = config.station_id;
        event.type = std::move(type);
        event.order_id = order_id;
        event.parcel_id = parcel && !is_terminal(parcel->state) ? parcel->id : 0;
        event.payload = json_text(payload);
        return event;
    }

    void append_event(std::string type, const std::string& order_id, nlohmann::json payload) {
        // Best effort: a log line, not state.
        (void)store.append_event(loose_event(std::move(type), order_id, payload));
    }

    // An order or waybill typed on the screen: logged, and told to the hub
    // (a manual_entry station event) so supervisors see it. Items typed by
    // hand are marked on the item itself, in the step's own transaction.
    void record_manual_entry(const std::string& step, const std::string& code) {
        const EventRecord event = loose_event("scan.manual", parcel ? parcel->order_id : "",
                                              {{"step", step}, {"code", code}});
        StationEventFields fields;
        fields.kind = "manual_entry";
        fields.order_id = event.order_id;
        fields.parcel_id = event.parcel_id;
        fields.packer = config.packer;
        fields.message = "Typed by hand: " + code;
        fields.details = {{"code", code}, {"step", step}};
        OutboxMessage outbox;
        outbox.event_id = new_event_id();
        outbox.topic = station_topic(config, "events");
        outbox.created_at_ms = event.at_ms;
        outbox.payload =
            station_event_json(config, outbox.event_id, event.at_ms, next_sequence(), fields);
        // Best effort: the step itself is committed already.
        (void)store.append_event(event, outbox);
    }

    // ---- order context --------------------------------------------------

    // Loads the order, its SKUs and what earlier parcels already shipped.
    Status load_order(const std::string& order_id, std::int64_t current_parcel_id) {
        auto found = store.find_order(order_id);
        if (!found.ok()) return found.error();
        if (!found.value())
            return Error("order.unknown", "order " + order_id + " is not in the store");
        order = *found.value();
        skus.clear();
        for (const OrderLine& line : order->lines) {
            auto sku = store.find_sku(line.sku);
            if (sku.ok() && sku.value()) skus.emplace(line.sku, *sku.value());
        }
        std::map<std::string, int, std::less<>> shipped;
        auto parcels = store.parcels_for_order(order_id);
        if (!parcels.ok()) return parcels.error();
        for (const Parcel& other : parcels.value()) {
            if (other.id == current_parcel_id || other.state != ParcelState::Confirmed) continue;
            for (const ScannedItem& item : other.items)
                ++shipped[item.sku];
        }
        open_lines.clear();
        for (const OrderLine& line : order->lines) {
            const int done = shipped[line.sku];
            shipped[line.sku] = std::max(0, done - line.quantity);
            const int left = line.quantity - std::min(done, line.quantity);
            if (left > 0) open_lines.push_back({line.sku, left});
        }
        return {};
    }

    ContentsView contents_view(const Parcel& subject) const {
        ContentsView view;
        view.order = order ? &*order : nullptr;
        view.scanned = &subject.items;
        view.skus = &skus;
        if (subject.closed_partial) {
            // A split parcel holds exactly what was scanned into it.
            std::map<std::string, int, std::less<>> counts;
            for (const ScannedItem& item : subject.items)
                ++counts[item.sku];
            for (const auto& [sku, count] : counts)
                view.open_lines.push_back({sku, count});
        } else {
            view.open_lines = open_lines;
        }
        return view;
    }

    double tare_g() const {
        std::string code =
            order && !order->packaging.empty() ? order->packaging : config.default_packaging;
        if (!code.empty()) {
            auto packaging = store.find_packaging(code);
            if (packaging.ok() && packaging.value()) return packaging.value()->tare_g;
        }
        return config.default_tare_g;
    }

    // ---- exceptions -----------------------------------------------------

    static CheckStatus& check_slot(Parcel& target, std::string_view check) {
        if (check == "customer") return target.customer;
        if (check == "contents") return target.contents;
        return target.express;
    }

    void raise(std::string check, const CheckResult& result, Parcel next) {
        check_slot(next, check) = CheckStatus::Failed;
        next.state = ParcelState::Exception;
        next.exception = ParcelException{check, result.reason, result.message, result.details};
        nlohmann::json payload{{"check", check},
                               {"reason", result.reason},
                               {"message", result.message},
                               {"details", details_json(result.details)}};
        if (!commit(std::move(next), "parcel.exception", std::move(payload))) return;
        report(VerdictKind::Exception, result.reason, result.message, result.details);
    }

    // ---- scans ----------------------------------------------------------

    void on_scan(const hardware::ScanEvent& event) {
        last_activity_ms = clock.now_ms();
        scan_manual = event.manual;
        struct ResetManual {
            bool& flag;
            ~ResetManual() { flag = false; }
        } reset_manual{scan_manual};
        ScanData scan = parse_scan(event.data);
        const std::string& payload = scan.payload;
        if (payload.empty()) {
            report(VerdictKind::Rejected, "scan.empty", "Empty scan — scan again.");
            return;
        }
        if (event.manual &&
            (starts_with(payload, kSupervisorPrefix) || starts_with(payload, kPackerPrefix))) {
            // A badge number typed in would let anyone who knows it sign in
            // or override.
            report(VerdictKind::Rejected, "scan.badge_typed",
                   "Badges must be scanned, not typed — scan the badge.");
            return;
        }
        if (paused) {
            report(VerdictKind::Rejected, "station.paused",
                   "Station paused by " + paused->by +
                       (paused->reason.empty() ? std::string() : " (" + paused->reason + ")") +
                       ". Wait until a supervisor resumes it.");
            return;
        }
        if (locked && !starts_with(payload, kPackerPrefix)) {
            report(VerdictKind::Rejected, "station.locked",
                   lock_reason == "idle" ? "Locked after a pause — scan your packer badge to go on."
                                         : "Nobody is signed in — scan your packer badge first.");
            return;
        }
        if (starts_with(payload, kCommandPrefix))
            return on_command(payload.substr(kCommandPrefix.size()));
        if (starts_with(payload, kSupervisorPrefix))
            return on_supervisor(payload.substr(kSupervisorPrefix.size()));
        if (starts_with(payload, kReasonPrefix))
            return on_reason(payload.substr(kReasonPrefix.size()));
        if (starts_with(payload, kPackerPrefix))
            return on_packer(payload.substr(kPackerPrefix.size()));

        if (parcel && parcel->state == ParcelState::Confirmed && is_label_of(*parcel, scan)) {
            // The scanner and the camera both read the label: the first read
            // confirmed the parcel, the second is the same label, not a new
            // parcel of a packed order.
            report(VerdictKind::Info, "label.already_confirmed",
                   "This label was scanned back already — parcel " + parcel->order_id +
                       " is confirmed.");
            return;
        }
        if (!parcel || is_terminal(parcel->state)) return start_parcel(scan);
        switch (parcel->state) {
            case ParcelState::Scanning:
            case ParcelState::Weighing:
                return on_item_or_label(scan);
            case ParcelState::Printing:
                if (unsaved_print && unsaved_print->job_id == parcel->label_job_id) {
                    on_print(hardware::PrintJobUpdate(*unsaved_print));
                    // Saved now: the scan that brought it may be the label itself.
                    if (parcel->state == ParcelState::AwaitingScanBack && !scan_manual &&
                        is_label_of(*parcel, scan))
                        on_scan_back(scan);
                    return;
                }
                report(VerdictKind::Info, "label.printing",
                       "The label is printing — wait for it, then scan it.");
                return;
            case ParcelState::AwaitingScanBack:
                if (scan_manual) {
                    // The express check proves the printed label reads back;
                    // a typed number proves nothing.
                    report(VerdictKind::Rejected, "scan.manual_not_allowed",
                           "The label must be scanned, not typed — if it will not read, "
                           "press REPRINT.");
                    return;
                }
                return on_scan_back(scan);
            case ParcelState::Exception:
                report(VerdictKind::Info, "parcel.in_exception",
                       "Parcel is in exception: " +
                           parcel->exception.value_or(ParcelException{}).message +
                           " Fix it and scan RETRY, or call a supervisor.");
                return;
            case ParcelState::Confirmed:
            case ParcelState::Abandoned:
                return;
        }
    }

    static bool is_label_of(const Parcel& confirmed, const ScanData& scan) {
        if (confirmed.tracking_number.empty()) return false;
        if (auto code = labels::parse_label_code(scan.payload))
            return code->order_id == confirmed.order_id &&
                   code->tracking_number == confirmed.tracking_number;
        return normalize_tracking_number(scan.payload) == confirmed.tracking_number;
    }

    struct OrderMatch {
        std::optional<Order> order;
        std::string waybill;  // set when found through a pre-printed waybill or our label
    };

    Result<OrderMatch> find_order_for_scan(const ScanData& scan) {
        OrderMatch match;
        if (auto code = labels::parse_label_code(scan.payload)) {
            auto found = store.find_order(code->order_id);
            if (!found.ok()) return found.error();
            match.order = found.value();
            match.waybill = code->tracking_number;
            return match;
        }
        auto found = store.find_order(scan.payload);
        if (!found.ok()) return found.error();
        if (found.value()) {
            match.order = found.value();
            return match;
        }
        const std::string tracking = normalize_tracking_number(scan.payload);
        if (tracking.empty()) return match;
        auto by_tracking = store.find_order_by_tracking(tracking);
        if (!by_tracking.ok()) return by_tracking.error();
        match.order = by_tracking.value();
        if (match.order) match.waybill = tracking;
        return match;
    }

    void start_parcel(const ScanData& scan) {
        auto match = find_order_for_scan(scan);
        if (!match.ok()) {
            report(VerdictKind::Rejected, match.error().code,
                   "Could not look up the order: " + match.error().message);
            return;
        }
        if (!match.value().order) {
            append_event("scan.rejected", "",
                         {{"reason", "order.unknown"}, {"data", scan.payload}});
            report(VerdictKind::Rejected, "order.unknown",
                   "No order '" + scan.payload + "' — scan the order barcode on the pick list.",
                   {{"scanned", scan.payload}});
            return;
        }
        const Order& found = *match.value().order;
        auto previous = store.parcels_for_order(found.id);
        if (!previous.ok()) {
            report(VerdictKind::Rejected, previous.error().code, previous.error().message);
            return;
        }
        if (auto loaded = load_order(found.id, 0); !loaded.ok()) {
            report(VerdictKind::Rejected, loaded.error().code, loaded.error().message);
            return;
        }
        supervisor.reset();

        Parcel next;
        next.order_id = found.id;
        // Parcel numbers count what shipped: a refused or abandoned attempt
        // does not make the next parcel "2 of n".
        next.sequence =
            1 + static_cast<int>(std::count_if(
                    previous.value().begin(), previous.value().end(),
                    [](const Parcel& other) { return other.state == ParcelState::Confirmed; }));
        next.station = config.station_id;
        next.packer = config.packer;
        next.state = ParcelState::Scanning;
        next.carrier = found.carrier;
        next.packaging = found.packaging.empty() ? config.default_packaging : found.packaging;
        next.created_at_ms = clock.now_ms();
        next.tracking_number = match.value().waybill;

        CheckResult status = check_order_status(found);
        if (status.passed && open_lines.empty())
            status = CheckResult::fail("customer.order_already_packed",
                                       "Order " + found.id + " is already packed — put it aside.",
                                       {{"order", found.id}});
        if (!status.passed) {
            // Refused at the first scan: recorded, and nothing stays open.
            next.customer = CheckStatus::Failed;
            next.state = ParcelState::Abandoned;
            next.exception =
                ParcelException{"customer", status.reason, status.message, status.details};
            nlohmann::json payload{{"check", "customer"},
                                   {"reason", status.reason},
                                   {"message", status.message},
                                   {"refused", true},
                                   {"details", details_json(status.details)}};
            if (!commit(std::move(next), "parcel.exception", std::move(payload))) return;
            report(VerdictKind::Exception, status.reason, status.message, status.details);
            return;
        }
        CheckResult customer = CheckResult::pass();
        if (!next.tracking_number.empty()) {
            // Found through a waybill: it must be the one assigned to this order.
            const std::string& assigned =
                found.tracking_number.empty() ? next.tracking_number : found.tracking_number;
            customer = check_waybill(found, assigned, next.tracking_number);
        }
        if (customer.passed) customer = check_recipient(found.recipient);
        if (customer.passed) next.customer = CheckStatus::Passed;
        // The parcel is on record from its first scan, so an exception that
        // follows is too.
        const int parcel_sequence = next.sequence;
        if (!commit(std::move(next), "parcel.started", {{"sequence", parcel_sequence}})) return;
        if (!customer.passed) return raise("customer", customer, *parcel);
        if (scan_manual) record_manual_entry("order", scan.payload);
        report(VerdictKind::Accepted, "parcel.started",
               "Order " + found.id + " (" + found.recipient.name + "): scan the items.");
    }

    void on_item_or_label(const ScanData& scan) {
        // Our own label or a waybill scanned during packing: it must belong here.
        const std::string tracking = normalize_tracking_number(scan.payload);
        auto label = labels::parse_label_code(scan.payload);
        if (label || (!tracking.empty() && is_tracking_of_some_order(tracking))) {
            const std::string seen = label ? label->tracking_number : tracking;
            const std::string expected =
                !parcel->tracking_number.empty() ? parcel->tracking_number : order->tracking_number;
            CheckResult waybill = check_waybill(*order, expected, seen);
            if (label && label->order_id != order->id)
                waybill = CheckResult::fail(
                    "customer.waybill_mismatch",
                    "This label is for order " + label->order_id + ", not " + order->id + ".",
                    {{"expected_order", order->id}, {"seen_order", label->order_id}});
            if (!waybill.passed) return raise("customer", waybill, *parcel);
            if (scan_manual) record_manual_entry("waybill", scan.payload);
            report(VerdictKind::Info, "customer.waybill_ok", "Waybill matches this order.");
            return;
        }
        on_item(scan);
    }

    bool is_tracking_of_some_order(const std::string& tracking) {
        auto found = store.find_order_by_tracking(tracking);
        return found.ok() && found.value().has_value();
    }

    void on_item(const ScanData& scan) {
        auto product = parse_product_scan(scan);
        if (!product.ok()) {
            append_event("scan.rejected", parcel->order_id,
                         {{"reason", product.error().code}, {"message", product.error().message}});
            report(VerdictKind::Rejected, product.error().code,
                   "Could not read that barcode (" + product.error().message + ") — scan again.");
            return;
        }
        std::optional<Sku> sku;
        auto by_code = store.find_sku_by_barcode(product.value().code);
        if (by_code.ok() && by_code.value()) sku = by_code.value();
        if (!sku) {
            auto by_id = store.find_sku(product.value().code);
            if (by_id.ok() && by_id.value()) sku = by_id.value();
        }
        ItemScan item{sku ? &*sku : nullptr, product.value().code, product.value().serial,
                      product.value().lot};
        bool serial_elsewhere = false;
        if (sku && !item.serial.empty()) {
            auto used = store.serial_used(sku->sku, item.serial, parcel->id);
            serial_elsewhere = used.ok() && used.value();
        }
        const ContentsView view = contents_view(*parcel);
        CheckResult result = check_item(view, item, serial_elsewhere);
        if (!result.passed) {
            Parcel next = *parcel;
            nlohmann::json payload{{"reason", result.reason}, {"code", item.code}};
            if (!item.serial.empty()) payload["serial"] = item.serial;
            append_event("item.rejected", parcel->order_id, payload);
            return raise("contents", result, std::move(next));
        }
        Parcel next = *parcel;
        next.items.push_back(
            ScannedItem{sku->sku, item.code, item.serial, item.lot, clock.now_ms(), scan_manual});
        nlohmann::json payload{{"sku", sku->sku}, {"code", item.code}};
        if (scan_manual) payload["manual"] = true;
        if (!item.serial.empty()) payload["serial"] = item.serial;
        if (!item.lot.empty()) payload["lot"] = item.lot;

        const bool complete = lines_complete(contents_view(next));
        if (complete) {
            next.state = ParcelState::Weighing;
            next.expected_weight_g = expected_weight_g(next.items, skus, tare_g());
        }
        if (!commit(std::move(next), "item.accepted", std::move(payload))) return;
        if (complete)
            report(VerdictKind::Accepted, "contents.complete",
                   sku->name + " ✓ — all items scanned. Put the parcel on the scale.");
        else
            report(VerdictKind::Accepted, "item.accepted", sku->name + " ✓");
    }

    // ---- commands -------------------------------------------------------

    void on_command(const std::string& command) {
        if (!parcel || is_terminal(parcel->state)) {
            report(VerdictKind::Info, "station.idle", "No open parcel — scan an order first.");
            return;
        }
        if (command == "CLOSE") return close_parcel();
        if (command == "SPLIT") return split_parcel();
        if (command == "RETRY") return retry();
        if (command == "REPRINT") return reprint();
        if (command == "ABANDON") return abandon();
        report(VerdictKind::Rejected, "command.unknown", "Unknown command '" + command + "'.");
    }

    void close_parcel() {
        if (parcel->state != ParcelState::Scanning) {
            report(VerdictKind::Info, "command.ignored", "Nothing to close right now.");
            return;
        }
        CheckResult complete = check_lines_complete(contents_view(*parcel));
        if (!complete.passed) return raise("contents", complete, *parcel);
        begin_weighing(*parcel, "parcel.closed", {});
    }

    void split_parcel() {
        if (parcel->state != ParcelState::Scanning || parcel->items.empty()) {
            report(VerdictKind::Info, "command.ignored",
                   "Scan at least one item before closing a parcel of a split order.");
            return;
        }
        Parcel next = *parcel;
        next.closed_partial = true;
        begin_weighing(std::move(next), "parcel.split", {{"items", parcel->items.size()}});
    }

    void begin_weighing(Parcel next, const std::string& event_type, nlohmann::json payload) {
        next.state = ParcelState::Weighing;
        next.expected_weight_g = expected_weight_g(next.items, skus, tare_g());
        if (!commit(std::move(next), event_type, std::move(payload))) return;
        report(VerdictKind::Accepted, "contents.complete", "Put the parcel on the scale.");
    }

    void abandon() {
        Parcel next = *parcel;
        next.state = ParcelState::Abandoned;
        if (!commit(std::move(next), "parcel.abandoned", {})) return;
        report(VerdictKind::Info, "parcel.abandoned",
               "Parcel abandoned; nothing ships. Put the goods back.");
    }

    // RETRY: the packer fixed the cause; go back to the step that failed.
    void retry() {
        if (parcel->state != ParcelState::Exception || !parcel->exception) {
            report(VerdictKind::Info, "command.ignored", "Nothing to retry.");
            return;
        }
        const ParcelException failed = *parcel->exception;
        Parcel next = *parcel;
        next.exception.reset();
        nlohmann::json payload{{"reason", failed.reason}};
        if (failed.check == "customer" && !is_item_reason(failed.reason)) {
            // The order may have been corrected centrally since.
            if (auto loaded = load_order(next.order_id, next.id); !loaded.ok()) {
                report(VerdictKind::Rejected, loaded.error().code, loaded.error().message);
                return;
            }
            CheckResult again = check_customer(*order);
            if (!again.passed) return raise("customer", again, std::move(next));
            next.customer = CheckStatus::Passed;
            next.state = ParcelState::Scanning;
        } else if (failed.check == "contents" || is_item_reason(failed.reason)) {
            if (failed.check == "contents") next.contents = CheckStatus::Pending;
            if (failed.check == "customer") {
                // A foreign waybill was taken off; the recipient still has to pass.
                CheckResult again = check_customer(*order);
                if (!again.passed) return raise("customer", again, std::move(next));
                next.customer = CheckStatus::Passed;
            }
            const bool weighing = starts_with(failed.reason, "weight.") ||
                                  (failed.reason != "contents.missing_item" &&
                                   (next.closed_partial || lines_complete(contents_view(next))));
            next.state = weighing ? ParcelState::Weighing : ParcelState::Scanning;
        } else if (starts_with(failed.reason, "express.label_")) {
            next.express = CheckStatus::Pending;
            next.state = ParcelState::AwaitingScanBack;
        } else {
            next.express = CheckStatus::Pending;
            if (!commit(std::move(next), "parcel.retry", std::move(payload))) return;
            return run_express();
        }
        if (!commit(std::move(next), "parcel.retry", std::move(payload))) return;
        report(VerdictKind::Accepted, "parcel.retry", resume_hint());
    }

    std::string resume_hint() const {
        switch (parcel->state) {
            case ParcelState::Scanning:
                return "Go on scanning the items.";
            case ParcelState::Weighing:
                return "Put the parcel on the scale.";
            case ParcelState::AwaitingScanBack:
                return "Scan the label on the parcel.";
            default:
                return "Go on.";
        }
    }

    void reprint() {
        if (parcel->state != ParcelState::AwaitingScanBack &&
            !(parcel->state == ParcelState::Exception && parcel->exception &&
              starts_with(parcel->exception->reason, "express."))) {
            report(VerdictKind::Info, "command.ignored", "No label to reprint yet.");
            return;
        }
        if (parcel->tracking_number.empty()) {
            supervisor.reset();
            return run_express();  // no label yet: this prints the first one
        }
        ReprintRequest request{"packer", config.packer, {}, {}, {}};
        if (supervisor)
            request = {"supervisor", config.packer, supervisor->badge, supervisor->name,
                       supervisor->reason};
        // Audited before anything prints: a reprint that cannot be recorded
        // does not happen.
        auto audited = store.append_event(
            reprint_audit_event(request, *parcel, config.station_id, clock.now_ms()));
        if (!audited.ok()) {
            report(VerdictKind::Rejected, audited.error().code,
                   "Could not record the reprint, nothing was printed: " + audited.error().message +
                       ". Scan again; call a supervisor if it repeats.");
            return;
        }
        supervisor.reset();
        print_label(*parcel, "", "label.reprint");
    }

    void on_packer(const std::string& packer) {
        if (packer.empty()) return;
        config.packer = packer;
        packer_since_ms = clock.now_ms();
        locked = false;
        lock_reason.clear();
        append_event("packer.login", "", {{"packer", packer}});
        report(VerdictKind::Info, "packer.login", "Hello " + packer + ".");
    }

    // ---- supervisor override ---------------------------------------------

    void on_supervisor(const std::string& badge) {
        auto known = config.supervisors.find(badge);
        if (known == config.supervisors.end()) {
            append_event("override.refused", parcel ? parcel->order_id : "", {{"badge", badge}});
            report(VerdictKind::Rejected, "override.unknown_badge",
                   "Badge not recognised as a supervisor.");
            return;
        }
        std::string reasons;
        for (const OverrideReason& reason : config.override_reasons)
            reasons += (reasons.empty() ? "" : ", ") + reason.code;
        if (parcel && parcel->state == ParcelState::AwaitingScanBack) {
            // Nothing to override, but the supervisor may reprint the label.
            supervisor = PendingSupervisor{badge, known->second, clock.now_ms(), true, {}};
            report(VerdictKind::Info, "reprint.supervisor",
                   known->second + ": scan REPRINT, or a reason (" + reasons + ") then REPRINT.");
            return;
        }
        if (!parcel || parcel->state != ParcelState::Exception) {
            report(VerdictKind::Info, "override.nothing", "Nothing to override.");
            return;
        }
        supervisor = PendingSupervisor{badge, known->second, clock.now_ms(), false, {}};
        report(VerdictKind::Info, "override.choose_reason",
               known->second + ": scan an override reason (" + reasons + ").");
    }

    void on_reason(const std::string& code) {
        if (!supervisor) {
            report(VerdictKind::Rejected, "override.no_supervisor",
                   "Scan a supervisor badge first.");
            return;
        }
        auto reason =
            std::find_if(config.override_reasons.begin(), config.override_reasons.end(),
                         [&](const OverrideReason& candidate) { return candidate.code == code; });
        if (reason == config.override_reasons.end()) {
            report(VerdictKind::Rejected, "override.unknown_reason",
                   "Unknown override reason '" + code + "'.");
            return;
        }
        if (supervisor->for_reprint) {
            if (parcel && parcel->state == ParcelState::AwaitingScanBack) {
                supervisor->reason = reason->code;
                report(VerdictKind::Info, "reprint.reason", reason->label + ": scan REPRINT.");
                return;
            }
            // The parcel moved on (e.g. a wrong label raised an exception): a
            // reason meant for a reprint must not become an override.
            supervisor.reset();
            report(VerdictKind::Rejected, "override.no_supervisor",
                   "The badge was scanned for a reprint; scan it again to override.");
            return;
        }
        if (!parcel || parcel->state != ParcelState::Exception || !parcel->exception) {
            supervisor.reset();
            report(VerdictKind::Info, "override.nothing", "Nothing to override.");
            return;
        }
        const ParcelException failed = *parcel->exception;
        if (!is_overridable(failed.reason)) {
            supervisor.reset();
            report(VerdictKind::Rejected, "override.not_allowed",
                   "This exception cannot be overridden (" + failed.reason +
                       "): fix the cause and scan RETRY, or ABANDON.");
            return;
        }
        Parcel next = *parcel;
        check_slot(next, failed.check) = CheckStatus::Overridden;
        next.exception.reset();
        nlohmann::json payload{{"check", failed.check},
                               {"reason", failed.reason},
                               {"override_reason", reason->code},
                               {"supervisor", supervisor->badge},
                               {"supervisor_name", supervisor->name}};
        supervisor.reset();
        bool go_express = false;
        bool confirm_now = false;
        if (failed.check == "customer") {
            next.state = ParcelState::Scanning;
        } else if (failed.reason == "contents.missing_item") {
            next.closed_partial = true;
            next.contents = CheckStatus::Pending;
            next.state = ParcelState::Weighing;
            next.expected_weight_g = expected_weight_g(next.items, skus, tare_g());
        } else if (failed.check == "contents") {
            go_express = true;  // weight overridden
        } else {
            confirm_now = true;  // scan-back overridden: label verified by eye
        }
        if (!commit(std::move(next), "parcel.override", std::move(payload))) return;
        report(VerdictKind::Accepted, "parcel.override",
               "Override recorded (" + reason->label + ").");
        if (go_express) run_express();
        if (confirm_now) confirm();
    }

    // ---- weight ---------------------------------------------------------

    void on_weight(const WeightReading& reading) {
        if (!parcel || parcel->state != ParcelState::Weighing) return;
        weighing_reading = reading;
        // Nothing on the scale yet, or still settling: keep waiting (the
        // timeout turns a scale that never settles into weight.unstable).
        if (reading.status == WeightStatus::AtZero || reading.status == WeightStatus::InMotion)
            return;
        if (reading.status == WeightStatus::Stable && reading.grams <= 0.0) return;
        const double tolerance =
            weight_tolerance_g(parcel->expected_weight_g, config.tolerance, parcel->items, skus);
        CheckResult result = check_weight(parcel->expected_weight_g, tolerance, reading);
        Parcel next = *parcel;
        if (!result.passed) {
            next.weight_g = reading.grams;
            return raise("contents", result, std::move(next));
        }
        next.weight_g = reading.grams;
        next.contents = CheckStatus::Passed;
        nlohmann::json payload{{"weight_g", reading.grams},
                               {"expected_g", parcel->expected_weight_g},
                               {"tolerance_g", tolerance}};
        if (!commit(std::move(next), "weight.accepted", std::move(payload))) return;
        report(VerdictKind::Accepted, "weight.accepted", "Weight OK.");
        run_express();
    }

    // ---- express --------------------------------------------------------

    void run_express() {
        Parcel next = *parcel;
        std::string pool_number;
        // The order's own number goes on its first parcel; later parcels of a
        // split order take theirs from the pool.
        if (next.tracking_number.empty() && next.sequence == 1)
            next.tracking_number = order->tracking_number;
        if (next.tracking_number.empty() && !next.carrier.empty()) {
            auto pooled = store.next_pool_number(next.carrier);
            if (pooled.ok() && pooled.value()) {
                next.tracking_number = *pooled.value();
                pool_number = next.tracking_number;
            }
        }
        bool used = false;
        if (!next.tracking_number.empty()) {
            auto in_use = store.tracking_number_used(next.tracking_number, next.id);
            if (!in_use.ok()) {
                report(VerdictKind::Rejected, in_use.error().code, in_use.error().message);
                return;
            }
            used = in_use.value();
        }
        CheckResult tracking = check_tracking(next.tracking_number, next.carrier, used);
        if (!tracking.passed) {
            next.tracking_number.clear();
            return raise("express", tracking, std::move(next));
        }
        print_label(std::move(next), pool_number, "label.submitted");
    }

    Result<labels::RenderedLabel> render_parcel_label(const Parcel& next) {
        if (!label_template) {
            auto loaded = labels::load_template(config.label_template, config.label_template_dir);
            if (!loaded.ok()) return loaded.error();
            label_template = std::move(loaded.value());
        }
        const auto format = labels::parse_label_format(config.label_format);
        if (!format)
            return Error("label.unsupported_format", "unknown label format " + config.label_format);
        station::LabelParcel label_parcel;
        label_parcel.sequence = next.sequence;
        label_parcel.tracking_number = next.tracking_number;
        label_parcel.carrier = next.carrier;
        label_parcel.weight_g = next.weight_g.value_or(0.0);
        label_parcel.sscc = order->sscc;
        const LabelSender sender{config.sender_name, config.sender_address, config.station_id,
                                 label_date_today()};
        const labels::LabelData data = make_label_data(
            *order, label_parcel, sender, [this](const std::string& code) -> std::optional<Sku> {
                auto found = store.find_sku(code);
                return found.ok() ? found.value() : std::nullopt;
            });
        return labels::render_label(*label_template, data, *format);
    }

    void print_label(Parcel next, std::string pool_number, const std::string& event_type) {
        // A pool number is taken in the same commit as the label that carries
        // it. When no label left, the parcel must not keep the number: the
        // pool still offers it, and a parcel shipped on it would make every
        // later parcel of the carrier "reused". The retry takes one again.
        auto failed = [&](CheckResult result) {
            if (!pool_number.empty()) next.tracking_number.clear();
            return raise("express", std::move(result), std::move(next));
        };
        auto rendered = render_parcel_label(next);
        if (!rendered.ok())
            return failed(CheckResult::fail("express.print_failed",
                                            "Could not make the label: " + rendered.error().message,
                                            {{"error", rendered.error().code}}));
        if (devices.printer != nullptr && !usable(hardware::DeviceKind::LabelPrinter) &&
            event_type == "label.submitted" && next.state == ParcelState::Weighing) {
            // Weight passed and the label is due, but the printer is away:
            // the parcel waits here (state Weighing, contents passed) and
            // prints as soon as the printer is back.
            print_waiting = true;
            report(VerdictKind::Info, "device.paused",
                   "Printing waits: " + unusable_reason(hardware::DeviceKind::LabelPrinter) +
                       ". The label prints when the printer is back.",
                   {{"kind", "label-printer"}});
            return;
        }
        if (devices.printer == nullptr)
            return failed(
                CheckResult::fail("express.print_failed", "No label printer is connected."));
        auto job = devices.printer->submit(hardware::PrintJob{
            "order " + order->id + " parcel " + std::to_string(next.sequence),
            std::string(labels::content_type(rendered->format)), std::move(rendered->bytes)});
        if (!job.ok())
            return failed(CheckResult::fail("express.print_failed",
                                            "The printer refused the label: " + job.error().message,
                                            {{"error", job.error().code}}));
        next.label_job_id = job.value();
        ++next.label_attempts;
        next.state = ParcelState::Printing;
        next.exception.reset();
        nlohmann::json payload{{"job", next.label_job_id},
                               {"tracking_number", next.tracking_number},
                               {"attempt", next.label_attempts}};
        if (!commit(std::move(next), event_type, std::move(payload), std::nullopt, std::nullopt,
                    std::move(pool_number)))
            return;
        report(VerdictKind::Accepted, "label.submitted", "Printing the label…");
    }

    void on_print(const hardware::PrintJobUpdate& update) {
        if (!parcel || parcel->state != ParcelState::Printing ||
            update.job_id != parcel->label_job_id)
            return;
        if (update.state == hardware::PrintJobState::Queued ||
            update.state == hardware::PrintJobState::Printing)
            return;
        unsaved_print.reset();
        CheckResult printed = check_label_printed(update.state, update.detail);
        if (!printed.passed) {
            raise("express", printed, *parcel);
        } else {
            Parcel next = *parcel;
            next.state = ParcelState::AwaitingScanBack;
            if (commit(std::move(next), "label.printed", {{"job", update.job_id}}))
                report(VerdictKind::Accepted, "label.printed", "Stick the label on and scan it.");
        }
        // Still printing: the store refused the step (the packer was told).
        if (parcel->state == ParcelState::Printing) unsaved_print = update;
    }

    void on_scan_back(const ScanData& scan) {
        std::string decoded_order;
        std::string decoded_tracking;
        if (auto code = labels::parse_label_code(scan.payload)) {
            decoded_order = code->order_id;
            decoded_tracking = code->tracking_number;
        } else {
            decoded_tracking = normalize_tracking_number(scan.payload);
        }
        CheckResult result =
            check_scan_back(order->id, parcel->tracking_number, decoded_order, decoded_tracking);
        if (!result.passed) return raise("express", result, *parcel);
        confirm();
    }

    void confirm() {
        Parcel next = *parcel;
        if (next.express != CheckStatus::Overridden) next.express = CheckStatus::Passed;
        next.state = ParcelState::Confirmed;
        next.confirmed_at_ms = clock.now_ms();
        // The order is packed once every line is covered by confirmed parcels.
        std::map<std::string, int, std::less<>> remaining;
        for (const OrderLine& line : open_lines)
            remaining[line.sku] += line.quantity;
        for (const ScannedItem& item : next.items)
            --remaining[item.sku];
        const bool order_done = std::all_of(remaining.begin(), remaining.end(),
                                            [](const auto& entry) { return entry.second <= 0; });
        OutboxMessage outbox;
        outbox.event_id = new_event_id();
        outbox.topic = station_topic(config, "shipments");
        outbox.created_at_ms = next.confirmed_at_ms;
        // The parcel id is known already (the parcel row exists since its first scan).
        auto trail = store.events_for_parcel(next.id);
        if (!trail.ok()) {
            report(VerdictKind::Rejected, trail.error().code,
                   "Could not read the parcel's audit trail: " + trail.error().message);
            return;
        }
        // Taken before the commit, so that its hash is in the confirmation.
        const std::optional<Error> photo_failure = attach_photo(next);
        outbox.payload = shipment_confirmation_json(
            next, *order, config, outbox.event_id, overrides_in(trail.value()),
            count_reprints(trail.value()), next.confirmed_at_ms, next_sequence());
        nlohmann::json payload{{"tracking_number", next.tracking_number},
                               {"weight_g", next.weight_g.value_or(0.0)},
                               {"shipment_event_id", outbox.event_id}};
        if (next.photo) payload["photo_sha256"] = next.photo->sha256;
        if (photo_failure) payload["photo_failed"] = photo_failure->code;
        const std::optional<EvidencePhoto> photo = next.photo;
        if (!commit(std::move(next), "parcel.confirmed", std::move(payload), std::move(outbox),
                    order_done ? std::optional<OrderStatus>(OrderStatus::Packed) : std::nullopt, {},
                    true)) {
            if (photo) discard_evidence_photo(*photo);  // the next scan-back takes a new one
            return;
        }
        report(VerdictKind::Confirmed, "parcel.confirmed",
               "Parcel confirmed — " + parcel->tracking_number + ". Next order.");
    }

    // The overrides that go out with a confirmation come from the audit trail
    // in the store, so a restart between override and confirmation loses none.
    static std::vector<OverrideRecord> overrides_in(const std::vector<EventRecord>& events) {
        std::vector<OverrideRecord> records;
        for (const EventRecord& event : events) {
            if (event.type != "parcel.override") continue;
            const auto payload = nlohmann::json::parse(event.payload, nullptr, false);
            if (!payload.is_object()) continue;
            records.push_back({payload.value("check", ""), payload.value("reason", ""),
                               payload.value("override_reason", ""),
                               payload.value("supervisor", "")});
        }
        return records;
    }

    // The evidence photo of a parcel about to be confirmed. A failure never
    // holds the confirmation up: it is recorded, and the parcel is confirmed
    // without a photo.
    std::optional<Error> attach_photo(Parcel& next) {
        std::optional<std::string> camera_unusable;
        if (!usable(hardware::DeviceKind::Camera))
            camera_unusable = unusable_reason(hardware::DeviceKind::Camera);
        ConfirmationPhoto shot = photograph_parcel(devices.camera, camera_unusable, config.evidence,
                                                   next, next.confirmed_at_ms);
        next.photo = std::move(shot.photo);
        if (!shot.failure) return std::nullopt;
        const Error& failure = *shot.failure;
        append_event("evidence.photo_failed", next.order_id,
                     {{"reason", failure.code}, {"message", failure.message}});
        report(VerdictKind::Info, "evidence.photo_failed",
               "No evidence photo (" + failure.message + "); the parcel is confirmed without one.",
               {{"reason", failure.code}});
        return failure;
    }

    // ---- device health --------------------------------------------------

    // Whether a step that needs `kind` can go on. Scans come from scanners
    // and cameras alike.
    bool usable(hardware::DeviceKind kind) const {
        bool reported = false;
        for (const auto& [id, state] : device_states) {
            const bool counts = state.kind == kind || (kind == hardware::DeviceKind::Scanner &&
                                                       state.kind == hardware::DeviceKind::Camera);
            if (!counts) continue;
            if (state.kind == kind) reported = true;
            if (state.health == hardware::DeviceHealth::Present) return true;
        }
        return !reported;
    }

    bool has_kind(hardware::DeviceKind kind) const {
        return std::any_of(device_states.begin(), device_states.end(),
                           [&](const auto& entry) { return entry.second.kind == kind; });
    }

    std::string unusable_reason(hardware::DeviceKind kind) const {
        for (const auto& [id, state] : device_states)
            if (state.kind == kind && state.health != hardware::DeviceHealth::Present)
                return state.detail.empty() ? std::string(device_word(kind)) + " " +
                                                  std::string(hardware::to_string(state.health))
                                            : state.detail;
        return std::string(device_word(kind)) + " unavailable";
    }

    static std::string_view device_word(hardware::DeviceKind kind) {
        switch (kind) {
            case hardware::DeviceKind::Scanner:
                return "scanner";
            case hardware::DeviceKind::Scale:
                return "scale";
            case hardware::DeviceKind::LabelPrinter:
                return "printer";
            case hardware::DeviceKind::Camera:
                return "camera";
            case hardware::DeviceKind::Indicator:
                return "light";
        }
        return "device";
    }

    void on_device_status(const hardware::DeviceStatusEvent& event) {
        // A camera is also a scan source: losing it may stop scanning.
        const hardware::DeviceKind kind =
            event.kind == hardware::DeviceKind::Camera && has_kind(hardware::DeviceKind::Scanner)
                ? hardware::DeviceKind::Scanner
                : event.kind;
        const bool was_usable = usable(kind);
        auto found = device_states.find(event.device);
        const bool changed = found == device_states.end() || found->second.health != event.health ||
                             found->second.detail != event.detail;
        device_states[event.device] = {event.kind, event.health, event.detail};
        if (!changed) return;
        append_event("device.health", parcel ? parcel->order_id : "",
                     {{"device", event.device},
                      {"kind", hardware::to_string(event.kind)},
                      {"health", hardware::to_string(event.health)},
                      {"detail", event.detail}});
        const bool now_usable = usable(kind);
        std::vector<Detail> details{{"device", event.device},
                                    {"kind", std::string(hardware::to_string(event.kind))},
                                    {"health", std::string(hardware::to_string(event.health))}};
        if (was_usable && !now_usable) return on_device_lost(kind, std::move(details));
        if (!was_usable && now_usable) return on_device_back(kind, std::move(details));
    }

    void on_device_lost(hardware::DeviceKind kind, std::vector<Detail> details) {
        const std::string reason = unusable_reason(kind);
        const bool active = parcel && !is_terminal(parcel->state);
        std::string message;
        if (kind == hardware::DeviceKind::Scale && active &&
            parcel->state == ParcelState::Weighing) {
            weighing_reading.reset();
            message = "Weighing paused: " + reason +
                      ". The parcel waits; it carries on when the scale is back.";
        } else if (kind == hardware::DeviceKind::LabelPrinter && active &&
                   parcel->state == ParcelState::Printing) {
            message = "Printing paused: " + reason + ". The label waits for the printer.";
        } else if (kind == hardware::DeviceKind::Scanner) {
            message = "Scanning paused: " + reason + ". Plug the scanner back in.";
        } else {
            message = "Check the " + std::string(device_word(kind)) + ": " + reason + ".";
        }
        report(VerdictKind::Info, "device.paused", std::move(message), std::move(details));
    }

    void on_device_back(hardware::DeviceKind kind, std::vector<Detail> details) {
        const bool active = parcel && !is_terminal(parcel->state);
        const std::string word(device_word(kind));
        std::string message = "The " + word + " is back.";
        if (active && kind == hardware::DeviceKind::Scale &&
            parcel->state == ParcelState::Weighing && parcel->contents != CheckStatus::Passed) {
            state_since_ms = clock.now_ms();
            message += " Put the parcel on the scale.";
        } else if (active && kind == hardware::DeviceKind::LabelPrinter) {
            state_since_ms = clock.now_ms();
            if (print_waiting && parcel->state == ParcelState::Weighing &&
                parcel->contents == CheckStatus::Passed) {
                print_waiting = false;
                report(VerdictKind::Info, "device.resumed", message + " Printing the label.",
                       std::move(details));
                return run_express();
            }
            if (parcel->state == ParcelState::Exception && parcel->exception &&
                (parcel->exception->reason == "express.print_failed" ||
                 parcel->exception->reason == "express.print_pending")) {
                // The print failed because the printer went away; it is back,
                // so the parcel continues where it was.
                report(VerdictKind::Info, "device.resumed", message + " Printing the label again.",
                       std::move(details));
                return retry();
            }
        } else if (active && kind == hardware::DeviceKind::Scanner) {
            message += " " + resume_hint();
        }
        report(VerdictKind::Info, "device.resumed", std::move(message), std::move(details));
    }

    // ---- timeouts -------------------------------------------------------

    void on_tick(std::int64_t now) {
        retention.tick(now);
        if (sequence) (void)sequence->replenish(store);  // retried next tick on failure
        if (supervisor && now - supervisor->at_ms > config.supervisor_timeout_ms) {
            supervisor.reset();
            report(VerdictKind::Info, "override.timeout",
                   "The supervisor badge timed out — scan it again to go on.");
        }
        if (!locked && config.packers.idle_lock_ms > 0 &&
            now - last_activity_ms > config.packers.idle_lock_ms)
            lock_idle();
        if (!parcel) return;
        const std::int64_t waited = now - state_since_ms;
        if (parcel->state == ParcelState::Weighing && waited > config.weigh_timeout_ms &&
            weighing_reading && weighing_reading->status == WeightStatus::InMotion) {
            const double tolerance = weight_tolerance_g(parcel->expected_weight_g, config.tolerance,
                                                        parcel->items, skus);
            raise("contents", check_weight(parcel->expected_weight_g, tolerance, *weighing_reading),
                  *parcel);
        } else if (parcel->state == ParcelState::Printing && waited > config.print_timeout_ms &&
                   usable(hardware::DeviceKind::LabelPrinter)) {
            if (unsaved_print && unsaved_print->job_id == parcel->label_job_id)
                on_print(hardware::PrintJobUpdate(*unsaved_print));  // the printer did answer
            else
                raise("express",
                      check_label_printed(hardware::PrintJobState::Printing,
                                          "no answer from the printer"),
                      *parcel);
        } else {
            return;
        }
        // A timeout the store could not record (the packer was told) is
        // tried again after another wait, not at every tick.
        if (parcel->state == ParcelState::Weighing || parcel->state == ParcelState::Printing)
            state_since_ms = now;
    }

    void lock_idle() {
        locked = true;
        lock_reason = "idle";
        append_event("packer.logout", parcel && !is_terminal(parcel->state) ? parcel->order_id : "",
                     {{"packer", config.packer}, {"reason", "idle"}});
        report(VerdictKind::Info, "station.locked",
               "Locked after " + std::to_string(config.packers.idle_lock_ms / 60000) +
                   " min without activity — scan your packer badge to go on.",
               {{"minutes", std::to_string(config.packers.idle_lock_ms / 60000)}});
    }

    // ---- from the hub ----------------------------------------------------

    void order_changed(const std::string& order_id) {
        if (!parcel || is_terminal(parcel->state) || parcel->order_id != order_id) return;
        const std::optional<Order> before = order;
        if (auto loaded = load_order(order_id, parcel->id); !loaded.ok()) {
            report(VerdictKind::Rejected, loaded.error().code,
                   "The order changed centrally but could not be read: " + loaded.error().message);
            return;
        }
        const Order& now = *order;
        if (now.status == OrderStatus::Cancelled) {
            // Nothing of a cancelled order ships, wherever its parcel was.
            Parcel next = *parcel;
            const bool labelled = !next.label_job_id.empty() || next.label_attempts > 0;
            const std::string message = "STOP: order " + order_id +
                                        " was cancelled while you packed it. Take the items out" +
                                        (labelled ? " and destroy the label" : "") +
                                        "; nothing ships.";
            next.state = ParcelState::Abandoned;
            next.exception = ParcelException{"customer", "customer.order_cancelled", message, {}};
            if (!commit(std::move(next), "parcel.abandoned",
                        {{"reason", "customer.order_cancelled"}, {"remote", true}}))
                return;
            report(VerdictKind::Exception, "customer.order_cancelled", message,
                   {{"order", order_id}});
            return;
        }
        if (now.status == OrderStatus::OnHold) {
            if (parcel->exception && parcel->exception->reason == "customer.order_on_hold") return;
            return raise("customer",
                         CheckResult::fail("customer.order_on_hold",
                                           "Order " + order_id +
                                               " was put on hold while you packed it. Set the "
                                               "parcel aside; scan RETRY when it is released.",
                                           {{"order", order_id}}),
                         *parcel);
        }
        if (!before) return;
        const CheckResult label = check_label_recipient(order_id, before->recipient, now.recipient);
        if (label.passed) return;
        CheckResult recipient = check_recipient(now.recipient);
        if (!recipient.passed) return raise("customer", recipient, *parcel);
        if (parcel->state == ParcelState::AwaitingScanBack ||
            parcel->state == ParcelState::Printing)
            return raise("express", label, *parcel);
        report(VerdictKind::Info, "order.updated",
               "Order " + order_id + " was updated centrally (new address); go on.",
               {{"order", order_id}});
    }

    Status pause(const RemoteRequest& request) {
        const std::string record =
            json_text(nlohmann::json{{"by", request.issued_by}, {"reason", request.reason}});
        if (auto saved = store.set_station_value(kPauseKey, record); !saved.ok()) return saved;
        paused = Pause{request.issued_by, request.reason};
        append_event("station.paused", parcel ? parcel->order_id : "",
                     {{"by", request.issued_by}, {"reason", request.reason}});
        report(VerdictKind::Info, "station.paused",
               "Station paused by " + request.issued_by +
                   (request.reason.empty() ? std::string() : " (" + request.reason + ")") +
                   ". Stop packing until it is resumed.");
        return {};
    }

    Status resume(const RemoteRequest& request) {
        if (auto cleared = store.clear_station_value(kPauseKey); !cleared.ok()) return cleared;
        const bool was_paused = paused.has_value();
        paused.reset();
        append_event("station.resumed", parcel ? parcel->order_id : "",
                     {{"by", request.issued_by}, {"reason", request.reason}});
        if (was_paused)
            report(VerdictKind::Info, "station.resumed",
                   "Station resumed by " + request.issued_by + ". " +
                       (parcel && !is_terminal(parcel->state) ? resume_hint()
                                                              : std::string("Scan an order.")));
        return {};
    }

    void show_message(const RemoteRequest& request) {
        append_event("station.message", parcel ? parcel->order_id : "",
                     {{"by", request.issued_by}, {"text", request.text}});
        report(VerdictKind::Info, "station.message", request.issued_by + ": " + request.text,
               {{"from", request.issued_by}});
    }

    Status remote_reprint(const RemoteRequest& request) {
        if (!parcel || is_terminal(parcel->state))
            return Error{"command.not_applicable", "no parcel in progress to reprint a label for"};
        if (!request.order_id.empty() && request.order_id != parcel->order_id)
            return Error{"command.not_applicable", "the parcel in progress is of order " +
                                                       parcel->order_id + ", not " +
                                                       request.order_id};
        const bool reprintable = parcel->state == ParcelState::AwaitingScanBack ||
                                 (parcel->state == ParcelState::Exception && parcel->exception &&
                                  starts_with(parcel->exception->reason, "express."));
        if (!reprintable || parcel->tracking_number.empty())
            return Error{"command.not_applicable", "parcel of order " + parcel->order_id +
                                                       " has no label to reprint (" +
                                                       std::string(to_string(parcel->state)) + ")"};
        supervisor = PendingSupervisor{request.issued_by, request.issued_by, clock.now_ms(), true,
                                       request.reason};
        reprint();
        return {};
    }

    StationSnapshot snapshot() const {
        StationSnapshot view;
        if (paused)
            view.state = "paused";
        else if (!parcel || is_terminal(parcel->state))
            view.state = "idle";
        else
            view.state = std::string(to_string(parcel->state));
        view.locked = locked;
        view.packer = locked ? std::string() : config.packer;
        view.packer_since_ms = locked ? 0 : packer_since_ms;
        if (parcel && !is_terminal(parcel->state)) view.current_order = parcel->order_id;
        if (paused) {
            view.paused_by = paused->by;
            view.pause_reason = paused->reason;
        }
        for (const auto& [name, state] : device_states)
            view.devices.push_back({name, state.kind, state.health, state.detail});
        return view;
    }

    PackerView packer_view() const {
        PackerView view;
        view.station = snapshot();
        if (locked) view.lock_reason = lock_reason;
        if (supervisor)
            view.supervisor =
                PendingSupervisorView{supervisor->name, supervisor->for_reprint,
                                      supervisor->at_ms + config.supervisor_timeout_ms};
        if (!parcel) return view;
        view.parcel = parcel;
        view.order = order;
        const Parcel& current = *parcel;
        const bool active = !is_terminal(current.state);
        if (current.exception && current.state == ParcelState::Exception)
            view.overridable = is_overridable(current.exception->reason);
        std::map<std::string, std::pair<int, int>, std::less<>> counts;  // scanned, manual
        for (const ScannedItem& item : current.items) {
            ++counts[item.sku].first;
            if (item.manual) ++counts[item.sku].second;
        }
        const ContentsView contents = contents_view(current);
        for (const OrderLine& line : contents.open_lines) {
            PackerLineView entry;
            entry.sku = line.sku;
            entry.required = line.quantity;
            if (auto found = skus.find(line.sku); found != skus.end()) {
                entry.name = found->second.name;
                entry.style = found->second.style;
                entry.size = found->second.size;
                entry.colour = found->second.colour;
                entry.serial_required = found->second.serial_required;
            }
            if (auto found = counts.find(line.sku); found != counts.end()) {
                entry.scanned = found->second.first;
                entry.manual = found->second.second;
            }
            view.lines.push_back(std::move(entry));
        }
        if (current.expected_weight_g > 0.0 && current.state != ParcelState::Scanning)
            view.weight = WeightBand{current.expected_weight_g,
                                     weight_tolerance_g(current.expected_weight_g, config.tolerance,
                                                        current.items, skus)};
        if (active) {
            const bool express_exception = current.state == ParcelState::Exception &&
                                           current.exception &&
                                           starts_with(current.exception->reason, "express.");
            view.commands.retry = current.state == ParcelState::Exception;
            view.commands.reprint =
                current.state == ParcelState::AwaitingScanBack || express_exception;
            view.commands.split = current.state == ParcelState::Scanning && !current.items.empty();
            view.commands.close = current.state == ParcelState::Scanning;
            view.commands.abandon = true;
        }
        return view;
    }

    Status restore() {
        if (!message_sequence()) {
            auto opened = MessageSequence::open(store);
            if (!opened.ok()) return opened.error().context("restore");
        }
        auto pause_record = store.station_value(kPauseKey);
        if (!pause_record.ok()) return pause_record.error().context("restore");
        if (pause_record.value()) {
            const auto json = nlohmann::json::parse(*pause_record.value(), nullptr, false);
            paused = Pause{json.is_object() ? json.value("by", "") : "",
                           json.is_object() ? json.value("reason", "") : ""};
        }
        auto active = store.active_parcel(config.station_id);
        if (!active.ok()) return active.error().context("restore");
        if (!active.value()) return {};
        parcel = *active.value();
        state_since_ms = clock.now_ms();
        if (auto loaded = load_order(parcel->order_id, parcel->id); !loaded.ok())
            return loaded.error().context("restore order " + parcel->order_id);
        if (!parcel->packer.empty()) config.packer = parcel->packer;
        if (parcel->state == ParcelState::Printing) {
            // The job's fate died with the old process; printing again is safe:
            // the label carries the same tracking number. The second copy is
            // audited like any reprint.
            (void)store.append_event(reprint_audit_event({"station", config.packer, {}, {}, {}},
                                                         *parcel, config.station_id,
                                                         clock.now_ms()));
            print_label(*parcel, "", "label.reprint");
        } else if (parcel->state == ParcelState::Weighing &&
                   parcel->contents == CheckStatus::Passed) {
            // Weighed and passed, but the label had not gone out (the printer
            // was away): carry on with the express check.
            run_express();
        }
        report(VerdictKind::Info, "station.restored",
               "Resumed order " + parcel->order_id + " (" + std::string(to_string(parcel->state)) +
                   ").");
        return {};
    }
};

PackingStation::PackingStation(Store& store, StationConfig config, StationDevices devices,
                               const Clock& clock)
    : impl_(std::make_unique<Impl>(store, std::move(config), devices, clock)) {}

const Clock& PackingStation::clock() const {
    return impl_->clock;
}

PackingStation::~PackingStation() = default;

Status PackingStation::restore() {
    return impl_->restore();
}

void PackingStation::handle(const hardware::DeviceEvent& event) {
    std::visit(
        [&](const auto& typed) {
            using T = std::decay_t<decltype(typed)>;
            if constexpr (std::is_same_v<T, hardware::ScanEvent>)
                impl_->on_scan(typed);
            else if constexpr (std::is_same_v<T, hardware::WeightReading>) {
                impl_->on_weight(typed);
                impl_->notify([&](StationObserver& observer) { observer.on_weight(typed); });
            } else if constexpr (std::is_same_v<T, hardware::PrintJobUpdate>) {
                impl_->on_print(typed);
            } else {
                impl_->on_device_status(typed);
                impl_->notify([&](StationObserver& observer) { observer.on_device(typed); });
            }
        },
        event);
}

void PackingStation::tick(std::int64_t now_ms) {
    impl_->on_tick(now_ms);
}

ObserverSubscription PackingStation::add_observer(StationObserver& observer) {
    impl_->observers->push_back(&observer);
    return ObserverSubscription(impl_->observers, &observer);
}

const std::optional<Parcel>& PackingStation::parcel() const {
    return impl_->parcel;
}

const StationConfig& PackingStation::config() const {
    return impl_->config;
}

void PackingStation::order_changed(const std::string& order_id) {
    impl_->order_changed(order_id);
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
    return impl_->snapshot();
}

PackerView PackingStation::packer_view() const {
    return impl_->packer_view();
}

Result<MessageSequence*> PackingStation::message_sequence() {
    if (MessageSequence* source = impl_->message_sequence()) return source;
    // Opening failed: ask again to report why.
    auto opened = MessageSequence::open(impl_->store);
    if (!opened.ok()) return opened.error();
    impl_->sequence = std::move(opened.value());
    return impl_->sequence.get();
}

}  // namespace packline::station
