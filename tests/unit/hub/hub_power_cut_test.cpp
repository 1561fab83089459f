// Power cuts through the hub's store (HubStore) on a disk that keeps only
// what was synced (tests/support/power_cut_vfs.h). The hub acknowledges a
// message to its station once HubStore::ingest returned: from then on the
// station forgets it. So the power goes at every sync point of a run of
// batches (with a restart of the hub in the middle, which checkpoints and
// deletes the WAL) and during every write of it, torn; after the reboot
// every acknowledged message must be there, the database must be sound, and
// the hub must carry on: the stations send again what was not acknowledged,
// and every message ends up stored exactly once. docs/store.md, "Power cuts
// and I/O errors".
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <iostream>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "hub_messages.h"
#include "packline/hub/hub_store.h"
#include "packline/hub/ingest.h"
#include "power_cut_vfs.h"

namespace packline::hub {
namespace {

namespace fs = std::filesystem;
using packline::testing::PowerCutVfs;

constexpr int kBatches = 6;
constexpr int kRestartAfter = 3;
constexpr std::int64_t kNow = 1795000000000;

StationRecord record(const packline::testing::StationMessage& message) {
    const std::vector<std::string> sites = {"ams1"};
    auto decision = decide_ingest(message.topic, message.payload(), sites);
    EXPECT_EQ(decision.verdict, IngestVerdict::Accepted) << decision.reason;
    if (auto* shipment = std::get_if<ShipmentRecord>(&decision.record)) return *shipment;
    if (auto* event = std::get_if<StationEventRecord>(&decision.record)) return *event;
    if (auto* status = std::get_if<StatusRecord>(&decision.record)) return *status;
    return ShipmentRecord{};
}

// What stations send: per batch two confirmations, an exception and a status.
struct Batch {
    std::vector<StationRecord> records;
    std::vector<std::string> shipment_ids;
    std::vector<std::string> event_ids;
};

std::vector<Batch> make_batches() {
    std::vector<Batch> batches;
    std::int64_t sequence = 1;
    for (int b = 0; b < kBatches; ++b) {
        Batch batch;
        for (int i = 0; i < 2; ++i) {
            const auto shipment = packline::testing::shipment_message(
                "ams1", "bench-" + std::to_string(i), "SO-" + std::to_string(b * 2 + i),
                "1Z5R89390357567127", sequence++);
            batch.records.push_back(record(shipment));
            batch.shipment_ids.push_back(shipment.event_id);
        }
        const auto event =
            packline::testing::event_message("ams1", "bench-0", "exception", sequence++);
        batch.records.push_back(record(event));
        batch.event_ids.push_back(event.event_id);
        batch.records.push_back(record(
            packline::testing::status_message("ams1", "bench-0", sequence, kNow + sequence)));
        ++sequence;
        batches.push_back(std::move(batch));
    }
    return batches;
}

std::string integrity(const std::string& path) {
    sqlite3* raw = nullptr;
    std::string result = "cannot open";
    if (sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(raw, "PRAGMA integrity_check", -1, &statement, nullptr) ==
                SQLITE_OK &&
            sqlite3_step(statement) == SQLITE_ROW)
            result = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
        sqlite3_finalize(statement);
    }
    sqlite3_close_v2(raw);
    return result;
}

struct Plan {
    enum class At { Nothing, Sync, Write } at = At::Nothing;
    int number = 0;
    PowerCutVfs::Tear tear = PowerCutVfs::Tear::DropUnsynced;
};

class HubPowerCutTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { PowerCutVfs::install(); }

    void SetUp() override {
        char pattern[] = "/tmp/packline-hub-power-cut-XXXXXX";
        ASSERT_NE(::mkdtemp(pattern), nullptr);
        dir_ = pattern;
        // The database exists, migrated, before any cut.
        template_ = (dir_ / "template.db").string();
        auto opened = HubStore::open(template_, kNow);
        ASSERT_TRUE(opened) << opened.error().to_string();
        batches_ = make_batches();
    }
    void TearDown() override {
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }

    PowerCutVfs& vfs() { return PowerCutVfs::install(); }

    // A fresh copy of the template at `path`. The WAL a reboot brought back
    // (its deletion was never synced) goes too: SQLite would replay it into
    // the copy.
    void fresh_copy(const std::string& path) {
        for (const char* suffix : {"", "-wal", "-shm"})
            fs::remove(path + suffix);
        fs::copy_file(template_, path);
    }

    // The batches, the hub restarting after kRestartAfter of them, while the
    // power is on; the event ids of what the hub acknowledged.
    std::set<std::string> ingest_all(std::unique_ptr<HubStore>& store, const std::string& path) {
        std::set<std::string> acknowledged;
        for (int b = 0; b < kBatches && vfs().powered(); ++b) {
            const Batch& batch = batches_[static_cast<std::size_t>(b)];
            if (store->ingest(batch.records, kNow + b)) {
                acknowledged.insert(batch.shipment_ids.begin(), batch.shipment_ids.end());
                acknowledged.insert(batch.event_ids.begin(), batch.event_ids.end());
            }
            if (b + 1 == kRestartAfter) {
                store.reset();
                if (!vfs().powered()) break;
                auto reopened = HubStore::open(path, kNow);
                if (!reopened) break;
                store = std::move(reopened).value();
            }
        }
        return acknowledged;
    }

    std::pair<int, int> count() {
        const std::string path = (dir_ / "count.db").string();
        fresh_copy(path);
        EXPECT_TRUE(vfs().reset());
        auto store = HubStore::open(path, kNow);
        EXPECT_TRUE(store);
        const auto acknowledged = ingest_all(store.value(), path);
        EXPECT_EQ(acknowledged.size(), static_cast<std::size_t>(kBatches * 3));
        const std::pair<int, int> figures{vfs().syncs(), vfs().writes()};
        store.value().reset();
        EXPECT_TRUE(vfs().reboot());
        return figures;
    }

    void run(const Plan& plan) {
        SCOPED_TRACE((plan.at == Plan::At::Sync ? "cut at sync " : "cut at write ") +
                     std::to_string(plan.number));
        const std::string path = (dir_ / "hub.db").string();
        fresh_copy(path);
        ASSERT_TRUE(vfs().reset());
        if (plan.at == Plan::At::Sync) vfs().cut_at_sync(plan.number);
        if (plan.at == Plan::At::Write) vfs().cut_at_write(plan.number, plan.tear);
        std::set<std::string> acknowledged;
        {
            auto store = HubStore::open(path, kNow);
            if (store) acknowledged = ingest_all(store.value(), path);
            if (plan.at == Plan::At::Sync) {
                EXPECT_FALSE(vfs().powered()) << "the planned cut never came";
            }
            if (plan.at == Plan::At::Write) {
                EXPECT_TRUE(!vfs().powered() || vfs().writes() < plan.number)
                    << "the planned cut never came";
            }
            if (vfs().powered()) vfs().cut_now();
        }
        ASSERT_TRUE(vfs().reboot());

        auto reopened = HubStore::open(path, kNow);
        ASSERT_TRUE(reopened) << reopened.error().to_string();
        auto& store = *reopened.value();
        EXPECT_EQ(integrity(path), "ok");
        std::set<std::string> stored;
        auto shipments = store.shipments_received(0, std::numeric_limits<std::int64_t>::max());
        auto events = store.station_events("ams1", "bench-0");
        ASSERT_TRUE(shipments && events);
        for (const ReceivedShipment& shipment : *shipments)
            stored.insert(shipment.shipment.event_id);
        for (const StationEventRecord& event : *events)
            stored.insert(event.event_id);
        for (const std::string& id : acknowledged)
            EXPECT_EQ(stored.count(id), 1u) << "acknowledged message " << id << " was lost";

        // The stations send again what was not acknowledged (and some of
        // what was): everything is stored once.
        for (int b = 0; b < kBatches; ++b) {
            auto outcomes = store.ingest(batches_[static_cast<std::size_t>(b)].records, kNow + b);
            ASSERT_TRUE(outcomes) << outcomes.error().to_string();
        }
        EXPECT_EQ(store.shipment_count().value_or(-1), kBatches * 2);
        EXPECT_EQ(store.station_event_count().value_or(-1), kBatches);
        reopened.value().reset();
        EXPECT_EQ(integrity(path), "ok");
        ASSERT_TRUE(vfs().reboot());
    }

    fs::path dir_;
    std::string template_;
    std::vector<Batch> batches_;
};

TEST_F(HubPowerCutTest, AnAcknowledgedMessageSurvivesACutAtEverySyncPoint) {
    const auto [syncs, writes] = count();
    ASSERT_GE(syncs, kBatches) << "every acknowledged batch must be synced";
    for (int k = 1; k <= syncs; ++k) {
        run({Plan::At::Sync, k});
        if (HasFatalFailure()) return;
    }
    run({});
    std::cout << kBatches << " batches and a restart: " << syncs << " sync points, " << writes
              << " writes; " << syncs + 1 << " cuts run\n";
}

TEST_F(HubPowerCutTest, AnAcknowledgedMessageSurvivesATornWrite) {
    const auto [syncs, writes] = count();
    int runs = 0;
    for (const auto tear : {PowerCutVfs::Tear::DropUnsynced, PowerCutVfs::Tear::InOrder}) {
        for (int k = 1; k <= writes; ++k, ++runs) {
            run({Plan::At::Write, k, tear});
            if (HasFatalFailure()) return;
        }
    }
    std::cout << kBatches << " batches and a restart: " << writes << " writes; " << runs
              << " torn-write cuts run\n";
}

// The disk fails the k-th write (with an I/O error, then "disk full") or the
// k-th sync of a batch, for every k, and keeps failing while the station
// sends the batch again: the hub refuses the batch whole (nothing
// acknowledged, nothing half-stored) with the store's reason, and once the
// disk works it stores the batch exactly once, without a restart.
TEST_F(HubPowerCutTest, AnIoErrorAtAnyWriteOrSyncLosesNothingAndTheHubRecoversByItself) {
    const std::string path = (dir_ / "hub.db").string();
    enum class Fault { WriteIo, WriteFull, Sync };
    // How many writes and syncs storing the second batch takes.
    auto open_with_first_batch = [&]() -> std::unique_ptr<HubStore> {
        fresh_copy(path);
        EXPECT_TRUE(vfs().reset());
        auto store = HubStore::open(path, kNow);
        EXPECT_TRUE(store) << store.error().to_string();
        if (!store) return nullptr;
        EXPECT_TRUE(store.value()->ingest(batches_[0].records, kNow));
        return std::move(store).value();
    };
    int writes = 0;
    int syncs = 0;
    {
        auto store = open_with_first_batch();
        ASSERT_NE(store, nullptr);
        const int writes_before = vfs().writes();
        const int syncs_before = vfs().syncs();
        ASSERT_TRUE(store->ingest(batches_[1].records, kNow + 1));
        writes = vfs().writes() - writes_before;
        syncs = vfs().syncs() - syncs_before;
    }
    ASSERT_TRUE(vfs().reboot());
    ASSERT_GT(writes, 0);
    ASSERT_GT(syncs, 0);

    int runs = 0;
    for (const Fault fault : {Fault::WriteIo, Fault::WriteFull, Fault::Sync}) {
        const int count = fault == Fault::Sync ? syncs : writes;
        for (int k = 1; k <= count; ++k, ++runs) {
            SCOPED_TRACE(std::string(fault == Fault::Sync      ? "sync "
                                     : fault == Fault::WriteIo ? "I/O error at write "
                                                               : "disk full at write ") +
                         std::to_string(k));
            auto store = open_with_first_batch();
            ASSERT_NE(store, nullptr);
            if (fault == Fault::Sync)
                vfs().fail_syncs(vfs().syncs() + k, -1);
            else
                vfs().fail_writes(vfs().writes() + k, -1,
                                  fault == Fault::WriteFull ? SQLITE_FULL : SQLITE_IOERR_WRITE);
            for (int attempt = 0; attempt < 2; ++attempt) {
                auto refused = store->ingest(batches_[1].records, kNow + 1);
                ASSERT_FALSE(refused) << "stored (and acknowledged) on a failing disk";
                EXPECT_TRUE(refused.error().code.starts_with("store.")) << refused.error().code;
                if (fault == Fault::WriteFull) {
                    EXPECT_EQ(refused.error().code, "store.full");
                }
                EXPECT_EQ(store->shipment_count().value_or(-1), 2) << "half a batch stored";
                EXPECT_EQ(store->station_event_count().value_or(-1), 1);
            }

            vfs().clear_faults();
            auto stored = store->ingest(batches_[1].records, kNow + 1);
            ASSERT_TRUE(stored) << stored.error().to_string();
            for (const StoreOutcome outcome : *stored)
                EXPECT_EQ(outcome, StoreOutcome::Stored);
            ASSERT_TRUE(store->ingest(batches_[2].records, kNow + 2));
            EXPECT_EQ(store->shipment_count().value_or(-1), 6);
            EXPECT_EQ(store->station_event_count().value_or(-1), 3);
            store.reset();
            EXPECT_EQ(integrity(path), "ok");
            ASSERT_TRUE(vfs().reboot());
        }
    }
    std::cout << "a batch of " << batches_[1].records.size() << " messages: " << writes
              << " writes and " << syncs << " syncs; " << runs << " failing disks run\n";
}

}  // namespace
}  // namespace packline::hub
