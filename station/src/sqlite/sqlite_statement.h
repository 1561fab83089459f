// RAII over the SQLite C API, shared by the station's store and the hub's
// (packline_sqlite, internal to those two libraries): the connection, cached
// prepared statements, and a Query guard that resets the statement and clears
// its bindings when a use ends, so a cached statement never holds a read
// transaction open or leaks a value into the next use. Errors carry the
// "store.*" codes of docs/store.md.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "packline/error.h"

namespace packline::sqlite {

struct ConnectionCloser {
    void operator()(sqlite3* connection) const noexcept { sqlite3_close_v2(connection); }
};
using Connection = std::unique_ptr<sqlite3, ConnectionCloser>;

struct StatementFinalizer {
    void operator()(sqlite3_stmt* statement) const noexcept { sqlite3_finalize(statement); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

// Maps an SQLite result code to a store error ("store.busy", "store.full",
// "store.constraint", "store.corrupt", "store.read_only", "store.io").
Error error_from_code(int code, std::string_view detail);
// Same, with the connection's last error message as the detail.
Error error_from(sqlite3* connection, int code);

Result<Statement> prepare(sqlite3* connection, std::string_view sql);

// One use of a prepared statement. Binding errors are remembered and reported
// by step(), so a chain of binds needs one check.
class Query {
  public:
    Query(sqlite3* connection, sqlite3_stmt* statement, bool* in_use, Statement owned) noexcept;
    Query(Query&& other) noexcept;
    Query& operator=(Query&&) = delete;
    Query(const Query&) = delete;
    Query& operator=(const Query&) = delete;
    ~Query();

    Query& bind_text(int index, std::string_view text);
    Query& bind_integer(int index, std::int64_t value);
    Query& bind_real(int index, double value);
    Query& bind_optional_real(int index, const std::optional<double>& value);
    Query& bind_null(int index);

    // true: a row is ready; false: the statement is done.
    Result<bool> step();
    // Steps to the end, ignoring rows.
    Status run();

    [[nodiscard]] std::string column_text(int column) const;
    [[nodiscard]] std::int64_t column_integer(int column) const;
    [[nodiscard]] int column_int(int column) const;
    [[nodiscard]] double column_real(int column) const;
    [[nodiscard]] std::optional<double> column_optional_real(int column) const;
    [[nodiscard]] bool column_is_null(int column) const;

    // Rows changed by the last completed INSERT/UPDATE/DELETE on the connection.
    [[nodiscard]] std::int64_t changes() const;

  private:
    void remember(int code, int index);

    sqlite3* connection_;
    sqlite3_stmt* statement_;
    bool* in_use_;     // the cache entry's flag; nullptr for a one-off statement
    Statement owned_;  // set when the cached statement was busy
    int bind_code_ = SQLITE_OK;
    std::string bind_detail_;
};

// Prepares each SQL text once per connection. A statement already in use (a
// nested query with the same text) gets a one-off copy instead of being reset
// under its user.
class StatementCache {
  public:
    explicit StatementCache(sqlite3* connection) : connection_(connection) {}
    Result<Query> query(std::string_view sql);
    void clear() { entries_.clear(); }

  private:
    struct Entry {
        Statement statement;
        bool in_use = false;
    };
    sqlite3* connection_;
    std::unordered_map<std::string, std::unique_ptr<Entry>> entries_;
};

// Runs a fixed multi-statement script (migrations). Values never come from
// outside: scripts are constants in the code.
Status execute_script(sqlite3* connection, std::string_view script);

// Runs `body` (returning a Status) inside BEGIN IMMEDIATE ... COMMIT and
// rolls back when it or COMMIT fails. IMMEDIATE takes the write lock up
// front: a deferred transaction that upgrades from read to write can fail
// with SQLITE_BUSY midway in WAL mode.
template <typename Body>
Status immediate_transaction(sqlite3* connection, Body&& body) {
    if (auto begun = execute_script(connection, "BEGIN IMMEDIATE"); !begun)
        return begun.error().context("begin");
    Status status = body();
    if (status) status = execute_script(connection, "COMMIT");
    if (!status) (void)execute_script(connection, "ROLLBACK");
    return status;
}

}  // namespace packline::sqlite
