// Opening, checking and migrating the database.
#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <utility>

#include "migrations.h"
#include "store_impl.h"

namespace packline::station {
namespace {

bool is_memory_path(const std::string& path) {
    return path == ":memory:";
}

Error damaged(const std::string& path, std::string_view detail) {
    return Error{"store.corrupt", path +
                                      ": database is damaged (quick_check: " + std::string(detail) +
                                      "); restore from backup or move it aside"};
}

// A file that is not a database, or one whose pages are damaged, must give the
// same clear error as a failed quick_check.
Error classify(const std::string& path, const Error& error) {
    if (error.code == "store.corrupt") {
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

Result<std::string> single_text(sqlite::StatementCache& statements, std::string_view sql) {
    auto statement = statements.query(sql);
    if (!statement) return statement.error();
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row) return std::string{};
    return statement->column_text(0);
}

Status quick_check(const std::string& path, sqlite::StatementCache& statements) {
    auto statement = statements.query("PRAGMA quick_check(5)");
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

// SQLite treats a file too short to hold a header as an empty database and
// would write a fresh schema over it; a file that is neither empty nor starts
// with the SQLite magic string is someone else's data.
Status check_file_header(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) return {};  // missing: SQLite creates it (or reports why it cannot)
    constexpr std::string_view magic{"SQLite format 3\0", 16};
    std::array<char, 100> header{};
    file.read(header.data(), static_cast<std::streamsize>(header.size()));
    const auto size = static_cast<std::size_t>(file.gcount());
    if (size == 0) return {};
    if (size < header.size())
        return damaged(path, "the file is " + std::to_string(size) +
                                 " bytes, too short for a database header");
    if (std::string_view(header.data(), magic.size()) != magic)
        return damaged(path, "the file is not a SQLite database");
    return {};
}

Status create_parent_directory(const std::string& path) {
    const auto parent = std::filesystem::path(path).parent_path();
    if (parent.empty()) return {};
    std::error_code error;
    std::filesystem::create_directories(parent, error);
    if (error)
        return Error{"store.io", "store: open " + path + ": cannot create directory " +
                                     parent.string() + ": " + error.message()};
    return {};
}

}  // namespace

std::int64_t store_now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

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
    if (path.empty()) return Error{"store.io", "store: open: empty database path"};
    if (!memory && !options.read_only) {
        if (auto status = create_parent_directory(path); !status) return status.error();
    }

    if (!memory) {
        if (auto status = check_file_header(path); !status) return status.error();
    }

    int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    flags |=
        options.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    sqlite3* raw = nullptr;
    const int code = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    sqlite::Connection connection(raw);  // owns the handle even when opening failed
    if (code != SQLITE_OK) return classify(path, sqlite::error_from(raw, code));
    sqlite3_busy_timeout(raw, options.busy_timeout_ms);

    auto impl = std::make_unique<Impl>(path, options, std::move(connection));
    auto& statements = impl->statements;

    // The first read of the header tells a database from any other file.
    auto version = store_schema::read_user_version(impl->db());
    if (!version) return classify(path, version.error());
    const int latest = latest_schema_version();
    if (*version > latest)
        return Error{"store.too_new", "store: open " + path + ": the database has schema version " +
                                          std::to_string(*version) +
                                          " but this program knows versions up to " +
                                          std::to_string(latest) +
                                          "; upgrade Packline (the database was left untouched)"};

    if (!options.read_only) {
        auto mode = single_text(statements, "PRAGMA journal_mode = WAL");
        if (!mode) return classify(path, mode.error());
        if (*mode != "wal" && !(memory && *mode == "memory"))
            return Error{"store.io", "store: open " + path +
                                         ": cannot switch to WAL mode (journal_mode is " + *mode +
                                         ")"};
    }
    for (std::string_view pragma : {"PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON"}) {
        if (auto status = impl->execute(pragma); !status) return classify(path, status.error());
    }
    if (auto status = quick_check(path, statements); !status) return status.error();

    if (options.read_only) {
        if (*version != latest)
            return Error{"store.read_only", "store: open " + path + ": schema version " +
                                                std::to_string(*version) + " needs migrating to " +
                                                std::to_string(latest) +
                                                "; open it once read-write"};
        impl->schema_version = *version;
    } else {
        auto migrated =
            store_schema::migrate(impl->db(), store_schema::migrations(), store_now_ms());
        if (!migrated) return classify(path, migrated.error());
        impl->schema_version = *migrated;
    }

    if (options.max_page_count > 0) {
        // PRAGMA takes no bound parameters; the value is an integer from the
        // options, never text from outside.
        const std::string pragma =
            "PRAGMA max_page_count = " + std::to_string(options.max_page_count);
        auto applied = single_text(statements, pragma);
        if (!applied) return classify(path, applied.error());
    }
    if (!options.read_only && !memory)
        impl->checkpointer = WalCheckpointer::start(path, impl->db());
    return std::unique_ptr<Store>(new Store(std::move(impl)));
}

Status Store::integrity_check() {
    auto statement = impl_->query("PRAGMA integrity_check(20)");
    if (!statement) return statement.error().context("store: integrity check");
    std::string findings;
    for (;;) {
        auto row = statement->step();
        if (!row) {
            if (row.error().code == "store.corrupt")
                return Error{"store.corrupt",
                             impl_->path + ": database is damaged (integrity_check: " +
                                 row.error().message + "); restore from backup or move it aside"};
            return row.error().context("store: integrity check");
        }
        if (!*row) break;
        if (!findings.empty()) findings += "; ";
        findings += statement->column_text(0);
    }
    if (findings != "ok")
        return Error{"store.corrupt", impl_->path + ": database is damaged (integrity_check: " +
                                          findings + "); restore from backup or move it aside"};
    return {};
}

}  // namespace packline::station
