// Scan routing: what one scan is, decided once. A scan is a station barcode
// (command, badge, override reason), or a code whose possible meanings
// (our label's 2D code, a carrier's tracking number, a product code) are
// read here a single time and carried with it through the parcel flow.
// Pure: no store, no clock.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "packline/station/barcode.h"

namespace packline::station {

// Barcodes that drive the station rather than name goods.
inline constexpr std::string_view kCommandPrefix =
    "PL-CMD:";  // CLOSE, SPLIT, RETRY, REPRINT, ABANDON
inline constexpr std::string_view kSupervisorPrefix = "PL-SUP:";  // supervisor badge
inline constexpr std::string_view kReasonPrefix = "PL-REASON:";   // override reason
inline constexpr std::string_view kPackerPrefix = "PL-PACKER:";   // packer badge

enum class ScanKind {
    Empty,            // nothing left after the suffix and control characters
    Command,          // PL-CMD:<name>
    SupervisorBadge,  // PL-SUP:<badge>
    OverrideReason,   // PL-REASON:<code>
    PackerBadge,      // PL-PACKER:<packer>
    Code,             // anything else: an order, a waybill, a label or an item
};

// The packer's commands (the argument of PL-CMD:).
enum class Command { Close, Split, Retry, Reprint, Abandon, Unknown };
Command command_from_name(std::string_view name);

struct ScanInput {
    ScanKind kind = ScanKind::Empty;
    ScanData scan;
    // Command, badge, reason or packer: the text after the prefix.
    std::string argument;
    // For a code: the order of our label's 2D code, when it is one.
    std::optional<std::string> label_order_id;
    // For a code: our label's tracking number, or else the payload read as a
    // carrier's tracking number (empty when it cannot be one).
    std::string tracking_number;
    bool manual = false;  // typed on the packer screen, not scanned

    bool is_label() const { return label_order_id.has_value(); }
    bool is_badge() const {
        return kind == ScanKind::SupervisorBadge || kind == ScanKind::PackerBadge;
    }
};

// Classifies raw scanner output once.
ScanInput classify_scan(std::string_view raw, bool manual);

}  // namespace packline::station
