// The `packline` command-line tool as a person uses it.
#include <gtest/gtest.h>

#include "packline/station/store.h"
#include "process.h"

namespace packline::station {
namespace {

namespace fs = std::filesystem;

class CliTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("packline-e2e-cli-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        db_ = (dir_ / "station.db").string();
    }
    void TearDown() override { fs::remove_all(dir_); }

    int packline(std::vector<std::string> args) {
        args.insert(args.begin(), testing::binary("packline"));
        return testing::run(args, dir_ / "out.txt");
    }
    std::string output() const { return testing::read_file(dir_ / "out.txt"); }

    fs::path dir_;
    std::string db_;
};

TEST_F(CliTest, ImportLoadsGoodRowsAndReportsBadOnesByLine) {
    const std::string fixtures = std::string(PACKLINE_SOURCE_DIR) + "/tests/fixtures/import/";
    ASSERT_EQ(packline({"orders", "import", "--db", db_, fixtures + "sample.json"}), 0) << output();
    EXPECT_NE(output().find("loaded"), std::string::npos) << output();

    const fs::path bad = dir_ / "bad.csv";
    std::ofstream(bad) << "code,name,tare_g\nBOX-A,Box A,120\nBOX-B,Box B,heavy\nBOX-C,Box C,80\n";
    EXPECT_EQ(packline({"orders", "import", "--db", db_, bad.string()}), 3) << output();
    EXPECT_NE(output().find("bad.csv:3"), std::string::npos) << output();
    auto store = Store::open(db_);
    ASSERT_TRUE(store.ok());
    EXPECT_TRUE(store.value()->find_packaging("BOX-A").value().has_value());
    EXPECT_FALSE(store.value()->find_packaging("BOX-B").value().has_value());
    EXPECT_TRUE(store.value()->find_packaging("BOX-C").value().has_value());

    EXPECT_EQ(packline({"orders", "import", "--db", db_, (dir_ / "missing.json").string()}), 1);
    EXPECT_NE(output().find("missing.json"), std::string::npos) << output();
}

// Issue 14: a duplicate that replaced an earlier record was counted as
// skipped although it loaded; an over-long name loaded at all.
TEST_F(CliTest, ImportSummaryCountsWhatWasSkippedNotWhatLoaded) {
    const fs::path file = dir_ / "packaging.csv";
    std::ofstream(file) << "code,name,tare_g\nBOX-A,Box A,120\nBOX-A,Box A again,125\nBOX-L,"
                        << std::string(300, 'L') << ",80\n";
    EXPECT_EQ(packline({"orders", "import", "--db", db_, file.string()}), 3) << output();
    EXPECT_NE(output().find("packaging.csv:4: packaging BOX-L: name is 300 characters long (at "
                            "most 256); not loaded"),
              std::string::npos)
        << output();
    EXPECT_NE(output().find("1 record(s) skipped"), std::string::npos) << output();
    EXPECT_NE(output().find("1 note(s) about records that loaded"), std::string::npos) << output();
    auto store = Store::open(db_);
    ASSERT_TRUE(store.ok());
    auto box = store.value()->find_packaging("BOX-A");
    ASSERT_TRUE(box.ok() && box.value().has_value());
    EXPECT_EQ(box.value()->tare_g, 125.0);
    EXPECT_FALSE(store.value()->find_packaging("BOX-L").value().has_value());
}

TEST_F(CliTest, TrackingCheckExitsZeroOnlyWhenAllAreValid) {
    EXPECT_EQ(packline({"tracking", "check", "1Z5R89390357567127", "RB123456785GB",
                        "9400111206206406260787"}),
              0)
        << output();
    EXPECT_NE(output().find("ups"), std::string::npos);
    EXPECT_NE(output().find("valid"), std::string::npos);
    EXPECT_EQ(packline({"tracking", "check", "1Z5R89390357567127", "1Z5R89390357567128"}), 1)
        << output();
    EXPECT_NE(output().find("invalid"), std::string::npos);
    EXPECT_EQ(packline({"tracking", "check"}), 2);
}

// --help is a question on every command: never a tracking number to check,
// a file to import, or a reason to create a database in the current folder.
TEST_F(CliTest, HelpAfterAnyCommandPrintsItsUsageAndTouchesNothing) {
    const fs::path before = fs::current_path();
    fs::current_path(dir_);
    struct Back {
        fs::path to;
        ~Back() { fs::current_path(to); }
    } back{before};
    const std::vector<std::vector<std::string>> asked{{"tracking", "check", "--help"},
                                                      {"orders", "import", "--help"},
                                                      {"status", "--help"},
                                                      {"label", "render", "-h"},
                                                      {"devices", "--help"},
                                                      {"tracking", "pool", "add", "--help"}};
    for (const auto& args : asked) {
        SCOPED_TRACE(args.front() + " " + args.back());
        EXPECT_EQ(packline(args), 0) << output();
        EXPECT_NE(output().find("usage: packline " + args.front()), std::string::npos) << output();
    }
    EXPECT_FALSE(fs::exists(dir_ / "packline-data")) << "a --help created the station's data";
}

TEST_F(CliTest, StatusOnAFreshStationAndClearErrorsOnBadInput) {
    ASSERT_EQ(packline({"status", "--db", db_}), 0) << output();
    EXPECT_NE(output().find("idle"), std::string::npos) << output();

    const fs::path garbage = dir_ / "garbage.db";
    std::ofstream(garbage) << std::string(4096, 'x');
    EXPECT_EQ(packline({"status", "--db", garbage.string()}), 1);
    EXPECT_NE(output().find("damaged"), std::string::npos) << output();

    const fs::path config = dir_ / "bad.toml";
    std::ofstream(config) << "[weight]\ntolerance_pct = 400\n";
    EXPECT_EQ(packline({"status", "--config", config.string()}), 2);
    EXPECT_NE(output().find("tolerance_pct"), std::string::npos) << output();

    EXPECT_EQ(packline({"no-such-command"}), 2);
    EXPECT_EQ(packline({"demo", "--orders", "lots"}), 2);
}

TEST_F(CliTest, StatusOfAnotherStationsDatabaseCountsThatStation) {
    // A station's own database, packed under its own id.
    const fs::path config = dir_ / "bench-9.toml";
    std::ofstream(config) << "[station]\nid = \"bench-9\"\nsite = \"sha1\"\ndatabase = \"" << db_
                          << "\"\n";
    ASSERT_EQ(testing::run({testing::binary("packline-stationd"), "--config", config.string(),
                            "--shift", "4", "--seed", "2"},
                           dir_ / "shift.txt"),
              0)
        << testing::read_file(dir_ / "shift.txt");
    std::int64_t confirmed = 0;
    {
        auto store = Store::open(db_);
        ASSERT_TRUE(store.ok());
        confirmed = store.value()->count_confirmations().value();
    }
    ASSERT_GT(confirmed, 0);
    // Looked at with --db alone (no configuration): the counts are bench-9's.
    ASSERT_EQ(packline({"status", "--db", db_, "--all"}), 0) << output();
    EXPECT_NE(output().find("station   bench-9"), std::string::npos) << output();
    EXPECT_NE(output().find("confirmed " + std::to_string(confirmed) + ","), std::string::npos)
        << output();
}

TEST_F(CliTest, ShortDemoCatchesEveryPlantedMistake) {
    ASSERT_EQ(packline({"demo", "--orders", "30", "--seed", "3", "--db", db_}), 0) << output();
    EXPECT_NE(output().find("RESULT: every planted mistake was caught"), std::string::npos)
        << output();
}

}  // namespace
}  // namespace packline::station
