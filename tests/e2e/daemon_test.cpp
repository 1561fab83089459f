// packline-stationd as a person runs it by hand: barcodes typed on standard
// input, the simulated scale driven with "weight", verdicts on standard
// output, SIGTERM for a clean stop.
#include <gtest/gtest.h>
#include <poll.h>

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

}  // namespace
}  // namespace packline::station
