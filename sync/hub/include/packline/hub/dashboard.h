// The supervisor dashboard's data (issue 6): one JSON document with the
// state of every station, the shift's exceptions, the orders due to ship and
// the confirmations per hour, read from the hub database. Every field is
// documented in docs/dashboard.md ("Data").
//
// Threads: a DashboardQueries has its own read-only SQLite connection to the
// hub database and a mutex around it: any thread may call it. In WAL mode it
// reads while the hub's worker writes; one snapshot is one read transaction,
// so its parts agree with each other.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "packline/error.h"

namespace packline::hub {

struct DashboardWindow {
    std::int64_t now_ms = 0;
    // Shift figures count from here (current_shift_start_ms()).
    std::int64_t shift_start_ms = 0;
    // An order without ship_by_ms must ship this long after created_at_ms.
    std::int64_t ship_within_hours = 24;
    // The newest exceptions, overrides and manual entries listed, at most.
    std::int64_t exceptions_limit = 200;
};

// Orders listed in "ship_by" at most (the counts cover them all).
inline constexpr std::size_t kShipByListed = 500;

class DashboardQueries {
  public:
    // Opens `path` read-only. The database must exist and be migrated
    // (schema version 2 or newer; the hub does it when it starts, as does
    // SupervisorDirectory::open): error "store.migration" otherwise.
    static Result<std::unique_ptr<DashboardQueries>> open(const std::string& path);
    ~DashboardQueries();
    DashboardQueries(const DashboardQueries&) = delete;
    DashboardQueries& operator=(const DashboardQueries&) = delete;

    // The whole dashboard as one JSON document (UTF-8, compact).
    Result<std::string> snapshot_json(const DashboardWindow& window);

    // SQLite's data_version for this connection: it changes when another
    // connection (the hub, a tool) commits to the database. Cheap: poll it
    // and make a new snapshot only when it changed (or the clock moved the
    // ship-by buckets on).
    Result<std::int64_t> data_version();

    struct Impl;

  private:
    explicit DashboardQueries(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// Minutes after local midnight of a shift start "HH:MM" (00:00 to 23:59, two
// digits each); nullopt when it is not one.
std::optional<int> parse_shift_time(std::string_view text);

// The start of the shift that holds `now_ms`, in the process's local time
// zone (TZ): the latest of today's starts not after now, else the last start
// of the day before. {"06:00", "14:00", "22:00"} at 03:10 gives yesterday
// 22:00. Starts may come in any order. A start that falls in a daylight
// saving gap begins when the clocks jump. Error "dashboard.shift_starts" for
// an empty list or a start that is not "HH:MM".
Result<std::int64_t> current_shift_start_ms(std::span<const std::string> shift_starts,
                                            std::int64_t now_ms);

}  // namespace packline::hub
