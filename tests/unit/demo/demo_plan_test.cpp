// The demo's planted mistakes: a demo site (benches with seeds 1, 2, 3...)
// shows every kind of verdict, the supervisor's override included.
#include <gtest/gtest.h>

#include <set>

#include "packline/station/demo_catalogue.h"

namespace packline::station {
namespace {

const std::set<Mistake> kEveryKind{
    Mistake::WrongVariant,    Mistake::MissingItem,     Mistake::ExtraItem,
    Mistake::RepeatedSerial,  Mistake::WeightOff,       Mistake::Cancelled,
    Mistake::InvalidTracking, Mistake::LabelOtherOrder, Mistake::UnstableScale,
    Mistake::OnHold,          Mistake::BadPhone};

std::set<Mistake> planted(int orders, std::uint64_t seed) {
    std::set<Mistake> kinds;
    for (const auto& order : demo::make_demo_data(orders, seed, 0.3).plan)
        if (order.mistake != Mistake::None && order.mistake != Mistake::Split)
            kinds.insert(order.mistake);
    return kinds;
}

TEST(DemoPlan, TheDefaultDemoSitePlantsEveryKindOfMistake) {
    // scripts/demo.sh: three benches of 30 orders, seeds 1 to 3.
    std::set<Mistake> site;
    for (std::uint64_t seed = 1; seed <= 3; ++seed)
        for (Mistake kind : planted(30, seed))
            site.insert(kind);
    EXPECT_EQ(site, kEveryKind);
    EXPECT_TRUE(site.contains(Mistake::BadPhone)) << "no supervisor override in the demo";
}

TEST(DemoPlan, OneLongEnoughShiftPlantsEveryKindWhateverItsSeed) {
    for (std::uint64_t seed : {1u, 2u, 7u, 1000u})
        EXPECT_EQ(planted(40, seed), kEveryKind) << "seed " << seed;
}

TEST(DemoPlan, TheSameSeedPlansTheSameShift) {
    const auto first = demo::make_demo_data(30, 5, 0.3);
    const auto second = demo::make_demo_data(30, 5, 0.3);
    ASSERT_EQ(first.plan.size(), second.plan.size());
    for (std::size_t index = 0; index < first.plan.size(); ++index) {
        EXPECT_EQ(first.plan[index].mistake, second.plan[index].mistake);
        EXPECT_EQ(first.plan[index].order.id, second.plan[index].order.id);
    }
}

}  // namespace
}  // namespace packline::station
