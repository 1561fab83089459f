#include "packline/drivers/serial_decoders.h"

#include <cstdio>
#include <utility>

#include "packline/drivers/cas_parser.h"
#include "packline/drivers/nci_parser.h"
#include "packline/drivers/serial_errors.h"
#include "packline/drivers/sics_parser.h"
#include "packline/drivers/toledo_parser.h"

namespace packline::drivers {
namespace {

using hardware::DeviceEvent;
using hardware::DeviceHealth;
using hardware::DeviceStatusEvent;
using hardware::WeightReading;

constexpr char kStx = 0x02;
constexpr char kCr = '\r';

char masked(char byte) {
    return static_cast<char>(static_cast<unsigned char>(byte) & 0x7Fu);
}

// Toledo frame layout (devices.md §3.3): CR at offset 10 (short) or 16 (full).
constexpr std::size_t kToledoShortCr = 10;
constexpr std::size_t kToledoFullCr = 16;

}  // namespace

// ---- SerialDecoder ----------------------------------------------------------

std::vector<SerialReply> SerialDecoder::take_replies() {
    std::vector<SerialReply> taken(std::make_move_iterator(replies_.begin()),
                                   std::make_move_iterator(replies_.end()));
    replies_.clear();
    return taken;
}

void SerialDecoder::reset() {
    reset_framing();
    replies_.clear();
    bad_in_a_row_ = 0;
    discarded_at_good_ = 0;
    // A reconnected device starts with a clean slate, silently: the transport
    // (or the replay) reports the reconnect itself.
    unreadable_ = false;
}

void SerialDecoder::reply(std::string command, Status status, std::int64_t at_ms) {
    if (replies_.size() >= kMaxReplies) replies_.pop_front();
    replies_.push_back(SerialReply{std::move(command), std::move(status), at_ms});
}

void SerialDecoder::good_frame(std::int64_t at_ms, std::vector<DeviceEvent>& out) {
    ++good_frames_;
    bad_in_a_row_ = 0;
    set_unreadable(false, at_ms, out);
}

void SerialDecoder::bad_frame(std::string problem, std::int64_t at_ms,
                              std::vector<DeviceEvent>& out) {
    ++bad_frames_;
    last_problem_ = std::move(problem);
    if (++bad_in_a_row_ >= kBadFramesBeforeUnreadable) set_unreadable(true, at_ms, out);
}

void SerialDecoder::garbage_bytes(std::uint64_t total_discarded, std::int64_t at_ms,
                                  std::vector<DeviceEvent>& out) {
    if (total_discarded < discarded_at_good_) discarded_at_good_ = total_discarded;
    if (total_discarded - discarded_at_good_ >= kGarbageBytesBeforeUnreadable) {
        last_problem_ =
            std::to_string(total_discarded - discarded_at_good_) + " bytes that frame as nothing";
        set_unreadable(true, at_ms, out);
    }
}

void SerialDecoder::set_unreadable(bool unreadable, std::int64_t at_ms,
                                   std::vector<DeviceEvent>& out) {
    if (unreadable == unreadable_) return;
    unreadable_ = unreadable;
    DeviceStatusEvent event;
    event.device = device_;
    event.kind = kind_;
    event.at_ms = at_ms;
    if (unreadable) {
        event.health = DeviceHealth::Faulty;
        event.detail = "unreadable data; check protocol/baud (" + last_problem_ + ")";
    } else {
        event.health = DeviceHealth::Present;
        event.detail = "readable data again";
    }
    out.emplace_back(std::move(event));
}

// ---- SerialScaleDecoder ---------------------------------------------------

SerialScaleDecoder::SerialScaleDecoder(SerialProtocol protocol, std::string device)
    : SerialDecoder(std::move(device), hardware::DeviceKind::Scale), protocol_(protocol) {}

void SerialScaleDecoder::reset_framing() {
    framer_ = SerialFramer();
    toledo_buffer_.clear();
    toledo_discarded_ = 0;
}

void SerialScaleDecoder::feed(std::span<const std::uint8_t> bytes, std::int64_t at_ms,
                              std::vector<DeviceEvent>& out) {
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    if (protocol_ == SerialProtocol::ToledoContinuous) {
        feed_toledo(text, at_ms, out);
        return;
    }
    framer_.feed(text);
    while (auto frame = framer_.next_frame(protocol_)) {
        handle_frame(*frame, at_ms, out);
    }
    garbage_bytes(framer_.discarded_bytes(), at_ms, out);
}

// The shared framer cannot tell a frame without checksum from one with a bad
// checksum (it then returns the frame without its last byte). Continuous
// output is a stream of frames, so the byte after CR is either a checksum
// that makes the 7-bit sum zero or the next STX; anything else is a
// corrupted frame and is dropped whole.
void SerialScaleDecoder::feed_toledo(std::string_view bytes, std::int64_t at_ms,
                                     std::vector<DeviceEvent>& out) {
    if (toledo_buffer_.size() + bytes.size() > SerialFramer::kCapacity) {
        toledo_discarded_ += toledo_buffer_.size();
        toledo_buffer_.clear();
        if (bytes.size() > SerialFramer::kCapacity) {
            toledo_discarded_ += bytes.size() - SerialFramer::kCapacity;
            bytes.remove_prefix(bytes.size() - SerialFramer::kCapacity);
        }
    }
    toledo_buffer_.append(bytes);
    const auto discard = [&](std::size_t count) {
        toledo_discarded_ += count;
        toledo_buffer_.erase(0, count);
    };
    for (;;) {
        std::size_t start = 0;
        while (start < toledo_buffer_.size() && masked(toledo_buffer_[start]) != kStx)
            ++start;
        discard(start);
        if (toledo_buffer_.size() <= kToledoShortCr) break;
        std::size_t cr = 0;
        if (masked(toledo_buffer_[kToledoShortCr]) == kCr) {
            cr = kToledoShortCr;
        } else if (toledo_buffer_.size() <= kToledoFullCr) {
            break;
        } else if (masked(toledo_buffer_[kToledoFullCr]) == kCr) {
            cr = kToledoFullCr;
        } else {
            discard(1);
            continue;
        }
        if (toledo_buffer_.size() <= cr + 1) break;  // wait for the byte after CR
        const char after = masked(toledo_buffer_[cr + 1]);
        unsigned sum = 0;
        for (std::size_t i = 0; i <= cr + 1; ++i)
            sum += static_cast<unsigned char>(masked(toledo_buffer_[i]));
        if (after == kStx) {
            const std::string frame = toledo_buffer_.substr(0, cr + 1);
            toledo_buffer_.erase(0, cr + 1);
            handle_frame(frame, at_ms, out);
        } else if ((sum & 0x7Fu) == 0) {
            const std::string frame = toledo_buffer_.substr(0, cr + 2);
            toledo_buffer_.erase(0, cr + 2);
            handle_frame(frame, at_ms, out);
        } else {
            toledo_buffer_.erase(0, cr + 2);
            bad_frame("Toledo: checksum mismatch", at_ms, out);
        }
    }
    garbage_bytes(toledo_discarded_, at_ms, out);
}

void SerialScaleDecoder::handle_frame(const std::string& frame, std::int64_t at_ms,
                                      std::vector<DeviceEvent>& out) {
    const auto emit = [&](WeightReading reading) {
        reading.at_ms = at_ms;
        out.emplace_back(std::move(reading));
    };
    switch (protocol_) {
        case SerialProtocol::MtSics: {
            const auto parsed = parse_sics(frame);
            if (!parsed) return bad_frame(parsed.error().message, at_ms, out);
            if (parsed->command == "S" || parsed->command == "SI") {
                auto reading = sics_to_reading(*parsed, device());
                if (!reading) {
                    const std::string& code = reading.error().code;
                    if (code == errors::kSicsUnknownUnit || code == errors::kSicsBadReply ||
                        code == errors::kSicsUnexpectedReply || code == errors::kSicsBadValue) {
                        return bad_frame(reading.error().message, at_ms, out);
                    }
                    good_frame(at_ms, out);  // S I (busy), S L: an answer, not a reading
                    return reply(parsed->command, reading.error(), at_ms);
                }
                good_frame(at_ms, out);
                emit(std::move(reading.value()));
                return reply(parsed->command, {}, at_ms);
            }
            good_frame(at_ms, out);
            return reply(parsed->command, sics_acknowledged(*parsed), at_ms);
        }
        case SerialProtocol::Nci: {
            const auto parsed = parse_nci(frame);
            if (!parsed) {
                if (parsed.error().code == errors::kNciUnknownCommand) {
                    good_frame(at_ms, out);
                    return reply("?", parsed.error(), at_ms);
                }
                return bad_frame(parsed.error().message, at_ms, out);
            }
            good_frame(at_ms, out);
            auto reading = nci_to_reading(*parsed, device());
            if (reading) emit(std::move(reading.value()));
            return reply(parsed->grams ? "weight" : "status", {}, at_ms);
        }
        case SerialProtocol::ToledoContinuous: {
            const auto parsed = parse_toledo(frame);
            if (!parsed) return bad_frame(parsed.error().message, at_ms, out);
            good_frame(at_ms, out);
            emit(toledo_to_reading(*parsed, device()));
            return reply("frame", {}, at_ms);
        }
        case SerialProtocol::Cas: {
            const auto parsed = parse_cas(frame);
            if (!parsed) return bad_frame(parsed.error().message, at_ms, out);
            auto reading = cas_to_reading(*parsed, device());
            if (!reading) return bad_frame(reading.error().message, at_ms, out);
            good_frame(at_ms, out);
            emit(std::move(reading.value()));
            return reply("frame", {}, at_ms);
        }
    }
}

// ---- LineScannerDecoder ----------------------------------------------------

void LineScannerDecoder::reset_framing() {
    line_.clear();
    overlong_ = false;
    after_cr_ = false;
}

void LineScannerDecoder::feed(std::span<const std::uint8_t> bytes, std::int64_t at_ms,
                              std::vector<DeviceEvent>& out) {
    for (const std::uint8_t byte : bytes) {
        const char c = static_cast<char>(byte);
        if (after_cr_) {
            after_cr_ = false;
            if (c == '\n') continue;  // the LF of a CR LF, perhaps in the next read
        }
        if (c == '\r' || c == '\n') {
            after_cr_ = c == '\r';
            end_line(at_ms, out);
            continue;
        }
        if (overlong_) continue;
        if (line_.size() >= kMaxLine) {
            overlong_ = true;
            line_.clear();
            bad_frame("line longer than " + std::to_string(kMaxLine) + " bytes without CR/LF",
                      at_ms, out);
            continue;
        }
        line_.push_back(c);
    }
}

void LineScannerDecoder::end_line(std::int64_t at_ms, std::vector<DeviceEvent>& out) {
    if (overlong_) {
        overlong_ = false;
        return;  // reported when it grew too long
    }
    if (line_.empty()) return;
    for (const char c : line_) {
        const auto byte = static_cast<unsigned char>(c);
        const bool allowed_control = byte == 0x1D || byte == 0x1E || byte == 0x04 || byte == 0x09;
        if ((byte < 0x20 && !allowed_control) || byte == 0x7F) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02X", byte);
            line_.clear();
            return bad_frame(std::string("control byte ") + hex + " in a scan line", at_ms, out);
        }
    }
    good_frame(at_ms, out);
    hardware::ScanEvent scan;
    scan.device = device();
    scan.data = std::move(line_);
    scan.at_ms = at_ms;
    line_.clear();
    out.emplace_back(std::move(scan));
}

// ---- factory ------------------------------------------------------------------

Result<SerialProtocol> parse_serial_protocol(std::string_view name) {
    if (name == "mt-sics") return SerialProtocol::MtSics;
    if (name == "nci") return SerialProtocol::Nci;
    if (name == "toledo" || name == "toledo-continuous") return SerialProtocol::ToledoContinuous;
    if (name == "cas") return SerialProtocol::Cas;
    return Error(errors::kSerialUnknownProtocol, "unknown serial scale protocol \"" +
                                                     std::string(name.substr(0, 40)) +
                                                     "\" (known: mt-sics, nci, toledo, cas)");
}

Result<std::unique_ptr<SerialDecoder>> make_serial_decoder(std::string_view protocol,
                                                           std::string device) {
    if (protocol == "line-scanner") {
        return std::unique_ptr<SerialDecoder>(
            std::make_unique<LineScannerDecoder>(std::move(device)));
    }
    const auto parsed = parse_serial_protocol(protocol);
    if (!parsed) {
        return Error(errors::kSerialUnknownProtocol,
                     "unknown serial protocol \"" + std::string(protocol.substr(0, 40)) +
                         "\" (known: mt-sics, nci, toledo, cas, line-scanner)");
    }
    return std::unique_ptr<SerialDecoder>(
        std::make_unique<SerialScaleDecoder>(*parsed, std::move(device)));
}

}  // namespace packline::drivers
