// Framing for serial scales, kept apart from parsing (gpsd style): the
// transport feeds whatever read() returned, the framer hands back whole frames,
// and a protocol parser turns each frame into a value. No file descriptors, no
// clocks. Sources: shared reference devices.md §3.1-§3.4.
//
// Frames are returned as received, delimiters included, so that a parser can
// check what the framer found (the Toledo checksum covers CR). Bytes that
// cannot start a frame are discarded and counted.
//
// Thread-bound: a SerialFramer is plain state, owned by one reader thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace packline::drivers {

enum class SerialProtocol {
    MtSics,            // lines ending CR LF (§3.1)
    Nci,               // LF ... ETX, 7E1 (§3.2)
    ToledoContinuous,  // STX ... CR [CHK], 7E1 (§3.3)
    Cas,               // lines ending CR LF (§3.4)
};

std::string_view to_string(SerialProtocol protocol);

class SerialFramer {
  public:
    // A serial scale frame is at most a few dozen bytes; 4 KiB without a frame
    // means the line speaks something else (wrong protocol or baud rate).
    static constexpr std::size_t kCapacity = 4096;

    // Appends bytes. If the buffer would exceed kCapacity, what is buffered is
    // dropped and counted in overflows(); of an oversized read only the last
    // kCapacity bytes are kept.
    void feed(std::string_view bytes);

    // The next complete frame for `protocol`, or nullopt until more bytes come.
    //  MtSics, Cas: one line up to and including LF (CR LF on the wire; a bare
    //    LF is accepted); blank lines are skipped.
    //  Nci: from an LF to the next ETX (parity masked); bytes before the LF are
    //    discarded. A start without ETX within kMaxNciFrame bytes is abandoned.
    //  ToledoContinuous: from STX (parity masked) with CR at offset 10 (short
    //    format) or 16 (full format), plus the following byte when it makes the
    //    7-bit sum zero (the optional checksum, Cardinal 225 manual). A start
    //    that has no CR at either offset is abandoned: resync on the next STX.
    //    A frame without checksum is released once the byte after CR arrives.
    std::optional<std::string> next_frame(SerialProtocol protocol);

    [[nodiscard]] std::size_t buffered() const { return buffer_.size(); }
    [[nodiscard]] std::uint64_t overflows() const { return overflows_; }
    [[nodiscard]] std::uint64_t discarded_bytes() const { return discarded_bytes_; }
    void reset();

    static constexpr std::size_t kMaxNciFrame = 64;

  private:
    std::optional<std::string> next_line();
    std::optional<std::string> next_nci();
    std::optional<std::string> next_toledo();
    std::string take(std::size_t count);
    void discard(std::size_t count);

    std::string buffer_;
    std::uint64_t overflows_ = 0;
    std::uint64_t discarded_bytes_ = 0;
};

}  // namespace packline::drivers
