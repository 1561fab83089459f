// Label jobs when cupsd cannot spool them: the private cupsd's spool
// (RequestRoot) is a small tmpfs of the test's own, filled to the last byte.
// The submit fails with words a packer can act on, no job is left behind to
// print late, and once there is room the next label prints byte-identical.
// Through the real station: the parcel is not confirmed, the packer is told
// the print server is full, and RETRY prints and confirms it once there is
// room.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>

#include "collecting_sink.h"
#include "cups_test_server.h"
#include "packline/drivers/cups_printer.h"
#include "small_filesystem.h"
#include "station_scene.h"

namespace packline::drivers {
namespace {

using namespace std::chrono_literals;

const std::string kZpl =
    "^XA\n^PW812^LL1218^LH0,0\n^FO40,40^A0N,40,40^FDSHIP TO: J DOE^FS\n"
    "^FO40,450^BY3^BCN,120,Y,N,N^FD1Z5R89390357567127^FS\n^XZ\n";

// A private cupsd with a capture queue "zebra" whose spool is a 256 KiB tmpfs.
class FullSpoolCups {
  public:
    // Why the test cannot run here (for GTEST_SKIP), if anything.
    std::optional<std::string> start() {
        if (auto missing = testing::CupsTestServer::missing_tool()) return missing;
        cups.emplace();
        if (!cups->running()) return "cupsd: " + cups->error();
        if (!cups->add_capture_queue("zebra")) return "lpadmin: " + cups->log_tail();
        // cupsd checks and fixes its spool's owner and mode when it starts.
        cups->stop();
        spool.emplace(cups->root() / "spool", 256 * 1024);
        if (!spool->ready()) return spool->error();
        std::filesystem::create_directories(spool->path() / "tmp");
        if (!cups->start()) return "cupsd: " + cups->error();
        return std::nullopt;
    }

    CupsPrinterOptions options() const {
        CupsPrinterOptions options;
        options.id = "label-zebra";
        options.destination = "zebra";
        options.server = cups->address();
        options.job_poll_interval = 100ms;
        options.status_poll_interval = 100ms;
        options.job_timeout = 8s;
        return options;
    }

    int captured_jobs() const {
        int jobs = 0;
        for (const auto& entry : std::filesystem::directory_iterator(cups->capture_dir("zebra")))
            jobs += entry.path().extension() == ".bin" ? 1 : 0;
        return jobs;
    }

    std::optional<testing::CupsTestServer> cups;
    std::optional<testing::SmallFilesystem> spool;
};

TEST(CupsSpoolFull, AFullSpoolRefusesTheLabelClearlyAndTheNextPrintsOnceThereIsRoom) {
    FullSpoolCups server;
    if (auto skip = server.start()) GTEST_SKIP() << *skip;
    testing::CollectingSink sink;
    CupsPrinter printer(server.options());
    ASSERT_TRUE(printer.open(sink).ok());
    server.spool->fill();
    Result<std::string> refused = printer.submit({"order 1001", "application/vnd.zebra.zpl", kZpl});
    ASSERT_FALSE(refused.ok()) << "job " << refused.value() << " accepted on a full spool";
    EXPECT_EQ(refused.error().code, "printer.spool_full");
    EXPECT_NE(refused.error().message.find("no room to spool the label"), std::string::npos)
        << refused.error().message;

    server.spool->make_room();
    Result<std::string> job = printer.submit({"order 1001", "application/vnd.zebra.zpl", kZpl});
    ASSERT_TRUE(job.ok()) << job.error().to_string();
    std::optional<std::string> bytes = server.cups->wait_for_capture("zebra", *job);
    ASSERT_TRUE(bytes.has_value()) << server.cups->log_tail();
    EXPECT_EQ(*bytes, kZpl);
    printer.close();
    // The refused job was cancelled: only the one that fitted printed.
    EXPECT_EQ(server.captured_jobs(), 1);
}

class StationSpoolFullTest : public station::testing::StationScene {};

TEST_F(StationSpoolFullTest, TheParcelWaitsUntilThePrintServerHasRoomAndThenConfirms) {
    FullSpoolCups server;
    if (auto skip = server.start()) GTEST_SKIP() << *skip;
    CupsPrinter printer(server.options());
    ASSERT_TRUE(printer.open(sink_).ok());  // its job updates reach pump_printer()
    station_ = std::make_unique<station::PackingStation>(
        *store_, config_, station::StationDevices{&printer, nullptr, nullptr});
    screen_subscription_ = station_->add_observer(screen_);
    ASSERT_TRUE(station_->restore().ok());

    server.spool->fill();
    scan("A-1");
    scan("]E04006381333931");
    scan("036000291452");
    weigh(200 + 350 + 100 + 4);
    ASSERT_EQ(state(), station::ParcelState::Exception) << screen_.last().message;
    const station::Parcel& refused = *station_->parcel();
    EXPECT_EQ(refused.exception->reason, "express.print_failed");
    std::string error_code;
    for (const station::Detail& detail : screen_.last().details)
        if (detail.key == "error") error_code = detail.value;
    EXPECT_EQ(error_code, "printer.spool_full");
    EXPECT_NE(screen_.last().message.find("no room to spool the label"), std::string::npos)
        << screen_.last().message;
    EXPECT_EQ(store_->count_confirmations().value(), 0);
    scan("PL-CMD:RETRY");  // still full: refused again, nothing lost
    EXPECT_EQ(state(), station::ParcelState::Exception) << screen_.last().message;

    server.spool->make_room();
    scan("PL-CMD:RETRY");
    pump_printer();
    ASSERT_EQ(state(), station::ParcelState::AwaitingScanBack) << screen_.last().message;
    scan(label_scan());
    EXPECT_EQ(screen_.last().kind, station::VerdictKind::Confirmed) << screen_.last().message;
    EXPECT_EQ(store_->count_confirmations().value(), 1);
    station_.reset();
    printer.close();
    EXPECT_EQ(server.captured_jobs(), 1);
}

}  // namespace
}  // namespace packline::drivers
