// 2. Contents check, items part: every scanned item matches an open order line
// of this parcel, and every line is complete before weighing. Pure functions.
// Reason codes: checks_reasons.h. The weight part is in checks_weight.h.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "packline/station/domain.h"

namespace packline::station {

// One resolved scan. `sku` is null when the code resolved to no SKU.
struct ItemScan {
    const Sku* sku = nullptr;
    std::string code;    // the normalised code that was scanned
    std::string serial;  // from GS1 AI 21 or a separate serial scan; empty when none
    std::string lot;     // from GS1 AI 10; empty when none
};

// What the contents check sees of a parcel. Non-owning pointers; a null
// pointer reads as empty.
struct ContentsView {
    const Order* order = nullptr;
    // Quantities still to pack in THIS parcel: the order lines minus what
    // earlier parcels of the order confirmed.
    std::vector<OrderLine> open_lines;
    const std::vector<ScannedItem>* scanned = nullptr;  // this parcel so far
    // SKUs of the order's lines by sku id (may be incomplete).
    const std::map<std::string, Sku, std::less<>>* skus = nullptr;
};

// Whether `scan` may be added to the parcel. `serial_used_elsewhere` is true
// when the store knows the scan's SKU + serial from another parcel.
CheckResult check_item(const ContentsView& view, const ItemScan& scan, bool serial_used_elsewhere);

struct LineProgress {
    std::string sku;
    int wanted = 0;   // open quantity for this parcel (lines of one SKU summed)
    int scanned = 0;  // items of this SKU scanned into the parcel
};

// One entry per SKU of the open lines, in order of first appearance.
std::vector<LineProgress> line_progress(const ContentsView& view);

// Every open line has all its items scanned.
bool lines_complete(const ContentsView& view);

// contents.missing_item, listing what is still to scan, unless complete.
CheckResult check_lines_complete(const ContentsView& view);

}  // namespace packline::station
