// Barcode scanners in USB HID POS mode (usage page 0x8C, usage 0x02): the pure
// half of the driver. The transport reads input reports from /dev/hidrawN (or
// libusb) and feeds them here, one report per call, report id included.
// Source: shared reference devices.md §2.1 (report layout, Honeywell extras,
// from NielsLeenheer/WebHidBarcodeScanner, tested on a Honeywell Voyager
// 1400g) and §2.3 (AIM symbology identifiers).
//
// Report layout, offsets counted after the report id byte (0x02):
//   [0] length of the data bytes, [1..3] AIM symbology id ("]C1"),
//   [4..] data bytes; on reports long enough to carry them, the Honeywell
//   extras [60] code id char and [62] "more packets follow" (non-zero).
// ⚠ Whether [0] counts exactly the data bytes is not settled: the WebHID
// library copies length - 1 bytes. We take [0] as the data byte count, so a
// scan never loses its last character; confirm on hardware. Offsets 60/62
// are Honeywell-specific (§2.1 ⚠): a report too short to have [62] is the
// last packet, and on a report that has them data stops before [60].
//
// Thread-bound: plain state, owned by one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "packline/error.h"

namespace packline::drivers {

inline constexpr std::uint8_t kHidScannerReportId = 0x02;
// Offsets after the report id (see the layout above).
inline constexpr std::size_t kHidScannerDataOffset = 4;
inline constexpr std::size_t kHidScannerCodeIdOffset = 60;
inline constexpr std::size_t kHidScannerMoreFollowsOffset = 62;
// A joined scan (AIM id + data) longer than this is dropped; no barcode the
// station handles comes near it (a full QR code is under 3 KiB of bytes).
inline constexpr std::size_t kHidScannerMaxScanLength = 4096;

// Joins the packets of one scan. feed() returns the whole scan when its last
// packet arrives: the AIM id followed by the data bytes exactly as sent (GS
// 0x1D kept, nothing stripped), which is what ScanEvent::data and the
// station's barcode layer expect, e.g. "]C1" "0109506000134352" "\x1d" "10AB".
//
// Decisions:
// - The AIM id is taken from the first packet of a scan. When those three
//   bytes are not "]" + ASCII letter + printable ASCII char (scanner set to
//   send no AIM id, or a vendor that leaves them zero), the scan is the data
//   bytes alone: the bytes are not part of the barcode, and a made-up prefix
//   would mislead the barcode layer, which handles scans without AIM id.
// - A scan without any data bytes is not a scan: nullopt, error
//   hid_scanner.empty (the station could do nothing with "]C1" alone).
// Errors (last_error(); the partial scan is dropped unless said otherwise):
//   hid_scanner.bad_report_id  report id is not 0x02 (partial scan kept: a
//                              foreign report is not part of the scan)
//   hid_scanner.short_report   fewer than 5 bytes (id, length, AIM id)
//   hid_scanner.truncated      length larger than the data the report holds
//   hid_scanner.too_long       joined scan over kHidScannerMaxScanLength
//   hid_scanner.empty          last packet ends a scan with no data bytes
class HidScannerAssembler {
  public:
    std::optional<std::string> feed(std::span<const std::uint8_t> report);

    // The error from the latest feed(), nullopt when it was fine.
    std::optional<Error> last_error() const { return last_error_; }

    // Honeywell code id char ([60]) of the latest packet that carried one,
    // 0 when none did. Informational; the AIM id is what the station uses.
    char last_code_id() const { return last_code_id_; }

    // Drops any partial scan; call on reopen.
    void reset();

  private:
    std::optional<std::string> fail(Error error, bool drop_partial);

    std::string partial_;
    bool in_scan_ = false;
    bool has_data_ = false;
    char last_code_id_ = 0;
    std::optional<Error> last_error_;
};

}  // namespace packline::drivers
