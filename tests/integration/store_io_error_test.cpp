// I/O errors through the real station (PackingStation + Store): the disk
// fails the k-th write of a parcel's life, for every k, with an I/O error and
// then with "disk full" (tests/support/power_cut_vfs.h), and keeps failing
// while the packer tries the step again; the same for every fsync. The packer must be told, with
// the store's reason, that nothing was recorded; nothing may be reported confirmed that is not
// stored; and once the disk works again the station goes on by itself, without a restart: the same
// parcel and the next one reach Confirmed. docs/store.md, "Power cuts and I/O errors".
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <string>

#include "power_cut_bench.h"
#include "power_cut_vfs.h"

namespace packline::station {
namespace {

namespace fs = std::filesystem;
using packline::testing::PowerCutVfs;
using testing::Bench;
using testing::bench_order_id;

const fs::path& base_dir() {
    static const fs::path dir =
        fs::temp_directory_path() / ("packline-io-error-" + std::to_string(::getpid()));
    return dir;
}

bool is_store_error(const Verdict& verdict) {
    return verdict.kind == VerdictKind::Rejected && verdict.code.starts_with("store.");
}

class StoreIoErrorTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { PowerCutVfs::install(); }
    static void TearDownTestSuite() {
        std::error_code ignored;
        fs::remove_all(base_dir(), ignored);
    }

    PowerCutVfs& vfs() { return PowerCutVfs::install(); }
    std::string template_db() { return testing::bench_template(base_dir(), 4); }

    // The writes of one parcel's life, from the first scan to Confirmed.
    int parcel_writes() {
        Bench bench(base_dir() / "count", template_db());
        EXPECT_TRUE(vfs().reset());
        EXPECT_TRUE(bench.start());
        const int before = vfs().writes();
        EXPECT_TRUE(bench.pack(bench_order_id(1)));
        const int writes = vfs().writes() - before;
        bench.stop();
        EXPECT_TRUE(vfs().reboot());
        return writes;
    }

    // The k-th write of the parcel fails with `code`, and every write after
    // it until the packer has been told twice; then the disk works again.
    void run(int k, int code, const std::string& reason) {
        SCOPED_TRACE("write " + std::to_string(k) + " fails");
        Bench bench(base_dir() / "run", template_db());
        ASSERT_TRUE(vfs().reset());
        ASSERT_TRUE(bench.start());
        const int start = vfs().writes();
        vfs().fail_writes(start + k, -1, code);
        const std::string order = bench_order_id(1);
        int told = 0;
        for (int steps = 0; steps < 40 && told < 2 && bench.step(order); ++steps) {
            const Verdict& last = bench.screen().verdicts.back();
            if (!is_store_error(last)) continue;
            ++told;
            EXPECT_EQ(last.code, reason) << last.message;
            EXPECT_NE(last.message.find("nothing was recorded"), std::string::npos) << last.message;
        }
        if (vfs().failed_writes() == 0) {
            // The count of writes varies a little from run to run (page
            // splits follow the random event ids): this run had fewer.
            EXPECT_LT(vfs().writes() - start, k);
        } else {
            EXPECT_EQ(told, 2) << "the packer was not told the step failed";
        }
        vfs().clear_faults();

        // No restart: the same parcel goes on, and the next one.
        EXPECT_TRUE(bench.pack(order));
        EXPECT_TRUE(bench.pack(bench_order_id(2)));
        EXPECT_TRUE(testing::store_keeps_promises(bench.store(), bench.screen().confirmed));
        EXPECT_EQ(bench.screen().confirmed.size(), 2u);

        // What was reported is what a fresh open of the database finds.
        bench.stop();
        ASSERT_TRUE(vfs().reboot());
        ASSERT_TRUE(bench.start());
        EXPECT_TRUE(testing::store_keeps_promises(bench.store(), bench.screen().confirmed));
        EXPECT_EQ(bench.store().count_confirmations().value_or(-1), 2);
        bench.stop();
        ASSERT_TRUE(vfs().reboot());
    }

    void every_write(int code, const std::string& reason) {
        const int writes = parcel_writes();
        ASSERT_GT(writes, 0);
        for (int k = 1; k <= writes; ++k) {
            run(k, code, reason);
            if (HasFatalFailure()) return;
        }
        std::cout << reason << ": " << writes << " writes in a parcel's life, each failed once\n";
    }
};

TEST_F(StoreIoErrorTest, AtEveryWriteOfAParcelAnIoError) {
    every_write(SQLITE_IOERR_WRITE, "store.io");
}

TEST_F(StoreIoErrorTest, AtEveryWriteOfAParcelTheDiskIsFull) {
    every_write(SQLITE_FULL, "store.full");
}

TEST_F(StoreIoErrorTest, APrinterAnswerTheDiskRefusedIsAppliedAtThePrintTimeout) {
    // The printer reports a job's end once. The disk refuses the step; when
    // the packer does not scan, the print timeout applies the answer kept in
    // memory instead of raising "the label has not printed".
    Bench bench(base_dir() / "timeout", template_db());
    ASSERT_TRUE(vfs().reset());
    ASSERT_TRUE(bench.start());
    const std::string order = bench_order_id(1);
    for (int steps = 0;
         steps < 10 && bench.station().parcel().value_or(Parcel{}).state != ParcelState::Printing;
         ++steps)
        bench.step(order);
    ASSERT_EQ(bench.station().parcel()->state, ParcelState::Printing);
    const std::string job = bench.station().parcel()->label_job_id;

    vfs().fail_writes(vfs().writes() + 1, -1, SQLITE_IOERR_WRITE);
    bench.step(order);  // the printer's answer: the job completed
    EXPECT_EQ(bench.screen().verdicts.back().code, "store.io");
    EXPECT_EQ(bench.station().parcel()->state, ParcelState::Printing);
    vfs().clear_faults();

    bench.station().tick(hardware::now_ms() + bench.station().config().print_timeout_ms + 1000);
    EXPECT_EQ(bench.station().parcel()->state, ParcelState::AwaitingScanBack)
        << bench.screen().verdicts.back().message;
    EXPECT_EQ(bench.station().parcel()->label_job_id, job) << "a second label was printed";
    EXPECT_TRUE(bench.pack(order));
    EXPECT_EQ(bench.screen().confirmed.size(), 1u);
    bench.stop();
    ASSERT_TRUE(vfs().reboot());
}

TEST_F(StoreIoErrorTest, AtEverySyncOfTwoParcelsAFailedFsync) {
    // A confirmation whose fsync fails is not committed, but its pages stay
    // in the WAL file behind the last commit. The packer is told nothing was
    // recorded and scans the label again; each parcel must end confirmed
    // once, in memory and after a power cut that follows.
    int syncs = 0;
    {
        Bench bench(base_dir() / "count", template_db());
        ASSERT_TRUE(vfs().reset());
        ASSERT_TRUE(bench.start());
        const int before = vfs().syncs();
        ASSERT_TRUE(bench.pack(bench_order_id(1)) && bench.pack(bench_order_id(2)));
        syncs = vfs().syncs() - before;
        bench.stop();
        ASSERT_TRUE(vfs().reboot());
    }
    ASSERT_GE(syncs, 2) << "each confirmation is synced";
    for (int k = 1; k <= syncs; ++k) {
        SCOPED_TRACE("sync " + std::to_string(k) + " fails twice");
        Bench bench(base_dir() / "run", template_db());
        ASSERT_TRUE(vfs().reset());
        ASSERT_TRUE(bench.start());
        vfs().fail_syncs(vfs().syncs() + k, 2);  // the first try and the packer's retry
        int told = 0;
        for (int n = 1; n <= 2; ++n) {
            for (int steps = 0; steps < 40 && bench.step(bench_order_id(n)); ++steps) {
                const Verdict& last = bench.screen().verdicts.back();
                if (!is_store_error(last)) continue;
                ++told;
                EXPECT_EQ(last.code, "store.io") << last.message;
                EXPECT_NE(last.message.find("nothing was recorded"), std::string::npos)
                    << last.message;
            }
        }
        EXPECT_EQ(vfs().failed_syncs(), 2);
        EXPECT_EQ(told, 2);
        EXPECT_EQ(bench.screen().confirmed.size(), 2u);
        EXPECT_TRUE(testing::store_keeps_promises(bench.store(), bench.screen().confirmed));

        vfs().cut_now();
        bench.stop();
        ASSERT_TRUE(vfs().reboot());
        ASSERT_TRUE(bench.start());
        EXPECT_TRUE(testing::store_keeps_promises(bench.store(), bench.screen().confirmed));
        EXPECT_EQ(bench.store().count_confirmations().value_or(-1), 2);
        bench.stop();
        ASSERT_TRUE(vfs().reboot());
    }
    std::cout << "failed fsync: " << syncs << " syncs in two parcels' lives, each failed twice\n";
}

}  // namespace
}  // namespace packline::station
