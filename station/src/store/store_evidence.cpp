// Evidence photos: what retention may prune, and the record that it did.
#include <utility>

#include "packline/store_errors.h"
#include "store_impl.h"

namespace packline::station {

Result<std::vector<KeptPhoto>> Store::photos_taken_before(std::int64_t before_ms,
                                                          std::int64_t after_parcel_id, int limit) {
    const std::string where = "store: photos taken before " + std::to_string(before_ms);
    auto select = impl_->query(R"sql(
SELECT id, order_id, photo_path, photo_sha256, photo_taken_at_ms FROM parcels
WHERE photo_sha256 IS NOT NULL AND photo_pruned_at_ms IS NULL AND photo_taken_at_ms < ?1
  AND id > ?2
ORDER BY id LIMIT ?3
)sql");
    if (!select) return select.error().context(where);
    select->bind_integer(1, before_ms).bind_integer(2, after_parcel_id).bind_integer(3, limit);
    std::vector<KeptPhoto> photos;
    for (;;) {
        auto row = select->step();
        if (!row) return row.error().context(where);
        if (!*row) break;
        photos.push_back(KeptPhoto{select->column_integer(0), select->column_text(1),
                                   EvidencePhoto{select->column_text(2), select->column_text(3),
                                                 select->column_integer(4), 0}});
    }
    return photos;
}

Status Store::mark_photo_pruned(std::int64_t parcel_id, std::int64_t at_ms,
                                const EventRecord& event) {
    const std::string where =
        "store: mark photo of parcel " + std::to_string(parcel_id) + " pruned";
    auto status = impl_->transaction([&]() -> Status {
        auto update = impl_->query(R"sql(
UPDATE parcels SET photo_pruned_at_ms = ?2
WHERE id = ?1 AND photo_sha256 IS NOT NULL AND photo_pruned_at_ms IS NULL
)sql");
        if (!update) return update.error();
        update->bind_integer(1, parcel_id).bind_integer(2, at_ms);
        if (auto updated = update->run(); !updated) return updated.error();
        if (update->changes() == 0)
            return Error{errors::kStoreNotFound,
                         "no kept photo for parcel " + std::to_string(parcel_id)};
        EventRecord record = event;
        record.parcel_id = parcel_id;
        return insert_event(*impl_, record);
    });
    if (!status) return status.error().context(where);
    return status;
}

}  // namespace packline::station
