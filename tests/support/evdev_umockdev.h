// Runs one GoogleTest test of this binary again under `umockdev-run`, so the
// test body sees a fake /dev/input and /sys (a plain `ctest` needs no wrapper).
//
//   TEST(Suite, Name) {
//       if (!testing::in_umockdev()) {
//           testing::rerun_under_umockdev({"-d", device_file, "-e", "/dev/input/event5=" +
//           events}); return;
//       }
//       ... body that opens /dev/input/event5 ...
//   }
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace packline::testing {

// umockdev-run sets UMOCKDEV_DIR for the program it runs.
inline bool in_umockdev() {
    return std::getenv("UMOCKDEV_DIR") != nullptr;
}

inline std::string find_umockdev_run() {
    for (const char* dir : {"/usr/bin", "/usr/local/bin", "/bin"}) {
        const std::string path = std::string(dir) + "/umockdev-run";
        if (::access(path.c_str(), X_OK) == 0) return path;
    }
    return "";
}

// Re-runs the current test under umockdev-run with `arguments` and fails the
// current test unless the child passes. Skips when umockdev-run is missing.
inline void rerun_under_umockdev(const std::vector<std::string>& arguments) {
    const std::string umockdev_run = find_umockdev_run();
    if (umockdev_run.empty())
        GTEST_SKIP() << "umockdev-run is not installed (apt install umockdev)";
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const std::string filter =
        std::string("--gtest_filter=") + info->test_suite_name() + "." + info->name();
    const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
    const std::filesystem::path log = std::filesystem::temp_directory_path() /
                                      ("evdev-umockdev-" + std::to_string(::getpid()) + ".log");

    std::vector<std::string> argv{umockdev_run};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    argv.insert(argv.end(), {"--", self, filter});
    std::vector<char*> raw;
    for (auto& argument : argv)
        raw.push_back(argument.data());
    raw.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    pid_t child = -1;
    const int spawned = ::posix_spawn(&child, raw[0], &actions, nullptr, raw.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ASSERT_EQ(spawned, 0) << "cannot start " << umockdev_run;
    int status = 0;
    ::waitpid(child, &status, 0);

    std::ifstream in(log);
    std::stringstream output;
    output << in.rdbuf();
    std::filesystem::remove(log);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "under umockdev-run the test failed (status " << status << "):\n"
        << output.str();
    // A child that ran no test (bad filter) would pass silently.
    EXPECT_NE(output.str().find("[  PASSED  ] 1 test"), std::string::npos) << output.str();
}

}  // namespace packline::testing
