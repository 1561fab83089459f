#include "packline/station/parcel_flow.h"

#include <algorithm>

#include "packline/station/checks.h"
#include "packline/station/device_board.h"
#include "packline/station/station_errors.h"

namespace packline::station {

bool is_overridable(std::string_view reason) {
    return !(flow::is_item_reason(reason) || reason == reason::tracking_invalid ||
             reason == reason::tracking_reused || reason == reason::tracking_missing ||
             reason == reason::carrier_unknown || reason == reason::wrong_carrier ||
             reason == reason::label_outdated || reason.starts_with("express.print_"));
}

namespace flow {

namespace {

using hardware::WeightStatus;

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

CheckStatus& check_slot(Parcel& target, std::string_view check) {
    if (check == "customer") return target.customer;
    if (check == "contents") return target.contents;
    return target.express;
}

Verdict told(VerdictKind kind, std::string_view code, std::string message,
             std::vector<Detail> details = {}) {
    Verdict told;
    told.kind = kind;
    told.code = std::string(code);
    told.message = std::move(message);
    told.details = std::move(details);
    return told;
}

// Nothing changes; the packer is told why.
Decision tell(VerdictKind kind, std::string_view code, std::string message,
              std::vector<Detail> details = {}) {
    Decision decision;
    decision.verdict = told(kind, code, std::move(message), std::move(details));
    return decision;
}

Decision step(Parcel next, std::string type, std::vector<StepField> fields = {}) {
    Decision decision;
    decision.next = std::move(next);
    decision.step = StepRecord{std::move(type), std::move(fields)};
    return decision;
}

Decision begin_weighing(const OrderContext& context, Parcel next, std::string type,
                        std::vector<StepField> fields) {
    next.state = ParcelState::Weighing;
    next.expected_weight_g = expected_weight_g(next.items, *context.skus, context.tare_g);
    Decision decision = step(std::move(next), std::move(type), std::move(fields));
    decision.verdict =
        told(VerdictKind::Accepted, verdict::contents_complete, "Put the parcel on the scale.");
    return decision;
}

}  // namespace

std::string StepRecord::text(std::string_view key) const {
    for (const StepField& field : fields)
        if (field.key == key)
            if (const auto* value = std::get_if<std::string>(&field.value)) return *value;
    return {};
}

bool StepRecord::flag(std::string_view key) const {
    for (const StepField& field : fields)
        if (field.key == key)
            if (const auto* value = std::get_if<bool>(&field.value)) return *value;
    return false;
}

bool is_item_reason(std::string_view reason) {
    return reason == reason::unknown_code || reason == reason::not_in_order ||
           reason == reason::wrong_variant || reason == reason::over_quantity ||
           reason == reason::serial_required || reason == reason::serial_repeated ||
           reason == reason::waybill_mismatch;
}

bool is_terminal(ParcelState state) {
    return state == ParcelState::Confirmed || state == ParcelState::Abandoned;
}

bool is_reprintable(const Parcel& parcel) {
    return parcel.state == ParcelState::AwaitingScanBack ||
           (parcel.state == ParcelState::Exception && parcel.exception &&
            starts_with(parcel.exception->reason, "express."));
}

std::string resume_hint(const Parcel& parcel) {
    switch (parcel.state) {
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

ContentsView contents_view(const OrderContext& context, const Parcel& parcel) {
    ContentsView view;
    view.order = context.order;
    view.scanned = &parcel.items;
    view.skus = context.skus;
    if (parcel.closed_partial) {
        std::map<std::string, int, std::less<>> counts;
        for (const ScannedItem& item : parcel.items)
            ++counts[item.sku];
        for (const auto& [sku, count] : counts)
            view.open_lines.push_back({sku, count});
    } else if (context.open_lines != nullptr) {
        view.open_lines = *context.open_lines;
    }
    return view;
}

double weight_tolerance_of(const OrderContext& context, const Parcel& parcel) {
    return weight_tolerance_g(parcel.expected_weight_g, context.tolerance, parcel.items,
                              *context.skus);
}

bool is_label_of(const Parcel& parcel, const ScanInput& input) {
    if (parcel.tracking_number.empty()) return false;
    if (input.is_label() && *input.label_order_id != parcel.order_id) return false;
    return input.tracking_number == parcel.tracking_number;
}

ScanRoute route_scan(const std::optional<Parcel>& parcel, const ScanInput& input) {
    // The scanner and the camera both read the label: the first read
    // confirmed the parcel, the second is the same label, not a new parcel
    // of a packed order.
    if (parcel && parcel->state == ParcelState::Confirmed && is_label_of(*parcel, input))
        return ScanRoute::AlreadyConfirmed;
    if (!parcel || is_terminal(parcel->state)) return ScanRoute::StartParcel;
    switch (parcel->state) {
        case ParcelState::Scanning:
        case ParcelState::Weighing:
            return ScanRoute::ItemOrWaybill;
        case ParcelState::Printing:
            return ScanRoute::WhilePrinting;
        case ParcelState::AwaitingScanBack:
            // The express check proves the printed label reads back; a typed
            // number proves nothing.
            return input.manual ? ScanRoute::Refused : ScanRoute::ScanBack;
        case ParcelState::Exception:
        case ParcelState::Confirmed:
        case ParcelState::Abandoned:
            return ScanRoute::Refused;
    }
    return ScanRoute::Refused;
}

Decision route_refusal(const Parcel& parcel, ScanRoute route) {
    if (route == ScanRoute::AlreadyConfirmed)
        return tell(
            VerdictKind::Info, verdict::label_already_confirmed,
            "This label was scanned back already — parcel " + parcel.order_id + " is confirmed.");
    if (route == ScanRoute::WhilePrinting)
        return tell(VerdictKind::Info, verdict::label_printing,
                    "The label is printing — wait for it, then scan it.");
    if (parcel.state == ParcelState::AwaitingScanBack)
        return tell(VerdictKind::Rejected, verdict::scan_manual_not_allowed,
                    "The label must be scanned, not typed — if it will not read, press REPRINT.");
    if (parcel.state == ParcelState::Exception)
        return tell(
            VerdictKind::Info, verdict::parcel_in_exception,
            "Parcel is in exception: " + parcel.exception.value_or(ParcelException{}).message +
                " Fix it and scan RETRY, or call a supervisor.");
    return {};
}

Decision raise(std::string_view check, const CheckResult& result, Parcel next) {
    check_slot(next, check) = CheckStatus::Failed;
    next.state = ParcelState::Exception;
    next.exception =
        ParcelException{std::string(check), result.reason, result.message, result.details};
    Decision decision = step(std::move(next), "parcel.exception",
                             {{"check", std::string(check)},
                              {"reason", result.reason},
                              {"message", result.message},
                              {"details", result.details}});
    decision.verdict = told(VerdictKind::Exception, result.reason, result.message, result.details);
    return decision;
}

Decision start_parcel(const OrderContext& context, const ParcelStart& start, std::int64_t now_ms) {
    const Order& order = *context.order;
    Parcel next;
    next.order_id = order.id;
    // Parcel numbers count what shipped: a refused or abandoned attempt does
    // not make the next parcel "2 of n".
    next.sequence =
        1 + static_cast<int>(std::count_if(
                start.previous->begin(), start.previous->end(),
                [](const Parcel& other) { return other.state == ParcelState::Confirmed; }));
    next.station = start.station;
    next.packer = start.packer;
    next.state = ParcelState::Scanning;
    next.carrier = order.carrier;
    next.packaging = order.packaging.empty() ? start.default_packaging : order.packaging;
    next.created_at_ms = now_ms;
    next.tracking_number = start.waybill;

    CheckResult status = check_order_status(order);
    if (status.passed && context.open_lines->empty())
        status = CheckResult::fail(std::string(reason::order_already_packed),
                                   "Order " + order.id + " is already packed — put it aside.",
                                   {{"order", order.id}});
    if (!status.passed) {
        // Refused at the first scan: recorded, and nothing stays open.
        next.customer = CheckStatus::Failed;
        next.state = ParcelState::Abandoned;
        next.exception = ParcelException{"customer", status.reason, status.message, status.details};
        Decision refused = step(std::move(next), "parcel.exception",
                                {{"check", std::string("customer")},
                                 {"reason", status.reason},
                                 {"message", status.message},
                                 {"refused", true},
                                 {"details", status.details}});
        refused.verdict =
            told(VerdictKind::Exception, status.reason, status.message, status.details);
        return refused;
    }
    CheckResult customer = CheckResult::pass();
    if (!next.tracking_number.empty()) {
        // Found through a waybill: it must be the one assigned to this order.
        const std::string& assigned =
            order.tracking_number.empty() ? next.tracking_number : order.tracking_number;
        customer = check_waybill(order, assigned, next.tracking_number);
    }
    if (customer.passed) customer = check_recipient(order.recipient);
    if (customer.passed) next.customer = CheckStatus::Passed;
    const auto sequence = static_cast<std::int64_t>(next.sequence);
    Decision started = step(std::move(next), "parcel.started", {{"sequence", sequence}});
    if (!customer.passed) {
        started.then_raise = Decision::Raise{"customer", std::move(customer)};
        return started;
    }
    if (start.manual) started.manual_entry = "order";
    started.verdict =
        told(VerdictKind::Accepted, verdict::parcel_started,
             "Order " + order.id + " (" + order.recipient.name + "): scan the items.");
    return started;
}

Decision check_waybill_scan(const OrderContext& context, const Parcel& parcel,
                            const std::optional<std::string>& label_order_id,
                            const std::string& seen_tracking, bool manual) {
    const Order& order = *context.order;
    const std::string& expected =
        !parcel.tracking_number.empty() ? parcel.tracking_number : order.tracking_number;
    CheckResult waybill = check_waybill(order, expected, seen_tracking);
    if (label_order_id && *label_order_id != order.id)
        waybill = CheckResult::fail(
            std::string(reason::waybill_mismatch),
            "This label is for order " + *label_order_id + ", not " + order.id + ".",
            {{"expected_order", order.id}, {"seen_order", *label_order_id}});
    if (!waybill.passed) return raise("customer", waybill, parcel);
    Decision decision =
        tell(VerdictKind::Info, verdict::customer_waybill_ok, "Waybill matches this order.");
    if (manual) decision.manual_entry = "waybill";
    return decision;
}

Decision add_item(const OrderContext& context, const Parcel& parcel, const ItemInput& item,
                  std::int64_t now_ms) {
    const ItemScan scan{item.sku ? &*item.sku : nullptr, item.code, item.serial, item.lot};
    const CheckResult result =
        check_item(contents_view(context, parcel), scan, item.serial_elsewhere);
    if (!result.passed) {
        StepRecord rejected{"item.rejected", {{"reason", result.reason}, {"code", item.code}}};
        if (!item.serial.empty()) rejected.fields.push_back({"serial", item.serial});
        Decision decision = raise("contents", result, parcel);
        decision.logged = std::move(rejected);
        return decision;
    }
    const Sku& sku = *item.sku;
    Parcel next = parcel;
    next.items.push_back(
        ScannedItem{sku.sku, item.code, item.serial, item.lot, now_ms, item.manual});
    std::vector<StepField> fields{{"sku", sku.sku}, {"code", item.code}};
    if (item.manual) fields.push_back({"manual", true});
    if (!item.serial.empty()) fields.push_back({"serial", item.serial});
    if (!item.lot.empty()) fields.push_back({"lot", item.lot});

    const bool complete = lines_complete(contents_view(context, next));
    if (complete) {
        next.state = ParcelState::Weighing;
        next.expected_weight_g = expected_weight_g(next.items, *context.skus, context.tare_g);
    }
    Decision decision = step(std::move(next), "item.accepted", std::move(fields));
    decision.verdict = complete
                           ? told(VerdictKind::Accepted, verdict::contents_complete,
                                  sku.name + " ✓ — all items scanned. Put the parcel on the scale.")
                           : told(VerdictKind::Accepted, verdict::item_accepted, sku.name + " ✓");
    return decision;
}

Decision close_parcel(const OrderContext& context, const Parcel& parcel) {
    if (parcel.state != ParcelState::Scanning)
        return tell(VerdictKind::Info, verdict::command_ignored, "Nothing to close right now.");
    const CheckResult complete = check_lines_complete(contents_view(context, parcel));
    if (!complete.passed) return raise("contents", complete, parcel);
    return begin_weighing(context, parcel, "parcel.closed", {});
}

Decision split_parcel(const OrderContext& context, const Parcel& parcel) {
    if (parcel.state != ParcelState::Scanning || parcel.items.empty())
        return tell(VerdictKind::Info, verdict::command_ignored,
                    "Scan at least one item before closing a parcel of a split order.");
    Parcel next = parcel;
    next.closed_partial = true;
    return begin_weighing(context, std::move(next), "parcel.split",
                          {{"items", static_cast<std::int64_t>(parcel.items.size())}});
}

Decision abandon_parcel(const Parcel& parcel) {
    Parcel next = parcel;
    next.state = ParcelState::Abandoned;
    Decision decision = step(std::move(next), "parcel.abandoned");
    decision.verdict = told(VerdictKind::Info, verdict::parcel_abandoned,
                            "Parcel abandoned; nothing ships. Put the goods back.");
    return decision;
}

bool retry_reloads_order(const Parcel& parcel) {
    return parcel.state == ParcelState::Exception && parcel.exception &&
           parcel.exception->check == "customer" && !is_item_reason(parcel.exception->reason);
}

// RETRY: the packer fixed the cause; go back to the step that failed.
Decision retry_parcel(const OrderContext& context, const Parcel& parcel) {
    if (parcel.state != ParcelState::Exception || !parcel.exception)
        return tell(VerdictKind::Info, verdict::command_ignored, "Nothing to retry.");
    const ParcelException failed = *parcel.exception;
    Parcel next = parcel;
    next.exception.reset();
    std::vector<StepField> fields{{"reason", failed.reason}};
    if (failed.check == "customer" && !is_item_reason(failed.reason)) {
        const CheckResult again = check_customer(*context.order);
        if (!again.passed) return raise("customer", again, std::move(next));
        next.customer = CheckStatus::Passed;
        next.state = ParcelState::Scanning;
    } else if (failed.check == "contents" || is_item_reason(failed.reason)) {
        if (failed.check == "contents") next.contents = CheckStatus::Pending;
        if (failed.check == "customer") {
            // A foreign waybill was taken off; the recipient still has to pass.
            const CheckResult again = check_customer(*context.order);
            if (!again.passed) return raise("customer", again, std::move(next));
            next.customer = CheckStatus::Passed;
        }
        const bool weighing =
            starts_with(failed.reason, "weight.") ||
            (failed.reason != reason::missing_item &&
             (next.closed_partial || lines_complete(contents_view(context, next))));
        next.state = weighing ? ParcelState::Weighing : ParcelState::Scanning;
    } else if (starts_with(failed.reason, "express.label_")) {
        next.express = CheckStatus::Pending;
        next.state = ParcelState::AwaitingScanBack;
    } else {
        // The tracking number or the print failed: the express check runs again.
        next.express = CheckStatus::Pending;
        Decision decision = step(std::move(next), "parcel.retry", std::move(fields));
        decision.then = FollowUp::Express;
        return decision;
    }
    std::string hint = resume_hint(next);
    Decision decision = step(std::move(next), "parcel.retry", std::move(fields));
    decision.verdict = told(VerdictKind::Accepted, verdict::parcel_retry, std::move(hint));
    return decision;
}

Decision override_exception(const OrderContext& context, const Parcel& parcel,
                            const OverrideInput& input) {
    const ParcelException failed = *parcel.exception;
    Parcel next = parcel;
    check_slot(next, failed.check) = CheckStatus::Overridden;
    next.exception.reset();
    FollowUp then = FollowUp::None;
    if (failed.check == "customer") {
        next.state = ParcelState::Scanning;
    } else if (failed.reason == reason::missing_item) {
        next.closed_partial = true;
        next.contents = CheckStatus::Pending;
        next.state = ParcelState::Weighing;
        next.expected_weight_g = expected_weight_g(next.items, *context.skus, context.tare_g);
    } else if (failed.check == "contents") {
        then = FollowUp::Express;  // weight overridden
    } else {
        then = FollowUp::Confirm;  // scan-back overridden: label verified by eye
    }
    Decision decision = step(std::move(next), "parcel.override",
                             {{"check", failed.check},
                              {"reason", failed.reason},
                              {"override_reason", input.reason_code},
                              {"supervisor", input.badge},
                              {"supervisor_name", input.name}});
    decision.verdict = told(VerdictKind::Accepted, verdict::parcel_override,
                            "Override recorded (" + input.reason_label + ").");
    decision.then = then;
    return decision;
}

Decision weigh(const OrderContext& context, const Parcel& parcel,
               const hardware::WeightReading& reading) {
    if (parcel.state != ParcelState::Weighing) return {};
    // Nothing on the scale yet, or still settling: keep waiting (the timeout
    // turns a scale that never settles into weight.unstable).
    if (reading.status == WeightStatus::AtZero || reading.status == WeightStatus::InMotion)
        return {};
    if (reading.status == WeightStatus::Stable && reading.grams <= 0.0) return {};
    const double tolerance = weight_tolerance_of(context, parcel);
    const CheckResult result = check_weight(parcel.expected_weight_g, tolerance, reading);
    Parcel next = parcel;
    next.weight_g = reading.grams;
    if (!result.passed) return raise("contents", result, std::move(next));
    next.contents = CheckStatus::Passed;
    Decision decision = step(std::move(next), "weight.accepted",
                             {{"weight_g", reading.grams},
                              {"expected_g", parcel.expected_weight_g},
                              {"tolerance_g", tolerance}});
    decision.verdict = told(VerdictKind::Accepted, verdict::weight_accepted, "Weight OK.");
    decision.then = FollowUp::Express;
    return decision;
}

Decision weigh_timeout(const OrderContext& context, const Parcel& parcel,
                       const hardware::WeightReading& last) {
    const double tolerance = weight_tolerance_of(context, parcel);
    return raise("contents", check_weight(parcel.expected_weight_g, tolerance, last), parcel);
}

std::string assigned_tracking(const Parcel& parcel, const Order& order) {
    // The order's own number goes on its first parcel; later parcels of a
    // split order take theirs from the pool.
    if (parcel.tracking_number.empty() && parcel.sequence == 1) return order.tracking_number;
    return parcel.tracking_number;
}

TrackingChoice choose_tracking(const Parcel& parcel, std::string number, bool used) {
    TrackingChoice choice{parcel, std::nullopt};
    choice.next.tracking_number = std::move(number);
    const CheckResult tracking =
        check_tracking(choice.next.tracking_number, choice.next.carrier, used);
    if (!tracking.passed) {
        Parcel refused = choice.next;
        refused.tracking_number.clear();
        choice.refused = raise("express", tracking, std::move(refused));
    }
    return choice;
}

Decision label_submitted(Parcel next, const std::string& job_id, const std::string& step_type,
                         std::string pool_number) {
    next.label_job_id = job_id;
    ++next.label_attempts;
    next.state = ParcelState::Printing;
    next.exception.reset();
    std::vector<StepField> fields{{"job", next.label_job_id},
                                  {"tracking_number", next.tracking_number},
                                  {"attempt", static_cast<std::int64_t>(next.label_attempts)}};
    Decision decision = step(std::move(next), step_type, std::move(fields));
    decision.pool_number = std::move(pool_number);
    decision.verdict = told(VerdictKind::Accepted, verdict::label_submitted, "Printing the label…");
    return decision;
}

Decision label_failed(Parcel next, const CheckResult& result, bool pool_number) {
    // A pool number is taken in the same commit as the label that carries it.
    // With no label, the parcel must not keep the number: the pool still
    // offers it, and a parcel shipped on it would make every later parcel of
    // the carrier "reused". The retry takes one again.
    if (pool_number) next.tracking_number.clear();
    return raise("express", result, std::move(next));
}

Decision print_finished(const Parcel& parcel, const hardware::PrintJobUpdate& update) {
    if (parcel.state != ParcelState::Printing || update.job_id != parcel.label_job_id) return {};
    if (update.state == hardware::PrintJobState::Queued ||
        update.state == hardware::PrintJobState::Printing)
        return {};
    const CheckResult printed = check_label_printed(update.state, update.detail);
    if (!printed.passed) return raise("express", printed, parcel);
    Parcel next = parcel;
    next.state = ParcelState::AwaitingScanBack;
    Decision decision = step(std::move(next), "label.printed", {{"job", update.job_id}});
    decision.verdict =
        told(VerdictKind::Accepted, verdict::label_printed, "Stick the label on and scan it.");
    return decision;
}

Decision print_timeout(const Parcel& parcel) {
    return raise(
        "express",
        check_label_printed(hardware::PrintJobState::Printing, "no answer from the printer"),
        parcel);
}

std::optional<Error> remote_reprint_refusal(const std::optional<Parcel>& parcel,
                                            const std::string& order_id) {
    if (!parcel || is_terminal(parcel->state))
        return Error{errors::kCommandNotApplicable, "no parcel in progress to reprint a label for"};
    if (!order_id.empty() && order_id != parcel->order_id)
        return Error{errors::kCommandNotApplicable, "the parcel in progress is of order " +
                                                        parcel->order_id + ", not " + order_id};
    if (!is_reprintable(*parcel) || parcel->tracking_number.empty())
        return Error{errors::kCommandNotApplicable,
                     "parcel of order " + parcel->order_id + " has no label to reprint (" +
                         std::string(to_string(parcel->state)) + ")"};
    return std::nullopt;
}

Decision scan_back(const Order& order, const Parcel& parcel,
                   const std::optional<std::string>& label_order_id,
                   const std::string& tracking_number) {
    const CheckResult result = check_scan_back(order.id, parcel.tracking_number,
                                               label_order_id.value_or(""), tracking_number);
    if (!result.passed) return raise("express", result, parcel);
    Decision decision;
    decision.then = FollowUp::Confirm;
    return decision;
}

Confirmation confirm_parcel(const OrderContext& context, const Parcel& parcel,
                            std::int64_t now_ms) {
    Confirmation confirmation{parcel, false};
    Parcel& next = confirmation.next;
    if (next.express != CheckStatus::Overridden) next.express = CheckStatus::Passed;
    next.state = ParcelState::Confirmed;
    next.confirmed_at_ms = now_ms;
    // The order is packed once every line is covered by confirmed parcels.
    std::map<std::string, int, std::less<>> remaining;
    for (const OrderLine& line : *context.open_lines)
        remaining[line.sku] += line.quantity;
    for (const ScannedItem& item : next.items)
        --remaining[item.sku];
    confirmation.order_done = std::all_of(remaining.begin(), remaining.end(),
                                          [](const auto& entry) { return entry.second <= 0; });
    return confirmation;
}

StepRecord confirmation_step(const Parcel& next, const std::string& shipment_event_id,
                             const std::string& photo_failed) {
    StepRecord record{"parcel.confirmed",
                      {{"tracking_number", next.tracking_number},
                       {"weight_g", next.weight_g.value_or(0.0)},
                       {"shipment_event_id", shipment_event_id}}};
    if (next.photo) record.fields.push_back({"photo_sha256", next.photo->sha256});
    if (!photo_failed.empty()) record.fields.push_back({"photo_failed", photo_failed});
    return record;
}

Decision device_lost(hardware::DeviceKind kind, const std::string& reason,
                     const std::optional<Parcel>& parcel) {
    const bool active = parcel && !is_terminal(parcel->state);
    Decision decision;
    std::string message;
    if (kind == hardware::DeviceKind::Scale && active && parcel->state == ParcelState::Weighing) {
        decision.forget_reading = true;
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
    decision.verdict = told(VerdictKind::Info, verdict::device_paused, std::move(message));
    return decision;
}

Decision device_back(hardware::DeviceKind kind, const std::optional<Parcel>& parcel,
                     bool print_waiting) {
    const bool active = parcel && !is_terminal(parcel->state);
    std::string message = "The " + std::string(device_word(kind)) + " is back.";
    Decision decision;
    if (active && kind == hardware::DeviceKind::Scale && parcel->state == ParcelState::Weighing &&
        parcel->contents != CheckStatus::Passed) {
        decision.restart_wait = true;
        message += " Put the parcel on the scale.";
    } else if (active && kind == hardware::DeviceKind::LabelPrinter) {
        decision.restart_wait = true;
        if (print_waiting && parcel->state == ParcelState::Weighing &&
            parcel->contents == CheckStatus::Passed) {
            message += " Printing the label.";
            decision.then = FollowUp::Express;
        } else if (parcel->state == ParcelState::Exception && parcel->exception &&
                   (parcel->exception->reason == reason::print_failed ||
                    parcel->exception->reason == reason::print_pending)) {
            // The print failed because the printer went away; it is back, so
            // the parcel continues where it was.
            message += " Printing the label again.";
            decision.then = FollowUp::Retry;
        }
    } else if (active && kind == hardware::DeviceKind::Scanner) {
        message += " " + resume_hint(*parcel);
    }
    decision.verdict = told(VerdictKind::Info, verdict::device_resumed, std::move(message));
    return decision;
}

Decision order_changed(const std::optional<Order>& before, const Order& now, const Parcel& parcel) {
    if (now.status == OrderStatus::Cancelled) {
        // Nothing of a cancelled order ships, wherever its parcel was.
        Parcel next = parcel;
        const bool labelled = !next.label_job_id.empty() || next.label_attempts > 0;
        const std::string message = "STOP: order " + now.id +
                                    " was cancelled while you packed it. Take the items out" +
                                    (labelled ? " and destroy the label" : "") + "; nothing ships.";
        next.state = ParcelState::Abandoned;
        next.exception =
            ParcelException{"customer", std::string(reason::order_cancelled), message, {}};
        Decision decision =
            step(std::move(next), "parcel.abandoned",
                 {{"reason", std::string(reason::order_cancelled)}, {"remote", true}});
        decision.verdict = told(VerdictKind::Exception, std::string(reason::order_cancelled),
                                message, {{"order", now.id}});
        return decision;
    }
    if (now.status == OrderStatus::OnHold) {
        if (parcel.exception && parcel.exception->reason == reason::order_on_hold) return {};
        return raise("customer",
                     CheckResult::fail(std::string(reason::order_on_hold),
                                       "Order " + now.id +
                                           " was put on hold while you packed it. Set the "
                                           "parcel aside; scan RETRY when it is released.",
                                       {{"order", now.id}}),
                     parcel);
    }
    if (!before) return {};
    const CheckResult label = check_label_recipient(now.id, before->recipient, now.recipient);
    if (label.passed) return {};
    const CheckResult recipient = check_recipient(now.recipient);
    if (!recipient.passed) return raise("customer", recipient, parcel);
    if (parcel.state == ParcelState::AwaitingScanBack || parcel.state == ParcelState::Printing)
        return raise("express", label, parcel);
    return tell(VerdictKind::Info, verdict::order_updated,
                "Order " + now.id + " was updated centrally (new address); go on.",
                {{"order", now.id}});
}

}  // namespace flow
}  // namespace packline::station
