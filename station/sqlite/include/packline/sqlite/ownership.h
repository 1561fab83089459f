// Which application a database file belongs to. SQLite keeps a 32-bit
// application_id in the file header (offset 68) for exactly this: a program
// can tell its own files from anyone else's before it writes a byte. Packline
// stamps its two databases with their own ids, refuses any other file, and
// adopts its own stores created before the stamp existed (they carry its
// schema_migrations table and marker tables).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "packline/error.h"
#include "packline/sqlite/database.h"

namespace packline::sqlite {

struct DatabaseKind {
    std::int32_t application_id;
    std::string_view description;  // "a Packline station store"
    // Tables every database of this kind has had since its first schema
    // version; an unstamped file with all of them is one of ours.
    std::span<const std::string_view> marker_tables;
};

inline constexpr std::string_view kStationMarkerTables[] = {"schema_migrations", "orders",
                                                            "parcels", "outbox"};
inline constexpr std::string_view kHubMarkerTables[] = {"schema_migrations", "shipments",
                                                        "station_events"};

// 'PKLS' and 'PKLH' in the header, readable with `sqlite3 FILE 'PRAGMA application_id'`.
inline constexpr DatabaseKind kStationDatabase{0x504B4C53, "a Packline station store",
                                               kStationMarkerTables};
inline constexpr DatabaseKind kHubDatabase{0x504B4C48, "a packline-hub database", kHubMarkerTables};

// Reads the header and the table list and returns "store.foreign" unless the
// file is empty (a new database), stamped as `kind`, or an unstamped database
// of `kind`. Writes nothing: call it before the first write (journal mode
// included), and stamp with claim_database once the schema is in place.
Status check_database_kind(Database& database, const DatabaseKind& kind);

// Writes `kind`'s application_id into the header if it is not there yet.
Status claim_database(Database& database, const DatabaseKind& kind);

}  // namespace packline::sqlite
