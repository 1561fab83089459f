#include "packline/sqlite/migrations.h"

#include <string>

#include "packline/store_errors.h"

namespace packline::sqlite {
namespace {

Status run_one(Database& database, const Migration& migration, std::int64_t now_ms) {
    auto begin = database.query("BEGIN IMMEDIATE");
    if (!begin) return begin.error();
    if (auto status = begin->run(); !status) return status;

    auto body = [&]() -> Status {
        // Another process may have migrated while this one waited for the lock.
        auto version = read_user_version(database);
        if (!version) return version.error();
        if (*version >= migration.version) return {};
        if (*version != migration.version - 1)
            return Error{errors::kStoreMigration,
                         "expected schema version " + std::to_string(migration.version - 1) +
                             " before this migration, found " + std::to_string(*version)};
        if (auto status = database.execute(migration.sql); !status) return status;
        auto after = read_user_version(database);
        if (!after) return after.error();
        if (*after != migration.version)
            return Error{errors::kStoreMigration, "the script did not set user_version to " +
                                                      std::to_string(migration.version)};
        auto log = database.query(
            "INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?1, ?2, ?3)");
        if (!log) return log.error();
        log->bind_integer(1, migration.version)
            .bind_text(2, migration.name)
            .bind_integer(3, now_ms);
        return log->run();
    };

    Status status = body();
    if (status) {
        auto commit = database.query("COMMIT");
        if (!commit) return commit.error();
        status = commit->run();
        if (status) return status;
    }
    if (database.in_transaction()) {
        if (auto rollback = database.query("ROLLBACK")) (void)rollback->run();
    }
    return status;
}

}  // namespace

Result<int> read_user_version(Database& database) {
    auto statement = database.query("PRAGMA user_version");
    if (!statement) return statement.error();
    auto row = statement->step();
    if (!row) return row.error().context("read schema version");
    if (!*row) return Error{errors::kStoreIo, "read schema version: no row"};
    return statement->column_int(0);
}

Result<int> migrate(Database& database, std::span<const Migration> list, std::int64_t now_ms,
                    std::string_view upgrade_advice) {
    auto version = read_user_version(database);
    if (!version) return version.error();
    const int latest = list.empty() ? 0 : list.back().version;
    if (*version > latest)
        return Error{errors::kStoreTooNew,
                     "the database has schema version " + std::to_string(*version) +
                         " but this program knows versions up to " + std::to_string(latest) + "; " +
                         std::string(upgrade_advice)};
    for (const Migration& migration : list) {
        if (migration.version <= *version) continue;
        if (auto status = run_one(database, migration, now_ms); !status)
            return status.error().context("migration " + std::to_string(migration.version) + " (" +
                                          std::string(migration.name) + ")");
    }
    return read_user_version(database);
}

}  // namespace packline::sqlite
