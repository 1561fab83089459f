#include "packline/hardware/bounded_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "packline/hardware/queue_sink.h"

namespace packline::hardware {
namespace {

using namespace std::chrono_literals;

TEST(BoundedQueue, PopsInTheOrderPushed) {
    BoundedQueue<int> queue(4);
    EXPECT_TRUE(queue.push(1));
    EXPECT_TRUE(queue.push(2));
    EXPECT_TRUE(queue.try_push(3));
    EXPECT_EQ(queue.size(), 3u);
    EXPECT_EQ(queue.pop(), 1);
    EXPECT_EQ(queue.pop(), 2);
    EXPECT_EQ(queue.pop_for(1ms), 3);
    EXPECT_EQ(queue.size(), 0u);
}

TEST(BoundedQueue, TryPushRefusesWhenFull) {
    BoundedQueue<int> queue(2);
    EXPECT_TRUE(queue.try_push(1));
    EXPECT_TRUE(queue.try_push(2));
    EXPECT_FALSE(queue.try_push(3));
    EXPECT_EQ(queue.size(), 2u);
    EXPECT_EQ(queue.pop(), 1);
    EXPECT_TRUE(queue.try_push(3));
}

TEST(BoundedQueue, ZeroCapacityStillHoldsOneItem) {
    BoundedQueue<int> queue(0);
    EXPECT_EQ(queue.capacity(), 1u);
    EXPECT_TRUE(queue.try_push(1));
    EXPECT_FALSE(queue.try_push(2));
}

TEST(BoundedQueue, PopForTimesOutWhenEmpty) {
    BoundedQueue<int> queue(1);
    EXPECT_EQ(queue.pop_for(5ms), std::nullopt);
}

TEST(BoundedQueue, PushBlocksWhileFullUntilAnItemIsPopped) {
    BoundedQueue<int> queue(1);
    ASSERT_TRUE(queue.push(1));
    std::atomic<bool> pushed{false};
    std::thread producer([&] {
        queue.push(2);
        pushed = true;
    });
    std::this_thread::sleep_for(20ms);
    EXPECT_FALSE(pushed.load());
    EXPECT_EQ(queue.pop(), 1);
    producer.join();
    EXPECT_TRUE(pushed.load());
    EXPECT_EQ(queue.pop(), 2);
}

TEST(BoundedQueue, CloseWakesABlockedProducerWithFalse) {
    BoundedQueue<int> queue(1);
    ASSERT_TRUE(queue.push(1));
    std::atomic<int> result{-1};
    std::thread producer([&] { result = queue.push(2) ? 1 : 0; });
    std::this_thread::sleep_for(10ms);
    queue.close();
    producer.join();
    EXPECT_EQ(result.load(), 0);
}

TEST(BoundedQueue, CloseWakesABlockedConsumerWithNothing) {
    BoundedQueue<int> queue(1);
    std::atomic<bool> got_nothing{false};
    std::thread consumer([&] { got_nothing = !queue.pop().has_value(); });
    std::this_thread::sleep_for(10ms);
    queue.close();
    consumer.join();
    EXPECT_TRUE(got_nothing.load());
}

TEST(BoundedQueue, ClosedQueueRefusesPushesButDrains) {
    BoundedQueue<int> queue(3);
    ASSERT_TRUE(queue.push(1));
    queue.close();
    EXPECT_TRUE(queue.closed());
    EXPECT_FALSE(queue.push(2));
    EXPECT_FALSE(queue.try_push(3));
    EXPECT_EQ(queue.pop(), 1);
    EXPECT_EQ(queue.pop(), std::nullopt);
    EXPECT_EQ(queue.pop_for(1ms), std::nullopt);
}

TEST(QueueSink, ForwardsToTheQueue) {
    BoundedQueue<DeviceEvent> queue(1);
    QueueSink sink(queue);
    EXPECT_TRUE(sink.post(ScanEvent{"scanner-1", "4006381333931", 1}));
    EXPECT_FALSE(sink.try_post(ScanEvent{"scanner-1", "full", 2}));
    auto event = queue.pop();
    ASSERT_TRUE(event.has_value());
    ASSERT_TRUE(std::holds_alternative<ScanEvent>(*event));
    EXPECT_EQ(std::get<ScanEvent>(*event).data, "4006381333931");
    queue.close();
    EXPECT_FALSE(sink.post(ScanEvent{"scanner-1", "closed", 3}));
}

}  // namespace
}  // namespace packline::hardware
