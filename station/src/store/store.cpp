// Opening, checking and migrating the database.
#include <filesystem>
#include <system_error>
#include <utility>

#include "migrations.h"
#include "packline/sqlite/ownership.h"
#include "packline/store_errors.h"
#include "store_impl.h"

namespace packline::station {
namespace {

bool is_memory_path(const std::string& path) {
    return path == ":memory:";
}

Error damaged(const std::string& path, std::string_view detail) {
    return Error{errors::kStoreCorrupt,
                 path + ": database is damaged (quick_check: " + std::string(detail) +
                     "); restore from backup or move it aside"};
}

// A file that is not a database, or one whose pages are damaged, must give the
// same clear error as a failed quick_check.
Error classify(const std::string& path, const Error& error) {
    if (error.code == errors::kStoreCorrupt) {
        // Keep SQLite's own words ("file is not a database"), not the path
        // the error took to get here.
        std::string_view detail = error.message;
        constexpr std::string_view marker = "database is damaged: ";
        if (const auto at = detail.rfind(marker); at != std::string_view::npos)
            detail.remove_prefix(at + marker.size());
        return damaged(path, detail);
    }
    return error.context("store: open " + path);
}

Result<std::string> single_text(sqlite::Database& database, std::string_view sql) {
    auto statement = database.query(sql);
    if (!statement) return statement.error();
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row) return std::string{};
    return statement->column_text(0);
}

Status quick_check(const std::string& path, sqlite::Database& database) {
    auto statement = database.query("PRAGMA quick_check(5)");
    if (!statement) return classify(path, statement.error());
    std::string findings;
    for (;;) {
        auto row = statement->step();
        if (!row) return classify(path, row.error());
        if (!*row) break;
        if (!findings.empty()) findings += "; ";
        findings += statement->column_text(0);
    }
    if (findings != "ok") return damaged(path, findings.empty() ? "no result" : findings);
    return {};
}

// SQLite treats a file of a single byte as an empty database and would write
// a new schema over it; no database is shorter than one 512-byte page. The
// size comes from stat(2): opening the file here would drop the POSIX locks
// of this process's SQLite connections to it when the descriptor closes
// (docs/store.md, "Opening"). Longer files that are not databases are
// SQLite's to refuse ("file is not a database").
Status check_file_size(const std::string& path) {
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    if (error || size == 0 || size >= 512) return {};  // missing: SQLite creates it
    return damaged(path,
                   "the file is " + std::to_string(size) + " bytes, too short for a database");
}

Status create_parent_directory(const std::string& path) {
    const auto parent = std::filesystem::path(path).parent_path();
    if (parent.empty()) return {};
    std::error_code error;
    std::filesystem::create_directories(parent, error);
    if (error)
        return Error{errors::kStoreIo, "store: open " + path + ": cannot create directory " +
                                           parent.string() + ": " + error.message()};
    return {};
}

}  // namespace

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

int Store::latest_schema_version() {
    return store_schema::migrations().back().version;
}
int Store::schema_version() const {
    return impl_->schema_version;
}
const std::string& Store::path() const {
    return impl_->path;
}

Result<std::unique_ptr<Store>> Store::open(const std::string& path, const StoreOptions& options) {
    const bool memory = is_memory_path(path);
    if (path.empty()) return Error{errors::kStoreIo, "store: open: empty database path"};
    if (!memory && !options.read_only) {
        if (auto status = create_parent_directory(path); !status) return status.error();
    }
    if (!memory) {
        if (auto status = check_file_size(path); !status) return status.error();
    }

    sqlite::OpenOptions open_options;
    open_options.read_only = options.read_only;
    open_options.busy_timeout_ms = options.busy_timeout_ms;
    auto opened = sqlite::Database::open(path, open_options);
    if (!opened) return classify(path, opened.error());

    auto impl = std::make_unique<Impl>(path, options, std::move(opened).value());
    auto& database = impl->database;

    // The first read of the header tells a database from any other file
    // (SQLite answers "file is not a database" for anything without its
    // magic string, however short). Nothing outside SQLite may open the file:
    // closing any other descriptor of it would drop the POSIX locks of every
    // connection this process holds, and another process could then
    // checkpoint and delete the WAL under them.
    auto version = store_schema::read_user_version(database);
    if (!version) return classify(path, version.error());
    // Someone else's SQLite file is refused before anything (even the switch
    // to WAL) is written to it.
    if (auto status = sqlite::check_database_kind(database, sqlite::kStationDatabase); !status)
        return classify(path, status.error());
    const int latest = latest_schema_version();
    if (*version > latest)
        return Error{errors::kStoreTooNew,
                     "store: open " + path + ": the database has schema version " +
                         std::to_string(*version) + " but this program knows versions up to " +
                         std::to_string(latest) +
                         "; upgrade Packline (the database was left untouched)"};

    if (!options.read_only) {
        auto mode = single_text(database, "PRAGMA journal_mode = WAL");
        if (!mode) return classify(path, mode.error());
        if (*mode != "wal" && !(memory && *mode == "memory"))
            return Error{errors::kStoreIo, "store: open " + path +
                                               ": cannot switch to WAL mode (journal_mode is " +
                                               *mode + ")"};
    }
    for (std::string_view pragma : {"PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON"}) {
        if (auto status = impl->execute(pragma); !status) return classify(path, status.error());
    }
    if (auto status = quick_check(path, database); !status) return status.error();

    if (options.read_only) {
        if (*version != latest)
            return Error{errors::kStoreReadOnly,
                         "store: open " + path + ": schema version " + std::to_string(*version) +
                             " needs migrating to " + std::to_string(latest) +
                             "; open it once read-write"};
        impl->schema_version = *version;
    } else {
        auto migrated = store_schema::migrate(database, store_schema::migrations(), impl->now_ms());
        if (!migrated) return classify(path, migrated.error());
        impl->schema_version = *migrated;
        if (auto status = sqlite::claim_database(database, sqlite::kStationDatabase); !status)
            return classify(path, status.error());
    }

    if (options.max_page_count > 0) {
        // PRAGMA takes no bound parameters; the value is an integer from the
        // options, never text from outside.
        const std::string pragma =
            "PRAGMA max_page_count = " + std::to_string(options.max_page_count);
        auto applied = single_text(database, pragma);
        if (!applied) return classify(path, applied.error());
    }
    if (!options.read_only && !memory) impl->checkpointer = WalCheckpointer::start(path, database);
    return std::unique_ptr<Store>(new Store(std::move(impl)));
}

Status Store::integrity_check() {
    auto statement = impl_->query("PRAGMA integrity_check(20)");
    if (!statement) return statement.error().context("store: integrity check");
    std::string findings;
    for (;;) {
        auto row = statement->step();
        if (!row) {
            if (row.error().code == errors::kStoreCorrupt)
                return Error{errors::kStoreCorrupt,
                             impl_->path + ": database is damaged (integrity_check: " +
                                 row.error().message + "); restore from backup or move it aside"};
            return row.error().context("store: integrity check");
        }
        if (!*row) break;
        if (!findings.empty()) findings += "; ";
        findings += statement->column_text(0);
    }
    if (findings != "ok")
        return Error{errors::kStoreCorrupt,
                     impl_->path + ": database is damaged (integrity_check: " + findings +
                         "); restore from backup or move it aside"};
    return {};
}

}  // namespace packline::station
