// The sign-in throttle as a table of decisions: which attempt of an address
// is heard when, that other addresses never wait, that a success or a long
// quiet clears an address, and that a flood of addresses stays bounded. The
// clock is passed in: nothing here waits.
#include "packline/hub/login_throttle.h"

#include <gtest/gtest.h>

#include <string>

namespace packline::hub {
namespace {

constexpr std::int64_t kStart = 1795420800000;

TEST(LoginThrottleTest, AnAddressWaitsLongerAfterEveryHeardAttempt) {
    LoginThrottle throttle;
    for (int attempt = 0; attempt < kThrottleFreeFailures; ++attempt) {
        EXPECT_EQ(throttle.wait_ms("192.0.2.1", kStart), 0) << attempt;
        throttle.attempt("192.0.2.1", kStart);
    }
    struct Step {
        std::int64_t delay_ms;  // after the last heard attempt
    };
    std::int64_t last = kStart;
    for (const Step step : {Step{1000}, Step{2000}, Step{4000}, Step{8000}, Step{16000}}) {
        EXPECT_EQ(throttle.wait_ms("192.0.2.1", last), step.delay_ms);
        EXPECT_EQ(throttle.wait_ms("192.0.2.1", last + step.delay_ms - 1), 1);
        EXPECT_EQ(throttle.wait_ms("192.0.2.1", last + step.delay_ms), 0);
        last += step.delay_ms;
        throttle.attempt("192.0.2.1", last);
    }
    // Other addresses are not touched.
    EXPECT_EQ(throttle.wait_ms("10.0.0.7", last), 0);
}

TEST(LoginThrottleTest, TheWaitIsCappedAndForgottenAfterAQuietSpell) {
    LoginThrottle throttle;
    std::int64_t now = kStart;
    for (int attempt = 0; attempt < 40; ++attempt) {
        now += throttle.wait_ms("192.0.2.1", now);
        throttle.attempt("192.0.2.1", now);
    }
    EXPECT_EQ(throttle.wait_ms("192.0.2.1", now), kThrottleMaxDelayMs);
    EXPECT_EQ(throttle.wait_ms("192.0.2.1", now + kThrottleForgetMs), 0);
    // Forgotten: the free attempts are back.
    throttle.attempt("192.0.2.1", now + kThrottleForgetMs);
    EXPECT_EQ(throttle.wait_ms("192.0.2.1", now + kThrottleForgetMs), 0);
}

TEST(LoginThrottleTest, ASuccessClearsTheAddress) {
    LoginThrottle throttle;
    for (int attempt = 0; attempt < kThrottleFreeFailures; ++attempt)
        throttle.attempt("192.0.2.1", kStart);
    EXPECT_GT(throttle.wait_ms("192.0.2.1", kStart), 0);
    throttle.succeeded("192.0.2.1");
    EXPECT_EQ(throttle.wait_ms("192.0.2.1", kStart), 0);
}

TEST(LoginThrottleTest, OnlyTheFirstRefusalOfAWaitIsWorthAnAudit) {
    LoginThrottle throttle;
    for (int attempt = 0; attempt < kThrottleFreeFailures; ++attempt)
        throttle.attempt("192.0.2.1", kStart);
    EXPECT_TRUE(throttle.refused("192.0.2.1"));
    EXPECT_FALSE(throttle.refused("192.0.2.1"));
    throttle.attempt("192.0.2.1", kStart + 1000);
    EXPECT_TRUE(throttle.refused("192.0.2.1"));
}

TEST(LoginThrottleTest, AFloodOfAddressesStaysBounded) {
    LoginThrottle throttle;
    for (std::size_t address = 0; address < kThrottleMaxAddresses + 500; ++address)
        throttle.attempt("198.51." + std::to_string(address),
                         kStart + static_cast<std::int64_t>(address));
    EXPECT_EQ(throttle.addresses(), kThrottleMaxAddresses);
}

}  // namespace
}  // namespace packline::hub
