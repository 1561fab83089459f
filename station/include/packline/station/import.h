// Order and catalogue import: JSON ("packline.import/1") and CSV files into
// domain objects. The parsers are pure (text in, values out) and never throw;
// a malformed record becomes an ImportProblem with its line number and the
// other records still load. The format and every rule: docs/import-format.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "packline/error.h"
#include "packline/station/import_batch.h"

namespace packline::station {

// One thing that went wrong (or was worth saying) while importing. A problem
// about a record means that record did not load, unless the message says it
// still did (a duplicate that replaced an earlier record).
struct ImportProblem {
    std::string file;
    int line = 0;        // 1-based physical line where the record starts; 0 = whole file
    std::string record;  // "order 1001", "sku TEE-RED-M", "packaging BOX-S"; empty = file
    std::string message;
    // True when the record loaded all the same (a duplicate that replaced an
    // earlier record, a barcode skipped): a note, not a refusal.
    bool loaded = false;
};

struct ImportResult {
    ImportBatch batch;
    std::vector<ImportProblem> problems;
};

enum class ImportFormat { Json, Csv };

ImportResult parse_import_json(std::string_view text, std::string_view file_name = "");
ImportResult parse_import_csv(std::string_view text, std::string_view file_name = "");

// Chooses the format by extension (.json / .csv, any case), else by content.
// Errors: "import.unreadable" (cannot read the file), "import.unknown_format".
Result<ImportResult> parse_import_file(const std::string& path);

// By content: '{' first (after a BOM and white space) is JSON; a first line
// with a comma that names a known CSV header column is CSV.
std::optional<ImportFormat> sniff_import_format(std::string_view text);

// RFC 3339 date-time ("2026-11-23T08:00:00Z", "2026-11-23T09:00:00.250+01:00")
// or non-negative integer epoch milliseconds ("1795420800000") -> epoch ms.
// Independent of the locale and the time zone of the machine.
std::optional<std::int64_t> parse_timestamp_ms(std::string_view text);

}  // namespace packline::station
