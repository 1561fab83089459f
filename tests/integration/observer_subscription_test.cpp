// Observers of the station: told while their subscription lives, never
// after it goes, and a subscription that outlives its station is harmless.
#include <gtest/gtest.h>

#include "station_scene.h"

namespace packline::station {
namespace {

class ObserverSubscriptionTest : public testing::StationScene {};

TEST_F(ObserverSubscriptionTest, AnObserverHearsVerdictsUntilItsSubscriptionGoes) {
    start_station();
    testing::Screen second;
    ObserverSubscription subscription = station_->add_observer(second);
    scan("A-1");
    ASSERT_EQ(second.verdicts.size(), 1u);
    EXPECT_EQ(second.verdicts.back().code, screen_.verdicts.back().code);

    ObserverSubscription moved = std::move(subscription);
    scan("]E04006381333931");
    EXPECT_EQ(second.verdicts.size(), 2u) << "a moved subscription still reports";

    moved.reset();
    scan("036000291452");
    EXPECT_EQ(second.verdicts.size(), 2u) << "told after its subscription went";
    EXPECT_EQ(screen_.verdicts.size(), 3u) << "the other observer must still hear";
}

TEST_F(ObserverSubscriptionTest, ASubscriptionMayOutliveItsStation) {
    start_station();
    testing::Screen second;
    ObserverSubscription subscription = station_->add_observer(second);
    station_.reset();
    subscription.reset();  // the station is gone: nothing to do, nothing to crash
    SUCCEED();
}

}  // namespace
}  // namespace packline::station
