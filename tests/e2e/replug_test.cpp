// A scale unplugged and plugged back in mid-parcel, through the real daemon:
// the scale is a recording (tests/fixtures/replay/hid-scale-replug.rec) played
// back by the replay driver, through the same HID POS decoder the libusb
// transport uses. The parcel pauses at the weight check while the scale is
// away and carries on when it returns, without being started again.
#include <gtest/gtest.h>

#include <fstream>

#include "daemon_process.h"
#include "packline/station/store.h"
#include "process.h"

namespace packline::station {
namespace {

namespace fs = std::filesystem;

TEST(ReplugEndToEnd, ScaleUnpluggedWhileWeighingPausesAndTheParcelResumes) {
    const fs::path dir =
        fs::temp_directory_path() / ("packline-e2e-replug-" + std::to_string(::getpid()));
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
    // The recording starts 1.5 s after the daemon opens its devices, which
    // leaves the typed scans ample time to bring the parcel to the scale.
    const fs::path config = dir / "station.toml";
    std::ofstream(config) << "[devices.scale]\ndriver = \"replay\"\nrecording = \""
                          << PACKLINE_SOURCE_DIR
                          << "/tests/fixtures/replay/hid-scale-replug.rec\"\n"
                             "start_delay_ms = 1500\n";

    {
        testing::Daemon daemon(
            {testing::binary("packline-stationd"), "--config", config.string(), "--db", db});
        ASSERT_TRUE(daemon.wait_for("ready")) << daemon.output();
        daemon.type("7001");
        ASSERT_TRUE(daemon.wait_for("parcel.started")) << daemon.output();
        daemon.type("]E00012345678905");
        ASSERT_TRUE(daemon.wait_for("contents.complete")) << daemon.output();
        ASSERT_TRUE(daemon.wait_for("device.paused")) << daemon.output();
        ASSERT_TRUE(daemon.wait_for("scale unplugged")) << daemon.output();
        ASSERT_TRUE(daemon.wait_for("device.resumed")) << daemon.output();
        ASSERT_TRUE(daemon.wait_for("weight.accepted")) << daemon.output();
        ASSERT_TRUE(daemon.wait_for("label.printed")) << daemon.output();
        daemon.type("]Q1PL1|7001|1Z5R89390357567127");
        ASSERT_TRUE(daemon.wait_for("parcel.confirmed")) << daemon.output();
        EXPECT_EQ(daemon.terminate(), 0) << daemon.output();
        // One parcel from start to end: never restarted, never in exception.
        EXPECT_EQ(daemon.output().find("parcel.started"), daemon.output().rfind("parcel.started"));
        EXPECT_EQ(daemon.output().find("[exception]"), std::string::npos) << daemon.output();
    }

    auto store = Store::open(db);
    ASSERT_TRUE(store.ok());
    EXPECT_EQ(store.value()->count_confirmations().value(), 1);
    fs::remove_all(dir);
}

}  // namespace
}  // namespace packline::station
