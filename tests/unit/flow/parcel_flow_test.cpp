// The packing rules as tables: every parcel state meets every kind of input,
// and every mistake the demo plants is caught by the rule that owns it. No
// store, no clock, no thread: the rules are functions of data.
#include "packline/station/parcel_flow.h"

#include <gtest/gtest.h>

#include <array>
#include <functional>
#include <string>
#include <vector>

#include "../checks/checks_fixtures.h"

namespace packline::station {
namespace {

using flow::Decision;
using flow::FollowUp;
using flow::SkuMap;
using hardware::PrintJobState;
using hardware::WeightReading;
using hardware::WeightStatus;

constexpr std::int64_t kNow = 1'700'000'000'000;
constexpr std::string_view kUps = "1Z5R89390357567127";

constexpr std::array kStates = {ParcelState::Scanning,  ParcelState::Weighing,
                                ParcelState::Printing,  ParcelState::AwaitingScanBack,
                                ParcelState::Exception, ParcelState::Confirmed,
                                ParcelState::Abandoned};

// One order of two red T-shirts (L) and a mug, with its catalogue.
struct Fixture {
    SkuMap skus = testing::catalogue();
    Order order = testing::order_with({{"TEE-RED-L", 2}, {"MUG-WHT", 1}});
    std::vector<OrderLine> open_lines = order.lines;

    flow::OrderContext context() const {
        return flow::OrderContext{&order, &skus, &open_lines, 100.0, WeightTolerance{}};
    }
    // The order's parcel in `state`, with what that state implies.
    Parcel parcel(ParcelState state) const {
        Parcel parcel;
        parcel.id = 7;
        parcel.order_id = order.id;
        parcel.carrier = "ups";
        parcel.state = state;
        parcel.customer = CheckStatus::Passed;
        if (state != ParcelState::Scanning) {
            parcel.items = {testing::scanned("TEE-RED-L"), testing::scanned("TEE-RED-L"),
                            testing::scanned("MUG-WHT")};
            parcel.expected_weight_g = 180.0 * 2 + 350.0 + 100.0;
        }
        if (state == ParcelState::Printing || state == ParcelState::AwaitingScanBack ||
            state == ParcelState::Confirmed) {
            parcel.contents = CheckStatus::Passed;
            parcel.tracking_number = std::string(kUps);
            parcel.label_job_id = "job-1";
            parcel.label_attempts = 1;
        }
        if (state == ParcelState::Exception)
            parcel.exception = ParcelException{"contents", "weight.too_heavy", "Too heavy.", {}};
        return parcel;
    }
    flow::ItemInput item(const std::string& sku_id) const {
        flow::ItemInput item;
        item.code = sku_id;
        if (auto found = skus.find(sku_id); found != skus.end()) item.sku = found->second;
        return item;
    }
};

WeightReading stable(double grams) {
    WeightReading reading;
    reading.grams = grams;
    reading.status = WeightStatus::Stable;
    return reading;
}

hardware::PrintJobUpdate job(std::string id, PrintJobState state) {
    hardware::PrintJobUpdate update;
    update.job_id = std::move(id);
    update.state = state;
    return update;
}

ScanInput code(const std::string& payload, bool manual = false) {
    return classify_scan(payload + "\r", manual);
}

// What a decision does, in one line, for the tables.
struct Outcome {
    std::string step;        // "" = nothing committed
    std::string next_state;  // "" = nothing committed
    std::string verdict;     // verdict code, "" = silent
    FollowUp then = FollowUp::None;
};

Outcome outcome(const Decision& decision) {
    Outcome seen;
    if (decision.next) {
        seen.step = decision.step.type;
        seen.next_state = std::string(to_string(decision.next->state));
    }
    if (decision.verdict) seen.verdict = decision.verdict->code;
    seen.then = decision.then;
    return seen;
}

void expect_outcome(const Decision& decision, const Outcome& want, const std::string& where) {
    const Outcome got = outcome(decision);
    EXPECT_EQ(got.step, want.step) << where;
    EXPECT_EQ(got.next_state, want.next_state) << where;
    EXPECT_EQ(got.verdict, want.verdict) << where;
    EXPECT_EQ(got.then, want.then) << where;
}

// ---- every state with every kind of input ---------------------------------

struct InputKind {
    const char* name;
    std::function<Decision(const Fixture&, const Parcel&)> apply;
    // The outcome in each state, in the order of kStates.
    std::array<Outcome, kStates.size()> want;
};

TEST(ParcelFlow, EveryStateMeetsEveryKindOfInput) {
    const Outcome none;
    const Outcome idle_close{"", "", "command.ignored", FollowUp::None};
    const std::vector<InputKind> inputs{
        {"scale reading in tolerance",
         [](const Fixture& f, const Parcel& p) { return flow::weigh(f.context(), p, stable(812)); },
         {none, Outcome{"weight.accepted", "weighing", "weight.accepted", FollowUp::Express}, none,
          none, none, none, none}},
        {"printer's answer: completed",
         [](const Fixture&, const Parcel& p) {
             return flow::print_finished(p, job("job-1", PrintJobState::Completed));
         },
         {none, none, Outcome{"label.printed", "awaiting_scan_back", "label.printed"}, none, none,
          none, none}},
        {"CLOSE",
         [](const Fixture& f, const Parcel& p) { return flow::close_parcel(f.context(), p); },
         {Outcome{"parcel.exception", "exception", "contents.missing_item"}, idle_close, idle_close,
          idle_close, idle_close, idle_close, idle_close}},
        {"RETRY",
         [](const Fixture& f, const Parcel& p) { return flow::retry_parcel(f.context(), p); },
         {Outcome{"", "", "command.ignored"}, Outcome{"", "", "command.ignored"},
          Outcome{"", "", "command.ignored"}, Outcome{"", "", "command.ignored"},
          Outcome{"parcel.retry", "weighing", "parcel.retry"}, Outcome{"", "", "command.ignored"},
          Outcome{"", "", "command.ignored"}}},
        {"ABANDON",
         [](const Fixture&, const Parcel& p) { return flow::abandon_parcel(p); },
         {Outcome{"parcel.abandoned", "abandoned", "parcel.abandoned"},
          Outcome{"parcel.abandoned", "abandoned", "parcel.abandoned"},
          Outcome{"parcel.abandoned", "abandoned", "parcel.abandoned"},
          Outcome{"parcel.abandoned", "abandoned", "parcel.abandoned"},
          Outcome{"parcel.abandoned", "abandoned", "parcel.abandoned"},
          Outcome{"parcel.abandoned", "abandoned", "parcel.abandoned"},
          Outcome{"parcel.abandoned", "abandoned", "parcel.abandoned"}}},
    };
    const Fixture fixture;
    for (const InputKind& input : inputs) {
        for (std::size_t index = 0; index < kStates.size(); ++index) {
            const Parcel parcel = fixture.parcel(kStates[index]);
            const Decision decision = input.apply(fixture, parcel);
            expect_outcome(
                decision, input.want[index],
                std::string(input.name) + " in " + std::string(to_string(kStates[index])));
        }
    }
}

TEST(ParcelFlow, ScansRouteByState) {
    const Fixture fixture;
    const ScanInput item = code("TEE-RED-L");
    const ScanInput label = code("PL1|SO-1001|" + std::string(kUps));
    const ScanInput typed = code(std::string(kUps), true);
    struct Row {
        ParcelState state;
        flow::ScanRoute item, label, typed;
    };
    using flow::ScanRoute;
    const Row rows[] = {
        {ParcelState::Scanning, ScanRoute::ItemOrWaybill, ScanRoute::ItemOrWaybill,
         ScanRoute::ItemOrWaybill},
        {ParcelState::Weighing, ScanRoute::ItemOrWaybill, ScanRoute::ItemOrWaybill,
         ScanRoute::ItemOrWaybill},
        {ParcelState::Printing, ScanRoute::WhilePrinting, ScanRoute::WhilePrinting,
         ScanRoute::WhilePrinting},
        {ParcelState::AwaitingScanBack, ScanRoute::ScanBack, ScanRoute::ScanBack,
         ScanRoute::Refused},
        {ParcelState::Exception, ScanRoute::Refused, ScanRoute::Refused, ScanRoute::Refused},
        {ParcelState::Confirmed, ScanRoute::StartParcel, ScanRoute::AlreadyConfirmed,
         ScanRoute::AlreadyConfirmed},
        {ParcelState::Abandoned, ScanRoute::StartParcel, ScanRoute::StartParcel,
         ScanRoute::StartParcel},
    };
    for (const Row& row : rows) {
        const std::optional<Parcel> parcel = fixture.parcel(row.state);
        const std::string where(to_string(row.state));
        EXPECT_EQ(flow::route_scan(parcel, item), row.item) << where;
        EXPECT_EQ(flow::route_scan(parcel, label), row.label) << where;
        EXPECT_EQ(flow::route_scan(parcel, typed), row.typed) << where;
    }
    EXPECT_EQ(flow::route_scan(std::nullopt, item), ScanRoute::StartParcel);
    EXPECT_EQ(
        outcome(flow::route_refusal(fixture.parcel(ParcelState::Exception), ScanRoute::Refused))
            .verdict,
        "parcel.in_exception");
    EXPECT_EQ(outcome(flow::route_refusal(fixture.parcel(ParcelState::AwaitingScanBack),
                                          ScanRoute::Refused))
                  .verdict,
              "scan.manual_not_allowed");
}

TEST(ScanInput, ClassifiesOnceWithEveryMeaning) {
    EXPECT_EQ(classify_scan("\r\n", false).kind, ScanKind::Empty);
    const ScanInput command = classify_scan("PL-CMD:RETRY\r", false);
    EXPECT_EQ(command.kind, ScanKind::Command);
    EXPECT_EQ(command_from_name(command.argument), Command::Retry);
    EXPECT_EQ(command_from_name("FLY"), Command::Unknown);
    EXPECT_EQ(classify_scan("PL-SUP:B-7", false).kind, ScanKind::SupervisorBadge);
    EXPECT_TRUE(classify_scan("PL-PACKER:li", true).is_badge());
    EXPECT_EQ(classify_scan("PL-REASON:damaged", false).argument, "damaged");
    const ScanInput label = classify_scan("]Q1PL1|SO-9|" + std::string(kUps), false);
    ASSERT_TRUE(label.is_label());
    EXPECT_EQ(*label.label_order_id, "SO-9");
    EXPECT_EQ(label.tracking_number, kUps);
    const ScanInput waybill = classify_scan(" 1z5r89390357567127 ", false);
    EXPECT_FALSE(waybill.is_label());
    EXPECT_EQ(waybill.tracking_number, kUps);
}

// ---- the path of a good parcel ----------------------------------------------

TEST(ParcelFlow, AGoodParcelFromFirstScanToConfirmation) {
    Fixture fixture;
    const std::vector<Parcel> previous;
    flow::ParcelStart start{&previous, "", "bench-1", "li", "BOX-S", false};
    Decision started = flow::start_parcel(fixture.context(), start, kNow);
    expect_outcome(started, {"parcel.started", "scanning", "parcel.started"}, "start");
    ASSERT_TRUE(started.next);
    Parcel parcel = *started.next;
    EXPECT_EQ(parcel.sequence, 1);
    EXPECT_EQ(parcel.customer, CheckStatus::Passed);
    EXPECT_EQ(parcel.created_at_ms, kNow);
    parcel.id = 7;

    for (const char* sku : {"TEE-RED-L", "MUG-WHT", "TEE-RED-L"}) {
        Decision added = flow::add_item(fixture.context(), parcel, fixture.item(sku), kNow + 1);
        ASSERT_TRUE(added.next) << sku;
        parcel = *added.next;
    }
    EXPECT_EQ(parcel.state, ParcelState::Weighing);
    EXPECT_DOUBLE_EQ(parcel.expected_weight_g, 180.0 * 2 + 350.0 + 100.0);
    EXPECT_EQ(parcel.items.back().at_ms, kNow + 1);

    Decision weighed = flow::weigh(fixture.context(), parcel, stable(815));
    expect_outcome(weighed, {"weight.accepted", "weighing", "weight.accepted", FollowUp::Express},
                   "weigh");
    parcel = *weighed.next;
    EXPECT_EQ(parcel.contents, CheckStatus::Passed);

    const std::string number = flow::assigned_tracking(parcel, fixture.order);
    EXPECT_EQ(number, "");  // the order has none: from the pool
    flow::TrackingChoice choice = flow::choose_tracking(parcel, std::string(kUps), false);
    ASSERT_FALSE(choice.refused);
    Decision submitted = flow::label_submitted(choice.next, "job-9", "label.submitted", "pool");
    expect_outcome(submitted, {"label.submitted", "printing", "label.submitted"}, "submit");
    EXPECT_EQ(submitted.pool_number, "pool");
    parcel = *submitted.next;
    EXPECT_EQ(parcel.label_attempts, 1);

    EXPECT_TRUE(flow::print_finished(parcel, job("job-8", PrintJobState::Completed)).empty());
    EXPECT_TRUE(flow::print_finished(parcel, job("job-9", PrintJobState::Printing)).empty());
    parcel = *flow::print_finished(parcel, job("job-9", PrintJobState::Completed)).next;
    EXPECT_EQ(parcel.state, ParcelState::AwaitingScanBack);

    const ScanInput label = code("PL1|SO-1001|" + std::string(kUps));
    Decision scanned_back =
        flow::scan_back(fixture.order, parcel, label.label_order_id, label.tracking_number);
    expect_outcome(scanned_back, {"", "", "", FollowUp::Confirm}, "scan back");

    const flow::Confirmation confirmed = flow::confirm_parcel(fixture.context(), parcel, kNow + 9);
    EXPECT_EQ(confirmed.next.state, ParcelState::Confirmed);
    EXPECT_EQ(confirmed.next.express, CheckStatus::Passed);
    EXPECT_EQ(confirmed.next.confirmed_at_ms, kNow + 9);
    EXPECT_TRUE(confirmed.order_done);
}

// ---- every mistake the demo plants ------------------------------------------

TEST(ParcelFlow, EveryPlantedMistakeIsCaughtByItsRule) {
    Fixture fixture;
    const Parcel scanning = fixture.parcel(ParcelState::Scanning);
    const std::vector<Parcel> previous;
    const flow::ParcelStart start{&previous, "", "bench-1", "li", "", false};
    auto reason = [](const Decision& decision) {
        return decision.verdict ? decision.verdict->code : std::string("(silent)");
    };

    // Wrong variant, extra item, repeated serial: refused with a log line.
    Decision wrong = flow::add_item(fixture.context(), scanning, fixture.item("TEE-RED-M"), kNow);
    EXPECT_EQ(reason(wrong), "contents.wrong_variant");
    ASSERT_TRUE(wrong.logged);
    EXPECT_EQ(wrong.logged->type, "item.rejected");
    EXPECT_EQ(wrong.next->state, ParcelState::Exception);

    Parcel full = fixture.parcel(ParcelState::Scanning);
    full.items = {testing::scanned("TEE-RED-L"), testing::scanned("TEE-RED-L")};
    EXPECT_EQ(reason(flow::add_item(fixture.context(), full, fixture.item("TEE-RED-L"), kNow)),
              "contents.over_quantity");

    fixture.order.lines.push_back({"PHONE-X", 1});
    fixture.open_lines = fixture.order.lines;
    flow::ItemInput phone = fixture.item("PHONE-X");
    phone.serial = "SN-1";
    phone.serial_elsewhere = true;
    EXPECT_EQ(reason(flow::add_item(fixture.context(), scanning, phone, kNow)),
              "contents.serial_repeated");

    // Missing item: CLOSE before every line is scanned.
    EXPECT_EQ(reason(flow::close_parcel(fixture.context(), scanning)), "contents.missing_item");

    // Weight off and an unstable scale.
    const Parcel weighing = fixture.parcel(ParcelState::Weighing);
    EXPECT_EQ(reason(flow::weigh(fixture.context(), weighing, stable(2000))), "weight.too_heavy");
    WeightReading moving = stable(800);
    moving.status = WeightStatus::InMotion;
    EXPECT_TRUE(flow::weigh(fixture.context(), weighing, moving).empty());
    EXPECT_EQ(reason(flow::weigh_timeout(fixture.context(), weighing, moving)), "weight.unstable");

    // Cancelled, on hold and a bad phone: at the first scan.
    fixture.order.status = OrderStatus::Cancelled;
    Decision cancelled = flow::start_parcel(fixture.context(), start, kNow);
    EXPECT_EQ(reason(cancelled), "customer.order_cancelled");
    EXPECT_EQ(cancelled.next->state, ParcelState::Abandoned);
    fixture.order.status = OrderStatus::OnHold;
    EXPECT_EQ(reason(flow::start_parcel(fixture.context(), start, kNow)), "customer.order_on_hold");
    fixture.order.status = OrderStatus::Open;
    fixture.order.recipient.phone = "12";
    Decision bad_phone = flow::start_parcel(fixture.context(), start, kNow);
    EXPECT_EQ(bad_phone.step.type, "parcel.started");  // on record first, then the exception
    ASSERT_TRUE(bad_phone.then_raise);
    EXPECT_EQ(bad_phone.then_raise->result.reason, "customer.phone_invalid");
    EXPECT_FALSE(bad_phone.verdict);

    // An invalid tracking number, and the label of another order.
    const flow::TrackingChoice invalid =
        flow::choose_tracking(weighing, "1Z5R89390357567128", false);
    ASSERT_TRUE(invalid.refused);
    EXPECT_EQ(reason(*invalid.refused), "express.tracking_invalid");
    EXPECT_TRUE(invalid.refused->next->tracking_number.empty());
    const ScanInput other = code("PL1|SO-2002|" + std::string(kUps));
    EXPECT_EQ(reason(flow::scan_back(fixture.order, fixture.parcel(ParcelState::AwaitingScanBack),
                                     other.label_order_id, other.tracking_number)),
              "express.label_other_order");
}

// ---- supervisor overrides and retries --------------------------------------

TEST(ParcelFlow, OverridesGoOnWhereTheCheckLeftOff) {
    const Fixture fixture;
    struct Row {
        std::string check, reason;
        ParcelState next;
        FollowUp then;
    };
    const Row rows[] = {
        {"customer", "customer.phone_invalid", ParcelState::Scanning, FollowUp::None},
        {"contents", "contents.missing_item", ParcelState::Weighing, FollowUp::None},
        {"contents", "weight.too_heavy", ParcelState::Exception, FollowUp::Express},
        {"express", "express.label_unreadable", ParcelState::Exception, FollowUp::Confirm},
    };
    for (const Row& row : rows) {
        Parcel parcel = fixture.parcel(ParcelState::Exception);
        parcel.exception = ParcelException{row.check, row.reason, "", {}};
        ASSERT_TRUE(is_overridable(row.reason)) << row.reason;
        const Decision decision = flow::override_exception(
            fixture.context(), parcel, {"damaged_box", "Damaged box", "B-7", "Wang"});
        ASSERT_TRUE(decision.next) << row.reason;
        EXPECT_EQ(decision.step.type, "parcel.override");
        EXPECT_EQ(decision.step.text("supervisor"), "B-7");
        EXPECT_EQ(decision.next->state, row.next) << row.reason;
        EXPECT_FALSE(decision.next->exception);
        EXPECT_EQ(decision.then, row.then) << row.reason;
    }
    for (const char* fixed : {"contents.wrong_variant", "express.tracking_reused",
                              "express.print_failed", "express.label_outdated"})
        EXPECT_FALSE(is_overridable(fixed)) << fixed;
}

TEST(ParcelFlow, RetryReturnsToTheStepThatFailed) {
    const Fixture fixture;
    struct Row {
        std::string check, reason;
        std::string next_state;
        FollowUp then;
        bool reloads_order;
    };
    const Row rows[] = {
        {"customer", "customer.order_on_hold", "scanning", FollowUp::None, true},
        {"customer", "customer.waybill_mismatch", "weighing", FollowUp::None, false},
        {"contents", "contents.wrong_variant", "weighing", FollowUp::None, false},
        {"contents", "contents.missing_item", "scanning", FollowUp::None, false},
        {"contents", "weight.unstable", "weighing", FollowUp::None, false},
        {"express", "express.label_other_order", "awaiting_scan_back", FollowUp::None, false},
        {"express", "express.print_failed", "exception", FollowUp::Express, false},
    };
    for (const Row& row : rows) {
        Parcel parcel = fixture.parcel(ParcelState::Exception);
        parcel.exception = ParcelException{row.check, row.reason, "", {}};
        EXPECT_EQ(flow::retry_reloads_order(parcel), row.reloads_order) << row.reason;
        const Decision decision = flow::retry_parcel(fixture.context(), parcel);
        ASSERT_TRUE(decision.next) << row.reason;
        EXPECT_EQ(decision.step.type, "parcel.retry");
        EXPECT_EQ(decision.step.text("reason"), row.reason);
        EXPECT_EQ(std::string(to_string(decision.next->state)), row.next_state) << row.reason;
        EXPECT_EQ(decision.then, row.then) << row.reason;
    }
}

TEST(ParcelFlow, AnOrderChangedCentrallyStopsOrRechecksItsParcel) {
    const Fixture fixture;
    const Parcel printing = fixture.parcel(ParcelState::Printing);
    Order now = fixture.order;
    now.status = OrderStatus::Cancelled;
    const Decision cancelled = flow::order_changed(fixture.order, now, printing);
    EXPECT_EQ(cancelled.next->state, ParcelState::Abandoned);
    EXPECT_NE(cancelled.verdict->message.find("destroy the label"), std::string::npos);

    now.status = OrderStatus::Open;
    now.recipient.address.lines = {"1 Other Street"};
    EXPECT_EQ(flow::order_changed(fixture.order, now, printing).verdict->code,
              "express.label_outdated");
    EXPECT_EQ(flow::order_changed(fixture.order, now, fixture.parcel(ParcelState::Scanning))
                  .verdict->code,
              "order.updated");
    EXPECT_TRUE(flow::order_changed(fixture.order, fixture.order, printing).empty());
}

}  // namespace
}  // namespace packline::station
