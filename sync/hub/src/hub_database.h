// Opening the hub database for the dashboard's own connections (internal
// header): the SupervisorDirectory and DashboardQueries each have one beside
// the HubStore's, so the web server's threads never touch the hub worker's.
#pragma once

#include <cstdint>
#include <string>

#include "packline/error.h"
#include "packline/sqlite/database.h"

namespace packline::hub {

// Read-write: creates and migrates the database like HubStore::open (WAL,
// synchronous=FULL, foreign keys, a 10 s busy timeout).
Result<sqlite::Database> open_hub_database(const std::string& path, std::int64_t now_ms);

// Read-only: the database must exist at schema version `minimum_version` or
// newer (error "store.migration" otherwise: the hub migrates it when it
// starts) and not newer than this program knows ("store.too_new").
Result<sqlite::Database> open_hub_database_read_only(const std::string& path, int minimum_version);

}  // namespace packline::hub
