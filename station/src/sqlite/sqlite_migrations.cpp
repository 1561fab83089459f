#include "sqlite_migrations.h"

#include <string>

#include "sqlite_statement.h"

namespace packline::sqlite {
namespace {

Status run_one(sqlite3* connection, const Migration& migration, std::int64_t now_ms) {
    StatementCache statements(connection);
    auto begin = statements.query("BEGIN IMMEDIATE");
    if (!begin) return begin.error();
    if (auto status = begin->run(); !status) return status;

    auto body = [&]() -> Status {
        // Another process may have migrated while this one waited for the lock.
        auto version = read_user_version(connection);
        if (!version) return version.error();
        if (*version >= migration.version) return {};
        if (*version != migration.version - 1)
            return Error{"store.migration",
                         "expected schema version " + std::to_string(migration.version - 1) +
                             " before this migration, found " + std::to_string(*version)};
        if (auto status = execute_script(connection, migration.sql); !status) return status;
        auto after = read_user_version(connection);
        if (!after) return after.error();
        if (*after != migration.version)
            return Error{"store.migration", "the script did not set user_version to " +
                                                std::to_string(migration.version)};
        auto log = statements.query(
            "INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?1, ?2, ?3)");
        if (!log) return log.error();
        log->bind_integer(1, migration.version)
            .bind_text(2, migration.name)
            .bind_integer(3, now_ms);
        return log->run();
    };

    Status status = body();
    if (status) {
        auto commit = statements.query("COMMIT");
        if (!commit) return commit.error();
        status = commit->run();
        if (status) return status;
    }
    if (sqlite3_get_autocommit(connection) == 0) {
        if (auto rollback = statements.query("ROLLBACK")) (void)rollback->run();
    }
    return status;
}

}  // namespace

Result<int> read_user_version(sqlite3* connection) {
    auto statement = prepare(connection, "PRAGMA user_version");
    if (!statement) return statement.error();
    const int code = sqlite3_step(statement->get());
    if (code != SQLITE_ROW) return error_from(connection, code).context("read schema version");
    return sqlite3_column_int(statement->get(), 0);
}

Result<int> migrate(sqlite3* connection, std::span<const Migration> list, std::int64_t now_ms,
                    std::string_view upgrade_advice) {
    auto version = read_user_version(connection);
    if (!version) return version.error();
    const int latest = list.empty() ? 0 : list.back().version;
    if (*version > latest)
        return Error{"store.too_new",
                     "the database has schema version " + std::to_string(*version) +
                         " but this program knows versions up to " + std::to_string(latest) + "; " +
                         std::string(upgrade_advice)};
    for (const Migration& migration : list) {
        if (migration.version <= *version) continue;
        if (auto status = run_one(connection, migration, now_ms); !status)
            return status.error().context("migration " + std::to_string(migration.version) + " (" +
                                          std::string(migration.name) + ")");
    }
    return read_user_version(connection);
}

}  // namespace packline::sqlite
