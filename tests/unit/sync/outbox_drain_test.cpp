// The outbox drain's rules without a broker: a scripted publisher and an
// outbox in memory, pumped by the test thread. The broker tests
// (tests/integration/sync) run the same drain through mosquitto.
#include "packline/sync/outbox_drain.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace packline::sync {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::string kTopic = "packline/v1/ams1/stations/bench-3/events";
const std::string kAcks = "packline/v1/ams1/stations/bench-3/acks";

// Event ids that are UUIDs, as the ack schema wants: row n -> ...-00000000000n.
std::string id(int number) {
    char text[40];
    std::snprintf(text, sizeof text, "00000000-0000-4000-8000-%012d", number);
    return text;
}

class FakeOutbox final : public OutboxSource {
  public:
    void add(int count) {
        for (int index = 0; index < count; ++index) {
            const int number = static_cast<int>(rows.size()) + 1;
            rows.push_back(
                {OutboxRow{number, id(number), kTopic, "{\"n\":" + std::to_string(number) + "}", 0},
                 0, ""});
        }
    }
    Result<std::vector<OutboxRow>> pending(int limit) override {
        if (!fail_with.empty()) return Error{fail_with, "outbox unavailable"};
        std::vector<OutboxRow> result;
        for (const Entry& entry : rows)
            if (entry.delivered_at_ms == 0 && static_cast<int>(result.size()) < limit)
                result.push_back(entry.row);
        return result;
    }
    Status delivered(std::string_view event_id, std::int64_t at_ms) override {
        if (!fail_with.empty()) return Error{fail_with, "outbox unavailable"};
        Entry* entry = find(event_id);
        if (entry == nullptr) return Error{"store.not_found", "no such row"};
        if (entry->delivered_at_ms == 0) entry->delivered_at_ms = at_ms;
        return {};
    }
    Status rejected(std::string_view event_id, std::string_view reason,
                    std::int64_t at_ms) override {
        Entry* entry = find(event_id);
        if (entry == nullptr) return Error{"store.not_found", "no such row"};
        entry->rejection = std::string(reason);
        entry->delivered_at_ms = at_ms;
        return {};
    }
    Status attempted(std::string_view event_id) override {
        Entry* entry = find(event_id);
        if (entry == nullptr) return Error{"store.not_found", "no such row"};
        ++entry->row.attempts;
        return {};
    }
    std::size_t pending_count() const {
        std::size_t count = 0;
        for (const Entry& entry : rows)
            count += entry.delivered_at_ms == 0 ? 1u : 0u;
        return count;
    }

    struct Entry {
        OutboxRow row;
        std::int64_t delivered_at_ms = 0;
        std::string rejection;
    };
    Entry* find(std::string_view event_id) {
        for (Entry& entry : rows)
            if (entry.row.event_id == event_id) return &entry;
        return nullptr;
    }
    std::vector<Entry> rows;
    std::string fail_with;  // non-empty: pending() and delivered() fail with this code
};

class FakePublisher final : public MessagePublisher {
  public:
    Status publish(std::string_view topic, std::string_view payload) override {
        if (!fail_with.empty()) return Error{fail_with, "cannot publish"};
        const auto parsed = nlohmann::json::parse(payload);
        published.push_back(id(parsed["n"].get<int>()));
        EXPECT_EQ(topic, kTopic);
        return {};
    }
    std::vector<std::string> published;  // event ids, in order
    std::string fail_with;
};

AckBatch acks(std::vector<std::pair<std::string, AckResult>> entries) {
    AckBatch batch;
    for (auto& [event_id, result] : entries)
        batch.acks.push_back(Ack{event_id, result, result == AckResult::Rejected ? "refused" : ""});
    return batch;
}

class OutboxDrainTest : public ::testing::Test {
  protected:
    MqttSettings settings_with(int window, std::chrono::milliseconds ack_timeout) {
        MqttSettings settings;
        settings.window = window;
        settings.ack_timeout = ack_timeout;
        return settings;
    }
    FakeOutbox outbox;
    FakePublisher publisher;
};

TEST_F(OutboxDrainTest, NothingGoesOutBeforeTheConnectionThenTheWindowInOutboxOrder) {
    outbox.add(10);
    OutboxDrain drain(outbox, publisher, settings_with(4, 10s), [] { return 1000; });
    ASSERT_TRUE(drain.pump());
    EXPECT_TRUE(publisher.published.empty());

    drain.post_connection(true);
    ASSERT_TRUE(drain.pump());
    EXPECT_THAT(publisher.published, ElementsAre(id(1), id(2), id(3), id(4)));
    EXPECT_EQ(drain.stats().in_flight, 4);
    EXPECT_EQ(outbox.rows[0].row.attempts, 1);
    // Pumping again sends nothing: the window is full and nothing timed out.
    ASSERT_TRUE(drain.pump());
    EXPECT_EQ(publisher.published.size(), 4u);
    EXPECT_EQ(outbox.pending_count(), 10u);
}

TEST_F(OutboxDrainTest, AcksRetireRowsAndFreeTheWindowAndARejectionIsNeverSentAgain) {
    outbox.add(6);
    OutboxDrain drain(outbox, publisher, settings_with(3, 10s), [] { return 1234; });
    drain.post_connection(true);
    ASSERT_TRUE(drain.pump());
    drain.post_acks(acks(
        {{id(2), AckResult::Stored}, {id(1), AckResult::Rejected}, {id(3), AckResult::Duplicate}}));
    ASSERT_TRUE(drain.pump());
    EXPECT_THAT(publisher.published, ElementsAre(id(1), id(2), id(3), id(4), id(5), id(6)));
    EXPECT_EQ(outbox.rows[0].rejection, "refused");
    EXPECT_EQ(outbox.rows[0].delivered_at_ms, 1234);
    EXPECT_EQ(outbox.rows[1].delivered_at_ms, 1234);
    EXPECT_EQ(outbox.rows[2].rejection, "");
    const DrainStats stats = drain.stats();
    EXPECT_EQ(stats.delivered, 2);
    EXPECT_EQ(stats.rejected, 1);
    EXPECT_EQ(stats.in_flight, 3);
}

TEST_F(OutboxDrainTest, UnacknowledgedRowsGoOutAgainAfterTheAckTimeout) {
    outbox.add(2);
    OutboxDrain drain(outbox, publisher, settings_with(8, 30ms));
    drain.post_connection(true);
    ASSERT_TRUE(drain.pump());
    ASSERT_EQ(publisher.published.size(), 2u);
    // wait_for_work wakes for the due re-send even without new work.
    EXPECT_FALSE(drain.wait_for_work(5s));
    ASSERT_TRUE(drain.pump());
    EXPECT_THAT(publisher.published, ElementsAre(id(1), id(2), id(1), id(2)));
    EXPECT_EQ(outbox.rows[0].row.attempts, 2);
    EXPECT_EQ(drain.stats().republished, 2);
    EXPECT_EQ(outbox.pending_count(), 2u);
}

TEST_F(OutboxDrainTest, OfflineNothingIsDueSoTheWaiterSleepsUntilWorkArrives) {
    outbox.add(1);
    OutboxDrain drain(outbox, publisher, settings_with(8, 1ms));
    drain.post_connection(true);
    ASSERT_TRUE(drain.pump());
    drain.post_connection(false);
    ASSERT_TRUE(drain.pump());
    // The row's ack timeout has long passed, but re-sending needs a
    // connection: a sync thread must sleep, not spin.
    const auto before = std::chrono::steady_clock::now();
    EXPECT_FALSE(drain.wait_for_work(50ms));
    EXPECT_GE(std::chrono::steady_clock::now() - before, 50ms);
    EXPECT_EQ(publisher.published.size(), 1u);
}

TEST_F(OutboxDrainTest, AReconnectSendsEverythingInFlightAgainInOutboxOrder) {
    outbox.add(5);
    OutboxDrain drain(outbox, publisher, settings_with(3, 10s));
    drain.post_connection(true);
    ASSERT_TRUE(drain.pump());
    drain.post_acks(acks({{id(2), AckResult::Stored}}));
    drain.post_connection(false);
    ASSERT_TRUE(drain.pump());
    EXPECT_THAT(publisher.published, ElementsAre(id(1), id(2), id(3)));
    drain.post_connection(true);
    ASSERT_TRUE(drain.pump());
    EXPECT_THAT(publisher.published, ElementsAre(id(1), id(2), id(3), id(1), id(3), id(4)));
}

TEST_F(OutboxDrainTest, APublicationThatFailsOfflineWaitsForTheNextConnection) {
    outbox.add(3);
    OutboxDrain drain(outbox, publisher, settings_with(8, 10s));
    drain.post_connection(true);
    publisher.fail_with = "sync.mqtt_offline";  // the connection dropped before the event came
    ASSERT_TRUE(drain.pump());
    EXPECT_TRUE(publisher.published.empty());
    EXPECT_EQ(outbox.rows[0].row.attempts, 0);
    drain.post_connection(false);
    publisher.fail_with.clear();
    ASSERT_TRUE(drain.pump());
    EXPECT_TRUE(publisher.published.empty());
    drain.post_connection(true);
    ASSERT_TRUE(drain.pump());
    EXPECT_THAT(publisher.published, ElementsAre(id(1), id(2), id(3)));
    EXPECT_EQ(outbox.rows[0].row.attempts, 1);
    EXPECT_EQ(drain.stats().republished, 0);
}

TEST_F(OutboxDrainTest, APublicationTheClientRefusesIsRetriedAfterTheAckTimeoutAndReported) {
    outbox.add(1);
    OutboxDrain drain(outbox, publisher, settings_with(8, 10s));
    drain.post_connection(true);
    publisher.fail_with = "sync.mqtt_publish";
    const Status pumped = drain.pump();
    ASSERT_FALSE(pumped);
    EXPECT_EQ(pumped.error().code, "sync.mqtt_publish");
    EXPECT_THAT(drain.stats().last_error, HasSubstr("outbox drain: publish"));
    publisher.fail_with.clear();
    ASSERT_TRUE(drain.pump());
    EXPECT_TRUE(publisher.published.empty());  // not before the ack timeout
}

TEST_F(OutboxDrainTest, UnknownRepeatedAndEarlyAcksAreHarmless) {
    outbox.add(4);
    OutboxDrain drain(outbox, publisher, settings_with(2, 10s));
    // Row 4 was published before a restart; its ack arrives before the drain
    // ever took it.
    drain.post_acks(acks({{id(4), AckResult::Stored}, {id(99), AckResult::Stored}}));
    drain.post_connection(true);
    ASSERT_TRUE(drain.pump());
    drain.post_acks(acks({{id(1), AckResult::Stored}}));
    drain.post_acks(acks({{id(1), AckResult::Duplicate}, {id(98), AckResult::Rejected}}));
    ASSERT_TRUE(drain.pump());
    drain.post_acks(acks({{id(2), AckResult::Stored}, {id(3), AckResult::Stored}}));
    ASSERT_TRUE(drain.pump());
    EXPECT_THAT(publisher.published, ElementsAre(id(1), id(2), id(3)));
    EXPECT_EQ(outbox.pending_count(), 0u);
    const DrainStats stats = drain.stats();
    EXPECT_EQ(stats.unknown_acks, 2);
    EXPECT_EQ(stats.repeated_acks, 2);  // row 4 before it was taken, row 1 again
    EXPECT_EQ(stats.delivered, 3);
    EXPECT_EQ(stats.last_error, "");
}

TEST_F(OutboxDrainTest, AnOutboxFailureKeepsTheRowInFlightAndIsReturned) {
    outbox.add(1);
    OutboxDrain drain(outbox, publisher, settings_with(8, 10s));
    drain.post_connection(true);
    ASSERT_TRUE(drain.pump());
    outbox.fail_with = "store.busy";
    drain.post_acks(acks({{id(1), AckResult::Stored}}));
    const Status pumped = drain.pump();
    ASSERT_FALSE(pumped);
    EXPECT_EQ(pumped.error().code, "store.busy");
    EXPECT_EQ(drain.stats().in_flight, 1);
    outbox.fail_with.clear();
    // The hub answers the re-send with "duplicate", which retires it.
    drain.post_acks(acks({{id(1), AckResult::Duplicate}}));
    ASSERT_TRUE(drain.pump());
    EXPECT_EQ(outbox.pending_count(), 0u);
}

TEST_F(OutboxDrainTest, InboundAcksAreDecodedAndEverythingElseIsLeftToTheCaller) {
    outbox.add(1);
    OutboxDrain drain(outbox, publisher, settings_with(8, 10s));
    drain.post_connection(true);
    ASSERT_TRUE(drain.pump());
    const nlohmann::json ack{{"schema", "packline.ack/1"},
                             {"event_id", id(500)},
                             {"sent_at_ms", 1795421100000},
                             {"acks", {{{"event_id", id(1)}, {"result", "stored"}}}}};
    EXPECT_FALSE(drain.handle_inbound("packline/v1/ams1/orders/1001", "{}"));
    EXPECT_TRUE(drain.handle_inbound(kAcks, "{not json"));
    EXPECT_THAT(drain.stats().last_error, HasSubstr("sync.bad_message"));
    EXPECT_TRUE(drain.handle_inbound(kAcks, ack.dump()));
    ASSERT_TRUE(drain.pump());
    EXPECT_EQ(outbox.pending_count(), 0u);
}

TEST_F(OutboxDrainTest, QueuedWorkWakesTheWaiterAndTheHookOncePerBatch) {
    OutboxDrain drain(outbox, publisher, settings_with(8, 10s));
    int wakeups = 0;
    drain.set_wakeup([&] { ++wakeups; });
    drain.notify_outbox_changed();
    drain.post_connection(true);
    EXPECT_EQ(wakeups, 1);
    EXPECT_TRUE(drain.wait_for_work(0ms));
    ASSERT_TRUE(drain.pump());
    EXPECT_FALSE(drain.wait_for_work(1ms));
    std::thread poster([&] { drain.notify_outbox_changed(); });
    EXPECT_TRUE(drain.wait_for_work(10s));
    poster.join();
    EXPECT_EQ(wakeups, 2);
}

}  // namespace
}  // namespace packline::sync
