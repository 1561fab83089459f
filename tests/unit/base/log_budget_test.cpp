// LogBudget: so many lines per period, the rest counted and told once.
#include "packline/log_budget.h"

#include <gtest/gtest.h>

namespace packline {
namespace {

using namespace std::chrono_literals;

TEST(LogBudget, WritesUpToItsLinesPerPeriodThenCountsTheRest) {
    LogBudget budget(3, 1min);
    const LogBudget::Clock::time_point start{};
    int written = 0;
    for (int line = 0; line < 10; ++line) {
        const auto admitted = budget.admit(start + std::chrono::seconds(line));
        written += admitted.write ? 1 : 0;
        EXPECT_EQ(admitted.held_back, 0);
    }
    EXPECT_EQ(written, 3);
    // The next period tells how many were held back, once, and writes again.
    const auto next = budget.admit(start + 61s);
    EXPECT_TRUE(next.write);
    EXPECT_EQ(next.held_back, 7);
    const auto after = budget.admit(start + 62s);
    EXPECT_TRUE(after.write);
    EXPECT_EQ(after.held_back, 0);
}

TEST(LogBudget, AQuietPeriodHoldsNothingBack) {
    LogBudget budget(2, 10s);
    const LogBudget::Clock::time_point start{};
    EXPECT_TRUE(budget.admit(start).write);
    const auto later = budget.admit(start + 1h);
    EXPECT_TRUE(later.write);
    EXPECT_EQ(later.held_back, 0);
}

}  // namespace
}  // namespace packline
