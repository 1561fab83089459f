#include "hub_store_schema.h"

#include <array>
#include <string>

namespace packline::hub::schema {
namespace {

// Version 1: the whole schema. STRICT tables refuse a wrong type instead of
// storing it. What the hub received is append-only (triggers); "stored once
// per event id" and "a tracking number given once" are constraints, not
// application checks, so two hub processes on one database cannot break them.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE schema_migrations (
    version       INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    applied_at_ms INTEGER NOT NULL
) STRICT;

CREATE TABLE shipments (
    id                INTEGER PRIMARY KEY,
    event_id          TEXT NOT NULL UNIQUE CHECK (event_id <> ''),
    site              TEXT NOT NULL,
    station           TEXT NOT NULL,
    order_id          TEXT NOT NULL,
    parcel_id         INTEGER NOT NULL,
    parcel_sequence   INTEGER NOT NULL,
    partial           INTEGER NOT NULL CHECK (partial IN (0, 1)),
    carrier           TEXT NOT NULL,
    tracking_number   TEXT NOT NULL,
    weight_g          REAL NOT NULL,
    expected_weight_g REAL NOT NULL,
    packaging         TEXT NOT NULL,
    packer            TEXT NOT NULL,
    confirmed_at_ms   INTEGER NOT NULL,
    sent_at_ms        INTEGER,
    sequence          INTEGER,
    received_at_ms    INTEGER NOT NULL,
    payload           TEXT NOT NULL
) STRICT;
CREATE INDEX shipments_received ON shipments (received_at_ms, id);
CREATE INDEX shipments_order ON shipments (order_id);
CREATE TRIGGER shipments_no_update BEFORE UPDATE ON shipments
BEGIN SELECT RAISE(ABORT, 'shipments are append-only'); END;
CREATE TRIGGER shipments_no_delete BEFORE DELETE ON shipments
BEGIN SELECT RAISE(ABORT, 'shipments are append-only'); END;

CREATE TABLE station_events (
    id             INTEGER PRIMARY KEY,
    event_id       TEXT NOT NULL UNIQUE CHECK (event_id <> ''),
    site           TEXT NOT NULL,
    station        TEXT NOT NULL,
    kind           TEXT NOT NULL,
    order_id       TEXT NOT NULL,
    parcel_id      INTEGER,
    "check"        TEXT NOT NULL,
    reason         TEXT NOT NULL,
    code           TEXT NOT NULL,
    message        TEXT NOT NULL,
    packer         TEXT NOT NULL,
    supervisor     TEXT NOT NULL,
    sent_at_ms     INTEGER NOT NULL,
    sequence       INTEGER NOT NULL,
    received_at_ms INTEGER NOT NULL,
    payload        TEXT NOT NULL
) STRICT;
CREATE INDEX station_events_received ON station_events (received_at_ms, id);
CREATE INDEX station_events_station ON station_events (site, station, sequence);
CREATE TRIGGER station_events_no_update BEFORE UPDATE ON station_events
BEGIN SELECT RAISE(ABORT, 'station events are append-only'); END;
CREATE TRIGGER station_events_no_delete BEFORE DELETE ON station_events
BEGIN SELECT RAISE(ABORT, 'station events are append-only'); END;

CREATE TABLE station_status (
    site           TEXT NOT NULL,
    station        TEXT NOT NULL,
    event_id       TEXT NOT NULL,
    state          TEXT NOT NULL,
    offline_reason TEXT NOT NULL,
    version        TEXT NOT NULL,
    packer         TEXT NOT NULL,
    current_order  TEXT NOT NULL,
    outbox_backlog INTEGER NOT NULL,
    last_sync_ms   INTEGER NOT NULL,
    sent_at_ms     INTEGER NOT NULL,
    sequence       INTEGER NOT NULL,
    received_at_ms INTEGER NOT NULL,
    clock_skew_ms  INTEGER NOT NULL,
    payload        TEXT NOT NULL,
    PRIMARY KEY (site, station)
) STRICT;

-- Wills already applied, so a redelivered will does not mark a station
-- offline again after it came back.
CREATE TABLE station_wills (
    event_id       TEXT PRIMARY KEY,
    site           TEXT NOT NULL,
    station        TEXT NOT NULL,
    received_at_ms INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE catalogue (
    kind          TEXT NOT NULL CHECK (kind IN ('order', 'sku', 'packaging')),
    site          TEXT NOT NULL,
    id            TEXT NOT NULL CHECK (id <> ''),
    payload       TEXT NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    PRIMARY KEY (kind, site, id)
) STRICT;

CREATE TABLE tracking_pool (
    carrier         TEXT NOT NULL CHECK (carrier <> ''),
    number          TEXT NOT NULL CHECK (number <> ''),
    loaded_at_ms    INTEGER NOT NULL,
    site            TEXT,
    station         TEXT,
    given_at_ms     INTEGER,
    top_up_event_id TEXT,
    PRIMARY KEY (carrier, number),
    CHECK ((station IS NULL) = (given_at_ms IS NULL) AND (station IS NULL) = (site IS NULL))
) STRICT;
CREATE INDEX tracking_pool_free ON tracking_pool (carrier, loaded_at_ms) WHERE station IS NULL;
CREATE TRIGGER tracking_pool_given_once BEFORE UPDATE ON tracking_pool
WHEN OLD.station IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a tracking number is given once'); END;
CREATE TRIGGER tracking_pool_no_delete BEFORE DELETE ON tracking_pool
WHEN OLD.station IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a given tracking number stays recorded'); END;

PRAGMA user_version = 1;
)sql";

// Version 2 (issue 6): the supervisor dashboard. Supervisor accounts with
// Argon2id password hashes; sessions keyed by the SHA-256 of their token (a
// copy of the database never yields a usable token); an append-only audit of
// sign-ins and account changes. The indexes serve the dashboard's shift
// queries (docs/dashboard.md, "Data"): confirmations by the station's
// confirmation time, events by kind and the station's time.
constexpr std::string_view kSchemaV2 = R"sql(
CREATE TABLE supervisors (
    username      TEXT PRIMARY KEY CHECK (username <> ''),
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
) STRICT;

CREATE TABLE supervisor_sessions (
    token_hash    TEXT PRIMARY KEY
                  CHECK (length(token_hash) = 64 AND token_hash NOT GLOB '*[^0-9a-f]*'),
    username      TEXT NOT NULL REFERENCES supervisors (username) ON DELETE CASCADE,
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    last_seen_ms  INTEGER NOT NULL,
    address       TEXT NOT NULL
) STRICT;
CREATE INDEX supervisor_sessions_expiry ON supervisor_sessions (expires_at_ms);
CREATE INDEX supervisor_sessions_user ON supervisor_sessions (username);

CREATE TABLE supervisor_audit (
    id       INTEGER PRIMARY KEY,
    at_ms    INTEGER NOT NULL,
    username TEXT NOT NULL,
    action   TEXT NOT NULL CHECK (action IN ('login', 'login_failed', 'logout',
                                             'password_changed', 'user_added', 'user_removed',
                                             'user_disabled', 'user_enabled', 'session_expired')),
    address  TEXT NOT NULL,
    detail   TEXT NOT NULL
) STRICT;
-- The lockout counts a name's recent failures.
CREATE INDEX supervisor_audit_user ON supervisor_audit (username, action, at_ms);
CREATE TRIGGER supervisor_audit_no_update BEFORE UPDATE ON supervisor_audit
BEGIN SELECT RAISE(ABORT, 'the supervisor audit is append-only'); END;
CREATE TRIGGER supervisor_audit_no_delete BEFORE DELETE ON supervisor_audit
BEGIN SELECT RAISE(ABORT, 'the supervisor audit is append-only'); END;

CREATE INDEX shipments_confirmed ON shipments (confirmed_at_ms);
CREATE INDEX station_events_kind ON station_events (kind, sent_at_ms);

PRAGMA user_version = 2;
)sql";

// Version 3: what an offline station was doing when it went away. A will or
// a shutdown status replaces the station's picture (it carries none); the
// dashboard still shows the last one, marked as last known (issue 6). And
// the dashboard's confirmations per hour per station and packer read from
// an index alone: a shipment row carries its whole payload, so reading the
// rows themselves was most of a busy site's snapshot (docs/PERFORMANCE.md).
constexpr std::string_view kSchemaV3 = R"sql(
CREATE INDEX shipments_throughput ON shipments (confirmed_at_ms, site, station, packer);
ALTER TABLE station_status ADD COLUMN last_online_payload TEXT;
CREATE TRIGGER station_status_keep_last_online AFTER UPDATE OF payload ON station_status
WHEN OLD.state <> 'offline' AND NEW.state = 'offline'
BEGIN
    UPDATE station_status SET last_online_payload = OLD.payload
    WHERE site = NEW.site AND station = NEW.station;
END;
PRAGMA user_version = 3;
)sql";

constexpr std::array<Migration, 3> kMigrations{{
    {1, "initial hub schema", kSchemaV1},
    {2, "supervisor accounts, sessions and audit; dashboard indexes", kSchemaV2},
    {3, "last picture of an offline station", kSchemaV3},
}};

}  // namespace

std::span<const Migration> migrations() {
    return kMigrations;
}

Result<int> migrate(sqlite::Database& database, std::span<const Migration> list,
                    std::int64_t now_ms) {
    return sqlite::migrate(database, list, now_ms, "use a newer packline-hub");
}

}  // namespace packline::hub::schema
