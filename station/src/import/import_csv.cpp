// CSV import: three kinds of file (orders, skus, packaging), told apart by the
// header row. RFC 4180 framing is in csv_reader.cpp; here are the columns.
#include <array>
#include <cstddef>
#include <exception>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "batch_builder.h"
#include "csv_reader.h"
#include "packline/station/import.h"
#include "text.h"

namespace packline::station {
namespace {

using import_csv::CsvRecord;
using import_rules::BatchBuilder;

struct Column {
    std::string_view name;
    bool required;
};

// Every documented column must be in the header (a cell may still be empty):
// a misspelt header ("postcode") then stops the file instead of silently
// loading orders without postal codes. Unknown columns are ignored.
constexpr std::array<Column, 20> kOrderColumns{{
    {"order_id", true},  {"site", true},    {"created_at", true}, {"ship_by", true},
    {"status", true},    {"name", true},    {"phone", true},      {"address1", true},
    {"address2", false}, {"city", true},    {"region", true},     {"postal_code", true},
    {"country", true},   {"carrier", true}, {"service", true},    {"tracking_number", true},
    {"packaging", true}, {"sku", true},     {"quantity", true},   {"sscc", false},
}};
constexpr std::array<Column, 10> kSkuColumns{{
    {"sku", true},
    {"name", true},
    {"style", true},
    {"size", true},
    {"colour", true},
    {"unit_weight_g", true},
    {"barcodes", true},
    {"serial_required", true},
    {"tolerance_abs_g", false},
    {"tolerance_pct", false},
}};
constexpr std::array<Column, 3> kPackagingColumns{{
    {"code", true},
    {"name", true},
    {"tare_g", true},
}};

// Column name -> index in the row.
class Header {
  public:
    std::map<std::string, std::size_t, std::less<>> index;
    std::vector<std::string> unknown;
    std::size_t width = 0;

    // The cell of `row` under `name`, or "" when the (optional) column is absent.
    std::string_view cell(const CsvRecord& row, std::string_view name) const {
        const auto it = index.find(name);
        if (it == index.end() || it->second >= row.fields.size()) return {};
        return row.fields[it->second];
    }
};

template <std::size_t N>
std::optional<Header> read_header(const CsvRecord& record, const std::array<Column, N>& columns,
                                  std::string_view kind, BatchBuilder& builder) {
    Header header;
    header.width = record.fields.size();
    for (std::size_t i = 0; i < record.fields.size(); ++i) {
        const std::string name = import_text::to_lower_ascii(import_text::trim(record.fields[i]));
        if (name.empty()) continue;
        bool known = false;
        for (const auto& column : columns)
            known = known || column.name == name;
        if (!known) {
            header.unknown.push_back(name);
            continue;
        }
        if (!header.index.emplace(name, i).second) {
            builder.problem(record.line, "",
                            "column " + name + " appears twice in the header; nothing loaded");
            return std::nullopt;
        }
    }
    std::string missing;
    for (const auto& column : columns) {
        if (column.required && !header.index.contains(column.name))
            missing += (missing.empty() ? "" : ", ") + std::string(column.name);
    }
    if (!missing.empty()) {
        std::string message = "the " + std::string(kind) + " header lacks column(s) " + missing;
        if (!header.unknown.empty()) {
            message += " (unknown columns:";
            for (const auto& name : header.unknown)
                message += " " + name;
            message += ")";
        }
        builder.problem(record.line, "", message + "; nothing loaded");
        return std::nullopt;
    }
    return header;
}

// The physical problems of a row, before any column is read.
std::string row_framing_problem(const CsvRecord& row, const Header& header) {
    if (!row.error.empty()) return row.error;
    if (row.fields.size() != header.width)
        return "the row has " + std::to_string(row.fields.size()) + " fields, the header has " +
               std::to_string(header.width);
    for (const auto& field : row.fields)
        if (!import_text::is_valid_utf8(field)) return "the row is not valid UTF-8";
    return {};
}

// Address cells may hold several lines (a quoted field with line breaks).
void append_address_lines(std::string_view cell, std::vector<std::string>& lines) {
    while (!cell.empty()) {
        const auto end = cell.find('\n');
        const auto line = import_text::trim(cell.substr(0, end));
        if (!line.empty()) lines.emplace_back(line);
        if (end == std::string_view::npos) break;
        cell.remove_prefix(end + 1);
    }
}

// ---- orders ---------------------------------------------------------------

// Order-level columns: the first non-empty value of an order wins, empty
// cells inherit it, and a different non-empty value refuses the order.
constexpr std::array<std::string_view, 17> kOrderFields{
    "site",        "created_at", "ship_by",  "status",  "name",
    "phone",       "address1",   "address2", "city",    "region",
    "postal_code", "country",    "carrier",  "service", "tracking_number",
    "packaging",   "sscc"};

std::size_t field_index(std::string_view name) {
    for (std::size_t i = 0; i < kOrderFields.size(); ++i)
        if (kOrderFields[i] == name) return i;
    return 0;
}

struct PendingOrder {
    std::string id;
    int first_line = 0;
    std::array<std::string, kOrderFields.size()> values;
    std::array<int, kOrderFields.size()> value_lines{};
    std::vector<OrderLine> lines;
    bool refused = false;
};

// The value compared between rows and later stored: trimmed, with the case
// of codes made canonical. Address cells keep their inner line breaks.
std::string canonical(std::string_view field, std::string_view cell) {
    const auto trimmed = import_text::trim(cell);
    if (field == "country") return import_text::to_upper_ascii(trimmed);
    if (field == "carrier" || field == "status") return import_text::to_lower_ascii(trimmed);
    return std::string(trimmed);
}

// "" when the row's own cells are acceptable.
std::string check_order_row(const CsvRecord& row, const Header& header, OrderLine& line) {
    line.sku = std::string(import_text::trim(header.cell(row, "sku")));
    if (line.sku.empty()) return "sku is empty";
    const auto quantity_cell = import_text::trim(header.cell(row, "quantity"));
    if (quantity_cell.empty()) return "quantity is empty";
    const auto quantity = import_text::parse_integer(quantity_cell);
    if (!quantity) {
        auto digits = quantity_cell;
        if (digits.front() == '+' || digits.front() == '-') digits.remove_prefix(1);
        if (!digits.empty() && digits.find_first_not_of("0123456789") == std::string_view::npos)
            return import_rules::quantity_out_of_range(quantity_cell);  // beyond int64
        return "quantity \"" + std::string(quantity_cell) + "\" is not a whole number";
    }
    if (auto reason = import_rules::check_quantity(*quantity); !reason.empty()) return reason;
    line.quantity = static_cast<int>(*quantity);
    for (const std::string_view column : {"created_at", "ship_by"}) {
        const auto cell = import_text::trim(header.cell(row, column));
        if (!cell.empty() && !parse_timestamp_ms(cell))
            return std::string(column) + " \"" + std::string(cell) +
                   "\" is not an RFC 3339 date-time (2026-11-23T08:00:00Z) or epoch milliseconds";
    }
    const auto status = import_text::trim(header.cell(row, "status"));
    if (!status.empty() && !order_status_from_string(import_text::to_lower_ascii(status)))
        return "status \"" + std::string(status) +
               "\" is not one of open, on_hold, cancelled, packed, shipped";
    return {};
}

Order build_order(const PendingOrder& pending) {
    const auto value = [&](std::string_view name) -> const std::string& {
        return pending.values[field_index(name)];
    };
    Order order;
    order.id = pending.id;
    order.site = value("site");
    order.created_at_ms = parse_timestamp_ms(value("created_at")).value_or(0);
    order.ship_by_ms = parse_timestamp_ms(value("ship_by")).value_or(0);
    order.status = order_status_from_string(value("status")).value_or(OrderStatus::Open);
    order.recipient.name = value("name");
    order.recipient.phone = value("phone");
    append_address_lines(value("address1"), order.recipient.address.lines);
    append_address_lines(value("address2"), order.recipient.address.lines);
    order.recipient.address.city = value("city");
    order.recipient.address.region = value("region");
    order.recipient.address.postal_code = value("postal_code");
    order.recipient.address.country = value("country");
    order.carrier = value("carrier");
    order.service = value("service");
    order.tracking_number = value("tracking_number");
    order.packaging = value("packaging");
    order.sscc = value("sscc");
    order.lines = pending.lines;
    return order;
}

void load_orders(std::span<const CsvRecord> rows, const Header& header, BatchBuilder& builder) {
    std::vector<PendingOrder> pending;
    std::map<std::string, std::size_t, std::less<>> by_id;
    for (const auto& row : rows) {
        const auto framing = row_framing_problem(row, header);
        const std::string id(import_text::trim(header.cell(row, "order_id")));
        if (id.empty() || !import_text::is_valid_utf8(id)) {
            builder.problem(row.line, "order (no id)",
                            (framing.empty() ? std::string("order_id is empty") : framing) +
                                "; row not loaded");
            continue;
        }
        const std::string record = import_rules::order_record(id);
        auto [found, inserted] = by_id.emplace(id, pending.size());
        if (inserted) pending.push_back(PendingOrder{id, row.line, {}, {}, {}, false});
        PendingOrder& order = pending[found->second];

        OrderLine line;
        std::string reason = framing.empty() ? check_order_row(row, header, line) : framing;
        for (std::size_t i = 0; i < kOrderFields.size() && reason.empty(); ++i) {
            const std::string cell = canonical(kOrderFields[i], header.cell(row, kOrderFields[i]));
            if (cell.empty()) continue;
            if (order.values[i].empty()) {
                order.values[i] = cell;
                order.value_lines[i] = row.line;
            } else if (order.values[i] != cell) {
                reason = std::string(kOrderFields[i]) + " \"" + import_rules::shown(cell) +
                         "\" differs from \"" + import_rules::shown(order.values[i]) +
                         "\" on line " + std::to_string(order.value_lines[i]) +
                         " of the same order";
            }
        }
        if (!reason.empty()) {
            // An order loads whole or not at all: a partial order would ship
            // without the refused line, a missing one is refused at the scan.
            builder.problem(row.line, record,
                            reason + "; order " + import_rules::shown(id) + " not loaded");
            order.refused = true;
            continue;
        }
        order.lines.push_back(std::move(line));
    }
    for (const auto& order : pending)
        if (!order.refused)
            builder.add_order(build_order(order), order.first_line,
                              import_rules::order_record(order.id));
}

// ---- skus and packaging -----------------------------------------------------

std::optional<bool> parse_flag(std::string_view cell) {
    const std::string text = import_text::to_lower_ascii(import_text::trim(cell));
    if (text.empty() || text == "false" || text == "no" || text == "0") return false;
    if (text == "true" || text == "yes" || text == "1") return true;
    return std::nullopt;
}

// "" and a value, or the reason the cell is not a number.
std::string read_number(const CsvRecord& row, const Header& header, std::string_view column,
                        bool required, std::optional<double>& out) {
    const auto cell = import_text::trim(header.cell(row, column));
    if (cell.empty()) return required ? std::string(column) + " is empty" : std::string();
    out = import_text::parse_decimal(cell);
    if (!out) return std::string(column) + " \"" + std::string(cell) + "\" is not a number";
    return {};
}

void load_skus(std::span<const CsvRecord> rows, const Header& header, BatchBuilder& builder) {
    for (const auto& row : rows) {
        Sku sku;
        sku.sku = std::string(import_text::trim(header.cell(row, "sku")));
        const std::string record = sku.sku.empty() || !import_text::is_valid_utf8(sku.sku)
                                       ? "sku (no code)"
                                       : import_rules::sku_record(sku.sku);
        std::string reason = row_framing_problem(row, header);
        if (reason.empty() && sku.sku.empty()) reason = "sku is empty";
        std::optional<double> weight;
        if (reason.empty()) reason = read_number(row, header, "unit_weight_g", true, weight);
        if (reason.empty())
            reason = read_number(row, header, "tolerance_abs_g", false, sku.tolerance_abs_g);
        if (reason.empty())
            reason = read_number(row, header, "tolerance_pct", false, sku.tolerance_pct);
        std::optional<bool> serial;
        if (reason.empty()) {
            serial = parse_flag(header.cell(row, "serial_required"));
            if (!serial)
                reason = "serial_required \"" + std::string(header.cell(row, "serial_required")) +
                         "\" is not true/false, yes/no or 1/0";
        }
        if (!reason.empty()) {
            builder.problem(row.line, record, reason + "; not loaded");
            continue;
        }
        sku.name = std::string(import_text::trim(header.cell(row, "name")));
        sku.style = std::string(import_text::trim(header.cell(row, "style")));
        sku.size = std::string(import_text::trim(header.cell(row, "size")));
        sku.colour = std::string(import_text::trim(header.cell(row, "colour")));
        sku.unit_weight_g = weight.value_or(0.0);
        sku.serial_required = serial.value_or(false);
        // Spreadsheets cannot hold a list in a cell: '|' or ';' separate codes.
        std::string_view codes = header.cell(row, "barcodes");
        while (!codes.empty()) {
            const auto end = codes.find_first_of("|;");
            sku.barcodes.emplace_back(codes.substr(0, end));
            if (end == std::string_view::npos) break;
            codes.remove_prefix(end + 1);
        }
        builder.add_sku(std::move(sku), row.line, record);
    }
}

void load_packaging(std::span<const CsvRecord> rows, const Header& header, BatchBuilder& builder) {
    for (const auto& row : rows) {
        Packaging packaging;
        packaging.code = std::string(import_text::trim(header.cell(row, "code")));
        const std::string record =
            packaging.code.empty() || !import_text::is_valid_utf8(packaging.code)
                ? "packaging (no code)"
                : import_rules::packaging_record(packaging.code);
        std::string reason = row_framing_problem(row, header);
        if (reason.empty() && packaging.code.empty()) reason = "code is empty";
        std::optional<double> tare;
        if (reason.empty()) reason = read_number(row, header, "tare_g", true, tare);
        if (!reason.empty()) {
            builder.problem(row.line, record, reason + "; not loaded");
            continue;
        }
        packaging.name = std::string(import_text::trim(header.cell(row, "name")));
        packaging.tare_g = tare.value_or(0.0);
        builder.add_packaging(std::move(packaging), row.line, record);
    }
}

enum class CsvKind { Orders, Skus, Packaging };

std::optional<CsvKind> kind_of(const CsvRecord& header) {
    bool has_sku = false;
    bool has_code = false;
    for (const auto& field : header.fields) {
        const std::string name = import_text::to_lower_ascii(import_text::trim(field));
        if (name == "order_id") return CsvKind::Orders;
        has_sku = has_sku || name == "sku";
        has_code = has_code || name == "code";
    }
    if (has_sku) return CsvKind::Skus;
    if (has_code) return CsvKind::Packaging;
    return std::nullopt;
}

void parse_csv(std::string_view text, BatchBuilder& builder) {
    text = import_text::strip_bom(text);
    if (import_text::trim(text).empty()) {
        builder.problem(0, "", "the file is empty; nothing loaded");
        return;
    }
    std::vector<CsvRecord> records = import_csv::read_csv_records(text);
    if (records.empty()) {
        builder.problem(0, "", "the file is empty; nothing loaded");
        return;
    }
    const CsvRecord& header_record = records.front();
    if (!header_record.error.empty()) {
        builder.problem(header_record.line, "",
                        "the header row is malformed: " + header_record.error + "; nothing loaded");
        return;
    }
    const auto kind = kind_of(header_record);
    if (!kind) {
        builder.problem(header_record.line, "",
                        "the header row names no order_id, sku or code column, so this is not an "
                        "orders, skus or packaging file; nothing loaded");
        return;
    }
    const auto rows = std::span<const CsvRecord>(records).subspan(1);
    switch (*kind) {
        case CsvKind::Orders:
            if (auto header = read_header(header_record, kOrderColumns, "orders", builder))
                load_orders(rows, *header, builder);
            break;
        case CsvKind::Skus:
            if (auto header = read_header(header_record, kSkuColumns, "skus", builder))
                load_skus(rows, *header, builder);
            break;
        case CsvKind::Packaging:
            if (auto header = read_header(header_record, kPackagingColumns, "packaging", builder))
                load_packaging(rows, *header, builder);
            break;
    }
}

}  // namespace

ImportResult parse_import_csv(std::string_view text, std::string_view file_name) {
    return import_rules::build_batch(file_name,
                                     [&](BatchBuilder& builder) { parse_csv(text, builder); });
}

}  // namespace packline::station
