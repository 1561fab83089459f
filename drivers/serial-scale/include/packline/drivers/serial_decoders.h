// Stream decoders for serial devices: bytes as read() returned them (split
// anywhere) in, readings or scans out. One per protocol (devices.md §3.1-§3.4,
// §2.5); they use no port and no clock, so the replay device runs recordings
// through the very same code (make_serial_decoder).
//
// Besides events, a serial decoder keeps what a request/response device needs:
// the replies it parsed (to match an answer to a command) and whether the line
// carries only unreadable data. When unreadable data persists (several frames
// in a row that do not parse, or many bytes that frame as nothing) the decoder
// emits one DeviceStatusEvent Faulty "unreadable data; check protocol/baud
// (<last problem>)", and a Present "readable data again" once a frame parses.
// Garbage and bad checksums never become readings.
//
// Thread-bound: one thread at a time (the device's, or the replay's).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "packline/drivers/serial_framer.h"
#include "packline/drivers/stream_decoder.h"
#include "packline/error.h"
#include "packline/hardware/events.h"

namespace packline::drivers {

// One frame that parsed as the protocol, reading or not.
struct SerialReply {
    std::string command;  // MT-SICS: the reply's command ("S", "Z", "ES"...);
                          // NCI: "weight", "status" or "?"; continuous: "frame"
    Status status;        // the parser's verdict ("sics.busy", "nci.unknown_command"...)
    std::int64_t at_ms = 0;
};

class SerialDecoder : public StreamDecoder {
  public:
    // Unparseable frames in a row, or framed-as-nothing bytes since the last
    // good frame, before the data counts as unreadable.
    static constexpr int kBadFramesBeforeUnreadable = 3;
    static constexpr std::uint64_t kGarbageBytesBeforeUnreadable = 256;
    static constexpr std::size_t kMaxReplies = 32;

    SerialDecoder(std::string device, hardware::DeviceKind kind)
        : device_(std::move(device)), kind_(kind) {}

    // Replies parsed since the last call, oldest first (at most kMaxReplies).
    std::vector<SerialReply> take_replies();
    [[nodiscard]] bool unreadable() const { return unreadable_; }
    [[nodiscard]] const std::string& last_problem() const { return last_problem_; }
    [[nodiscard]] std::uint64_t good_frames() const { return good_frames_; }
    [[nodiscard]] std::uint64_t bad_frames() const { return bad_frames_; }
    [[nodiscard]] const std::string& device() const { return device_; }

    // Forgets partial frames, replies and the unreadable state (without an event).
    void reset() override;

  protected:
    // Bookkeeping for subclasses.
    void good_frame(std::int64_t at_ms, std::vector<hardware::DeviceEvent>& out);
    void bad_frame(std::string problem, std::int64_t at_ms,
                   std::vector<hardware::DeviceEvent>& out);
    // Bytes dropped by framing since the last good frame (cumulative counter
    // of the framer; the decoder remembers where it stood at the last good frame).
    void garbage_bytes(std::uint64_t total_discarded, std::int64_t at_ms,
                       std::vector<hardware::DeviceEvent>& out);
    void reply(std::string command, Status status, std::int64_t at_ms);
    virtual void reset_framing() = 0;

  private:
    void set_unreadable(bool unreadable, std::int64_t at_ms,
                        std::vector<hardware::DeviceEvent>& out);

    std::string device_;
    hardware::DeviceKind kind_;
    std::deque<SerialReply> replies_;
    bool unreadable_ = false;
    int bad_in_a_row_ = 0;
    std::uint64_t discarded_at_good_ = 0;
    std::uint64_t good_frames_ = 0;
    std::uint64_t bad_frames_ = 0;
    std::string last_problem_;
};

// Scale protocols: readings (WeightReading, device id set, at_ms of the bytes
// that completed the frame).
//   MtSics: lines "S S <w> <u>" / "S D ..." / "S +" / "S -" -> readings;
//     every parsed line is a reply (Z A, Z I, ES ...).
//   Nci: LF...ETX frames; weight+status -> reading; status-only -> reply.
//   ToledoContinuous: STX frames; a frame whose byte after CR is neither a
//     valid checksum nor the next STX is a bad checksum and is dropped.
//   Cas: "ST,GS,..." lines.
class SerialScaleDecoder final : public SerialDecoder {
  public:
    SerialScaleDecoder(SerialProtocol protocol, std::string device);

    void feed(std::span<const std::uint8_t> bytes, std::int64_t at_ms,
              std::vector<hardware::DeviceEvent>& out) override;
    [[nodiscard]] SerialProtocol protocol() const { return protocol_; }

  private:
    void reset_framing() override;
    void handle_frame(const std::string& frame, std::int64_t at_ms,
                      std::vector<hardware::DeviceEvent>& out);
    void feed_toledo(std::string_view bytes, std::int64_t at_ms,
                     std::vector<hardware::DeviceEvent>& out);

    SerialProtocol protocol_;
    SerialFramer framer_;
    std::string toledo_buffer_;           // Toledo frames are found here, not by the framer
    std::uint64_t toledo_discarded_ = 0;  // so that a bad checksum is told from no checksum
};

// A barcode scanner on a serial line (CDC-ACM or USB-serial, devices.md §2.5):
// one code per line, ended by CR, LF or CR LF. Only the terminator is removed:
// AIM prefixes ("]C1") and GS (0x1D) separators stay in ScanEvent::data. Blank
// lines are ignored. A line longer than kMaxLine, or one with control bytes
// other than GS, RS, EOT (ISO 15434 envelopes) or TAB, is dropped as garbage.
class LineScannerDecoder final : public SerialDecoder {
  public:
    static constexpr std::size_t kMaxLine = 8192;

    explicit LineScannerDecoder(std::string device)
        : SerialDecoder(std::move(device), hardware::DeviceKind::Scanner) {}

    void feed(std::span<const std::uint8_t> bytes, std::int64_t at_ms,
              std::vector<hardware::DeviceEvent>& out) override;

  private:
    void reset_framing() override;
    void end_line(std::int64_t at_ms, std::vector<hardware::DeviceEvent>& out);

    std::string line_;
    bool overlong_ = false;
    bool after_cr_ = false;  // a LF right after CR (even in the next read) ends nothing
};

// The protocol names a configuration uses: "mt-sics", "nci", "toledo" (also
// "toledo-continuous"), "cas". Error: "serial.unknown_protocol".
Result<SerialProtocol> parse_serial_protocol(std::string_view name);

// A decoder by protocol name: the scale protocols above and "line-scanner".
// Error: "serial.unknown_protocol", listing the known names.
Result<std::unique_ptr<SerialDecoder>> make_serial_decoder(std::string_view protocol,
                                                           std::string device);

}  // namespace packline::drivers
