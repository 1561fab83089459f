// Evidence photo records: written with the parcel, found by retention in
// pages, marked pruned once with an event; the hash is write-once.
#include <gtest/gtest.h>

#include "packline/station/store.h"
#include "store_fixtures.h"

namespace packline::station {
namespace {

using testing::chinese_order;
using testing::event;
using testing::new_parcel;
using testing::open_store;
using testing::RawConnection;
using testing::step;
using testing::TempDir;

constexpr std::int64_t kDay = 24LL * 60 * 60 * 1000;
constexpr std::int64_t kNow = 1'800'000'000'000;

std::string hash_of(char digit) {
    return std::string(64, digit);
}

class StoreEvidence : public ::testing::Test {
  protected:
    void SetUp() override {
        path_ = directory_.file("station.db");
        store_ = open_store(path_);
        ASSERT_NE(store_, nullptr);
        for (const char* order : {"SO-1", "SO-2", "SO-3", "SO-4"})
            ASSERT_TRUE(store_->upsert_order(chinese_order(order)));
    }

    // A confirmed parcel of `order`, with a photo taken at `taken_at_ms` when set.
    std::int64_t confirmed(const std::string& order, std::optional<std::int64_t> taken_at_ms,
                           char digit = 'a') {
        Parcel parcel = new_parcel(order);
        parcel.state = ParcelState::Confirmed;
        if (taken_at_ms)
            parcel.photo =
                EvidencePhoto{"/evidence/" + order + ".jpg", hash_of(digit), *taken_at_ms, 0};
        Transition transition = step(parcel, event("ev-" + order, event_type::parcel_confirmed, 1));
        auto id = store_->commit(transition);
        EXPECT_TRUE(id) << id.error().to_string();
        return id.value_or(0);
    }

    TempDir directory_;
    std::string path_;
    std::unique_ptr<Store> store_;
};

TEST_F(StoreEvidence, APhotoIsStoredWithItsParcelAndReadBack) {
    const std::int64_t with = confirmed("SO-1", kNow);
    const std::int64_t without = confirmed("SO-2", std::nullopt);
    auto parcel = store_->find_parcel(with);
    ASSERT_TRUE(parcel && *parcel && (*parcel)->photo);
    EXPECT_EQ(*(*parcel)->photo, (EvidencePhoto{"/evidence/SO-1.jpg", hash_of('a'), kNow, 0}));
    auto plain = store_->find_parcel(without);
    ASSERT_TRUE(plain && *plain);
    EXPECT_FALSE((*plain)->photo.has_value());
}

TEST_F(StoreEvidence, RetentionFindsOldUnprunedPhotosPageByPage) {
    const std::int64_t old_1 = confirmed("SO-1", kNow - 100 * kDay);
    confirmed("SO-2", kNow - 10 * kDay);  // young
    const std::int64_t old_2 = confirmed("SO-3", kNow - 95 * kDay);
    confirmed("SO-4", std::nullopt);  // no photo at all
    const std::int64_t cutoff = kNow - 90 * kDay;

    auto all = store_->photos_taken_before(cutoff, 0, 10);
    ASSERT_TRUE(all) << all.error().to_string();
    ASSERT_EQ(all->size(), 2u);
    EXPECT_EQ((*all)[0].parcel_id, old_1);
    EXPECT_EQ((*all)[0].order_id, "SO-1");
    EXPECT_EQ((*all)[0].photo.path, "/evidence/SO-1.jpg");
    EXPECT_EQ((*all)[1].parcel_id, old_2);

    auto first_page = store_->photos_taken_before(cutoff, 0, 1);
    ASSERT_TRUE(first_page);
    ASSERT_EQ(first_page->size(), 1u);
    auto second_page = store_->photos_taken_before(cutoff, first_page->back().parcel_id, 1);
    ASSERT_TRUE(second_page);
    ASSERT_EQ(second_page->size(), 1u);
    EXPECT_EQ(second_page->front().parcel_id, old_2);
}

TEST_F(StoreEvidence, PruningIsRecordedOnceWithItsEventAndTheHashStays) {
    const std::int64_t id = confirmed("SO-1", kNow - 100 * kDay);
    EventRecord pruned = event("ev-pruned", "evidence.pruned", kNow);
    pruned.order_id = "SO-1";
    ASSERT_TRUE(store_->mark_photo_pruned(id, kNow, pruned));

    auto parcel = store_->find_parcel(id);
    ASSERT_TRUE(parcel && *parcel && (*parcel)->photo);
    EXPECT_EQ((*parcel)->photo->pruned_at_ms, kNow);
    EXPECT_EQ((*parcel)->photo->sha256, hash_of('a'));
    auto events = store_->events_for_parcel(id);
    ASSERT_TRUE(events);
    EXPECT_EQ(events->back().type, "evidence.pruned");
    EXPECT_TRUE(store_->photos_taken_before(kNow, 0, 10)->empty());

    // Twice is refused, and the refusal writes nothing (not even the event).
    auto again = store_->mark_photo_pruned(id, kNow + 1, event("ev-again", "evidence.pruned", 1));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, "store.not_found");
    EXPECT_EQ(store_->events_for_parcel(id)->size(), events->size());
    EXPECT_EQ((*store_->find_parcel(id))->photo->pruned_at_ms, kNow);

    // A parcel without a photo has nothing to prune.
    const std::int64_t plain = confirmed("SO-2", std::nullopt);
    EXPECT_EQ(store_->mark_photo_pruned(plain, kNow, event("ev-plain", "evidence.pruned", 1))
                  .error()
                  .code,
              "store.not_found");
}

TEST_F(StoreEvidence, ALaterCommitOfTheParcelKeepsThePruningAndCannotChangeTheHash) {
    const std::int64_t id = confirmed("SO-1", kNow - 100 * kDay);
    ASSERT_TRUE(store_->mark_photo_pruned(id, kNow, event("ev-pruned", "evidence.pruned", kNow)));
    Parcel stale = *store_->find_parcel(id).value();
    stale.photo->pruned_at_ms = 0;  // a copy from before the pruning
    Transition same = step(stale, event("ev-same", "parcel.note", 2));
    ASSERT_TRUE(store_->commit(same)) << "same photo, nothing to refuse";
    EXPECT_EQ((*store_->find_parcel(id))->photo->pruned_at_ms, kNow);

    Parcel swapped = stale;
    swapped.photo->sha256 = hash_of('b');
    Transition swap = step(swapped, event("ev-swap", "parcel.note", 3));
    auto refused = store_->commit(swap);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "store.constraint");
    EXPECT_NE(refused.error().message.find("write-once"), std::string::npos)
        << refused.error().message;
    Parcel dropped = stale;
    dropped.photo.reset();
    Transition drop = step(dropped, event("ev-drop", "parcel.note", 4));
    EXPECT_FALSE(store_->commit(drop));
    EXPECT_EQ((*store_->find_parcel(id))->photo->sha256, hash_of('a'));
}

TEST_F(StoreEvidence, TheDatabaseRefusesABadHashOrAHalfRecordFromAnyConnection) {
    const std::int64_t id = confirmed("SO-1", std::nullopt);
    RawConnection raw(path_);
    const std::string where = " WHERE id = " + std::to_string(id);
    EXPECT_EQ(raw.exec("UPDATE parcels SET photo_path = '/e/x.jpg', photo_sha256 = 'ABC', "
                       "photo_taken_at_ms = 1" +
                       where) &
                  0xff,
              SQLITE_CONSTRAINT);
    EXPECT_EQ(raw.exec("UPDATE parcels SET photo_path = '/e/x.jpg', photo_sha256 = '" +
                       hash_of('d') + "'" + where) &
                  0xff,
              SQLITE_CONSTRAINT)
        << "no time";
    EXPECT_EQ(raw.exec("UPDATE parcels SET photo_pruned_at_ms = 5" + where) & 0xff,
              SQLITE_CONSTRAINT)
        << "pruned without a photo";
    ASSERT_EQ(raw.exec("UPDATE parcels SET photo_path = '/e/x.jpg', photo_sha256 = '" +
                       hash_of('d') + "', photo_taken_at_ms = 1" + where),
              SQLITE_OK)
        << raw.last_error();
    EXPECT_EQ(raw.exec("UPDATE parcels SET photo_sha256 = '" + hash_of('e') + "'" + where) & 0xff,
              SQLITE_CONSTRAINT);
    ASSERT_EQ(raw.exec("UPDATE parcels SET photo_pruned_at_ms = 5" + where), SQLITE_OK);
    EXPECT_EQ(raw.exec("UPDATE parcels SET photo_pruned_at_ms = NULL" + where) & 0xff,
              SQLITE_CONSTRAINT);
}

}  // namespace
}  // namespace packline::station
