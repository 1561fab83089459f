// The station's durable local store (SQLite). "The store is the truth": every
// state change is one transaction that writes the new parcel state, an
// append-only event and, where the outside world must hear of it, an outbox
// row. Schema, transaction rules and migrations: docs/store.md.
//
// Thread-bound: a Store belongs to the thread that opened it (the station loop).
// Another thread or process that needs the database opens its own Store on the
// same file; WAL mode lets readers and one writer work side by side.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "packline/clock.h"
#include "packline/error.h"
#include "packline/station/domain.h"
#include "packline/station/import_batch.h"
#include "packline/station/shift_counters.h"

namespace packline::station {

struct StoreOptions {
    int busy_timeout_ms = 5000;
    bool read_only = false;
    // Tests only: caps the database at its current size (or this many pages if
    // larger) to simulate a full disk. 0 = no cap.
    std::int64_t max_page_count = 0;
    // What the store stamps rows with (imported, updated, migrated); the
    // wall clock when null. Must outlive the store.
    const Clock* clock = nullptr;
};

// Event types the station writes; Store::counters() counts them.
namespace event_type {
inline constexpr std::string_view parcel_started = "parcel.started";
inline constexpr std::string_view item_accepted = "item.accepted";
inline constexpr std::string_view item_rejected = "item.rejected";
inline constexpr std::string_view parcel_exception = "parcel.exception";
inline constexpr std::string_view parcel_override = "parcel.override";
inline constexpr std::string_view weight_accepted = "weight.accepted";
inline constexpr std::string_view label_printed = "label.printed";
inline constexpr std::string_view parcel_confirmed = "parcel.confirmed";
inline constexpr std::string_view parcel_abandoned = "parcel.abandoned";
inline constexpr std::string_view parcel_split = "parcel.split";
}  // namespace event_type

struct EventRecord {
    std::string event_id;  // unique, non-empty (the sync layer's idempotency key)
    std::int64_t at_ms = 0;
    std::string station;
    std::string type;  // see event_type
    std::string order_id;
    std::int64_t parcel_id = 0;  // 0 = not about a parcel
    std::string payload;         // JSON text; empty is stored as "{}"
};

struct OutboxMessage {
    std::int64_t seq = 0;  // assigned by the store
    std::string event_id;  // unique; empty in a Transition = the transition's event id
    std::string topic;
    std::string payload;
    std::int64_t created_at_ms = 0;  // 0 in a Transition = the event's at_ms
    int attempts = 0;
};

// An evidence photo whose file is still on disk, as retention sees it.
struct KeptPhoto {
    std::int64_t parcel_id = 0;
    std::string order_id;
    EvidencePhoto photo;
};

struct ImportCounts {
    int orders = 0;
    int skus = 0;
    int packaging = 0;
};

// One packing step, committed atomically by Store::commit.
struct Transition {
    Parcel parcel;      // full new state; id == 0 -> insert (the new id is written back)
    EventRecord event;  // appended; event.parcel_id is set to the parcel id
    std::optional<OutboxMessage> outbox;  // appended when set
    // When set, makes the outbox row's payload from the parcel id inside the
    // transaction (a new parcel's id is assigned there).
    std::function<std::string(std::int64_t parcel_id)> outbox_payload;
    std::optional<OrderStatus> order_status;  // new status for parcel.order_id when set
    std::string take_pool_number;             // non-empty: mark this tracking_pool number as taken
                                              // by the parcel ("store.pool_number_taken" if it is)
    bool confirm = false;  // also insert the confirmations row; commits with synchronous=FULL
};

class Store {
  public:
    struct Counters : ShiftCounters {
        std::int64_t outbox_pending = 0;  // undelivered outbox rows (all stations)
    };
    using PoolStock = station::PoolStock;

    // Creates the parent directory and the database if missing, checks it
    // (quick_check) and migrates it to the latest schema. ":memory:" opens a
    // private in-memory database (no WAL; for tests of other modules).
    static Result<std::unique_ptr<Store>> open(const std::string& path,
                                               const StoreOptions& options = {});
    // The schema version this code writes; open() migrates up to it.
    static int latest_schema_version();

    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    [[nodiscard]] int schema_version() const;
    [[nodiscard]] const std::string& path() const;

    // Catalogue. One transaction per call; upserts. Order lines and address
    // lines are replaced per order, barcodes per SKU (a barcode moves to the
    // SKU that claims it last). An order that is packed or shipped keeps that
    // status when the incoming one is open or on hold: an import never reopens it.
    Result<ImportCounts> import(const ImportBatch& batch);
    Status upsert_order(const Order& order);
    Status upsert_sku(const Sku& sku);
    Status upsert_packaging(const Packaging& packaging);

    Result<std::optional<Order>> find_order(std::string_view id);
    // Matches the order's own tracking number first, then any parcel's.
    Result<std::optional<Order>> find_order_by_tracking(std::string_view tracking);
    Result<std::optional<Sku>> find_sku(std::string_view sku);
    // Codes are matched exactly as stored: the caller normalises.
    Result<std::optional<Sku>> find_sku_by_barcode(std::string_view code);
    Result<std::optional<Packaging>> find_packaging(std::string_view code);
    Result<std::vector<Order>> open_orders(int limit);  // earliest ship-by first

    // One transaction: parcel row, its items (replaced), the event, and the
    // outbox row, order status, pool number and confirmation when asked. On
    // any error nothing is written. Returns the parcel id and writes it back
    // into transition.parcel.id and transition.event.parcel_id.
    Result<std::int64_t> commit(Transition& transition);
    // Standalone events (device health, rejected scans outside a parcel).
    Status append_event(const EventRecord& event);

    // Newest parcel of the station that is neither confirmed nor abandoned.
    Result<std::optional<Parcel>> active_parcel(std::string_view station);
    Result<std::optional<Parcel>> find_parcel(std::int64_t id);
    Result<std::vector<Parcel>> parcels_for_order(std::string_view order_id);
    // Used by another parcel that is not abandoned, or by any confirmation.
    Result<bool> tracking_number_used(std::string_view number, std::int64_t except_parcel_id);
    // Captured in another parcel that is not abandoned.
    Result<bool> serial_used(std::string_view sku, std::string_view serial,
                             std::int64_t except_parcel_id);
    Result<std::vector<EventRecord>> events_for_parcel(std::int64_t parcel_id);

    // Evidence photos (the photo is written by commit() with its parcel).
    // Photos not pruned yet, taken before `before_ms`, of parcels with an id
    // above `after_parcel_id`, in id order: retention walks them in pages.
    Result<std::vector<KeptPhoto>> photos_taken_before(std::int64_t before_ms,
                                                       std::int64_t after_parcel_id, int limit);
    // One transaction: records that the parcel's photo file was deleted at
    // `at_ms` (the path and hash stay) and appends `event` (its parcel_id is
    // set to the parcel). "store.not_found" when the parcel has no photo or it
    // was pruned already.
    Status mark_photo_pruned(std::int64_t parcel_id, std::int64_t at_ms, const EventRecord& event);

    // Tracking-number pool. Adding a number already in the pool is a no-op.
    Status add_pool_numbers(std::string_view carrier, const std::vector<std::string>& numbers);
    // Peeks the oldest untaken number; it is taken inside commit().
    Result<std::optional<std::string>> next_pool_number(std::string_view carrier);

    // Outbox, oldest first. Delivery is marked when the hub acknowledged
    // durable storage; marking an already delivered row again is harmless.
    Result<std::vector<OutboxMessage>> pending_outbox(int limit);
    Status mark_delivered(std::string_view event_id, std::int64_t at_ms);
    Status record_outbox_attempt(std::string_view event_id);
    Result<std::int64_t> count_outbox();          // all rows, delivered or not
    Result<std::int64_t> count_pending_outbox();  // rows the hub has not acknowledged
    Result<std::int64_t> count_confirmations();

    // Untaken pool numbers per carrier, by carrier. Carriers with none left
    // are included, and so are carriers of open or held orders without a
    // tracking number (they need the pool even if it never held their numbers).
    Result<std::vector<PoolStock>> pool_stock();

    // --- sync (issue 5; docs/store.md, "Sync") ---
    // An event and the outbox row that tells the hub about it, in one
    // transaction, outside any parcel (refused inbound messages, commands).
    Status append_event(const EventRecord& event, const OutboxMessage& outbox);
    // Values that outlive a restart outside any parcel (a pause, the
    // sequence reservation). Keys are the caller's.
    Result<std::optional<std::string>> station_value(std::string_view key);
    Status set_station_value(std::string_view key, std::string_view value);
    Status clear_station_value(std::string_view key);
    // Reserves `block` numbers of the station's message sequence and returns
    // the first; the next call returns the number after the block. Persisted
    // before it returns, so no number is handed out twice across restarts.
    Result<std::int64_t> reserve_sequence(std::int64_t block);
    // The inbox: event ids of inbound messages already applied.
    Result<bool> inbound_seen(std::string_view event_id);
    // Remembers an applied message; false if it was remembered already.
    Result<bool> remember_inbound(std::string_view event_id, std::string_view topic,
                                  std::int64_t at_ms);
    // Forgets messages received before `before_ms` (a redelivery that late
    // is no longer expected); returns how many.
    Result<std::int64_t> forget_inbound_before(std::int64_t before_ms);
    // The hub removed an object. An order that has parcels stays (their
    // history needs it) and, while still open or on hold, becomes cancelled;
    // one without parcels is deleted. Returns the order as it is now (none
    // when deleted or unknown).
    Result<std::optional<Order>> remove_order(std::string_view id);
    Status remove_sku(std::string_view sku);  // and its barcodes
    Status remove_packaging(std::string_view code);

    // The stations that recorded events in this store (normally one), sorted.
    Result<std::vector<std::string>> station_ids();
    // Events of the station (empty = all stations) with from_ms <= at_ms < to_ms.
    Result<Counters> counters(std::string_view station, std::int64_t from_ms, std::int64_t to_ms);

    // Full PRAGMA integrity_check; "store.corrupt" when it finds damage.
    Status integrity_check();

    struct Impl;  // opaque: defined inside the store library

  private:
    explicit Store(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace packline::station
