// The only function of the importer that touches the file system.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>

#include "packline/station/import.h"
#include "packline/station/station_errors.h"
#include "text.h"

namespace packline::station {
namespace {

std::string extension_of(const std::string& path) {
    const auto slash = path.find_last_of('/');
    const auto dot = path.find_last_of('.');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return {};
    return import_text::to_lower_ascii(std::string_view(path).substr(dot + 1));
}

}  // namespace

std::optional<ImportFormat> sniff_import_format(std::string_view text) {
    text = import_text::trim(import_text::strip_bom(text));
    if (text.empty()) return std::nullopt;
    if (text.front() == '{') return ImportFormat::Json;
    const auto first_line = text.substr(0, text.find_first_of("\r\n"));
    if (first_line.find(',') == std::string_view::npos) return std::nullopt;
    const std::string header = import_text::to_lower_ascii(first_line);
    for (const std::string_view column : {"order_id", "sku", "code"}) {
        // A whole header cell, possibly quoted: bounded by start/comma/quote.
        std::size_t at = header.find(column);
        while (at != std::string::npos) {
            const auto end = at + column.size();
            const bool starts =
                at == 0 || header[at - 1] == ',' || header[at - 1] == '"' || header[at - 1] == ' ';
            const bool ends = end == header.size() || header[end] == ',' || header[end] == '"' ||
                              header[end] == ' ';
            if (starts && ends) return ImportFormat::Csv;
            at = header.find(column, at + 1);
        }
    }
    return std::nullopt;
}

Result<ImportResult> parse_import_file(const std::string& path) {
    std::error_code ignored;
    if (std::filesystem::is_directory(path, ignored))
        return Error(errors::kImportUnreadable,
                     "cannot read import file " + path + ": it is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return Error(errors::kImportUnreadable,
                     "cannot read import file " + path + ": " + std::strerror(errno));
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) return Error(errors::kImportUnreadable, "cannot read import file " + path);
    const std::string text = buffer.str();

    const std::string extension = extension_of(path);
    std::optional<ImportFormat> format;
    if (extension == "json")
        format = ImportFormat::Json;
    else if (extension == "csv")
        format = ImportFormat::Csv;
    else
        format = sniff_import_format(text);
    if (!format) {
        return Error(errors::kImportUnknownFormat,
                     "cannot tell whether " + path +
                         " is a JSON or CSV import file (name it .json or .csv)");
    }
    return *format == ImportFormat::Json ? parse_import_json(text, path)
                                         : parse_import_csv(text, path);
}

}  // namespace packline::station
