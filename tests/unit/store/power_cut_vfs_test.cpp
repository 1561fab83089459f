// The power-cut VFS itself (tests/support/power_cut_vfs.h), on plain SQLite:
// a cut keeps what was synced and nothing else, the directory model brings
// back a deleted WAL and drops a file never made durable, I/O fails while the
// power is off, and faults fail the write or sync they name.
#include "power_cut_vfs.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace packline::testing {
namespace {

namespace fs = std::filesystem;

class PowerCutVfsTest : public ::testing::Test {
  protected:
    void SetUp() override {
        vfs_ = &PowerCutVfs::install();
        dir_ = fs::temp_directory_path() /
               ("packline-power-cut-vfs-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        path_ = (dir_ / "test.db").string();
        sqlite3* db = open();
        ASSERT_EQ(execute(db, "PRAGMA journal_mode = WAL; CREATE TABLE t (n INTEGER)"), SQLITE_OK);
        sqlite3_close_v2(db);
        ASSERT_TRUE(vfs_->reset());
    }
    void TearDown() override {
        (void)vfs_->reboot();
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }

    sqlite3* open() {
        sqlite3* db = nullptr;
        EXPECT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
        return db;
    }
    static int execute(sqlite3* db, const std::string& sql) {
        return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
    }
    // Inserts n with the given synchronous setting.
    static int insert(sqlite3* db, int n, bool full) {
        return execute(db, std::string("PRAGMA synchronous = ") + (full ? "FULL" : "NORMAL") +
                               "; INSERT INTO t VALUES (" + std::to_string(n) + ")");
    }
    std::string rows() {
        sqlite3* db = open();
        sqlite3_stmt* statement = nullptr;
        std::string found;
        sqlite3_prepare_v2(db, "SELECT group_concat(n) FROM (SELECT n FROM t ORDER BY n)", -1,
                           &statement, nullptr);
        if (sqlite3_step(statement) == SQLITE_ROW && sqlite3_column_text(statement, 0) != nullptr)
            found = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
        sqlite3_finalize(statement);
        sqlite3_close_v2(db);
        return found;
    }

    PowerCutVfs* vfs_ = nullptr;
    fs::path dir_;
    std::string path_;
};

TEST_F(PowerCutVfsTest, ACutKeepsWhatWasSyncedAndNothingElse) {
    sqlite3* db = open();
    EXPECT_EQ(insert(db, 1, false), SQLITE_OK);
    EXPECT_EQ(insert(db, 2, true), SQLITE_OK);  // syncs 1 and 2 with it
    EXPECT_EQ(insert(db, 3, false), SQLITE_OK);
    vfs_->cut_now();
    EXPECT_NE(insert(db, 4, true), SQLITE_OK) << "the machine is off";
    sqlite3_close_v2(db);
    EXPECT_EQ(vfs_->open_files(), 0);
    ASSERT_TRUE(vfs_->reboot());
    EXPECT_EQ(rows(), "1,2");
}

TEST_F(PowerCutVfsTest, ACutAtASyncLosesEverythingSinceTheLastOne) {
    // The second sync: a new WAL's first commit syncs its header (and, as
    // it was opened to be created, its directory), the FULL commit its frames.
    vfs_->cut_at_sync(2);
    sqlite3* db = open();
    EXPECT_EQ(insert(db, 1, false), SQLITE_OK);
    EXPECT_NE(insert(db, 2, true), SQLITE_OK);
    EXPECT_FALSE(vfs_->powered());
    sqlite3_close_v2(db);
    ASSERT_TRUE(vfs_->reboot());
    // The header made it, the frames of both commits did not.
    EXPECT_EQ(rows(), "");
}

TEST_F(PowerCutVfsTest, AFileWhoseCreationWasNeverSyncedIsGone) {
    vfs_->cut_at_sync(1);  // the new WAL's header sync, which would sync the directory
    sqlite3* db = open();
    EXPECT_NE(insert(db, 1, false), SQLITE_OK);
    sqlite3_close_v2(db);
    EXPECT_TRUE(fs::exists(path_ + "-wal"));
    ASSERT_TRUE(vfs_->reboot());
    EXPECT_FALSE(fs::exists(path_ + "-wal"));
    EXPECT_EQ(rows(), "");
}

TEST_F(PowerCutVfsTest, AWalDeletedWithoutADirectorySyncComesBack) {
    sqlite3* db = open();
    EXPECT_EQ(insert(db, 1, true), SQLITE_OK);
    sqlite3_close_v2(db);  // checkpoints, syncs the database, deletes the WAL
    EXPECT_FALSE(fs::exists(path_ + "-wal"));
    ASSERT_TRUE(vfs_->reboot());
    EXPECT_TRUE(fs::exists(path_ + "-wal"));
    EXPECT_FALSE(fs::exists(path_ + "-shm"));
    EXPECT_EQ(rows(), "1");  // replayed over the checkpointed database: the same
}

TEST_F(PowerCutVfsTest, ATornWriteInOrderKeepsTheEarlierUnsyncedWrites) {
    sqlite3* db = open();
    EXPECT_EQ(insert(db, 1, true), SQLITE_OK);
    const int synced_writes = vfs_->writes();
    EXPECT_EQ(insert(db, 2, false), SQLITE_OK);
    const int second = vfs_->writes() - synced_writes;
    ASSERT_GT(second, 0);
    // Torn during the third insert's first write: the second insert was
    // written in order before it and survives without a sync.
    vfs_->cut_at_write(vfs_->writes() + 1, PowerCutVfs::Tear::InOrder);
    EXPECT_NE(insert(db, 3, false), SQLITE_OK);
    sqlite3_close_v2(db);
    ASSERT_TRUE(vfs_->reboot());
    EXPECT_EQ(rows(), "1,2");
}

TEST_F(PowerCutVfsTest, FaultsFailTheWriteOrSyncTheyName) {
    sqlite3* db = open();
    EXPECT_EQ(insert(db, 1, true), SQLITE_OK);
    vfs_->fail_writes(vfs_->writes() + 1, 1, SQLITE_FULL);
    EXPECT_EQ(insert(db, 2, false), SQLITE_FULL);
    EXPECT_EQ(insert(db, 3, false), SQLITE_OK) << "one write failed, the next works";
    vfs_->fail_syncs(vfs_->syncs() + 1, -1);
    EXPECT_EQ(insert(db, 4, true) & 0xff, SQLITE_IOERR);
    vfs_->clear_faults();
    EXPECT_EQ(insert(db, 5, true), SQLITE_OK);
    EXPECT_EQ(vfs_->failed_writes(), 1);
    EXPECT_EQ(vfs_->failed_syncs(), 1);
    vfs_->cut_now();
    sqlite3_close_v2(db);
    ASSERT_TRUE(vfs_->reboot());
    EXPECT_EQ(rows(), "1,3,5");
}

}  // namespace
}  // namespace packline::testing
