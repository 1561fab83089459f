// Collects the records of one import file: the rules both formats share
// (value ranges, normalisation, duplicates) live here (internal header).
#pragma once

#include <cstdint>
#include <exception>
#include <map>
#include <string>
#include <string_view>

#include "packline/station/import.h"

namespace packline::station::import_rules {

// A line asks for between 1 and this many units: more is a typo (or an export
// that wrote an EAN into the quantity column), not a parcel a bench can pack.
inline constexpr std::int64_t kMaxQuantity = 10000;

// "" when the quantity is acceptable, else the reason.
std::string check_quantity(std::int64_t quantity);
// The reason for a quantity too large for an int64, shown as written.
std::string quantity_out_of_range(std::string_view shown);
// "" when the weight in grams is finite and not negative, else the reason.
std::string check_grams(std::string_view field, double grams);

class BatchBuilder {
  public:
    explicit BatchBuilder(std::string_view file_name) : file_(file_name) {}

    void problem(int line, std::string record, std::string message);
    // A problem about a record that still loaded (a duplicate that replaced
    // an earlier one, a barcode skipped): ImportProblem::loaded.
    void note(int line, std::string record, std::string message);

    // Normalises, validates and adds the record; a record that cannot be
    // represented becomes a problem instead. A later record with the same key
    // replaces the earlier one and says so.
    void add_order(Order order, int line, std::string_view record);
    void add_sku(Sku sku, int line, std::string_view record);
    void add_packaging(Packaging packaging, int line, std::string_view record);

    ImportResult finish() &&;

  private:
    struct Seen {
        std::size_t index = 0;
        int line = 0;
    };

    std::string file_;
    ImportResult result_;
    std::map<std::string, Seen, std::less<>> orders_;
    std::map<std::string, Seen, std::less<>> skus_;
    std::map<std::string, Seen, std::less<>> packaging_;
};

// A value as problems show it: at most 64 characters, then "...". A record
// refused for a 1 MB id must not print the megabyte.
std::string shown(std::string_view text);

std::string order_record(std::string_view id);
std::string sku_record(std::string_view sku);
std::string packaging_record(std::string_view code);

// Runs `parse` over a fresh builder. Parsers report bad input as problems; an
// exception that still escapes (a bug, or memory running out on a huge file)
// stops that file with one problem instead of taking the station down.
template <typename Parse>
ImportResult build_batch(std::string_view file_name, Parse&& parse) {
    BatchBuilder builder(file_name);
    try {
        parse(builder);
    } catch (const std::exception& error) {
        builder.problem(0, "", std::string("import stopped: ") + error.what());
    } catch (...) {
        builder.problem(0, "", "import stopped by an unexpected error");
    }
    return std::move(builder).finish();
}

}  // namespace packline::station::import_rules
