// Exporting confirmations for the systems that consume them: the shipments
// the hub received in an interval of its own receipt time (so an incremental
// export never misses a confirmation that arrived late from a station that
// was offline), as CSV (RFC 4180, a header line, CRLF line ends) or JSON.
// Every column is documented in docs/hub.md ("Export"). Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "packline/error.h"
#include "packline/hub/hub_store.h"

namespace packline::hub {

enum class ExportFormat { Csv, Json };
std::optional<ExportFormat> export_format_from_string(std::string_view text);

// The CSV header's column names, in order.
const std::vector<std::string>& export_columns();

std::string export_csv(std::span<const ReceivedShipment> shipments);
// {"schema":"packline.hub-export/1","since_ms":..,"until_ms":..,"shipments":[...]}:
// each entry has the CSV's columns as typed members and "shipment", the
// confirmation as the station sent it.
std::string export_json(std::span<const ReceivedShipment> shipments, std::int64_t since_ms,
                        std::int64_t until_ms);

// "2026-11-23T08:00:00Z", "2026-11-23T09:00:00.250+01:00" (RFC 3339),
// "2026-11-23" (midnight UTC) or milliseconds since the epoch.
std::optional<std::int64_t> parse_export_time(std::string_view text);

// "2026-11-23T08:00:00.000Z".
std::string iso8601_utc(std::int64_t ms);

}  // namespace packline::hub
