// The hub database's versioned migrations (internal header). PRAGMA
// user_version is the schema version (it lives in the database header, so it
// commits with the migration that sets it); schema_migrations records when
// each version was applied. Same policy as the station store (docs/store.md).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "packline/error.h"
#include "packline/sqlite/migrations.h"

namespace packline::hub::schema {

using sqlite::Migration;
using sqlite::read_user_version;

std::span<const Migration> migrations();

// sqlite::migrate with the hub's advice for a database that is too new.
Result<int> migrate(sqlite::Database& database, std::span<const Migration> list,
                    std::int64_t now_ms);

}  // namespace packline::hub::schema
