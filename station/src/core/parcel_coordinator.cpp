#include "parcel_coordinator.h"

#include "evidence.h"
#include "packline/station/barcode.h"
#include "packline/station/checks_reasons.h"
#include "packline/station/messages.h"
#include "packline/station/station_errors.h"
#include "reprint_audit.h"

namespace packline::station {

using flow::Decision;
using flow::FollowUp;
using flow::is_terminal;
using flow::StepRecord;
using hardware::WeightReading;
using hardware::WeightStatus;

ParcelCoordinator::ParcelCoordinator(Store& store, StationConfig& config, const Clock& clock,
                                     IdSource& ids, StationDevices devices,
                                     PackerFeedback& feedback, const DeviceBoard& device_board,
                                     SupervisorGate& gate)
    : store_(store),
      config_(config),
      clock_(clock),
      ids_(ids),
      devices_(devices),
      feedback_(feedback),
      device_board_(device_board),
      gate_(gate),
      steps_(store, config, clock, ids),
      labels_(store, config, clock, devices.printer),
      lookup_(store, config) {}

void ParcelCoordinator::code(const ScanInput& input) {
    const flow::ScanRoute route = flow::route_scan(parcel_, input);
    switch (route) {
        case flow::ScanRoute::StartParcel:
            return start_parcel(input);
        case flow::ScanRoute::ItemOrWaybill:
            return item_or_waybill(input);
        case flow::ScanRoute::ScanBack:
            return scan_back(input);
        case flow::ScanRoute::WhilePrinting:
            if (unsaved_print_ && unsaved_print_->job_id == parcel_->label_job_id) {
                print_update(hardware::PrintJobUpdate(*unsaved_print_));
                // Saved now: the scan that brought it may be the label itself.
                if (parcel_->state == ParcelState::AwaitingScanBack && !input.manual &&
                    flow::is_label_of(*parcel_, input))
                    scan_back(input);
                return;
            }
            return apply(flow::route_refusal(*parcel_, route));
        case flow::ScanRoute::AlreadyConfirmed:
        case flow::ScanRoute::Refused:
            return apply(flow::route_refusal(*parcel_, route));
    }
}

void ParcelCoordinator::override_with(const flow::OverrideInput& input) {
    const bool weighs_again = parcel_->exception->reason == reason::missing_item;
    apply(flow::override_exception(context(weighs_again), *parcel_, input));
}

void ParcelCoordinator::device_changed(const DeviceBoard::Change& change,
                                       std::vector<Detail> details) {
    Decision decision;
    if (change.lost)
        decision = flow::device_lost(change.kind, unusable_reason(change.kind), parcel_);
    else if (change.back)
        decision = flow::device_back(change.kind, parcel_, print_waiting_);
    else
        return;
    if (decision.forget_reading) weighing_reading_.reset();
    if (decision.restart_wait) state_since_ms_ = clock_.now_ms();
    if (decision.then == FollowUp::Express) print_waiting_ = false;
    decision.verdict->details = std::move(details);
    apply(std::move(decision));
}

void ParcelCoordinator::timeouts(std::int64_t now) {
    if (!parcel_) return;
    const std::int64_t waited = now - state_since_ms_;
    if (parcel_->state == ParcelState::Weighing && waited > config_.weigh_timeout_ms &&
        weighing_reading_ && weighing_reading_->status == WeightStatus::InMotion) {
        apply(flow::weigh_timeout(context(), *parcel_, *weighing_reading_));
    } else if (parcel_->state == ParcelState::Printing && waited > config_.print_timeout_ms &&
               usable(hardware::DeviceKind::LabelPrinter)) {
        if (unsaved_print_ && unsaved_print_->job_id == parcel_->label_job_id)
            print_update(hardware::PrintJobUpdate(*unsaved_print_));  // the printer did answer
        else
            apply(flow::print_timeout(*parcel_));
    } else {
        return;
    }
    // A timeout the store could not record (the packer was told) is tried
    // again after another wait, not at every tick.
    if (parcel_->state == ParcelState::Weighing || parcel_->state == ParcelState::Printing)
        state_since_ms_ = now;
}

Status ParcelCoordinator::restore() {
    auto active = store_.active_parcel(config_.station_id);
    if (!active.ok()) return active.error().context("restore");
    if (!active.value()) return {};
    parcel_ = *active.value();
    state_since_ms_ = clock_.now_ms();
    if (auto loaded = load_order(parcel_->order_id, parcel_->id); !loaded.ok())
        return loaded.error().context("restore order " + parcel_->order_id);
    if (!parcel_->packer.empty()) config_.packer = parcel_->packer;
    if (parcel_->state == ParcelState::Printing) {
        // The job's fate died with the old process; printing again is safe:
        // the label carries the same tracking number. The second copy is
        // audited like any reprint.
        (void)store_.append_event(reprint_audit_event({"station", config_.packer, {}, {}, {}},
                                                      *parcel_, config_.station_id, clock_.now_ms(),
                                                      ids_));
        print_label(*parcel_, "", "label.reprint");
    } else if (parcel_->state == ParcelState::Weighing &&
               parcel_->contents == CheckStatus::Passed) {
        // Weighed and passed, but the label had not gone out (the printer was
        // away): carry on with the express check.
        run_express();
    }
    report(VerdictKind::Info, verdict::station_restored,
           "Resumed order " + parcel_->order_id + " (" + std::string(to_string(parcel_->state)) +
               ").");
    return {};
}

void ParcelCoordinator::report(Verdict verdict) {
    verdict.parcel = parcel_;
    verdict.at_ms = clock_.now_ms();
    feedback_.verdict(verdict);
}

void ParcelCoordinator::report(VerdictKind kind, std::string_view code, std::string message,
                               std::vector<Detail> details) {
    Verdict verdict;
    verdict.kind = kind;
    verdict.code = std::string(code);
    verdict.message = std::move(message);
    verdict.details = std::move(details);
    report(std::move(verdict));
}

// Commits a step as the new parcel state. Memory follows the store, never
// leads it: on failure the parcel stays as it was and the packer is told.
bool ParcelCoordinator::commit(Step step) {
    Parcel& next = step.next;
    const bool state_changed = !parcel_ || parcel_->state != next.state;
    next.updated_at_ms = clock_.now_ms();
    Transition transition =
        steps_.transition(std::move(next), step.record, std::move(step.shipment));
    transition.order_status = step.order_status;
    transition.take_pool_number = std::move(step.pool_number);
    auto committed = store_.commit(transition);
    if (!committed.ok()) {
        report(VerdictKind::Rejected, committed.error().code,
               "Could not save this step, nothing was recorded: " + committed.error().message +
                   ". Scan again; call a supervisor if it repeats.");
        return false;
    }
    transition.parcel.id = committed.value();
    parcel_ = std::move(transition.parcel);
    if (state_changed) {
        state_since_ms_ = clock_.now_ms();
        weighing_reading_.reset();
    }
    return true;
}

// Applies a decision of the parcel flow: its log line, its step in one
// transaction, then what the packer is told and what follows. `scanned`
// is the payload of the scan that brought it (for a typed entry).
void ParcelCoordinator::apply(Decision decision, const std::string& scanned) {
    if (decision.logged)
        append_event(decision.logged->type, parcel_ ? parcel_->order_id : "",
                     step_json(*decision.logged));
    if (decision.next && !commit(Step{std::move(*decision.next), std::move(decision.step),
                                      std::move(decision.pool_number), std::nullopt, std::nullopt}))
        return;
    if (decision.then_raise)
        return apply(
            flow::raise(decision.then_raise->check, decision.then_raise->result, *parcel_));
    if (!decision.manual_entry.empty()) record_manual_entry(decision.manual_entry, scanned);
    if (decision.verdict) report(std::move(*decision.verdict));
    switch (decision.then) {
        case FollowUp::Express:
            return run_express();
        case FollowUp::Confirm:
            return confirm();
        case FollowUp::Retry:
            return retry();
        case FollowUp::None:
            return;
    }
}

// A line of the log outside any parcel step (of the active parcel, if
// there is one).
void ParcelCoordinator::append_event(std::string type, const std::string& order_id,
                                     nlohmann::json payload) {
    steps_.append(std::move(type), order_id, active_parcel_id(), payload);
}

std::int64_t ParcelCoordinator::active_parcel_id() const {
    return parcel_ && !is_terminal(parcel_->state) ? parcel_->id : 0;
}

void ParcelCoordinator::record_manual_entry(const std::string& step, const std::string& code) {
    steps_.manual_entry(step, code, parcel_ ? parcel_->order_id : "", active_parcel_id());
}

void ParcelCoordinator::start_parcel(const ScanInput& input) {
    const std::string& payload = input.scan.payload;
    auto match = lookup_.order_for_scan(input);
    if (!match.ok()) {
        report(VerdictKind::Rejected, match.error().code,
               "Could not look up the order: " + match.error().message);
        return;
    }
    if (!match.value().order) {
        append_event("scan.rejected", "", {{"reason", errors::kOrderUnknown}, {"data", payload}});
        report(VerdictKind::Rejected, verdict::order_unknown,
               "No order '" + payload + "' — scan the order barcode on the pick list.",
               {{"scanned", payload}});
        return;
    }
    const Order& found = *match.value().order;
    auto previous = store_.parcels_for_order(found.id);
    if (!previous.ok()) {
        report(VerdictKind::Rejected, previous.error().code, previous.error().message);
        return;
    }
    if (auto loaded = load_order(found.id, 0); !loaded.ok()) {
        report(VerdictKind::Rejected, loaded.error().code, loaded.error().message);
        return;
    }
    gate_.clear();
    const flow::ParcelStart start{&previous.value(), match.value().waybill,     config_.station_id,
                                  config_.packer,    config_.default_packaging, input.manual};
    apply(flow::start_parcel(context(), start, clock_.now_ms()), payload);
}

void ParcelCoordinator::item_or_waybill(const ScanInput& input) {
    // Our own label or a waybill scanned during packing: it must belong here.
    if (input.is_label() || (!input.tracking_number.empty() &&
                             lookup_.is_tracking_of_some_order(input.tracking_number)))
        return apply(flow::check_waybill_scan(context(), *parcel_, input.label_order_id,
                                              input.tracking_number, input.manual),
                     input.scan.payload);
    item(input);
}

void ParcelCoordinator::item(const ScanInput& input) {
    auto product = parse_product_scan(input.scan);
    if (!product.ok()) {
        append_event("scan.rejected", parcel_->order_id,
                     {{"reason", product.error().code}, {"message", product.error().message}});
        report(VerdictKind::Rejected, product.error().code,
               "Could not read that barcode (" + product.error().message + ") — scan again.");
        return;
    }
    const flow::ItemInput item = lookup_.item(product.value(), input.manual, parcel_->id);
    const std::int64_t now = clock_.now_ms();
    Decision decision = flow::add_item(context(), *parcel_, item, now);
    // The last item: the expected weight counts the packaging, read now.
    if (decision.next && decision.next->state == ParcelState::Weighing)
        decision = flow::add_item(context(true), *parcel_, item, now);
    apply(std::move(decision));
}

void ParcelCoordinator::command(const std::string& name) {
    if (!parcel_ || is_terminal(parcel_->state)) {
        report(VerdictKind::Info, verdict::station_idle, "No open parcel — scan an order first.");
        return;
    }
    switch (command_from_name(name)) {
        case Command::Close:
            return apply(flow::close_parcel(context(true), *parcel_));
        case Command::Split:
            return apply(flow::split_parcel(context(true), *parcel_));
        case Command::Retry:
            return retry();
        case Command::Reprint:
            return reprint();
        case Command::Abandon:
            return apply(flow::abandon_parcel(*parcel_));
        case Command::Unknown:
            break;
    }
    report(VerdictKind::Rejected, verdict::command_unknown, "Unknown command '" + name + "'.");
}

// RETRY: the packer fixed the cause; go back to the step that failed.
void ParcelCoordinator::retry() {
    if (flow::retry_reloads_order(*parcel_)) {
        // The order may have been corrected centrally since.
        if (auto loaded = load_order(parcel_->order_id, parcel_->id); !loaded.ok()) {
            report(VerdictKind::Rejected, loaded.error().code, loaded.error().message);
            return;
        }
    }
    apply(flow::retry_parcel(context(), *parcel_));
}

void ParcelCoordinator::reprint() {
    if (!flow::is_reprintable(*parcel_)) {
        report(VerdictKind::Info, verdict::command_ignored, "No label to reprint yet.");
        return;
    }
    if (parcel_->tracking_number.empty()) {
        gate_.clear();
        return run_express();  // no label yet: this prints the first one
    }
    ReprintRequest request{"packer", config_.packer, {}, {}, {}};
    if (const auto& supervisor = gate_.pending())
        request = {"supervisor", config_.packer, supervisor->badge, supervisor->name,
                   supervisor->reason};
    // Audited before anything prints: a reprint that cannot be recorded
    // does not happen.
    auto audited = store_.append_event(
        reprint_audit_event(request, *parcel_, config_.station_id, clock_.now_ms(), ids_));
    if (!audited.ok()) {
        report(VerdictKind::Rejected, audited.error().code,
               "Could not record the reprint, nothing was printed: " + audited.error().message +
                   ". Scan again; call a supervisor if it repeats.");
        return;
    }
    gate_.clear();
    print_label(*parcel_, "", "label.reprint");
}

void ParcelCoordinator::weight(const WeightReading& reading) {
    if (!parcel_ || parcel_->state != ParcelState::Weighing) return;
    weighing_reading_ = reading;
    apply(flow::weigh(context(), *parcel_, reading));
}

void ParcelCoordinator::run_express() {
    auto tracking = lookup_.tracking_for(*parcel_);
    if (!tracking.ok())
        return report(VerdictKind::Rejected, tracking.error().code, tracking.error().message);
    flow::TrackingChoice choice =
        flow::choose_tracking(*parcel_, tracking.value().number, tracking.value().used);
    if (choice.refused) return apply(std::move(*choice.refused));
    print_label(std::move(choice.next), tracking.value().pool_number, "label.submitted");
}

void ParcelCoordinator::print_label(Parcel next, std::string pool_number,
                                    const std::string& step_type) {
    const bool from_pool = !pool_number.empty();
    auto rendered = labels_.render(next, order());
    if (!rendered.ok())
        return apply(flow::label_failed(
            std::move(next),
            CheckResult::fail("express.print_failed",
                              "Could not make the label: " + rendered.error().message,
                              {{"error", rendered.error().code}}),
            from_pool));
    if (labels_.has_printer() && !usable(hardware::DeviceKind::LabelPrinter) &&
        step_type == "label.submitted" && next.state == ParcelState::Weighing) {
        // Weight passed and the label is due, but the printer is away:
        // the parcel waits here (state Weighing, contents passed) and
        // prints as soon as the printer is back.
        print_waiting_ = true;
        report(VerdictKind::Info, verdict::device_paused,
               "Printing waits: " + unusable_reason(hardware::DeviceKind::LabelPrinter) +
                   ". The label prints when the printer is back.",
               {{"kind", "label-printer"}});
        return;
    }
    auto job = labels_.submit(std::move(rendered.value()), next, order());
    if (auto* failed = std::get_if<CheckResult>(&job))
        return apply(flow::label_failed(std::move(next), *failed, from_pool));
    apply(flow::label_submitted(std::move(next), std::get<std::string>(job), step_type,
                                std::move(pool_number)));
}

void ParcelCoordinator::print_update(const hardware::PrintJobUpdate& update) {
    if (!parcel_) return;
    Decision decision = flow::print_finished(*parcel_, update);
    if (decision.empty()) return;
    unsaved_print_.reset();
    apply(std::move(decision));
    // Still printing: the store refused the step (the packer was told).
    if (parcel_->state == ParcelState::Printing) unsaved_print_ = update;
}

void ParcelCoordinator::scan_back(const ScanInput& input) {
    apply(flow::scan_back(order(), *parcel_, input.label_order_id, input.tracking_number));
}

void ParcelCoordinator::confirm() {
    flow::Confirmation confirmation = flow::confirm_parcel(context(), *parcel_, clock_.now_ms());
    Parcel& next = confirmation.next;
    // The parcel id is known already (the parcel row exists since its first scan).
    auto trail = store_.events_for_parcel(next.id);
    if (!trail.ok()) {
        report(VerdictKind::Rejected, trail.error().code,
               "Could not read the parcel's audit trail: " + trail.error().message);
        return;
    }
    // Taken before the commit, so that its hash is in the confirmation.
    const std::optional<Error> photo_failure = attach_photo(next);
    OutboxMessage shipment = steps_.shipment(next, order(), trail.value());
    StepRecord record =
        flow::confirmation_step(next, shipment.event_id, photo_failure ? photo_failure->code : "");
    const std::optional<EvidencePhoto> photo = next.photo;
    const std::optional<OrderStatus> order_status =
        confirmation.order_done ? std::optional<OrderStatus>(OrderStatus::Packed) : std::nullopt;
    if (!commit(Step{std::move(next), std::move(record), {}, std::move(shipment), order_status})) {
        if (photo) discard_evidence_photo(*photo);  // the next scan-back takes a new one
        return;
    }
    report(VerdictKind::Confirmed, verdict::parcel_confirmed,
           "Parcel confirmed — " + parcel_->tracking_number + ". Next order.");
}

// The evidence photo of a parcel about to be confirmed. A failure never
// holds the confirmation up: it is recorded, and the parcel is confirmed
// without a photo.
std::optional<Error> ParcelCoordinator::attach_photo(Parcel& next) {
    std::optional<std::string> camera_unusable;
    if (!usable(hardware::DeviceKind::Camera))
        camera_unusable = unusable_reason(hardware::DeviceKind::Camera);
    ConfirmationPhoto shot = photograph_parcel(devices_.camera, camera_unusable, config_.evidence,
                                               next, next.confirmed_at_ms);
    next.photo = std::move(shot.photo);
    if (!shot.failure) return std::nullopt;
    const Error& failure = *shot.failure;
    append_event("evidence.photo_failed", next.order_id,
                 {{"reason", failure.code}, {"message", failure.message}});
    report(VerdictKind::Info, verdict::evidence_photo_failed,
           "No evidence photo (" + failure.message + "); the parcel is confirmed without one.",
           {{"reason", failure.code}});
    return failure;
}

void ParcelCoordinator::order_changed(const std::string& order_id) {
    if (!parcel_ || is_terminal(parcel_->state) || parcel_->order_id != order_id) return;
    const std::optional<Order> before = lookup_.order();
    if (auto loaded = load_order(order_id, parcel_->id); !loaded.ok()) {
        report(VerdictKind::Rejected, loaded.error().code,
               "The order changed centrally but could not be read: " + loaded.error().message);
        return;
    }
    apply(flow::order_changed(before, order(), *parcel_));
}

}  // namespace packline::station
