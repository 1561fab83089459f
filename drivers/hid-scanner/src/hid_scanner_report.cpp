#include "packline/drivers/hid_scanner_report.h"

#include <utility>

#include "packline/drivers/hid_scanner_errors.h"

namespace packline::drivers {
namespace {

bool is_ascii_letter(std::uint8_t byte) {
    return (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z');
}

bool is_printable_ascii(std::uint8_t byte) {
    return byte > 0x20 && byte < 0x7F;
}

// devices.md §2.3: an AIM symbology id is "]", a code letter, a modifier char.
bool is_aim_id(std::span<const std::uint8_t> id) {
    return id.size() == 3 && id[0] == ']' && is_ascii_letter(id[1]) && is_printable_ascii(id[2]);
}

}  // namespace

std::optional<std::string> HidScannerAssembler::fail(Error error, bool drop_partial) {
    if (drop_partial) {
        partial_.clear();
        in_scan_ = false;
        has_data_ = false;
    }
    last_error_ = std::move(error);
    return std::nullopt;
}

std::optional<std::string> HidScannerAssembler::feed(std::span<const std::uint8_t> report) {
    last_error_.reset();
    if (report.empty() || report[0] != kHidScannerReportId) {
        const std::string id = report.empty() ? "none" : std::to_string(report[0]);
        return fail(Error(errors::kHidScannerBadReportId,
                          "report id " + id + " is not a scanner input report (2)"),
                    false);
    }
    const auto payload = report.subspan(1);
    if (payload.size() < kHidScannerDataOffset) {
        return fail(Error(errors::kHidScannerShortReport, "scanner report has " +
                                                              std::to_string(report.size()) +
                                                              " bytes, needs at least 5"),
                    true);
    }
    const bool has_trailer = payload.size() > kHidScannerMoreFollowsOffset;
    const std::size_t data_end = has_trailer ? kHidScannerCodeIdOffset : payload.size();
    const std::size_t available = data_end - kHidScannerDataOffset;
    const std::size_t length = payload[0];
    if (length > available) {
        return fail(Error(errors::kHidScannerTruncated,
                          "scanner report says " + std::to_string(length) +
                              " data bytes but holds " + std::to_string(available)),
                    true);
    }

    if (!in_scan_) {
        in_scan_ = true;
        const auto aim = payload.subspan(1, 3);
        if (is_aim_id(aim)) partial_.assign(aim.begin(), aim.end());
    }
    if (partial_.size() + length > kHidScannerMaxScanLength) {
        return fail(
            Error(errors::kHidScannerTooLong,
                  "joined scan exceeds " + std::to_string(kHidScannerMaxScanLength) + " bytes"),
            true);
    }
    const auto data = payload.subspan(kHidScannerDataOffset, length);
    partial_.append(data.begin(), data.end());
    has_data_ = has_data_ || length > 0;

    if (has_trailer) {
        last_code_id_ = static_cast<char>(payload[kHidScannerCodeIdOffset]);
        if (payload[kHidScannerMoreFollowsOffset] != 0) return std::nullopt;
    }

    const bool had_data = has_data_;
    std::string scan = std::move(partial_);
    partial_.clear();
    in_scan_ = false;
    has_data_ = false;
    if (!had_data)
        return fail(Error(errors::kHidScannerEmpty, "scanner sent a scan without data"), true);
    return scan;
}

void HidScannerAssembler::reset() {
    partial_.clear();
    in_scan_ = false;
    has_data_ = false;
    last_code_id_ = 0;
    last_error_.reset();
}

}  // namespace packline::drivers
