#include "hub_database.h"

#include "hub_store_schema.h"
#include "packline/sqlite/ownership.h"
#include "packline/store_errors.h"

namespace packline::hub {
namespace {

// Another hub instance or tool may hold the write lock for one batch.
constexpr int kBusyTimeoutMs = 10000;

Result<sqlite::Database> open_connection(const std::string& path, bool read_only) {
    sqlite::OpenOptions options;
    options.read_only = read_only;
    options.busy_timeout_ms = kBusyTimeoutMs;
    auto database = sqlite::Database::open(path, options);
    if (!database) return database.error().context("open hub database " + path);
    return database;
}

}  // namespace

Result<sqlite::Database> open_hub_database(const std::string& path, std::int64_t now_ms) {
    auto connection = open_connection(path, false);
    if (!connection) return connection.error();
    sqlite::Database& raw = *connection;
    // Someone else's SQLite file is refused before anything is written to it.
    if (auto status = sqlite::check_database_kind(raw, sqlite::kHubDatabase); !status)
        return status.error().context("open hub database " + path);
    if (auto status = raw.execute(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
        !status)
        return status.error().context("open hub database " + path);
    if (auto version = schema::migrate(raw, schema::migrations(), now_ms); !version)
        return version.error().context("hub database " + path);
    if (auto status = sqlite::claim_database(raw, sqlite::kHubDatabase); !status)
        return status.error().context("hub database " + path);
    return connection;
}

Result<sqlite::Database> open_hub_database_read_only(const std::string& path, int minimum_version) {
    auto connection = open_connection(path, true);
    if (!connection) return connection.error();
    auto version = schema::read_user_version(*connection);
    if (!version) return version.error().context("hub database " + path);
    if (auto status = sqlite::check_database_kind(*connection, sqlite::kHubDatabase); !status)
        return status.error().context("hub database " + path);
    if (*version < minimum_version)
        return Error{errors::kStoreMigration,
                     "hub database " + path + " is at schema version " + std::to_string(*version) +
                         ", the dashboard needs " + std::to_string(minimum_version) +
                         " (start packline-hub run once to migrate it)"};
    if (const int latest = schema::migrations().back().version; *version > latest)
        return Error{errors::kStoreTooNew,
                     "hub database " + path + " is at schema version " + std::to_string(*version) +
                         ", newer than this program's " + std::to_string(latest) +
                         ": use a newer packline-hub"};
    return connection;
}

}  // namespace packline::hub
