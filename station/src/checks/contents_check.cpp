#include <algorithm>

#include "packline/station/checks_contents.h"
#include "packline/station/checks_reasons.h"
#include "text.h"

namespace packline::station {
namespace {

CheckResult fail(std::string_view code, std::string message, std::vector<Detail> details) {
    return CheckResult::fail(std::string(code), std::move(message), std::move(details));
}

const Sku* find_sku(const ContentsView& view, std::string_view sku) {
    if (!view.skus) return nullptr;
    const auto found = view.skus->find(sku);
    return found == view.skus->end() ? nullptr : &found->second;
}

int wanted_in_parcel(const ContentsView& view, std::string_view sku) {
    int wanted = 0;
    for (const OrderLine& line : view.open_lines)
        if (line.sku == sku && line.quantity > 0) wanted += line.quantity;
    return wanted;
}

int ordered(const ContentsView& view, std::string_view sku) {
    int quantity = 0;
    if (view.order)
        for (const OrderLine& line : view.order->lines)
            if (line.sku == sku && line.quantity > 0) quantity += line.quantity;
    return quantity;
}

int scanned_in_parcel(const ContentsView& view, std::string_view sku) {
    if (!view.scanned) return 0;
    return static_cast<int>(
        std::count_if(view.scanned->begin(), view.scanned->end(),
                      [sku](const ScannedItem& item) { return item.sku == sku; }));
}

bool contains_word(std::string_view haystack, std::string_view word) {
    if (word.empty()) return true;
    for (std::size_t at = haystack.find(word); at != std::string_view::npos;
         at = haystack.find(word, at + 1)) {
        const bool starts = at == 0 || haystack[at - 1] == ' ';
        const std::size_t end = at + word.size();
        const bool ends = end == haystack.size() || haystack[end] == ' ';
        if (starts && ends) return true;
    }
    return false;
}

// "Blue Tee M": the name, plus colour and size when the name does not say them.
std::string describe(const Sku& sku) {
    std::string label = text::printable(sku.name.empty() ? sku.sku : sku.name, 60);
    for (const std::string& attribute : {sku.colour, sku.size})
        if (!contains_word(label, attribute)) label += " " + text::printable(attribute, 20);
    return label;
}

std::string describe(const ContentsView& view, std::string_view sku) {
    const Sku* found = find_sku(view, sku);
    return found ? describe(*found) : text::printable(sku, 60);
}

// "Red / L"; the name when neither attribute is set.
std::string variant_label(const Sku& sku) {
    if (sku.colour.empty() && sku.size.empty()) return describe(sku);
    if (sku.colour.empty()) return text::printable(sku.size, 20);
    if (sku.size.empty()) return text::printable(sku.colour, 20);
    return text::printable(sku.colour, 20) + " / " + text::printable(sku.size, 20);
}

// The order's line for another variant of the scanned SKU's style: lines still
// open in this parcel first, then the one sharing the most attributes.
const Sku* other_variant(const ContentsView& view, const Sku& scanned) {
    if (scanned.style.empty()) return nullptr;
    const Sku* best = nullptr;
    int best_score = -1;
    auto consider = [&](const std::string& sku_id, int bonus) {
        if (sku_id == scanned.sku) return;
        const Sku* candidate = find_sku(view, sku_id);
        if (!candidate || candidate->style != scanned.style) return;
        const int score = bonus + (candidate->size == scanned.size ? 1 : 0) +
                          (candidate->colour == scanned.colour ? 1 : 0);
        if (score > best_score) {
            best = candidate;
            best_score = score;
        }
    };
    for (const OrderLine& line : view.open_lines)
        if (line.quantity > scanned_in_parcel(view, line.sku)) consider(line.sku, 4);
    if (view.order)
        for (const OrderLine& line : view.order->lines)
            consider(line.sku, 0);
    return best;
}

CheckResult wrong_variant(const Sku& expected, const Sku& scanned, const ItemScan& scan) {
    std::vector<std::string_view> differs;
    if (expected.colour != scanned.colour) differs.push_back("colour");
    if (expected.size != scanned.size) differs.push_back("size");
    std::string differs_text;
    for (const std::string_view attribute : differs)
        differs_text += (differs_text.empty() ? "" : ",") + std::string(attribute);
    if (differs_text.empty()) differs_text = "variant";
    std::string wants = variant_label(expected);
    std::string got = variant_label(scanned);
    if (wants == got) {
        wants = describe(expected);
        got = describe(scanned);
    }
    return fail(reason::wrong_variant, "Order wants " + wants + " — you scanned " + got,
                {{"expected_sku", expected.sku},
                 {"scanned_sku", scanned.sku},
                 {"differs", differs_text},
                 {"expected_colour", expected.colour},
                 {"scanned_colour", scanned.colour},
                 {"expected_size", expected.size},
                 {"scanned_size", scanned.size},
                 {"style", scanned.style},
                 {"code", scan.code}});
}

}  // namespace

CheckResult check_item(const ContentsView& view, const ItemScan& scan, bool serial_used_elsewhere) {
    if (!scan.sku)
        return fail(reason::unknown_code,
                    "Unknown barcode " + text::printable(scan.code) + " — not in the product list",
                    {{"code", text::printable(scan.code, 200)}});
    const Sku& sku = *scan.sku;
    const std::string order_id = view.order ? view.order->id : std::string();
    const int wanted = wanted_in_parcel(view, sku.sku);
    const int order_quantity = ordered(view, sku.sku);

    if (wanted == 0 && order_quantity == 0) {
        if (const Sku* expected = other_variant(view, sku))
            return wrong_variant(*expected, sku, scan);
        return fail(
            reason::not_in_order,
            describe(sku) + " is not in order " + text::printable(order_id) + " — put it aside",
            {{"order_id", order_id}, {"scanned_sku", sku.sku}, {"code", scan.code}});
    }

    const std::string_view serial = text::trim(scan.serial);
    if (!serial.empty()) {
        const bool in_parcel =
            view.scanned && std::any_of(view.scanned->begin(), view.scanned->end(),
                                        [&sku, serial](const ScannedItem& item) {
                                            return item.sku == sku.sku &&
                                                   text::trim(item.serial) == serial;
                                        });
        if (in_parcel || serial_used_elsewhere) {
            const std::string where = in_parcel ? "this parcel" : "another parcel";
            return fail(reason::serial_repeated,
                        "Serial " + text::printable(serial) + " of " + describe(sku) +
                            " is already in " + where + " — scan a different item",
                        {{"sku", sku.sku},
                         {"serial", text::printable(serial, 200)},
                         {"where", in_parcel ? "this_parcel" : "other_parcel"}});
        }
    }

    const int scanned = scanned_in_parcel(view, sku.sku);
    if (scanned >= wanted) {
        std::vector<Detail> details{{"sku", sku.sku},
                                    {"wanted", std::to_string(wanted)},
                                    {"scanned", std::to_string(scanned)},
                                    {"ordered", std::to_string(order_quantity)}};
        if (wanted == 0)
            return fail(reason::over_quantity,
                        "All " + std::to_string(order_quantity) + " × " + describe(sku) +
                            " already went in earlier parcels — put it aside",
                        std::move(details));
        return fail(reason::over_quantity,
                    "Already packed " + std::to_string(scanned) + " of " + std::to_string(wanted) +
                        " × " + describe(sku) + " — put it aside",
                    std::move(details));
    }

    if (sku.serial_required && serial.empty())
        return fail(reason::serial_required, "Scan the serial number of " + describe(sku),
                    {{"sku", sku.sku}, {"code", scan.code}});
    return CheckResult::pass();
}

std::vector<LineProgress> line_progress(const ContentsView& view) {
    std::vector<LineProgress> progress;
    for (const OrderLine& line : view.open_lines) {
        if (line.quantity <= 0) continue;
        auto found =
            std::find_if(progress.begin(), progress.end(),
                         [&line](const LineProgress& entry) { return entry.sku == line.sku; });
        if (found == progress.end()) {
            progress.push_back({line.sku, 0, scanned_in_parcel(view, line.sku)});
            found = progress.end() - 1;
        }
        found->wanted += line.quantity;
    }
    return progress;
}

bool lines_complete(const ContentsView& view) {
    const std::vector<LineProgress> progress = line_progress(view);
    return std::all_of(progress.begin(), progress.end(),
                       [](const LineProgress& entry) { return entry.scanned >= entry.wanted; });
}

CheckResult check_lines_complete(const ContentsView& view) {
    constexpr std::size_t kListed = 3;  // a message is read at a glance
    std::string list;
    std::size_t missing_lines = 0;
    std::vector<Detail> details;
    for (const LineProgress& entry : line_progress(view)) {
        if (entry.scanned >= entry.wanted) continue;
        const int missing = entry.wanted - entry.scanned;
        if (missing_lines < kListed)
            list += (list.empty() ? "" : ", ") + std::to_string(missing) + " × " +
                    describe(view, entry.sku);
        ++missing_lines;
        details.push_back({"missing." + entry.sku, std::to_string(missing)});
    }
    if (missing_lines == 0) return CheckResult::pass();
    if (missing_lines > kListed)
        list += " and " + std::to_string(missing_lines - kListed) + " more";
    return fail(reason::missing_item, "Missing " + list, std::move(details));
}

}  // namespace packline::station
