// Every command of the three programs, found by walking their --help:
// --help prints the command's usage and exits 0, an unknown option exits 2
// with the command's usage, and neither creates anything in the current
// folder (no station database, no hub database).
#include <gtest/gtest.h>
#include <unistd.h>

#include <sstream>

#include "process.h"

namespace packline {
namespace {

namespace fs = std::filesystem;

class CommandLinesTest : public ::testing::TestWithParam<std::string> {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("packline-e2e-command-lines-" + std::to_string(::getpid()) + "-" +
                std::to_string(std::hash<std::string>{}(GetParam())));
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "work");
        before_ = fs::current_path();
        fs::current_path(dir_ / "work");
    }
    void TearDown() override {
        fs::current_path(before_);
        fs::remove_all(dir_);
    }

    int run(const std::vector<std::string>& path, const std::string& last) {
        std::vector<std::string> argv{testing::binary(GetParam())};
        argv.insert(argv.end(), path.begin(), path.end());
        argv.push_back(last);
        return testing::run(argv, dir_ / "out.txt");
    }
    std::string output() const { return testing::read_file(dir_ / "out.txt"); }

    // The subcommands a help text lists under "Subcommands:".
    static std::vector<std::string> subcommands(const std::string& help) {
        std::vector<std::string> names;
        std::istringstream lines(help);
        std::string line;
        bool listing = false;
        while (std::getline(lines, line)) {
            if (line == "Subcommands:") {
                listing = true;
                continue;
            }
            if (!listing) continue;
            if (line.rfind("  ", 0) != 0) break;
            if (line[2] == ' ') continue;  // a description's continuation
            names.push_back(line.substr(2, line.find(' ', 2) - 2));
        }
        return names;
    }

    void walk(const std::vector<std::string>& path, int& commands) {
        std::string typed = GetParam();
        for (const std::string& word : path)
            typed += " " + word;
        SCOPED_TRACE(typed);
        ++commands;
        EXPECT_EQ(run(path, "--help"), 0) << output();
        const std::string help = output();
        EXPECT_NE(help.find("usage: " + typed), std::string::npos) << help;
        EXPECT_EQ(run(path, "--no-such-option"), 2) << output();
        EXPECT_NE(output().find("usage: " + typed), std::string::npos) << output();
        for (const std::string& name : subcommands(help)) {
            std::vector<std::string> deeper = path;
            deeper.push_back(name);
            walk(deeper, commands);
        }
    }

    fs::path dir_;
    fs::path before_;
};

TEST_P(CommandLinesTest, EveryCommandAnswersHelpAndRefusesAnUnknownOption) {
    int commands = 0;
    walk({}, commands);
    std::cout << GetParam() << ": " << commands << " commands\n";
    EXPECT_GE(commands, GetParam() == "packline-stationd" ? 1 : 8);
    EXPECT_TRUE(fs::is_empty(dir_ / "work")) << "a --help or a wrong line left files behind";
}

INSTANTIATE_TEST_SUITE_P(Programs, CommandLinesTest,
                         ::testing::Values("packline", "packline-hub", "packline-stationd"),
                         [](const ::testing::TestParamInfo<std::string>& program) {
                             std::string name = program.param;
                             for (char& c : name)
                                 if (c == '-') c = '_';
                             return name;
                         });

}  // namespace
}  // namespace packline
