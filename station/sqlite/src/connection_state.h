// The state behind Database and Query (private to packline_sqlite): the only
// place, with the .cpp files beside it, that names SQLite's own types.
#pragma once

#include <sqlite3.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "packline/sqlite/database.h"

namespace packline::sqlite {

struct PreparedStatement {
    sqlite3_stmt* handle = nullptr;
    bool in_use = false;  // a Query holds it; a nested use gets a one-off copy

    PreparedStatement() = default;
    PreparedStatement(const PreparedStatement&) = delete;
    PreparedStatement& operator=(const PreparedStatement&) = delete;
    ~PreparedStatement() { sqlite3_finalize(handle); }
};

struct ConnectionState {
    sqlite3* handle = nullptr;
    std::unordered_map<std::string, std::unique_ptr<PreparedStatement>> cache;
    std::function<void(int)> wal_hook;

    ConnectionState() = default;
    ConnectionState(const ConnectionState&) = delete;
    ConnectionState& operator=(const ConnectionState&) = delete;
    ~ConnectionState() {
        cache.clear();  // statements are finalized before the connection closes
        sqlite3_close_v2(handle);
    }

    // The connection's last error message as the detail.
    [[nodiscard]] Error error(int code) const;
    Result<std::unique_ptr<PreparedStatement>> prepare(std::string_view sql) const;
    Result<Query> query(std::string_view sql);
};

}  // namespace packline::sqlite
