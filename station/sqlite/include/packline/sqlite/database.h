// RAII over one SQLite connection, for the station's store and the hub's:
// the connection, its cached prepared statements, and a Query guard that
// resets the statement and clears its bindings when a use ends, so a cached
// statement never holds a read transaction open or leaks a value into the
// next use. Errors carry the "store.*" codes of docs/store.md. SQLite's own
// types stay in src/: nothing here includes sqlite3.h.
//
// Thread-bound: a Database and its Queries are used by one thread at a time
// (connections are opened without SQLite's mutex).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "packline/error.h"

namespace packline::sqlite {

// Maps an SQLite result code to a store error ("store.busy", "store.full",
// "store.constraint", "store.corrupt", "store.read_only", "store.io").
Error error_from_code(int code, std::string_view detail);

struct OpenOptions {
    bool read_only = false;
    bool create = true;  // create a missing file (read-write only)
    int busy_timeout_ms = 5000;
};

struct ConnectionState;    // the connection and its statement cache (src/)
struct PreparedStatement;  // one prepared statement (src/)
struct PreparedStatementDeleter {
    void operator()(PreparedStatement* statement) const noexcept;
};

// One use of a prepared statement. Binding errors are remembered and reported
// by step(), so a chain of binds needs one check.
class Query {
  public:
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
    friend struct ConnectionState;
    using Owned = std::unique_ptr<PreparedStatement, PreparedStatementDeleter>;
    Query(ConnectionState* connection, PreparedStatement* statement, Owned owned) noexcept;
    void remember(int code, int index);

    ConnectionState* connection_;
    PreparedStatement* statement_;
    Owned owned_;  // set when the cached statement was busy
    int bind_code_ = 0;
    std::string bind_detail_;
};

class Database {
  public:
    // Opens `path` (":memory:" for a private in-memory database). The error
    // keeps SQLite's words ("unable to open database file") for the caller
    // to explain.
    static Result<Database> open(const std::string& path, const OpenOptions& options);

    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    ~Database();

    // A prepared statement for `sql`, prepared once per connection. A
    // statement already in use (a nested query with the same text) gets a
    // one-off copy instead of being reset under its user.
    Result<Query> query(std::string_view sql);
    // Runs a fixed multi-statement script (migrations, pragmas). Values
    // never come from outside: scripts are constants in the code.
    Status execute(std::string_view script);

    // Runs `body` (returning a Status) inside BEGIN IMMEDIATE ... COMMIT and
    // rolls back when it or COMMIT fails. IMMEDIATE takes the write lock up
    // front: a deferred transaction that upgrades from read to write can fail
    // with SQLITE_BUSY midway in WAL mode.
    template <typename Body>
    Status immediate_transaction(Body&& body) {
        if (auto begun = execute("BEGIN IMMEDIATE"); !begun) return begun.error().context("begin");
        Status status = body();
        if (status) status = execute("COMMIT");
        if (!status) rollback();
        return status;
    }
    // Rolls back the open transaction, if there is one.
    void rollback();
    [[nodiscard]] bool in_transaction() const;
    [[nodiscard]] std::int64_t last_insert_rowid() const;

    // Called on the committing thread after each commit in WAL mode with the
    // pages now in the log. It replaces SQLite's automatic checkpoint (one
    // hook per connection); an empty function removes it, and with it any
    // automatic checkpoint.
    void on_wal_commit(std::function<void(int pages)> hook);
    // A PASSIVE checkpoint: copies what no reader still needs, never waits
    // for or blocks a writer or a reader.
    Status checkpoint_passive();

  private:
    explicit Database(std::unique_ptr<ConnectionState> state);
    std::unique_ptr<ConnectionState> state_;
};

}  // namespace packline::sqlite
