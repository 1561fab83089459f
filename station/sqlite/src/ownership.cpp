#include "packline/sqlite/ownership.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>
#include <vector>

#include "packline/store_errors.h"

namespace packline::sqlite {
namespace {

constexpr std::array<const DatabaseKind*, 2> kKnownKinds{&kStationDatabase, &kHubDatabase};

Result<std::int32_t> read_application_id(Database& database) {
    auto statement = database.query("PRAGMA application_id");
    if (!statement) return statement.error();
    auto row = statement->step();
    if (!row) return row.error().context("read application id");
    if (!*row) return Error{errors::kStoreIo, "read application id: no row"};
    return static_cast<std::int32_t>(statement->column_int(0));
}

Result<std::vector<std::string>> table_names(Database& database) {
    auto statement = database.query(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND "
        "name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name");
    if (!statement) return statement.error();
    std::vector<std::string> names;
    for (;;) {
        auto row = statement->step();
        if (!row) return row.error().context("list tables");
        if (!*row) break;
        names.push_back(statement->column_text(0));
    }
    return names;
}

std::string hex(std::int32_t id) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%08X", static_cast<std::uint32_t>(id));
    return text;
}

std::string listed(const std::vector<std::string>& names) {
    std::string text;
    const std::size_t shown = std::min<std::size_t>(names.size(), 5);
    for (std::size_t index = 0; index < shown; ++index) {
        if (index > 0) text += ", ";
        text += names[index];
    }
    if (names.size() > shown) text += ", ... (" + std::to_string(names.size()) + " tables)";
    return text;
}

Error foreign(const DatabaseKind& kind, const std::string& what) {
    return Error{errors::kStoreForeign, "not " + std::string(kind.description) + ": " + what +
                                            "; nothing was written to it (choose another path)"};
}

}  // namespace

Status check_database_kind(Database& database, const DatabaseKind& kind) {
    auto id = read_application_id(database);
    if (!id) return id.error();
    if (*id == kind.application_id) return {};
    if (*id != 0) {
        for (const DatabaseKind* known : kKnownKinds)
            if (known->application_id == *id)
                return foreign(kind, "the file is " + std::string(known->description));
        return foreign(kind,
                       "the file belongs to another application (application_id " + hex(*id) + ")");
    }
    auto tables = table_names(database);
    if (!tables) return tables.error();
    if (tables->empty()) return {};
    const bool ours = std::all_of(
        kind.marker_tables.begin(), kind.marker_tables.end(), [&](std::string_view table) {
            return std::find(tables->begin(), tables->end(), table) != tables->end();
        });
    if (ours) return {};
    return foreign(kind, "the file is another application's SQLite database (tables: " +
                             listed(*tables) + ")");
}

Status claim_database(Database& database, const DatabaseKind& kind) {
    auto id = read_application_id(database);
    if (!id) return id.error();
    if (*id == kind.application_id) return {};
    // PRAGMA takes no bound parameters; the value is a compile-time constant.
    const std::string pragma = "PRAGMA application_id = " + std::to_string(kind.application_id);
    return database.execute(pragma);
}

}  // namespace packline::sqlite
