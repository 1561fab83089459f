// RFC 4180 CSV records with the physical line each one starts on (internal).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace packline::station::import_csv {

struct CsvRecord {
    int line = 0;  // 1-based physical line where the record starts
    std::vector<std::string> fields;
    std::string error;  // non-empty: the record is malformed and `fields` is unreliable
};

// Splits `text` (BOM already removed) into records. Fields may be quoted with
// '"'; inside quotes a doubled quote is one quote and commas and line breaks
// are data (a CRLF inside quotes becomes LF). Records end at CRLF, LF or a lone
// CR. Blank lines are skipped. A stray quote inside an unquoted field is kept
// as data (RFC 4180 §2.5 forbids it, but spreadsheets write inch marks).
std::vector<CsvRecord> read_csv_records(std::string_view text);

}  // namespace packline::station::import_csv
