// Where evidence photos go, and what counts as inside the evidence directory
// (the rule that keeps retention from deleting anything else).
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "../../../station/src/core/evidence.h"

namespace packline::station {
namespace {

namespace fs = std::filesystem;

Parcel parcel_of(std::string order_id, int sequence, std::int64_t id) {
    Parcel parcel;
    parcel.order_id = std::move(order_id);
    parcel.sequence = sequence;
    parcel.id = id;
    return parcel;
}

TEST(EvidencePhotoPath, IsDatedInUtcAndNamesOrderSequenceAndParcel) {
    constexpr std::int64_t kMay2Utc = 1714608000000;  // 2024-05-02T00:00:00Z
    EXPECT_EQ(evidence_photo_path("/srv/evidence", parcel_of("SO-1", 2, 42), kMay2Utc),
              fs::path("/srv/evidence/2024-05-02/SO-1-p2-42.jpg"));
    EXPECT_EQ(evidence_photo_path("/srv/evidence", parcel_of("SO-1", 2, 42), kMay2Utc - 1),
              fs::path("/srv/evidence/2024-05-01/SO-1-p2-42.jpg"));
}

TEST(EvidencePhotoPath, AnOrderIdNeverMakesAPath) {
    const fs::path path =
        evidence_photo_path("/srv/evidence", parcel_of("../../etc/pass wd", 1, 7), 0);
    EXPECT_EQ(path, fs::path("/srv/evidence/1970-01-01/.._.._etc_pass_wd-p1-7.jpg"));
    EXPECT_EQ(path.parent_path(), fs::path("/srv/evidence/1970-01-01"));
}

TEST(EvidencePhotoPath, ARelativeDirectoryIsMadeAbsolute) {
    const fs::path path = evidence_photo_path("packline-data/evidence", parcel_of("A", 1, 1), 0);
    EXPECT_TRUE(path.is_absolute());
    EXPECT_EQ(path, fs::current_path() / "packline-data/evidence/1970-01-01/A-p1-1.jpg");
}

class InsideDirectory : public ::testing::Test {
  protected:
    void SetUp() override {
        root_ = fs::temp_directory_path() /
                ("packline-inside-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(root_);
        fs::create_directories(root_ / "evidence" / "2024-05-01");
        fs::create_directories(root_ / "evidence-old");
        fs::create_directories(root_ / "private");
        std::ofstream(root_ / "evidence" / "2024-05-01" / "a.jpg") << "jpeg";
        std::ofstream(root_ / "private" / "secret.jpg") << "secret";
    }
    void TearDown() override { fs::remove_all(root_); }

    fs::path root_;
};

TEST_F(InsideDirectory, HoldsFilesBelowTheDirectoryEvenOnceDeleted) {
    const fs::path evidence = root_ / "evidence";
    EXPECT_TRUE(inside_directory(evidence, evidence / "2024-05-01" / "a.jpg"));
    EXPECT_TRUE(inside_directory(evidence, evidence / "2024-05-01" / "gone.jpg"));
    EXPECT_TRUE(inside_directory(evidence, evidence / "2024-05-01"));
    EXPECT_TRUE(inside_directory(root_ / "evidence/", evidence / "2024-05-01" / "a.jpg"));
}

TEST_F(InsideDirectory, NeverTheDirectoryItselfOrAnythingOutside) {
    const fs::path evidence = root_ / "evidence";
    EXPECT_FALSE(inside_directory(evidence, evidence));
    EXPECT_FALSE(inside_directory(evidence, root_ / "evidence-old" / "a.jpg"));  // a name prefix
    EXPECT_FALSE(inside_directory(evidence, evidence / ".." / "private" / "secret.jpg"));
    EXPECT_FALSE(inside_directory(evidence, root_ / "private" / "secret.jpg"));
    EXPECT_FALSE(inside_directory(evidence, "/etc/passwd"));
}

TEST_F(InsideDirectory, LinksAreFollowedToWhereTheyPoint) {
    const fs::path evidence = root_ / "evidence";
    fs::create_directory_symlink(root_ / "private", evidence / "link-out");
    fs::create_symlink(root_ / "private" / "secret.jpg", evidence / "2024-05-01" / "b.jpg");
    EXPECT_FALSE(inside_directory(evidence, evidence / "link-out" / "secret.jpg"));
    EXPECT_FALSE(inside_directory(evidence, evidence / "2024-05-01" / "b.jpg"));
    // The evidence directory itself may be a link (a mounted disk): its files are inside.
    fs::create_directory_symlink(evidence, root_ / "evidence-link");
    EXPECT_TRUE(inside_directory(root_ / "evidence-link", evidence / "2024-05-01" / "a.jpg"));
}

}  // namespace
}  // namespace packline::station
