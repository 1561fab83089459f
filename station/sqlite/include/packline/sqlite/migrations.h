// Versioned schema migrations, shared by the station's store and the hub's.
// PRAGMA user_version is the schema version (it lives in the database header,
// so it commits atomically with the migration that sets it);
// schema_migrations keeps when each version was applied. Policy:
// docs/store.md ("Migrations policy").
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "packline/error.h"
#include "packline/sqlite/database.h"

namespace packline::sqlite {

struct Migration {
    int version;            // 1, 2, 3... in order, no gaps
    std::string_view name;  // what it does, for the log and the error message
    std::string_view sql;   // a fixed script; must end by setting PRAGMA user_version
};

Result<int> read_user_version(Database& database);

// Applies the migrations of `list` newer than the database, each in its own
// IMMEDIATE transaction (re-reading the version inside it, so two processes
// opening the file at once do not apply a step twice). A database newer than
// the last migration gives "store.too_new" (with `upgrade_advice` appended)
// and is not touched. Returns the resulting version.
Result<int> migrate(Database& database, std::span<const Migration> list, std::int64_t now_ms,
                    std::string_view upgrade_advice);

}  // namespace packline::sqlite
