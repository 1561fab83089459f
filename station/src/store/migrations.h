// Versioned schema migrations. PRAGMA user_version is the schema version (it
// lives in the database header, so it commits atomically with the migration
// that sets it); schema_migrations keeps when each version was applied.
// Policy: docs/store.md.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <span>
#include <string_view>

#include "packline/error.h"

namespace packline::station::store_schema {

struct Migration {
    int version;            // 1, 2, 3... in order, no gaps
    std::string_view name;  // what it does, for the log and the error message
    std::string_view sql;   // a fixed script; must end by setting PRAGMA user_version
};

// Every migration this code knows, oldest first.
std::span<const Migration> migrations();

Result<int> read_user_version(sqlite3* connection);

// Applies the migrations newer than the database, each in its own IMMEDIATE
// transaction. A database newer than the last known migration gives
// "store.too_new" and is not touched. Returns the resulting version.
Result<int> migrate(sqlite3* connection, std::span<const Migration> list, std::int64_t now_ms);

}  // namespace packline::station::store_schema
