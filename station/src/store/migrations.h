// Versioned schema migrations. PRAGMA user_version is the schema version (it
// lives in the database header, so it commits atomically with the migration
// that sets it); schema_migrations keeps when each version was applied.
// Policy: docs/store.md.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "packline/error.h"
#include "packline/sqlite/migrations.h"

namespace packline::station::store_schema {

using sqlite::Migration;
using sqlite::read_user_version;

// Every migration this code knows, oldest first.
std::span<const Migration> migrations();

// sqlite::migrate with the station's advice for a database that is too new.
Result<int> migrate(sqlite::Database& database, std::span<const Migration> list,
                    std::int64_t now_ms);

}  // namespace packline::station::store_schema
