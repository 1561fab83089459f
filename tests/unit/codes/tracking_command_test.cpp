// `packline tracking check`: output lines and exit codes. The CLI has no
// library of its own, so its one source file is compiled into this test.
#include "../../../station/src/cli/tracking_command.cpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace packline::cli {
namespace {

struct CommandRun {
    int code;
    std::string out;
    std::string err;
};

CommandRun run(const Args& args) {
    std::ostringstream out;
    std::ostringstream err;
    const int code = tracking_command(args, out, err);
    return {code, out.str(), err.str()};
}

TEST(TrackingCommand, AllValidExitsZero) {
    const CommandRun result = run({"check", "1Z5R89390357567127", "RB123456785GB"});
    EXPECT_EQ(result.code, 0);
    EXPECT_EQ(result.out,
              "1Z5R89390357567127  ups  valid    UPS 1Z\n"
              "RB123456785GB       upu  valid    UPU S10\n");
    EXPECT_TRUE(result.err.empty());
}

TEST(TrackingCommand, AnyInvalidExitsOne) {
    const CommandRun result = run({"check", "1Z5R89390357567128", "3318810025"});
    EXPECT_EQ(result.code, 1);
    EXPECT_NE(result.out.find("1Z5R89390357567128  ups  invalid  UPS 1Z number with a wrong "
                              "check digit"),
              std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find("[tracking.bad_check_digit]"), std::string::npos);
    EXPECT_NE(result.out.find("3318810025          dhl  valid    DHL Express"), std::string::npos)
        << result.out;
}

TEST(TrackingCommand, ExpectedCarrier) {
    EXPECT_EQ(run({"check", "--carrier", "fedex", "986578788855"}).code, 0);
    EXPECT_EQ(run({"check", "--carrier=FedEx", "986578788855"}).code, 0);
    const CommandRun result = run({"check", "--carrier", "fedex", "1Z5R89390357567127"});
    EXPECT_EQ(result.code, 1);
    EXPECT_NE(result.out.find("[tracking.wrong_carrier]"), std::string::npos) << result.out;
}

TEST(TrackingCommand, UsageErrorsExitTwo) {
    for (const Args& args :
         {Args{}, Args{"check"}, Args{"verify", "1Z5R89390357567127"}, Args{"check", "--carrier"},
          Args{"check", "--carrier", "nope", "1"}, Args{"check", "--carrier", "ups"}}) {
        const CommandRun result = run(args);
        EXPECT_EQ(result.code, 2) << args.size();
        EXPECT_NE(result.err.find("usage: packline tracking check"), std::string::npos);
        EXPECT_TRUE(result.out.empty());
    }
}

}  // namespace
}  // namespace packline::cli
