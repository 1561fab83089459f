// Power cuts through the real station (PackingStation + Store) on a disk
// that keeps only what was synced (tests/support/power_cut_vfs.h): the power
// goes at every sync point of a parcel's life, during every write of it (the
// write torn, with the rest of the unsynced data lost or kept in order), and
// at every sync point and a sample of writes across a shift with a restart.
// After each cut the station reboots and must keep its promises: every
// parcel the packer saw confirmed is there with its confirmation and its
// shipment, once; the database is sound; and the station carries on, packs
// what was left and one more parcel to Confirmed. docs/store.md, "Power cuts
// and I/O errors".
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <string>

#include "packline/station/message_sequence.h"
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
        fs::temp_directory_path() / ("packline-power-cut-" + std::to_string(::getpid()));
    return dir;
}

struct Plan {
    enum class At { Nothing, Sync, Write } at = At::Nothing;
    int number = 0;
    PowerCutVfs::Tear tear = PowerCutVfs::Tear::DropUnsynced;
};

std::string describe(const Plan& plan) {
    switch (plan.at) {
        case Plan::At::Nothing:
            return "cut after the last step";
        case Plan::At::Sync:
            return "cut at sync " + std::to_string(plan.number);
        case Plan::At::Write:
            return "cut at write " + std::to_string(plan.number) +
                   (plan.tear == PowerCutVfs::Tear::InOrder ? " (in order)" : " (unsynced lost)");
    }
    return {};
}

// What one shift without a cut does to the disk.
struct Figures {
    int syncs = 0;
    int writes = 0;
};

class PowerCutTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { PowerCutVfs::install(); }
    static void TearDownTestSuite() {
        std::error_code ignored;
        fs::remove_all(base_dir(), ignored);
    }

    PowerCutVfs& vfs() { return PowerCutVfs::install(); }

    // Packs `parcels` orders (P-1 ...), restarting the station after
    // `restart_after` of them (0: never), while the power is on.
    void shift(Bench& bench, int parcels, int restart_after) {
        for (int n = 1; n <= parcels && vfs().powered(); ++n) {
            const std::string order = bench_order_id(n);
            for (int steps = 0; steps < 40 && vfs().powered() && bench.step(order); ++steps) {
            }
            if (n == restart_after && vfs().powered()) {
                bench.stop();
                // The cut may come while the station closes or starts again.
                const bool started = vfs().powered() && static_cast<bool>(bench.start());
                if (!started) {
                    EXPECT_FALSE(vfs().powered()) << "the station did not start again";
                    return;
                }
            }
        }
    }

    // A whole shift without a cut: how many syncs and writes it makes.
    Figures count(int parcels, int restart_after) {
        Bench bench(base_dir() / "count", testing::bench_template(base_dir(), 8));
        EXPECT_TRUE(vfs().reset());
        EXPECT_TRUE(bench.start());
        shift(bench, parcels, restart_after);
        Figures figures{vfs().syncs(), vfs().writes()};
        EXPECT_EQ(bench.screen().confirmed.size(), static_cast<std::size_t>(parcels));
        bench.stop();
        EXPECT_TRUE(vfs().reboot());
        return figures;
    }

    // One run: the shift with the cut planned, a reboot, the checks, and
    // the station carrying on.
    void run(const Plan& plan, int parcels, int restart_after) {
        SCOPED_TRACE(describe(plan));
        Bench bench(base_dir() / "run", testing::bench_template(base_dir(), 8));
        ASSERT_TRUE(vfs().reset());
        if (plan.at == Plan::At::Sync) vfs().cut_at_sync(plan.number);
        if (plan.at == Plan::At::Write) vfs().cut_at_write(plan.number, plan.tear);
        // The cut may come while the station starts (its first writes).
        if (bench.start())
            shift(bench, parcels, restart_after);
        else
            EXPECT_FALSE(vfs().powered()) << "the station did not start";
        // The count of writes varies a little from run to run (page splits
        // follow the random event ids): a run with fewer writes has none to cut.
        if (plan.at == Plan::At::Sync) {
            EXPECT_FALSE(vfs().powered()) << "the planned cut never came";
        }
        if (plan.at == Plan::At::Write) {
            EXPECT_TRUE(!vfs().powered() || vfs().writes() < plan.number)
                << "the planned cut never came";
        }
        // Not cut yet: the power goes now, before the store closes (a clean
        // close would checkpoint, and sync, everything).
        if (vfs().powered()) vfs().cut_now();
        const std::size_t seen = bench.screen().confirmed.size();
        bench.stop();
        ASSERT_TRUE(vfs().reboot());

        ASSERT_TRUE(bench.start());
        EXPECT_TRUE(testing::store_keeps_promises(bench.store(), bench.screen().confirmed));
        // The station carries on: what was not packed, and one parcel more.
        for (int n = 1; n <= parcels + 1; ++n)
            EXPECT_TRUE(bench.pack(bench_order_id(n))) << bench_order_id(n);
        EXPECT_TRUE(testing::store_keeps_promises(bench.store(), bench.screen().confirmed));
        EXPECT_EQ(bench.store().count_confirmations().value_or(-1), parcels + 1);
        EXPECT_GE(bench.screen().confirmed.size(), seen);
        bench.stop();
        ASSERT_TRUE(vfs().reboot());
    }
};

TEST_F(PowerCutTest, AtEverySyncPointOfAParcel) {
    const Figures parcel = count(1, 0);
    ASSERT_GE(parcel.syncs, 1) << "the confirmation must be synced";
    for (int k = 1; k <= parcel.syncs; ++k)
        run({Plan::At::Sync, k}, 1, 0);
    run({}, 1, 0);  // after the parcel's last sync
    std::cout << "one parcel: " << parcel.syncs << " sync points, " << parcel.writes << " writes; "
              << parcel.syncs + 1 << " cuts run\n";
}

TEST_F(PowerCutTest, DuringEveryWriteOfAParcelTheWriteTorn) {
    const Figures parcel = count(1, 0);
    int runs = 0;
    for (const auto tear : {PowerCutVfs::Tear::DropUnsynced, PowerCutVfs::Tear::InOrder}) {
        for (int k = 1; k <= parcel.writes; ++k) {
            run({Plan::At::Write, k, tear}, 1, 0);
            ++runs;
            if (HasFatalFailure()) return;
        }
    }
    std::cout << "one parcel: " << parcel.writes << " writes, " << runs << " torn-write cuts run\n";
}

TEST_F(PowerCutTest, AcrossAShiftWithARestart) {
    // Four parcels; the restart after the second checkpoints the WAL into the
    // database and deletes it (more sync points, and a directory change).
    constexpr int kParcels = 4;
    constexpr int kRestartAfter = 2;
    const Figures shift = count(kParcels, kRestartAfter);
    int runs = 0;
    for (int k = 1; k <= shift.syncs; ++k, ++runs)
        run({Plan::At::Sync, k}, kParcels, kRestartAfter);
    run({}, kParcels, kRestartAfter);
    ++runs;
    // A sample of the writes, both ways of tearing them.
    constexpr int kEvery = 9;
    for (int k = 1; k <= shift.writes; k += kEvery) {
        const auto tear =
            (k / kEvery) % 2 == 0 ? PowerCutVfs::Tear::DropUnsynced : PowerCutVfs::Tear::InOrder;
        run({Plan::At::Write, k, tear}, kParcels, kRestartAfter);
        ++runs;
        if (HasFatalFailure()) return;
    }
    std::cout << "shift of " << kParcels << " parcels: " << shift.syncs << " sync points, "
              << shift.writes << " writes, " << runs << " cuts run\n";
}

TEST_F(PowerCutTest, TheMessageSequenceNeverGoesBackAfterACut) {
    // The station numbers every message it sends (statuses go out at once,
    // not through the outbox); the hub keeps a station's status only when its
    // number is higher. A number handed out before a cut must never be
    // handed out again after it.
    Bench bench(base_dir() / "sequence", testing::bench_template(base_dir(), 8));
    ASSERT_TRUE(vfs().reset());
    ASSERT_TRUE(bench.start());
    auto sequence = bench.station().message_sequence();
    ASSERT_TRUE(sequence.ok()) << sequence.error().message;
    const std::int64_t sent = sequence.value()->next();
    vfs().cut_now();
    bench.stop();
    ASSERT_TRUE(vfs().reboot());
    ASSERT_TRUE(bench.start());
    auto after = bench.station().message_sequence();
    ASSERT_TRUE(after.ok()) << after.error().message;
    EXPECT_GT(after.value()->next(), sent);
    bench.stop();
    ASSERT_TRUE(vfs().reboot());
}

}  // namespace
}  // namespace packline::station
