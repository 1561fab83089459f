// The station's inbox (sync/station/inbox.h) applied to a real PackingStation
// and Store: what the hub sends reaches the parcel in progress at once, is
// applied once however often it arrives, and whatever cannot be applied goes
// back to the hub as an error event. No broker here: the messages are the
// values decode_inbound produces (the broker tests feed real payloads).
#include "packline/sync/station/inbox.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "packline/station/message_sequence.h"
#include "packline/station/messages.h"
#include "packline/sync/inbound.h"
#include "packline/sync/schemas.h"
#include "station_scene.h"

namespace packline::sync {
namespace {

using station::OrderStatus;
using station::ParcelState;
using station::VerdictKind;

class InboxTest : public station::testing::StationScene {
  protected:
    void SetUp() override {
        StationScene::SetUp();
        config_.site = "ams1";
        config_.station_id = "bench-1";
        start_station();
        inbox_ = std::make_unique<Inbox>(*store_, *station_, StationIdentity{"ams1", "bench-1"},
                                         [this] { return now_ms_; });
    }
    void TearDown() override {
        inbox_.reset();
        StationScene::TearDown();
    }

    InboundMessage message(TopicKind kind, InboundBody body, std::string event_id = {}) {
        InboundMessage message;
        message.topic = Topic{kind, "ams1", "bench-1", {}};
        message.event_id = event_id.empty() ? station::new_event_id() : std::move(event_id);
        message.sent_at_ms = now_ms_;
        message.body = std::move(body);
        return message;
    }

    Result<Inbox::Effect> apply(const InboundMessage& inbound) {
        return inbox_->apply(inbound, "packline/v1/ams1/test", "{}");
    }

    Result<Inbox::Effect> apply_order(station::Order order) {
        return apply(message(TopicKind::Order, std::move(order)));
    }

    Result<Inbox::Effect> apply_command(CommandKind kind, std::string text = {},
                                        std::string event_id = {}) {
        Command command;
        command.kind = kind;
        command.issued_by = "SUP-7";
        command.reason = "line check";
        command.text = std::move(text);
        return apply(message(TopicKind::Commands, command, std::move(event_id)));
    }

    station::Order order_a1() { return *store_->find_order("A-1").value(); }

    // The error events in the outbox, each checked against the hub's schema.
    std::vector<nlohmann::json> error_events() {
        std::vector<nlohmann::json> errors;
        for (const station::OutboxMessage& row : outbox_rows("events")) {
            EXPECT_TRUE(validate_message("station-event", row.payload)) << row.payload;
            auto json = nlohmann::json::parse(row.payload);
            if (json["kind"] == "error") errors.push_back(std::move(json));
        }
        return errors;
    }

    std::int64_t now_ms_ = 1'795'000'000'000;
    std::unique_ptr<Inbox> inbox_;
};

TEST_F(InboxTest, AnOrderCancelledWhileItIsPackedStopsItsParcel) {
    scan("A-1");
    scan("]E04006381333931");
    ASSERT_EQ(state(), ParcelState::Scanning);
    station::Order cancelled = order_a1();
    cancelled.status = OrderStatus::Cancelled;
    ASSERT_TRUE(apply_order(cancelled));
    EXPECT_EQ(state(), ParcelState::Abandoned);
    EXPECT_EQ(screen_.last().kind, VerdictKind::Exception);
    EXPECT_EQ(screen_.last().code, "customer.order_cancelled");
    EXPECT_NE(screen_.last().message.find("nothing ships"), std::string::npos);
    EXPECT_EQ(store_->find_order("A-1").value()->status, OrderStatus::Cancelled);
    // And it cannot be started again.
    scan("A-1");
    EXPECT_EQ(screen_.last().code, "customer.order_cancelled");
    EXPECT_EQ(store_->count_confirmations().value(), 0);
}

TEST_F(InboxTest, AnOrderPutOnHoldWhilePackedWaitsUntilItIsReleased) {
    scan("A-1");
    station::Order held = order_a1();
    held.status = OrderStatus::OnHold;
    ASSERT_TRUE(apply_order(held));
    EXPECT_EQ(state(), ParcelState::Exception);
    EXPECT_EQ(screen_.last().code, "customer.order_on_hold");
    scan("PL-CMD:RETRY");  // still on hold
    EXPECT_EQ(state(), ParcelState::Exception);
    EXPECT_EQ(screen_.last().code, "customer.order_on_hold");
    held.status = OrderStatus::Open;
    ASSERT_TRUE(apply_order(held));
    scan("PL-CMD:RETRY");
    EXPECT_EQ(state(), ParcelState::Scanning) << screen_.last().message;
    // The hub heard of both exceptions.
    EXPECT_EQ(outbox_event_kinds(),
              (std::vector<std::string>{"packing_started", "exception", "exception"}));
}

TEST_F(InboxTest, AnAddressChangedAfterTheLabelPrintedNeedsTheNewLabel) {
    pack_a1_to_scan_back();
    const std::string old_label = label_scan();
    station::Order moved = order_a1();
    moved.recipient.address.lines = {"500 Howard St"};
    moved.recipient.address.postal_code = "94105";
    ASSERT_TRUE(apply_order(moved));
    EXPECT_EQ(state(), ParcelState::Exception);
    EXPECT_EQ(screen_.last().code, "express.label_outdated");
    // A supervisor cannot wave the old label through.
    scan("PL-SUP:SUP-0001");
    scan("PL-REASON:label-verified");
    EXPECT_EQ(screen_.last().code, "override.not_allowed");
    scan("PL-CMD:REPRINT");
    pump_printer();
    ASSERT_EQ(state(), ParcelState::AwaitingScanBack) << screen_.last().message;
    const auto jobs = printer_.jobs();
    ASSERT_GE(jobs.size(), 2u);
    const auto label = printer_.job_data(jobs.back().id);
    ASSERT_TRUE(label);
    EXPECT_NE(label->find("500 Howard St"), std::string::npos);
    scan(label_scan());
    EXPECT_EQ(state(), ParcelState::Confirmed) << screen_.last().message;
}

TEST_F(InboxTest, AnAddressChangeBeforeTheLabelIsCheckedAndPackingGoesOn) {
    scan("A-1");
    station::Order moved = order_a1();
    moved.recipient.address.postal_code = "not a zip";
    ASSERT_TRUE(apply_order(moved));
    EXPECT_EQ(state(), ParcelState::Exception);
    EXPECT_EQ(screen_.last().code.rfind("customer.", 0), 0u) << screen_.last().code;
    moved.recipient.address.postal_code = "94107";
    ASSERT_TRUE(apply_order(moved));
    scan("PL-CMD:RETRY");
    EXPECT_EQ(state(), ParcelState::Scanning) << screen_.last().message;
}

TEST_F(InboxTest, PauseRefusesEveryScanUntilResumedAndSurvivesARestart) {
    ASSERT_TRUE(apply_command(CommandKind::Pause));
    EXPECT_EQ(station_->snapshot().state, "paused");
    scan("A-1");
    EXPECT_EQ(screen_.last().code, "station.paused");
    EXPECT_NE(screen_.last().message.find("SUP-7"), std::string::npos);
    EXPECT_FALSE(station_->parcel());

    inbox_.reset();
    start_station();  // a restart stays paused
    inbox_ = std::make_unique<Inbox>(*store_, *station_, StationIdentity{"ams1", "bench-1"},
                                     [this] { return now_ms_; });
    EXPECT_EQ(station_->snapshot().state, "paused");
    scan("A-1");
    EXPECT_EQ(screen_.last().code, "station.paused");

    ASSERT_TRUE(apply_command(CommandKind::Resume));
    EXPECT_EQ(screen_.last().code, "station.resumed");
    scan("A-1");
    EXPECT_EQ(state(), ParcelState::Scanning);
    EXPECT_EQ(station_->snapshot().state, "scanning");
}

TEST_F(InboxTest, ARedeliveredCommandIsCarriedOutOnce) {
    const std::string id = station::new_event_id();
    ASSERT_TRUE(apply_command(CommandKind::Message, "Break in 5 minutes", id));
    ASSERT_TRUE(apply_command(CommandKind::Message, "Break in 5 minutes", id));
    int shown = 0;
    for (const station::Verdict& verdict : screen_.verdicts)
        if (verdict.code == "station.message") ++shown;
    EXPECT_EQ(shown, 1);
    EXPECT_EQ(inbox_->stats().applied, 1);
    EXPECT_EQ(inbox_->stats().duplicates, 1);
    EXPECT_NE(screen_.last().message.find("Break in 5 minutes"), std::string::npos);
}

TEST_F(InboxTest, AnExpiredCommandIsRefusedAndTheHubHearsWhy) {
    Command pause;
    pause.kind = CommandKind::Pause;
    pause.issued_by = "SUP-7";
    pause.expires_at_ms = now_ms_ - 60'000;
    auto inbound = message(TopicKind::Commands, pause);
    EXPECT_FALSE(apply(inbound));
    EXPECT_NE(station_->snapshot().state, "paused");
    auto errors = error_events();
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0]["code"], "sync.command_expired");
}

TEST_F(InboxTest, ARemoteReprintNeedsALabelAndIsAuditedAsTheSupervisors) {
    EXPECT_FALSE(apply(message(TopicKind::Commands,
                               Command{CommandKind::Reprint, "SUP-7", "smudged", {}, {}, 0})));
    ASSERT_EQ(error_events().size(), 1u);
    EXPECT_EQ(error_events()[0]["code"], "command.not_applicable");

    pack_a1_to_scan_back();
    // For another order: refused.
    EXPECT_FALSE(apply(message(TopicKind::Commands,
                               Command{CommandKind::Reprint, "SUP-7", "smudged", {}, "B-9", 0})));
    const std::size_t jobs_before = printer_.jobs().size();
    ASSERT_TRUE(apply(message(TopicKind::Commands,
                              Command{CommandKind::Reprint, "SUP-7", "smudged", {}, "A-1", 0})));
    pump_printer();
    EXPECT_EQ(printer_.jobs().size(), jobs_before + 1);
    EXPECT_EQ(state(), ParcelState::AwaitingScanBack);
    const auto audits = events_of(station_->parcel()->id, "label.reprint_requested");
    ASSERT_EQ(audits.size(), 1u);
    EXPECT_NE(audits[0].payload.find("\"supervisor\""), std::string::npos) << audits[0].payload;
    EXPECT_NE(audits[0].payload.find("SUP-7"), std::string::npos) << audits[0].payload;
    EXPECT_NE(audits[0].payload.find("smudged"), std::string::npos) << audits[0].payload;
    scan(label_scan());
    EXPECT_EQ(state(), ParcelState::Confirmed);
}

TEST_F(InboxTest, PoolTopUpsAddEachNumberOnce) {
    TrackingPoolTopUp top_up{"ups", {"1Z879E930346834440", "1Z5R89390357567127"}};
    auto effect = apply(message(TopicKind::TrackingPool, top_up));
    ASSERT_TRUE(effect);
    EXPECT_EQ(*effect, Inbox::Effect::Pool);
    ASSERT_TRUE(apply(message(TopicKind::TrackingPool, top_up)));  // new id, same numbers
    auto stock = store_->pool_stock();
    ASSERT_TRUE(stock);
    ASSERT_EQ(stock->size(), 1u);
    EXPECT_EQ(stock->front().carrier, "ups");
    EXPECT_EQ(stock->front().available, 2);
}

TEST_F(InboxTest, DeletedObjectsLeaveTheStoreButAnOrderWithParcelsStaysCancelled) {
    ASSERT_TRUE(store_->upsert_order(station::testing::scene_order("B-2", {{"MUG", 1}})));
    ASSERT_TRUE(apply(message(TopicKind::Order, ObjectDeleted{TopicKind::Order, "B-2"}, "x")));
    EXPECT_FALSE(store_->find_order("B-2").value());

    scan("A-1");
    ASSERT_TRUE(apply(message(TopicKind::Order, ObjectDeleted{TopicKind::Order, "A-1"}, "y")));
    ASSERT_TRUE(store_->find_order("A-1").value());
    EXPECT_EQ(store_->find_order("A-1").value()->status, OrderStatus::Cancelled);
    EXPECT_EQ(state(), ParcelState::Abandoned);

    ASSERT_TRUE(apply(message(TopicKind::Sku, ObjectDeleted{TopicKind::Sku, "MUG"}, "z")));
    EXPECT_FALSE(store_->find_sku("MUG").value());
    ASSERT_TRUE(
        apply(message(TopicKind::Packaging, ObjectDeleted{TopicKind::Packaging, "BOX"}, "w")));
    EXPECT_FALSE(store_->find_packaging("BOX").value());
}

TEST_F(InboxTest, ARefusedMessageBecomesAnErrorEventNamingIt) {
    const std::string topic = "packline/v1/ams1/orders/1001";
    const std::string payload =
        R"({"schema":"packline.order/2","event_id":"0b7e6f3a-54c1-4d2e-9a0f-7c1d2e3f4a5b"})";
    auto decoded = decode_inbound(topic, payload);
    ASSERT_FALSE(decoded);
    ASSERT_TRUE(inbox_->refuse(decoded.error(), topic, payload));
    auto errors = error_events();
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0]["code"], "sync.bad_message");
    EXPECT_EQ(errors[0]["topic"], topic);
    EXPECT_EQ(errors[0]["rejected_event_id"], "0b7e6f3a-54c1-4d2e-9a0f-7c1d2e3f4a5b");
    EXPECT_EQ(inbox_->stats().refused, 1);
}

// Issue 14: 10,000 garbage messages on the commands topic made 9,117 outbox
// rows, all relayed to the hub. Refusals are counted; one error event per
// topic kind a minute reports them, carrying the count and a sample reason.
TEST_F(InboxTest, AFloodOfRefusalsIsCountedNotStoredOneByOne) {
    const std::string commands = "packline/v1/ams1/stations/bench-1/commands";
    const std::string orders = "packline/v1/ams1/orders/";
    for (int i = 0; i < 10'000; ++i) {
        const std::string payload = "garbage " + std::to_string(i);
        auto decoded = decode_inbound(commands, payload);
        ASSERT_FALSE(decoded);
        ASSERT_TRUE(inbox_->refuse(decoded.error(), commands, payload));
        now_ms_ += 1;  // 10 s in all
    }
    // Another topic kind is reported on its own, at once.
    ASSERT_TRUE(inbox_->refuse(Error{"sync.bad_message", "not an order"}, orders + "7", "x"));
    EXPECT_EQ(inbox_->stats().refused, 10'001);
    EXPECT_EQ(inbox_->stats().unreported, 9'999);
    auto errors = error_events();
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_EQ(errors[0]["topic"], commands);
    EXPECT_FALSE(errors[0].contains("details"));  // it stands for itself
    EXPECT_EQ(errors[1]["topic"], orders + "7");

    // Within the minute nothing more is written; after it, what was counted.
    ASSERT_TRUE(inbox_->report_refusals());
    EXPECT_EQ(error_events().size(), 2u);
    now_ms_ += kRefusalReportIntervalMs;
    ASSERT_TRUE(inbox_->report_refusals());
    errors = error_events();
    ASSERT_EQ(errors.size(), 3u);
    EXPECT_EQ(errors[2]["topic"], commands);
    EXPECT_EQ(errors[2]["code"], "sync.bad_message");
    EXPECT_EQ(errors[2]["details"],
              nlohmann::json::parse(R"([{"key": "refused", "value": "9999"}])"));
    EXPECT_EQ(inbox_->stats().unreported, 0);
    ASSERT_TRUE(inbox_->report_refusals());
    EXPECT_EQ(error_events().size(), 3u);

    // The next refusal a minute later is reported at once again.
    now_ms_ += kRefusalReportIntervalMs;
    ASSERT_TRUE(inbox_->refuse(Error{"sync.bad_message", "again"}, commands, "y"));
    EXPECT_EQ(error_events().size(), 4u);
}

TEST_F(InboxTest, StationEventsFitTheSchemaAndTheirSequenceOnlyGrows) {
    scan("A-1");
    scan("4006381333931");
    scan("PL-CMD:CLOSE");  // the mug is missing
    scan("PL-SUP:SUP-0001");
    scan("PL-REASON:substitute-approved");
    ASSERT_TRUE(inbox_->refuse(Error{"sync.bad_topic", "test"}, "x", ""));
    auto rows = outbox_rows("events");
    ASSERT_EQ(rows.size(), 4u);
    std::int64_t last = -1;
    for (const station::OutboxMessage& row : rows) {
        const Status valid = validate_message("station-event", row.payload);
        EXPECT_TRUE(valid) << valid.error().to_string() << "\n" << row.payload;
        const auto json = nlohmann::json::parse(row.payload);
        EXPECT_GT(json["sequence"].get<std::int64_t>(), last);
        last = json["sequence"].get<std::int64_t>();
        EXPECT_EQ(json["event_id"], row.event_id);
        if (json["kind"] != "error") {
            EXPECT_EQ(json["parcel_id"], station_->parcel()->id);
        }
    }
    EXPECT_EQ(outbox_event_kinds(),
              (std::vector<std::string>{"packing_started", "exception", "override", "error"}));

    // Restarted, the sequence goes on above everything handed out before.
    start_station();
    auto sequence = station_->message_sequence();
    ASSERT_TRUE(sequence);
    EXPECT_GT((*sequence)->next(), last);
}

}  // namespace
}  // namespace packline::sync
