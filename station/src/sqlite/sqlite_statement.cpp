#include "sqlite_statement.h"

#include <limits>
#include <utility>

namespace packline::sqlite {

Error error_from_code(int code, std::string_view detail) {
    const std::string text(detail);
    switch (code & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return {"store.busy",
                    "the database is busy (another connection holds the write lock "
                    "longer than the busy timeout): " +
                        text};
        case SQLITE_FULL:
            return {"store.full",
                    "the disk is full: this change was not saved and nothing "
                    "stored before was lost; free some space and retry (" +
                        text + ")"};
        case SQLITE_CONSTRAINT:
            return {"store.constraint", text};
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
            return {"store.corrupt", "database is damaged: " + text};
        case SQLITE_READONLY:
            return {"store.read_only", "the database is read-only: " + text};
        case SQLITE_NOMEM:
            return {"store.io", "out of memory: " + text};
        default:
            return {"store.io", text};
    }
}

Error error_from(sqlite3* connection, int code) {
    const char* message = connection != nullptr ? sqlite3_errmsg(connection) : sqlite3_errstr(code);
    return error_from_code(code, message != nullptr ? message : sqlite3_errstr(code));
}

Result<Statement> prepare(sqlite3* connection, std::string_view sql) {
    if (sql.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        return Error{"store.io", "statement too long"};
    sqlite3_stmt* raw = nullptr;
    const int code = sqlite3_prepare_v3(connection, sql.data(), static_cast<int>(sql.size()),
                                        SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    Statement statement(raw);
    if (code != SQLITE_OK) return error_from(connection, code).context("prepare");
    if (!statement) return Error{"store.io", "prepare: empty statement"};
    return statement;
}

Query::Query(sqlite3* connection, sqlite3_stmt* statement, bool* in_use, Statement owned) noexcept
    : connection_(connection), statement_(statement), in_use_(in_use), owned_(std::move(owned)) {}

Query::Query(Query&& other) noexcept
    : connection_(other.connection_),
      statement_(std::exchange(other.statement_, nullptr)),
      in_use_(std::exchange(other.in_use_, nullptr)),
      owned_(std::move(other.owned_)),
      bind_code_(other.bind_code_),
      bind_detail_(std::move(other.bind_detail_)) {}

Query::~Query() {
    if (statement_ == nullptr) return;
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
    if (in_use_ != nullptr) *in_use_ = false;
}

void Query::remember(int code, int index) {
    if (code == SQLITE_OK || bind_code_ != SQLITE_OK) return;
    bind_code_ = code;
    bind_detail_ = "bind parameter " + std::to_string(index) + ": " + sqlite3_errstr(code);
}

Query& Query::bind_text(int index, std::string_view text) {
    // SQLITE_TRANSIENT: SQLite copies the bytes, so temporaries are safe to bind.
    const auto transient =
        reinterpret_cast<sqlite3_destructor_type>(static_cast<std::intptr_t>(-1));
    remember(
        sqlite3_bind_text64(statement_, index, text.data(), text.size(), transient, SQLITE_UTF8),
        index);
    return *this;
}

Query& Query::bind_integer(int index, std::int64_t value) {
    remember(sqlite3_bind_int64(statement_, index, value), index);
    return *this;
}

Query& Query::bind_real(int index, double value) {
    remember(sqlite3_bind_double(statement_, index, value), index);
    return *this;
}

Query& Query::bind_optional_real(int index, const std::optional<double>& value) {
    return value ? bind_real(index, *value) : bind_null(index);
}

Query& Query::bind_null(int index) {
    remember(sqlite3_bind_null(statement_, index), index);
    return *this;
}

Result<bool> Query::step() {
    if (bind_code_ != SQLITE_OK) return error_from_code(bind_code_, bind_detail_);
    const int code = sqlite3_step(statement_);
    if (code == SQLITE_ROW) return true;
    if (code == SQLITE_DONE) return false;
    return error_from(connection_, code);
}

Status Query::run() {
    for (;;) {
        auto row = step();
        if (!row) return row.error();
        if (!*row) return {};
    }
}

std::string Query::column_text(int column) const {
    const auto* text = sqlite3_column_text(statement_, column);
    const int size = sqlite3_column_bytes(statement_, column);
    if (text == nullptr || size <= 0) return {};
    return {reinterpret_cast<const char*>(text), static_cast<std::size_t>(size)};
}

std::int64_t Query::column_integer(int column) const {
    return sqlite3_column_int64(statement_, column);
}

int Query::column_int(int column) const {
    return sqlite3_column_int(statement_, column);
}

double Query::column_real(int column) const {
    return sqlite3_column_double(statement_, column);
}

std::optional<double> Query::column_optional_real(int column) const {
    if (column_is_null(column)) return std::nullopt;
    return column_real(column);
}

bool Query::column_is_null(int column) const {
    return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

std::int64_t Query::changes() const {
    return sqlite3_changes64(connection_);
}

Result<Query> StatementCache::query(std::string_view sql) {
    auto found = entries_.find(std::string(sql));
    if (found == entries_.end()) {
        auto statement = prepare(connection_, sql);
        if (!statement) return statement.error();
        auto entry = std::make_unique<Entry>();
        entry->statement = std::move(statement).value();
        found = entries_.emplace(std::string(sql), std::move(entry)).first;
    }
    Entry& entry = *found->second;
    if (entry.in_use) {
        auto statement = prepare(connection_, sql);
        if (!statement) return statement.error();
        sqlite3_stmt* raw = statement->get();
        return Query(connection_, raw, nullptr, std::move(statement).value());
    }
    entry.in_use = true;
    return Query(connection_, entry.statement.get(), &entry.in_use, Statement{});
}

Status execute_script(sqlite3* connection, std::string_view script) {
    while (!script.empty()) {
        if (script.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
            return Error{"store.io", "script too long"};
        sqlite3_stmt* raw = nullptr;
        const char* tail = nullptr;
        const int code = sqlite3_prepare_v2(connection, script.data(),
                                            static_cast<int>(script.size()), &raw, &tail);
        Statement statement(raw);
        if (code != SQLITE_OK) return error_from(connection, code);
        const auto consumed = static_cast<std::size_t>(tail - script.data());
        script.remove_prefix(consumed);
        if (!statement) {  // whitespace or a comment
            if (consumed == 0) break;
            continue;
        }
        int step = SQLITE_ROW;
        while (step == SQLITE_ROW)
            step = sqlite3_step(statement.get());
        if (step != SQLITE_DONE) return error_from(connection, step);
    }
    return {};
}

}  // namespace packline::sqlite
