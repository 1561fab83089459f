#include "packline/sqlite/database.h"

#include <limits>
#include <utility>

#include "connection_state.h"
#include "packline/store_errors.h"

namespace packline::sqlite {

Error error_from_code(int code, std::string_view detail) {
    const std::string text(detail);
    switch (code & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return {errors::kStoreBusy,
                    "the database is busy (another connection holds the write lock "
                    "longer than the busy timeout): " +
                        text};
        case SQLITE_FULL:
            return {errors::kStoreFull,
                    "the disk is full: this change was not saved and nothing "
                    "stored before was lost; free some space and retry (" +
                        text + ")"};
        case SQLITE_CONSTRAINT:
            return {errors::kStoreConstraint, text};
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
            return {errors::kStoreCorrupt, "database is damaged: " + text};
        case SQLITE_READONLY:
            return {errors::kStoreReadOnly, "the database is read-only: " + text};
        case SQLITE_NOMEM:
            return {errors::kStoreIo, "out of memory: " + text};
        default:
            return {errors::kStoreIo, text};
    }
}

Error ConnectionState::error(int code) const {
    const char* message = handle != nullptr ? sqlite3_errmsg(handle) : sqlite3_errstr(code);
    return error_from_code(code, message != nullptr ? message : sqlite3_errstr(code));
}

Result<std::unique_ptr<PreparedStatement>> ConnectionState::prepare(std::string_view sql) const {
    if (sql.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        return Error{errors::kStoreIo, "statement too long"};
    auto statement = std::make_unique<PreparedStatement>();
    const int code = sqlite3_prepare_v3(handle, sql.data(), static_cast<int>(sql.size()),
                                        SQLITE_PREPARE_PERSISTENT, &statement->handle, nullptr);
    if (code != SQLITE_OK) return error(code).context("prepare");
    if (statement->handle == nullptr) return Error{errors::kStoreIo, "prepare: empty statement"};
    return statement;
}

Result<Query> ConnectionState::query(std::string_view sql) {
    auto found = cache.find(std::string(sql));
    if (found == cache.end()) {
        auto statement = prepare(sql);
        if (!statement) return statement.error();
        found = cache.emplace(std::string(sql), std::move(statement).value()).first;
    }
    PreparedStatement& cached = *found->second;
    if (cached.in_use) {
        auto statement = prepare(sql);
        if (!statement) return statement.error();
        PreparedStatement* raw = statement->get();
        return Query(this, raw, Query::Owned(std::move(statement).value().release()));
    }
    cached.in_use = true;
    return Query(this, &cached, Query::Owned{});
}

void PreparedStatementDeleter::operator()(PreparedStatement* statement) const noexcept {
    delete statement;
}

Query::Query(ConnectionState* connection, PreparedStatement* statement, Owned owned) noexcept
    : connection_(connection), statement_(statement), owned_(std::move(owned)) {}

Query::Query(Query&& other) noexcept
    : connection_(other.connection_),
      statement_(std::exchange(other.statement_, nullptr)),
      owned_(std::move(other.owned_)),
      bind_code_(other.bind_code_),
      bind_detail_(std::move(other.bind_detail_)) {}

Query::~Query() {
    if (statement_ == nullptr) return;
    sqlite3_reset(statement_->handle);
    sqlite3_clear_bindings(statement_->handle);
    statement_->in_use = false;
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
    remember(sqlite3_bind_text64(statement_->handle, index, text.data(), text.size(), transient,
                                 SQLITE_UTF8),
             index);
    return *this;
}

Query& Query::bind_integer(int index, std::int64_t value) {
    remember(sqlite3_bind_int64(statement_->handle, index, value), index);
    return *this;
}

Query& Query::bind_real(int index, double value) {
    remember(sqlite3_bind_double(statement_->handle, index, value), index);
    return *this;
}

Query& Query::bind_optional_real(int index, const std::optional<double>& value) {
    return value ? bind_real(index, *value) : bind_null(index);
}

Query& Query::bind_null(int index) {
    remember(sqlite3_bind_null(statement_->handle, index), index);
    return *this;
}

Result<bool> Query::step() {
    if (bind_code_ != SQLITE_OK) return error_from_code(bind_code_, bind_detail_);
    const int code = sqlite3_step(statement_->handle);
    if (code == SQLITE_ROW) return true;
    if (code == SQLITE_DONE) return false;
    return connection_->error(code);
}

Status Query::run() {
    for (;;) {
        auto row = step();
        if (!row) return row.error();
        if (!*row) return {};
    }
}

std::string Query::column_text(int column) const {
    const auto* text = sqlite3_column_text(statement_->handle, column);
    const int size = sqlite3_column_bytes(statement_->handle, column);
    if (text == nullptr || size <= 0) return {};
    return {reinterpret_cast<const char*>(text), static_cast<std::size_t>(size)};
}

std::int64_t Query::column_integer(int column) const {
    return sqlite3_column_int64(statement_->handle, column);
}

int Query::column_int(int column) const {
    return sqlite3_column_int(statement_->handle, column);
}

double Query::column_real(int column) const {
    return sqlite3_column_double(statement_->handle, column);
}

std::optional<double> Query::column_optional_real(int column) const {
    if (column_is_null(column)) return std::nullopt;
    return column_real(column);
}

bool Query::column_is_null(int column) const {
    return sqlite3_column_type(statement_->handle, column) == SQLITE_NULL;
}

std::int64_t Query::changes() const {
    return sqlite3_changes64(connection_->handle);
}

Result<Database> Database::open(const std::string& path, const OpenOptions& options) {
    int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    if (options.read_only)
        flags |= SQLITE_OPEN_READONLY;
    else
        flags |= SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0);
    auto state = std::make_unique<ConnectionState>();
    // The state owns the handle even when opening failed.
    const int code = sqlite3_open_v2(path.c_str(), &state->handle, flags, nullptr);
    if (code != SQLITE_OK) return state->error(code);
    sqlite3_busy_timeout(state->handle, options.busy_timeout_ms);
    return Database(std::move(state));
}

Database::Database(std::unique_ptr<ConnectionState> state) : state_(std::move(state)) {}
Database::Database(Database&& other) noexcept = default;
Database& Database::operator=(Database&& other) noexcept = default;
Database::~Database() = default;

Result<Query> Database::query(std::string_view sql) {
    return state_->query(sql);
}

Status Database::execute(std::string_view script) {
    while (!script.empty()) {
        if (script.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
            return Error{errors::kStoreIo, "script too long"};
        PreparedStatement statement;
        const char* tail = nullptr;
        const int code =
            sqlite3_prepare_v2(state_->handle, script.data(), static_cast<int>(script.size()),
                               &statement.handle, &tail);
        if (code != SQLITE_OK) return state_->error(code);
        const auto consumed = static_cast<std::size_t>(tail - script.data());
        script.remove_prefix(consumed);
        if (statement.handle == nullptr) {  // whitespace or a comment
            if (consumed == 0) break;
            continue;
        }
        int step = SQLITE_ROW;
        while (step == SQLITE_ROW)
            step = sqlite3_step(statement.handle);
        if (step != SQLITE_DONE) return state_->error(step);
    }
    return {};
}

void Database::rollback() {
    if (in_transaction()) (void)execute("ROLLBACK");
}

bool Database::in_transaction() const {
    return sqlite3_get_autocommit(state_->handle) == 0;
}

std::int64_t Database::last_insert_rowid() const {
    return sqlite3_last_insert_rowid(state_->handle);
}

void Database::on_wal_commit(std::function<void(int pages)> hook) {
    state_->wal_hook = std::move(hook);
    if (!state_->wal_hook) {
        sqlite3_wal_hook(state_->handle, nullptr, nullptr);
        return;
    }
    sqlite3_wal_hook(
        state_->handle,
        [](void* self, sqlite3*, const char*, int pages) {
            static_cast<ConnectionState*>(self)->wal_hook(pages);
            return SQLITE_OK;
        },
        state_.get());
}

Status Database::checkpoint_passive() {
    int log_pages = 0;
    int checkpointed = 0;
    const int code = sqlite3_wal_checkpoint_v2(state_->handle, nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                               &log_pages, &checkpointed);
    if (code != SQLITE_OK) return state_->error(code);
    return {};
}

}  // namespace packline::sqlite
