#include "packline/station/scan_input.h"

#include "packline/labels/label_code.h"
#include "packline/station/tracking.h"

namespace packline::station {

namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

Command command_from_name(std::string_view name) {
    if (name == "CLOSE") return Command::Close;
    if (name == "SPLIT") return Command::Split;
    if (name == "RETRY") return Command::Retry;
    if (name == "REPRINT") return Command::Reprint;
    if (name == "ABANDON") return Command::Abandon;
    return Command::Unknown;
}

ScanInput classify_scan(std::string_view raw, bool manual) {
    ScanInput input;
    input.scan = parse_scan(raw);
    input.manual = manual;
    const std::string& payload = input.scan.payload;
    if (payload.empty()) return input;
    struct Prefix {
        std::string_view text;
        ScanKind kind;
    };
    static constexpr Prefix kPrefixes[] = {
        {kCommandPrefix, ScanKind::Command},
        {kSupervisorPrefix, ScanKind::SupervisorBadge},
        {kReasonPrefix, ScanKind::OverrideReason},
        {kPackerPrefix, ScanKind::PackerBadge},
    };
    for (const Prefix& prefix : kPrefixes) {
        if (starts_with(payload, prefix.text)) {
            input.kind = prefix.kind;
            input.argument = payload.substr(prefix.text.size());
            return input;
        }
    }
    input.kind = ScanKind::Code;
    if (auto code = labels::parse_label_code(payload)) {
        input.label_order_id = std::move(code->order_id);
        input.tracking_number = std::move(code->tracking_number);
    } else {
        input.tracking_number = normalize_tracking_number(payload);
    }
    return input;
}

}  // namespace packline::station
