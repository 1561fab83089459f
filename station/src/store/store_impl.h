// Internal to the store: the state behind Store and the transaction helper
// shared by the store_*.cpp files.
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>

#include "packline/sqlite/database.h"
#include "packline/station/store.h"
#include "wal_checkpointer.h"

namespace packline::station {

// SQLite's synchronous setting for one transaction. NORMAL in WAL mode is safe
// against a process crash; FULL also survives power loss (docs/store.md).
enum class Durability { Normal, Full };

struct Store::Impl {
    std::string path;
    StoreOptions options;
    sqlite::Database database;
    // Declared after the connection: stopped (and its hook removed) first.
    std::unique_ptr<WalCheckpointer> checkpointer;
    int schema_version = 0;

    Impl(std::string path_, StoreOptions options_, sqlite::Database database_)
        : path(std::move(path_)), options(options_), database(std::move(database_)) {}

    [[nodiscard]] std::int64_t now_ms() const {
        return (options.clock != nullptr ? *options.clock : system_clock()).now_ms();
    }

    Result<sqlite::Query> query(std::string_view sql) { return database.query(sql); }
    // One statement, prepared once and kept (BEGIN, COMMIT, pragmas).
    Status execute(std::string_view sql) {
        auto statement = database.query(sql);
        if (!statement) return statement.error();
        return statement->run();
    }

    void rollback() {
        if (database.in_transaction()) (void)execute("ROLLBACK");
    }

    // Runs body() inside BEGIN IMMEDIATE ... COMMIT. Any error from the body or
    // from COMMIT rolls everything back, so the database is exactly as before.
    // IMMEDIATE takes the write lock up front: a deferred transaction that
    // upgrades from read to write can fail with SQLITE_BUSY midway in WAL mode.
    template <typename Body>
    auto transaction(Body&& body, Durability durability = Durability::Normal)
        -> std::invoke_result_t<Body&> {
        using ResultType = std::invoke_result_t<Body&>;
        const bool full = durability == Durability::Full;
        // synchronous cannot usefully change inside a transaction: set it first.
        if (full) {
            if (auto status = execute("PRAGMA synchronous = FULL"); !status) return status.error();
        }
        auto restore = [&] {
            if (full) (void)execute("PRAGMA synchronous = NORMAL");
        };
        if (auto status = execute("BEGIN IMMEDIATE"); !status) {
            restore();
            return status.error();
        }
        ResultType result = body();
        if (!result.ok()) {
            rollback();
            restore();
            return result;
        }
        if (auto status = execute("COMMIT"); !status) {
            rollback();
            restore();
            return status.error();
        }
        restore();
        return result;
    }
};

// Appends one event row inside the caller's transaction (store_parcels.cpp).
Status insert_event(Store::Impl& impl, const EventRecord& event);

}  // namespace packline::station
