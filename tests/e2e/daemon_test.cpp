// packline-stationd as a person runs it by hand: barcodes typed on standard
// input, the simulated scale driven with "weight", verdicts on standard
// output, SIGTERM for a clean stop.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

#include "daemon_process.h"
#include "packline/station/store.h"
#include "process.h"

namespace packline::station {
namespace {

namespace fs = std::filesystem;

TEST(DaemonEndToEnd, PackAParcelByHandThenStopCleanly) {
    const fs::path dir =
        fs::temp_directory_path() / ("packline-e2e-daemon-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string db = (dir / "station.db").string();
    // One order, one T-shirt, UPS number 1Z5R89390357567127.
    const std::string orders =
        std::string(PACKLINE_SOURCE_DIR) + "/tests/fixtures/import/one-order.json";
    ASSERT_EQ(testing::run({testing::binary("packline"), "orders", "import", "--db", db, orders},
                           dir / "import.txt"),
              0)
        << testing::read_file(dir / "import.txt");

    {
        testing::Daemon daemon({testing::binary("packline-stationd"), "--db", db});
        ASSERT_TRUE(daemon.wait_for("ready")) << daemon.output();
        daemon.type("7001");
        ASSERT_TRUE(daemon.wait_for("parcel.started")) << daemon.output();
        daemon.type("]E00012345678905");
        ASSERT_TRUE(daemon.wait_for("contents.complete")) << daemon.output();
        daemon.type("weight 301");
        ASSERT_TRUE(daemon.wait_for("label.printed")) << daemon.output();
        // The label on the box carries this QR payload (docs/labels.md).
        daemon.type("]Q1PL1|7001|1Z5R89390357567127");
        ASSERT_TRUE(daemon.wait_for("parcel.confirmed")) << daemon.output();
        daemon.type("7001");
        ASSERT_TRUE(daemon.wait_for("customer.order_already_packed")) << daemon.output();
        EXPECT_EQ(daemon.terminate(), 0) << daemon.output();
        EXPECT_NE(daemon.output().find("stopped"), std::string::npos) << daemon.output();
    }

    auto store = Store::open(db);
    ASSERT_TRUE(store.ok());
    EXPECT_EQ(store.value()->count_confirmations().value(), 1);
    EXPECT_EQ(store.value()->find_order("7001").value()->status, OrderStatus::Packed);

    // A bad configuration stops the daemon with a clear message, not a crash.
    const fs::path bad = dir / "bad.toml";
    std::ofstream(bad) << "[devices]\nscale = \"usb-hid\"\n";
    EXPECT_EQ(testing::run({testing::binary("packline-stationd"), "--config", bad.string()},
                           dir / "bad.txt"),
              2);
    EXPECT_NE(testing::read_file(dir / "bad.txt").find("unknown driver 'usb-hid'"),
              std::string::npos);
    fs::remove_all(dir);
}

// Issue 14: a misspelt key used to be ignored, and the store went to the
// default path. Both programs now stop before opening anything.
TEST(DaemonEndToEnd, MisspeltConfigKeysStopBothProgramsNamingFileTableAndKey) {
    const fs::path dir =
        fs::temp_directory_path() / ("packline-e2e-misspelt-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    struct Case {
        std::string text;
        std::string says;
    };
    const std::vector<Case> cases{
        {"[station]\ndatabse = \"" + (dir / "station.db").string() + "\"\n",
         "unknown key 'databse' in [station]; did you mean 'database'?"},
        {"[weight]\ntolerence_g = 5\n",
         "unknown key 'tolerence_g' in [weight]; did you mean 'tolerance_g'?"},
        {"[printng]\nformat = \"zpl\"\n", "unknown table 'printng'; did you mean 'printing'?"},
        {"[sync]\nbrokers = \"tcp://127.0.0.1:1\"\nwindw = 8\n",
         "unknown key 'windw' in [sync]; did you mean 'window'?"},
    };
    const fs::path config = dir / "bench.toml";
    for (const Case& entry : cases) {
        std::ofstream(config) << entry.text;
        for (const std::vector<std::string>& argv :
             {std::vector<std::string>{testing::binary("packline-stationd"), "--config",
                                       config.string()},
              std::vector<std::string>{testing::binary("packline-stationd"), "--config",
                                       config.string(), "--shift", "1"},
              std::vector<std::string>{testing::binary("packline"), "status", "--config",
                                       config.string()}}) {
            EXPECT_EQ(testing::run(argv, dir / "out.txt"), 2) << argv[0] << " " << entry.text;
            const std::string output = testing::read_file(dir / "out.txt");
            EXPECT_NE(output.find(config.string() + ": " + entry.says), std::string::npos)
                << output;
        }
    }
    fs::remove_all(dir);
}

struct TempDir {
    explicit TempDir(const std::string& name)
        : path(fs::temp_directory_path() / (name + "-" + std::to_string(::getpid()))) {
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() { fs::remove_all(path); }
    fs::path path;
};

// Issue 14: a folder the store cannot be created in gave "unable to open
// database file". The refusal names the path and the reason.
TEST(DaemonEndToEnd, AStoreThatCannotBeCreatedIsNamedWithTheReason) {
    // sysfs refuses new files to every user, root included.
    const std::string db = "/sys/packline-e2e-station.db";
    if (const int fd = ::open(db.c_str(), O_CREAT | O_WRONLY, 0644); fd >= 0) {
        ::close(fd);
        ::unlink(db.c_str());
        GTEST_SKIP() << "/sys accepts new files here";
    }
    TempDir dir("packline-e2e-unwritable");
    const std::string orders =
        std::string(PACKLINE_SOURCE_DIR) + "/tests/fixtures/import/one-order.json";
    for (const std::vector<std::string>& argv :
         {std::vector<std::string>{testing::binary("packline-stationd"), "--db", db},
          std::vector<std::string>{testing::binary("packline"), "orders", "import", "--db", db,
                                   orders}}) {
        EXPECT_EQ(testing::run(argv, dir.path / "out.txt"), 1) << argv[0];
        const std::string output = testing::read_file(dir.path / "out.txt");
        EXPECT_NE(output.find("the store " + db + " cannot be used: permission denied on /sys"),
                  std::string::npos)
            << output;
    }
}

// Issue 14: `packline-stationd --shift 50` on a full disk waited for ever
// (the scripted packer waited for the scale step the store kept refusing).
// The shift now stops at the first step the store cannot record, naming it.
// A full disk without a full disk: a file size limit makes writes fail
// (EFBIG, "disk I/O error" to SQLite).
TEST(DaemonEndToEnd, AShiftStopsAtTheFirstStepTheStoreCannotRecord) {
    TempDir dir("packline-e2e-full");
    const std::string db = (dir.path / "station.db").string();
    // Room for the shift's orders, not for packing them all.
    const int code =
        testing::run({testing::binary("packline-stationd"), "--db", db, "--shift", "50"},
                     dir.path / "out.txt", 1000 * 1024);
    const std::string output = testing::read_file(dir.path / "out.txt");
    EXPECT_EQ(code, 1) << output;
    EXPECT_NE(output.find("the station could not record a step"), std::string::npos) << output;
    EXPECT_NE(output.find("the store " + db +
                          " cannot be used: this process may not write files beyond " +
                          std::to_string(1000 * 1024) + " bytes"),
              std::string::npos)
        << output;
    EXPECT_EQ(output.find("RESULT:"), std::string::npos)
        << output;  // no report of a shift cut short
}

// The same on a real full disk (ENOSPC, "database or disk is full" to
// SQLite: store.full), where the shift used to wait for ever: a small tmpfs,
// mounted in the child's own user and mount namespaces so that the test
// needs no privilege. Exit 77 from the child: the system allows no such
// namespaces, and this part is skipped.
int run_on_small_tmpfs(const std::vector<std::string>& argv, const fs::path& mount_point,
                       int kibibytes, const fs::path& out_file) {
    const uid_t uid = ::getuid();
    const gid_t gid = ::getgid();
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int fd = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(fd, 1);
        ::dup2(fd, 2);
        auto write_file = [](const char* path, const std::string& text) {
            const int file = ::open(path, O_WRONLY);
            if (file < 0) return false;
            const bool written =
                ::write(file, text.data(), text.size()) == static_cast<ssize_t>(text.size());
            ::close(file);
            return written;
        };
        if (::unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) ::_exit(77);
        (void)write_file("/proc/self/setgroups", "deny");
        if (!write_file("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1") ||
            !write_file("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1"))
            ::_exit(77);
        if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) ::_exit(77);
        const std::string options = "size=" + std::to_string(kibibytes) + "k";
        if (::mount("tmpfs", mount_point.c_str(), "tmpfs", 0, options.c_str()) != 0) ::_exit(77);
        std::vector<char*> args;
        for (const std::string& arg : argv)
            args.push_back(const_cast<char*>(arg.c_str()));
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    // A guard, not a measurement: the shift used to wait for ever here.
    for (int waited_ms = 0; waited_ms < 300'000; waited_ms += 50) {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        ::usleep(50'000);
    }
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    return -1;
}

TEST(DaemonEndToEnd, AShiftOnAFullDiskStopsWithStoreFull) {
    TempDir dir("packline-e2e-tmpfs");
    fs::create_directories(dir.path / "disk");
    const std::string db = (dir.path / "disk" / "station.db").string();
    // Room for the shift's orders (in the write-ahead log), not for packing them.
    const int code =
        run_on_small_tmpfs({testing::binary("packline-stationd"), "--db", db, "--shift", "50"},
                           dir.path / "disk", 700, dir.path / "out.txt");
    if (code == 77) GTEST_SKIP() << "no user and mount namespaces for a tmpfs here";
    const std::string output = testing::read_file(dir.path / "out.txt");
    ASSERT_NE(code, -1) << "the shift did not end: " << output;
    EXPECT_EQ(code, 1) << output;
    EXPECT_NE(output.find("the station could not record a step"), std::string::npos) << output;
    EXPECT_NE(output.find("[store.full]"), std::string::npos) << output;
    EXPECT_NE(output.find("the store " + db + " cannot be used: no space left on the device"),
              std::string::npos)
        << output;
    EXPECT_EQ(output.find("RESULT:"), std::string::npos) << output;
}

}  // namespace
}  // namespace packline::station
