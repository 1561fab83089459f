// The station's message sequence never goes backwards and never hands out a
// number twice: not between threads, not across a restart (the reservation in
// the store), also when the numbers ran past the reservation between ticks.
#include "packline/station/message_sequence.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "packline/station/store.h"

namespace packline::station {
namespace {

// The station_state key of the reservation (docs/store.md, "Sync").
constexpr std::string_view kSequenceKey = "sync.sequence_reserved_until";

class MessageSequenceTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string pattern =
            (std::filesystem::path(::testing::TempDir()) / "packline-sequence-XXXXXX").string();
        ASSERT_NE(mkdtemp(pattern.data()), nullptr) << pattern;
        directory = pattern;
        path = (directory / "station.db").string();
        open_store();
    }
    void TearDown() override {
        sequence.reset();
        store.reset();
        std::error_code ignored;
        std::filesystem::remove_all(directory, ignored);
    }

    void open_store() {
        auto opened = Store::open(path);
        ASSERT_TRUE(opened) << opened.error().to_string();
        store = std::move(opened).value();
    }

    void open_sequence(std::int64_t block) {
        auto opened = MessageSequence::open(*store, block);
        ASSERT_TRUE(opened) << opened.error().to_string();
        sequence = std::move(opened).value();
    }

    // A station restart: both the sequence and the store are closed and opened again.
    void restart(std::int64_t block) {
        sequence.reset();
        store.reset();
        ASSERT_NO_FATAL_FAILURE(open_store());
        ASSERT_NO_FATAL_FAILURE(open_sequence(block));
    }

    std::int64_t reserved_until() {
        auto value = store->station_value(kSequenceKey);
        EXPECT_TRUE(value && value->has_value());
        return value && value->has_value() ? std::stoll(**value) : 0;
    }

    std::filesystem::path directory;
    std::string path;
    std::unique_ptr<Store> store;
    std::unique_ptr<MessageSequence> sequence;
};

TEST_F(MessageSequenceTest, NextStrictlyIncreasesThroughManyReplenishments) {
    ASSERT_NO_FATAL_FAILURE(open_sequence(8));
    std::int64_t previous = sequence->next();
    EXPECT_EQ(previous, 1);  // a fresh store starts at 1
    for (int index = 0; index < 200; ++index) {
        const std::int64_t number = sequence->next();
        EXPECT_GT(number, previous) << "call " << index;
        previous = number;
        if (index % 3 == 0) {
            ASSERT_TRUE(sequence->replenish(*store));
        }
    }
    // Without a replenish the numbers still go on, past the reservation.
    for (int index = 0; index < 50; ++index) {
        const std::int64_t number = sequence->next();
        EXPECT_EQ(number, previous + 1);
        previous = number;
    }
}

TEST_F(MessageSequenceTest, ManyThreadsAtOnceNeverGetTheSameNumber) {
    constexpr std::size_t kThreads = 8;
    constexpr int kPerThread = 5000;
    ASSERT_NO_FATAL_FAILURE(open_sequence(64));
    std::vector<std::vector<std::int64_t>> taken(kThreads);
    {
        std::vector<std::jthread> threads;
        for (std::size_t thread = 0; thread < kThreads; ++thread) {
            threads.emplace_back([&sequence = sequence, &numbers = taken[thread]] {
                numbers.reserve(kPerThread);
                for (int index = 0; index < kPerThread; ++index)
                    numbers.push_back(sequence->next());
            });
        }
        // Meanwhile the owner thread replenishes, as the loop's tick does.
        for (int tick = 0; tick < 200; ++tick)
            ASSERT_TRUE(sequence->replenish(*store));
    }
    std::set<std::int64_t> all;
    for (const auto& numbers : taken) {
        ASSERT_EQ(numbers.size(), static_cast<std::size_t>(kPerThread));
        // Each thread sees its numbers strictly increasing.
        EXPECT_TRUE(std::adjacent_find(numbers.begin(), numbers.end(),
                                       [](auto a, auto b) { return b <= a; }) == numbers.end());
        all.insert(numbers.begin(), numbers.end());
    }
    EXPECT_EQ(all.size(), kThreads * static_cast<std::size_t>(kPerThread)) << "a number twice";

    // The threads may have run past the last reservation; one more tick
    // covers them, and a restart starts above all of them.
    ASSERT_TRUE(sequence->replenish(*store));
    ASSERT_NO_FATAL_FAILURE(restart(64));
    EXPECT_GT(sequence->next(), *all.rbegin());
}

TEST_F(MessageSequenceTest, ReplenishReservesAheadOnceHalfTheBlockIsUsed) {
    ASSERT_NO_FATAL_FAILURE(open_sequence(10));
    EXPECT_EQ(reserved_until(), 11);  // 1..10 reserved by open()

    for (int index = 0; index < 4; ++index)
        sequence->next();  // 1..4: 6 of 10 left
    ASSERT_TRUE(sequence->replenish(*store));
    EXPECT_EQ(reserved_until(), 11) << "replenished before half the block was used";

    sequence->next();  // 5
    sequence->next();  // 6: 4 left, fewer than half
    ASSERT_TRUE(sequence->replenish(*store));
    // A whole block ahead of the next number (7).
    EXPECT_EQ(reserved_until(), 17);
    ASSERT_TRUE(sequence->replenish(*store));  // nothing more to do yet
    EXPECT_EQ(reserved_until(), 17);
    EXPECT_GE(sequence->next(), 7);
}

// Disabled: replenish() moves next_ up to the start of the new block
// (message_sequence.cpp, `if (next_ < *first) next_ = *first;`), so it skips
// the rest of the current block; and when exactly half the block is left
// afterwards, every later tick replenishes again: a store write per tick and
// another half block skipped, even on an idle station. Enable once fixed.
TEST_F(MessageSequenceTest, ReplenishSkipsNoNumbersAndAnIdleTickWritesNothing) {
    ASSERT_NO_FATAL_FAILURE(open_sequence(10));
    for (int index = 0; index < 5; ++index)
        sequence->next();  // 1..5: exactly half left
    ASSERT_TRUE(sequence->replenish(*store));
    const std::int64_t reserved = reserved_until();
    EXPECT_EQ(reserved, 16);  // a whole block ahead of the next number (6)
    for (int tick = 0; tick < 3; ++tick) {
        ASSERT_TRUE(sequence->replenish(*store));  // idle ticks
        EXPECT_EQ(reserved_until(), reserved) << "tick " << tick;
    }
    EXPECT_EQ(sequence->next(), 6);
}

TEST_F(MessageSequenceTest, AReopenedSequenceStartsAboveEveryNumberHandedOutBefore) {
    ASSERT_NO_FATAL_FAILURE(open_sequence(4));
    std::int64_t highest = 0;
    for (int index = 0; index < 3; ++index)
        highest = sequence->next();
    EXPECT_EQ(highest, 3);

    ASSERT_NO_FATAL_FAILURE(restart(4));
    std::int64_t first = sequence->next();
    EXPECT_GT(first, highest);
    EXPECT_EQ(first, 5);  // the rest of the old block (4) is skipped, not reused
    highest = first;

    // Numbers run far past the reservation between two ticks, then the tick
    // replenishes: the reservation must cover what was handed out.
    for (int index = 0; index < 25; ++index)
        highest = sequence->next();
    ASSERT_TRUE(sequence->replenish(*store));
    EXPECT_GT(reserved_until(), highest);

    ASSERT_NO_FATAL_FAILURE(restart(4));
    first = sequence->next();
    EXPECT_GT(first, highest);

    // And once more with a different block size after the restart.
    highest = first;
    for (int index = 0; index < 10; ++index)
        highest = sequence->next();
    ASSERT_TRUE(sequence->replenish(*store));
    ASSERT_NO_FATAL_FAILURE(restart(1000));
    EXPECT_GT(sequence->next(), highest);
}

TEST_F(MessageSequenceTest, ACorruptReservationFailsTheOpen) {
    ASSERT_TRUE(store->set_station_value(kSequenceKey, "not a number"));
    auto opened = MessageSequence::open(*store);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, "store.corrupt");
    EXPECT_NE(opened.error().message.find("message sequence"), std::string::npos)
        << opened.error().message;
}

}  // namespace
}  // namespace packline::station

namespace packline::station {
namespace {

TEST_F(MessageSequenceTest, TheOwnerReservesBeforeItRunsPastTheReservation) {
    ASSERT_NO_FATAL_FAILURE(open_sequence(2));
    std::int64_t last = 0;
    for (int index = 0; index < 5; ++index)
        last = sequence->next(store.get());
    EXPECT_GE(reserved_until(), last + 1);  // persisted before handed out
    ASSERT_NO_FATAL_FAILURE(restart(2));    // no replenish tick ran: a crash
    EXPECT_GT(sequence->next(store.get()), last);
}

}  // namespace
}  // namespace packline::station
