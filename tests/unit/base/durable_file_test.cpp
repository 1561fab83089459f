// write_file_durably: the whole file under its name or nothing, whichever
// system call fails, on a real full disk too; the next write works once the
// disk does.
#include "packline/durable_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "file_faults.h"
#include "small_filesystem.h"

namespace packline {
namespace {

namespace fs = std::filesystem;

class DurableFileTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("packline-durable-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override {
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }

    static std::string read(const fs::path& path) {
        std::ifstream in(path, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }
    static std::vector<std::string> names(const fs::path& dir) {
        std::vector<std::string> found;
        for (const auto& entry : fs::directory_iterator(dir))
            found.push_back(entry.path().filename().string());
        return found;
    }

    fs::path dir_;
};

TEST_F(DurableFileTest, WritesTheWholeFileAndReplacesAnOlderOne) {
    const fs::path file = dir_ / "photo.jpg";
    ASSERT_TRUE(write_file_durably(file, "first").ok());
    EXPECT_EQ(read(file), "first");
    const std::string big(300000, 'b');
    ASSERT_TRUE(write_file_durably(file, big).ok());
    EXPECT_EQ(read(file), big);
    EXPECT_EQ(names(dir_), std::vector<std::string>{"photo.jpg"}) << "a temporary was left";
}

TEST_F(DurableFileTest, AMissingDirectoryIsAnErrorThatNamesIt) {
    const auto written = write_file_durably(dir_ / "no-such" / "photo.jpg", "x");
    ASSERT_FALSE(written.ok());
    EXPECT_EQ(written.error().code, file_errors::kIo);
    EXPECT_NE(written.error().message.find("no-such"), std::string::npos)
        << written.error().message;
}

// Every system call of the write fails in turn, with an I/O error and with a
// full disk: never a torn or half-written file under the name, never a
// temporary left behind, the older file kept when the failure came before
// the rename, and the error says which it was.
TEST_F(DurableFileTest, AFailureAtEveryCallLeavesTheWholeOldFileOrNothing) {
    int calls = 0;
    {
        testing::FileFaults counting(0, 0);
        ASSERT_TRUE(write_file_durably(dir_ / "count.jpg", "counting").ok());
        calls = counting.calls();
    }
    fs::remove(dir_ / "count.jpg");
    // create, write, sync, close, rename, open directory, sync directory,
    // close directory
    ASSERT_EQ(calls, 8);
    const std::string older = "the older label";
    const std::string newer(5000, 'n');
    for (int error_number : {EIO, ENOSPC}) {
        // The last call, closing the synced directory, cannot lose a write.
        for (int k = 1; k < calls; ++k) {
            SCOPED_TRACE("call " + std::to_string(k) + " fails with " +
                         std::strerror(error_number));
            const fs::path file = dir_ / "label.zpl";
            ASSERT_TRUE(write_file_durably(file, older).ok());
            {
                testing::FileFaults faults(k, error_number);
                const auto written = write_file_durably(file, newer);
                ASSERT_FALSE(written.ok());
                EXPECT_EQ(written.error().code,
                          error_number == ENOSPC ? file_errors::kFull : file_errors::kIo);
                if (error_number == ENOSPC) {
                    EXPECT_NE(written.error().message.find("the disk is full"), std::string::npos)
                        << written.error().message;
                }
                constexpr int kRename = 5;
                if (k <= kRename) {
                    EXPECT_EQ(read(file), older);
                } else {
                    // Renamed, but the name is not known to survive a power
                    // cut: the file is taken away rather than half-promised.
                    EXPECT_FALSE(fs::exists(file));
                }
                for (const std::string& name : names(dir_))
                    EXPECT_EQ(name, "label.zpl") << "left behind: " << name;
                // The disk is well again: the next write works.
                faults.heal();
                ASSERT_TRUE(write_file_durably(file, newer).ok());
                EXPECT_EQ(read(file), newer);
            }
            fs::remove(file);
        }
        testing::FileFaults closing_the_directory(calls, error_number);
        ASSERT_TRUE(write_file_durably(dir_ / "label.zpl", newer).ok());
        EXPECT_EQ(read(dir_ / "label.zpl"), newer);
    }
}

TEST_F(DurableFileTest, OnARealFullDiskNothingIsLeftAndTheNextWriteWorksOnceThereIsRoom) {
    testing::SmallFilesystem disk(dir_ / "small", 256 * 1024);
    if (!disk.ready()) GTEST_SKIP() << disk.error();
    const fs::path file = disk.path() / "photo.jpg";
    const std::string photo(64 * 1024, 'p');
    disk.fill();
    const auto written = write_file_durably(file, photo);
    ASSERT_FALSE(written.ok());
    EXPECT_EQ(written.error().code, file_errors::kFull) << written.error().message;
    EXPECT_TRUE(disk.contents().empty()) << "left behind: " << disk.contents().front();

    disk.make_room();
    ASSERT_TRUE(write_file_durably(file, photo).ok());
    EXPECT_EQ(read(file), photo);
    EXPECT_EQ(disk.contents(), std::vector<std::string>{"photo.jpg"});
}

}  // namespace
}  // namespace packline
