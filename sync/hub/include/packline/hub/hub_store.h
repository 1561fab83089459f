// The hub's database (SQLite, WAL; pimpl: no sqlite3.h here). It keeps:
//   - every shipment confirmation and station event received, append-only,
//     one row per event id (a redelivered message is a "duplicate");
//   - the latest status of every station, replaced only by a newer one
//     (higher sequence), with when the hub received it and the clock skew
//     (hub clock minus the status's sent_at_ms). A will (offline,
//     connection_lost) is the exception: the station made it when it
//     connected, so its sequence is older than the statuses that followed;
//     a will not seen before replaces any status;
//   - the catalogue as the hub published it (orders, SKUs, packaging), so it
//     can be republished;
//   - tracking numbers per carrier and the station each was given to; a
//     number is given once, ever (a trigger refuses any change after).
// Every write that an acknowledgement or a top-up relies on commits with
// synchronous=FULL. Schema changes are versioned migrations (user_version).
//
// Thread-bound: one thread uses a HubStore (the hub's worker; a command-line
// tool). Several processes may open one database: writes take the write
// lock (BEGIN IMMEDIATE) and wait for it up to the busy timeout.
//
// Errors: "store.busy", "store.full", "store.io", "store.corrupt",
// "store.read_only", "store.constraint", "store.migration", "store.too_new".
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "packline/error.h"
#include "packline/hub/records.h"

namespace packline::hub {

enum class StoreOutcome {
    Stored,     // written now (a status: kept as the station's latest)
    Duplicate,  // the event id was stored before (a status: not newer, not kept)
};
std::string_view to_string(StoreOutcome outcome);

struct ReceivedShipment {
    ShipmentRecord shipment;
    std::int64_t received_at_ms = 0;
};

struct StationStatusRow {
    StatusRecord status;
    std::int64_t received_at_ms = 0;
    std::int64_t clock_skew_ms = 0;  // hub clock at receipt minus status sent_at_ms
};

enum class CatalogueKind { Order, Sku, Packaging };
std::string_view to_string(CatalogueKind kind);

struct CatalogueEntry {
    CatalogueKind kind = CatalogueKind::Order;
    std::string site;
    std::string id;
    std::string payload;  // the message as published
    std::int64_t updated_at_ms = 0;
};

struct PoolLoad {
    std::int64_t loaded = 0;
    std::int64_t already_known = 0;  // the number was loaded before: not loaded again
};

struct GivenNumber {
    std::string carrier;
    std::string number;
    std::string site;
    std::string station;
    std::int64_t given_at_ms = 0;
};

class HubStore {
  public:
    // The schema version this code writes.
    static int latest_schema_version();

    // Opens (creating it when missing) and migrates. `now_ms` is recorded
    // with each migration.
    static Result<std::unique_ptr<HubStore>> open(const std::string& path, std::int64_t now_ms);
    ~HubStore();
    HubStore(const HubStore&) = delete;
    HubStore& operator=(const HubStore&) = delete;

    [[nodiscard]] Result<int> schema_version();

    // Stores `records` in one transaction (synchronous=FULL): one outcome per
    // record, in order. On an error nothing of the batch is stored.
    Result<std::vector<StoreOutcome>> ingest(std::span<const StationRecord> records,
                                             std::int64_t received_at_ms);

    // Confirmations the hub received in [since_ms, until_ms), by receipt
    // time, oldest first.
    Result<std::vector<ReceivedShipment>> shipments_received(std::int64_t since_ms,
                                                             std::int64_t until_ms);
    Result<std::int64_t> shipment_count();
    Result<std::int64_t> station_event_count();
    Result<std::vector<StationEventRecord>> station_events(std::string_view site,
                                                           std::string_view station);

    // Every station's latest status, by site and station.
    Result<std::vector<StationStatusRow>> station_statuses();
    Result<std::optional<StationStatusRow>> station_status(std::string_view site,
                                                           std::string_view station);

    // The catalogue as published: replaces the entry; delete returns whether
    // it was there.
    Status put_catalogue(const CatalogueEntry& entry);
    Result<bool> delete_catalogue(CatalogueKind kind, std::string_view site, std::string_view id);
    Result<std::vector<CatalogueEntry>> catalogue(std::string_view site);

    // Tracking-number stock. Numbers are stored as given (the caller
    // validates them).
    Result<PoolLoad> load_pool(std::string_view carrier, std::span<const std::string> numbers,
                               std::int64_t now_ms);
    Result<std::int64_t> pool_available(std::string_view carrier);
    // Gives at most `count` unused numbers of `carrier` to the station, oldest
    // loaded first, in one transaction (synchronous=FULL), recorded before
    // the caller publishes them. Fewer (or none) when the stock runs out.
    Result<std::vector<std::string>> give_numbers(std::string_view carrier, std::string_view site,
                                                  std::string_view station, std::int64_t count,
                                                  std::string_view top_up_event_id,
                                                  std::int64_t now_ms);
    Result<std::vector<GivenNumber>> given_numbers(std::string_view carrier);

    struct Impl;

  private:
    explicit HubStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace packline::hub
