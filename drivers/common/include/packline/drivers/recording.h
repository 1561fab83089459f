// Device recordings: what a device sent, with timing, in a text file a person
// can read and attach to a bug report.
//
//   # packline device recording v1
//   family: hid-scale
//   device: dymo-m10
//   model: DYMO M10 (0922:8003)
//   notes: scale reads 0 after unit button
//   recorded: 2026-11-23T09:14:02Z
//   ---
//   0 data 03020bff0000
//   105 data 03040bff9800
//   2300 gone
//   4100 back
//
// Header lines are "key: value" until the "---" line; `family` is required
// and names the decoder that turns the bytes back into events (see
// make_decoder in packline/drivers/registry.h); any other key is kept. Body
// lines are "<milliseconds since start> <what> [hex bytes]" where <what> is
// data (bytes as one unit from the transport), gone (unplugged / tty vanished)
// or back (reconnected). Blank lines and lines starting with '#' in the body
// are ignored.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "packline/error.h"

namespace packline::drivers {

struct RecordedChunk {
    enum class Kind { Data, Gone, Back };
    std::int64_t offset_ms = 0;
    Kind kind = Kind::Data;
    std::vector<std::uint8_t> bytes;  // Data only
};

struct Recording {
    std::map<std::string, std::string> header;  // family, device, model, notes, ...
    std::vector<RecordedChunk> chunks;          // in time order

    std::string family() const;
};

// Parses a recording; errors name the line ("recording:12: bad hex").
Result<Recording> parse_recording(std::string_view text, std::string_view source = "recording");
Result<Recording> load_recording(const std::string& path);
std::string format_recording(const Recording& recording);

// Appends to a recording file as a transport receives bytes. Thread-safe: a
// transport thread calls data()/gone()/back() while another thread closes.
// Offsets count from create(). Every line is flushed, so a recording survives
// the recorder being killed.
class Recorder {
  public:
    static Result<std::unique_ptr<Recorder>> create(
        const std::string& path, const std::map<std::string, std::string>& header);
    ~Recorder();
    Recorder(const Recorder&) = delete;
    Recorder& operator=(const Recorder&) = delete;

    void data(std::span<const std::uint8_t> bytes);
    void gone();
    void back();
    // Chunks written so far (for "recorded N reports" messages).
    std::size_t chunks() const;

  private:
    Recorder(std::FILE* file, std::int64_t start_ms);
    void write_line(const std::string& line);

    mutable std::mutex mutex_;
    std::FILE* file_;
    std::int64_t start_ms_;
    std::size_t chunks_ = 0;
};

}  // namespace packline::drivers
