#include "migrations.h"

#include <array>
#include <string>

namespace packline::station::store_schema {
namespace {

// Version 1: the whole schema. Tables are STRICT so a wrong type is refused
// instead of silently stored. Events and confirmations are append-only,
// enforced by triggers; "no parcel confirmed twice" and "no tracking number
// confirmed twice" are UNIQUE constraints, not application checks.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE schema_migrations (
    version       INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    applied_at_ms INTEGER NOT NULL
) STRICT;

CREATE TABLE orders (
    id                  TEXT PRIMARY KEY CHECK (id <> ''),
    site                TEXT NOT NULL,
    status              TEXT NOT NULL
                        CHECK (status IN ('open', 'on_hold', 'cancelled', 'packed', 'shipped')),
    recipient_name      TEXT NOT NULL,
    recipient_phone     TEXT NOT NULL,
    address_city        TEXT NOT NULL,
    address_region      TEXT NOT NULL,
    address_postal_code TEXT NOT NULL,
    address_country     TEXT NOT NULL,
    carrier             TEXT NOT NULL,
    service             TEXT NOT NULL,
    tracking_number     TEXT NOT NULL,
    packaging           TEXT NOT NULL,
    created_at_ms       INTEGER NOT NULL,
    ship_by_ms          INTEGER NOT NULL,
    updated_at_ms       INTEGER NOT NULL
) STRICT;
CREATE INDEX orders_tracking_number ON orders (tracking_number) WHERE tracking_number <> '';
CREATE INDEX orders_status_ship_by ON orders (status, ship_by_ms);

CREATE TABLE order_address_lines (
    order_id TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_no  INTEGER NOT NULL,
    text     TEXT NOT NULL,
    PRIMARY KEY (order_id, line_no)
) STRICT, WITHOUT ROWID;

CREATE TABLE order_lines (
    order_id TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_no  INTEGER NOT NULL,
    sku      TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, line_no)
) STRICT, WITHOUT ROWID;

CREATE TABLE skus (
    sku             TEXT PRIMARY KEY CHECK (sku <> ''),
    name            TEXT NOT NULL,
    style           TEXT NOT NULL,
    size            TEXT NOT NULL,
    colour          TEXT NOT NULL,
    unit_weight_g   REAL NOT NULL CHECK (unit_weight_g >= 0),
    serial_required INTEGER NOT NULL CHECK (serial_required IN (0, 1)),
    tolerance_abs_g REAL,
    tolerance_pct   REAL,
    updated_at_ms   INTEGER NOT NULL
) STRICT;

CREATE TABLE sku_barcodes (
    code     TEXT PRIMARY KEY CHECK (code <> ''),
    sku      TEXT NOT NULL REFERENCES skus (sku) ON DELETE CASCADE,
    position INTEGER NOT NULL
) STRICT;
CREATE INDEX sku_barcodes_sku ON sku_barcodes (sku, position);

CREATE TABLE packaging (
    code          TEXT PRIMARY KEY CHECK (code <> ''),
    name          TEXT NOT NULL,
    tare_g        REAL NOT NULL CHECK (tare_g >= 0),
    updated_at_ms INTEGER NOT NULL
) STRICT;

CREATE TABLE parcels (
    id                INTEGER PRIMARY KEY,
    order_id          TEXT NOT NULL REFERENCES orders (id),
    sequence          INTEGER NOT NULL CHECK (sequence >= 1),
    station           TEXT NOT NULL,
    packer            TEXT NOT NULL,
    state             TEXT NOT NULL
                      CHECK (state IN ('scanning', 'weighing', 'printing', 'awaiting_scan_back',
                                       'exception', 'confirmed', 'abandoned')),
    weight_g          REAL,
    expected_weight_g REAL NOT NULL,
    packaging         TEXT NOT NULL,
    carrier           TEXT NOT NULL,
    tracking_number   TEXT NOT NULL,
    label_job_id      TEXT NOT NULL,
    label_attempts    INTEGER NOT NULL,
    customer_check    TEXT NOT NULL CHECK (customer_check IN ('pending', 'passed', 'failed', 'overridden')),
    contents_check    TEXT NOT NULL CHECK (contents_check IN ('pending', 'passed', 'failed', 'overridden')),
    express_check     TEXT NOT NULL CHECK (express_check IN ('pending', 'passed', 'failed', 'overridden')),
    exception_check   TEXT,  -- the four exception columns are all NULL when there is none
    exception_reason  TEXT,
    exception_message TEXT,
    closed_partial    INTEGER NOT NULL CHECK (closed_partial IN (0, 1)),
    created_at_ms     INTEGER NOT NULL,
    updated_at_ms     INTEGER NOT NULL,
    confirmed_at_ms   INTEGER NOT NULL
) STRICT;
CREATE INDEX parcels_tracking_number ON parcels (tracking_number);
CREATE INDEX parcels_order ON parcels (order_id, sequence);
CREATE INDEX parcels_station_open ON parcels (station, id)
    WHERE state NOT IN ('confirmed', 'abandoned');

CREATE TABLE parcel_exception_details (
    parcel_id INTEGER NOT NULL REFERENCES parcels (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    key       TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (parcel_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE parcel_items (
    parcel_id INTEGER NOT NULL REFERENCES parcels (id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    sku       TEXT NOT NULL,
    barcode   TEXT NOT NULL,
    serial    TEXT NOT NULL,
    lot       TEXT NOT NULL,
    at_ms     INTEGER NOT NULL,
    PRIMARY KEY (parcel_id, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX parcel_items_serial ON parcel_items (sku, serial) WHERE serial <> '';

CREATE TABLE events (
    seq       INTEGER PRIMARY KEY,
    event_id  TEXT NOT NULL UNIQUE CHECK (event_id <> ''),
    at_ms     INTEGER NOT NULL,
    station   TEXT NOT NULL,
    type      TEXT NOT NULL CHECK (type <> ''),
    order_id  TEXT NOT NULL,
    parcel_id INTEGER REFERENCES parcels (id),
    payload   TEXT NOT NULL CHECK (json_valid(payload))
) STRICT;
CREATE INDEX events_parcel ON events (parcel_id) WHERE parcel_id IS NOT NULL;
CREATE INDEX events_station_at ON events (station, at_ms);
CREATE INDEX events_at ON events (at_ms);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

-- AUTOINCREMENT keeps seq increasing even after delivered rows are pruned.
CREATE TABLE outbox (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id        TEXT NOT NULL UNIQUE CHECK (event_id <> ''),
    topic           TEXT NOT NULL CHECK (topic <> ''),
    payload         TEXT NOT NULL,
    created_at_ms   INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    delivered_at_ms INTEGER
) STRICT;
CREATE INDEX outbox_pending ON outbox (seq) WHERE delivered_at_ms IS NULL;

CREATE TABLE tracking_pool (
    number      TEXT PRIMARY KEY CHECK (number <> ''),
    carrier     TEXT NOT NULL,
    parcel_id   INTEGER REFERENCES parcels (id),
    taken_at_ms INTEGER,
    CHECK ((parcel_id IS NULL) = (taken_at_ms IS NULL))
) STRICT;
CREATE INDEX tracking_pool_free ON tracking_pool (carrier) WHERE parcel_id IS NULL;

CREATE TABLE confirmations (
    parcel_id       INTEGER NOT NULL UNIQUE REFERENCES parcels (id),
    order_id        TEXT NOT NULL,
    tracking_number TEXT NOT NULL UNIQUE CHECK (tracking_number <> ''),
    confirmed_at_ms INTEGER NOT NULL,
    event_id        TEXT NOT NULL REFERENCES events (event_id)
) STRICT;
CREATE TRIGGER confirmations_no_update BEFORE UPDATE ON confirmations
BEGIN SELECT RAISE(ABORT, 'confirmations are append-only'); END;
CREATE TRIGGER confirmations_no_delete BEFORE DELETE ON confirmations
BEGIN SELECT RAISE(ABORT, 'confirmations are append-only'); END;

PRAGMA user_version = 1;
)sql";

// Version 2: the evidence photo of a confirmed parcel (issue 4). The path and
// hash are written with the confirmation; retention later deletes the file and
// sets photo_pruned_at_ms. The trigger keeps the record honest: once a hash is
// stored it never changes or disappears, and a pruning is never undone.
constexpr std::string_view kSchemaV2 = R"sql(
ALTER TABLE parcels ADD COLUMN photo_path TEXT CHECK (photo_path IS NULL OR photo_path <> '');
ALTER TABLE parcels ADD COLUMN photo_sha256 TEXT
    CHECK (photo_sha256 IS NULL OR (length(photo_sha256) = 64
                                    AND photo_sha256 NOT GLOB '*[^0-9a-f]*'));
-- Path, hash and time come together or not at all.
ALTER TABLE parcels ADD COLUMN photo_taken_at_ms INTEGER
    CHECK ((photo_taken_at_ms IS NULL) = (photo_sha256 IS NULL)
           AND (photo_taken_at_ms IS NULL) = (photo_path IS NULL));
ALTER TABLE parcels ADD COLUMN photo_pruned_at_ms INTEGER;
CREATE INDEX parcels_photo_kept ON parcels (photo_taken_at_ms)
    WHERE photo_sha256 IS NOT NULL AND photo_pruned_at_ms IS NULL;
CREATE TRIGGER parcels_photo_write_once
BEFORE UPDATE OF photo_path, photo_sha256, photo_taken_at_ms, photo_pruned_at_ms ON parcels
WHEN (OLD.photo_sha256 IS NOT NULL
      AND (NEW.photo_sha256 IS NOT OLD.photo_sha256 OR NEW.photo_path IS NOT OLD.photo_path
           OR NEW.photo_taken_at_ms IS NOT OLD.photo_taken_at_ms))
  OR (OLD.photo_pruned_at_ms IS NOT NULL AND NEW.photo_pruned_at_ms IS NOT OLD.photo_pruned_at_ms)
  OR (NEW.photo_pruned_at_ms IS NOT NULL AND NEW.photo_sha256 IS NULL)
BEGIN SELECT RAISE(ABORT, 'an evidence photo record is write-once; only its pruning is added'); END;

PRAGMA user_version = 2;
)sql";

// Version 3: an order may ask for a GS1 SSCC on its label (issue 4).
constexpr std::string_view kSchemaV3 = R"sql(
ALTER TABLE orders ADD COLUMN sscc TEXT NOT NULL DEFAULT '';
PRAGMA user_version = 3;
)sql";

// Version 4: sync (issue 5). station_state keeps what must outlive a restart
// outside any parcel: the reserved range of the message sequence, a pause
// ordered by a supervisor. inbox remembers the event ids of messages already
// applied, so a redelivered command or pool top-up is not applied twice.
constexpr std::string_view kSchemaV4 = R"sql(
CREATE TABLE station_state (
    key           TEXT PRIMARY KEY CHECK (key <> ''),
    value         TEXT NOT NULL,
    updated_at_ms INTEGER NOT NULL
) STRICT;
CREATE TABLE inbox (
    event_id       TEXT PRIMARY KEY CHECK (event_id <> ''),
    topic          TEXT NOT NULL,
    received_at_ms INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX inbox_received ON inbox (received_at_ms);
PRAGMA user_version = 4;
)sql";

// Version 5: items typed on the packer screen because their barcode would
// not read are marked, so the confirmation and the supervisors can tell
// (issue 6).
constexpr std::string_view kSchemaV5 = R"sql(
ALTER TABLE parcel_items ADD COLUMN manual INTEGER NOT NULL DEFAULT 0 CHECK (manual IN (0, 1));
PRAGMA user_version = 5;
)sql";

constexpr std::array<Migration, 5> kMigrations{{
    {1, "initial schema", kSchemaV1},
    {2, "evidence photos of parcels", kSchemaV2},
    {3, "SSCC of an order", kSchemaV3},
    {4, "sync: station state and inbox", kSchemaV4},
    {5, "items entered by hand", kSchemaV5},
}};

}  // namespace

std::span<const Migration> migrations() {
    return kMigrations;
}

Result<int> migrate(sqlite::Database& database, std::span<const Migration> list,
                    std::int64_t now_ms) {
    return sqlite::migrate(database, list, now_ms,
                           "upgrade Packline (the database was left untouched)");
}

}  // namespace packline::station::store_schema
