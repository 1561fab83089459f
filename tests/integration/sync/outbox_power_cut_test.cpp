// The station's side of sync under power cuts: the outbox drain's
// bookkeeping through the real store (StoreOutboxSource: attempted,
// delivered, rejected) on a disk that keeps only what was synced
// (tests/support/power_cut_vfs.h). The power goes at every sync point of a
// drain and during every write of it, torn two ways. After the reboot the
// database is sound and nothing is lost: every outbox row is either still
// pending or was received by the hub before it was retired, and every row
// the hub refused and the station retired has its rejection recorded. The
// drain then carries on from where the disk left it and the hub receives
// every message. docs/store.md, "Power cuts and I/O errors".
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "power_cut_bench.h"
#include "power_cut_vfs.h"
#include "store_outbox_source.h"

namespace packline::testing {
namespace {

namespace fs = std::filesystem;
using station::testing::count_rows;

constexpr const char* kSite = "ams1";
constexpr const char* kStation = "bench-7";
constexpr int kRows = 12;
constexpr int kBatch = 5;
constexpr std::int64_t kNow = 1'795'000'100'000;

// The hub refuses every fifth message for good.
bool refused(int index) {
    return index % 5 == 4;
}

class OutboxPowerCutTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { PowerCutVfs::install(); }

    void SetUp() override {
        char pattern[] = "/tmp/packline-outbox-cut-XXXXXX";
        ASSERT_NE(::mkdtemp(pattern), nullptr);
        dir_ = pattern;
        template_ = (dir_ / "template.db").string();
        ASSERT_TRUE(vfs().reset());
        auto store = station::Store::open(template_);
        ASSERT_TRUE(store) << store.error().to_string();
        std::string error;
        ids_ = fill_outbox(*store.value(), kSite, kStation, kRows, error);
        ASSERT_EQ(ids_.size(), static_cast<std::size_t>(kRows)) << error;
        for (int index = 0; index < kRows; ++index)
            index_of_[ids_[static_cast<std::size_t>(index)]] = index;
        store.value().reset();
        ASSERT_TRUE(vfs().reset());
    }
    void TearDown() override {
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }

    static PowerCutVfs& vfs() { return PowerCutVfs::install(); }

    void fresh_copy(const std::string& path) {
        for (const char* suffix : {"", "-wal", "-shm"})
            fs::remove(path + suffix);
        fs::copy_file(template_, path);
    }

    // Drains the outbox as the drain does, while the power is on: a batch of
    // pending rows is published (the hub receives it), then each row is
    // retired by the hub's answer.
    void drain(const std::string& path) {
        sync::StoreOutboxSource source(path, kStation);
        for (std::int64_t at = kNow; vfs().powered(); at += 1000) {
            auto rows = source.pending(kBatch);
            if (!rows || rows->empty()) return;
            for (const sync::OutboxRow& row : *rows) {
                if (!source.attempted(row.event_id)) return;
                received_.insert(row.event_id);
                const bool refuse = refused(index_of_.at(row.event_id));
                const Status answered = refuse ? source.rejected(row.event_id, "bad payload", at)
                                               : source.delivered(row.event_id, at);
                if (!answered) return;
            }
        }
    }

    std::pair<int, int> count() {
        const std::string path = (dir_ / "count.db").string();
        fresh_copy(path);
        EXPECT_TRUE(vfs().reset());
        drain(path);
        EXPECT_EQ(received_.size(), static_cast<std::size_t>(kRows));
        const std::pair<int, int> figures{vfs().syncs(), vfs().writes()};
        EXPECT_TRUE(vfs().reboot());
        received_.clear();
        return figures;
    }

    void run(const std::string& what, const std::function<void()>& plan) {
        SCOPED_TRACE(what);
        const std::string path = (dir_ / "station.db").string();
        fresh_copy(path);
        ASSERT_TRUE(vfs().reset());
        received_.clear();
        plan();
        drain(path);
        if (vfs().powered()) vfs().cut_now();
        ASSERT_TRUE(vfs().reboot());

        // After the reboot: sound, and nothing lost.
        EXPECT_EQ(count_rows(path, "SELECT count(*) FROM outbox"), kRows);
        {
            auto store = station::Store::open(path);
            ASSERT_TRUE(store) << store.error().to_string();
            ASSERT_TRUE(store.value()->integrity_check().ok());
            auto pending = store.value()->pending_outbox(1000);
            ASSERT_TRUE(pending);
            std::set<std::string> still_pending;
            for (const station::OutboxMessage& message : *pending)
                still_pending.insert(message.event_id);
            for (const std::string& id : ids_) {
                EXPECT_TRUE(still_pending.contains(id) || received_.contains(id))
                    << id << " was retired but the hub never received it";
                if (refused(index_of_.at(id)) && !still_pending.contains(id)) {
                    EXPECT_GE(count_rows(path,
                                         "SELECT count(*) FROM events WHERE type = "
                                         "'outbox.rejected' AND instr(payload, '" +
                                             id + "') > 0"),
                              1)
                        << "the rejection of " << id << " was lost";
                }
            }
        }
        // The drain carries on: the hub receives everything.
        drain(path);
        EXPECT_EQ(received_.size(), static_cast<std::size_t>(kRows));
        EXPECT_EQ(count_rows(path, "SELECT count(*) FROM outbox WHERE delivered_at_ms IS NULL"), 0);
        EXPECT_GE(count_rows(path, "SELECT count(*) FROM events WHERE type = 'outbox.rejected'"),
                  kRows / 5);
        ASSERT_TRUE(vfs().reboot());
    }

    fs::path dir_;
    std::string template_;
    std::vector<std::string> ids_;
    std::map<std::string, int> index_of_;
    std::set<std::string> received_;
};

TEST_F(OutboxPowerCutTest, NothingIsLostByACutAtEverySyncPointOfADrain) {
    const auto [syncs, writes] = count();
    ASSERT_GT(syncs, 0);
    for (int k = 1; k <= syncs; ++k) {
        run("cut at sync " + std::to_string(k), [k] { vfs().cut_at_sync(k); });
        if (HasFatalFailure()) return;
    }
    std::cout << kRows << " rows drained: " << syncs << " sync points, " << writes << " writes; "
              << syncs << " cuts run\n";
}

TEST_F(OutboxPowerCutTest, NothingIsLostByATornWriteAnywhereInADrain) {
    const auto [syncs, writes] = count();
    int runs = 0;
    for (const auto tear : {PowerCutVfs::Tear::DropUnsynced, PowerCutVfs::Tear::InOrder}) {
        for (int k = 1; k <= writes; ++k, ++runs) {
            run("torn write " + std::to_string(k), [k, tear] { vfs().cut_at_write(k, tear); });
            if (HasFatalFailure()) return;
        }
    }
    std::cout << kRows << " rows drained: " << writes << " writes; " << runs
              << " torn-write cuts run\n";
}

}  // namespace
}  // namespace packline::testing
