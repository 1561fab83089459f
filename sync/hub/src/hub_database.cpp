#include "hub_database.h"

#include <sqlite3.h>

#include "hub_store_schema.h"
#include "sqlite_ownership.h"

namespace packline::hub {
namespace {

// Another hub instance or tool may hold the write lock for one batch.
constexpr int kBusyTimeoutMs = 10000;

Result<sqlite::Connection> open_connection(const std::string& path, int flags) {
    sqlite3* raw = nullptr;
    const int code = sqlite3_open_v2(path.c_str(), &raw,
                                     flags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, nullptr);
    sqlite::Connection connection(raw);
    if (code != SQLITE_OK)
        return sqlite::error_from(raw, code).context("open hub database " + path);
    sqlite3_busy_timeout(raw, kBusyTimeoutMs);
    return connection;
}

}  // namespace

Result<sqlite::Connection> open_hub_database(const std::string& path, std::int64_t now_ms) {
    auto connection = open_connection(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!connection) return connection.error();
    sqlite3* raw = connection->get();
    // Someone else's SQLite file is refused before anything is written to it.
    if (auto status = sqlite::check_database_kind(raw, sqlite::kHubDatabase); !status)
        return status.error().context("open hub database " + path);
    if (auto status = sqlite::execute_script(
            raw, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
        !status)
        return status.error().context("open hub database " + path);
    if (auto version = schema::migrate(raw, schema::migrations(), now_ms); !version)
        return version.error().context("hub database " + path);
    if (auto status = sqlite::claim_database(raw, sqlite::kHubDatabase); !status)
        return status.error().context("hub database " + path);
    return connection;
}

Result<sqlite::Connection> open_hub_database_read_only(const std::string& path,
                                                       int minimum_version) {
    auto connection = open_connection(path, SQLITE_OPEN_READONLY);
    if (!connection) return connection.error();
    auto version = schema::read_user_version(connection->get());
    if (!version) return version.error().context("hub database " + path);
    if (auto status = sqlite::check_database_kind(connection->get(), sqlite::kHubDatabase); !status)
        return status.error().context("hub database " + path);
    if (*version < minimum_version)
        return Error{"store.migration", "hub database " + path + " is at schema version " +
                                            std::to_string(*version) + ", the dashboard needs " +
                                            std::to_string(minimum_version) +
                                            " (start packline-hub run once to migrate it)"};
    if (const int latest = schema::migrations().back().version; *version > latest)
        return Error{"store.too_new", "hub database " + path + " is at schema version " +
                                          std::to_string(*version) +
                                          ", newer than this program's " + std::to_string(latest) +
                                          ": use a newer packline-hub"};
    return connection;
}

}  // namespace packline::hub
