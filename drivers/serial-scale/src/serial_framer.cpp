#include "packline/drivers/serial_framer.h"

namespace packline::drivers {
namespace {

constexpr char kStx = 0x02;
constexpr char kEtx = 0x03;
constexpr char kLf = '\n';
constexpr char kCr = '\r';

// NCI and Toledo lines are 7E1: a port opened 8N1 sees the parity bit as bit 7.
char masked(char byte) {
    return static_cast<char>(static_cast<unsigned char>(byte) & 0x7Fu);
}

// Toledo short format: STX SWA SWB SWC + 6 weight digits + CR; full format adds
// 6 tare digits before CR (devices.md §3.3).
constexpr std::size_t kToledoShortCr = 10;
constexpr std::size_t kToledoFullCr = 16;

}  // namespace

std::string_view to_string(SerialProtocol protocol) {
    switch (protocol) {
        case SerialProtocol::MtSics:
            return "mt-sics";
        case SerialProtocol::Nci:
            return "nci";
        case SerialProtocol::ToledoContinuous:
            return "toledo-continuous";
        case SerialProtocol::Cas:
            return "cas";
    }
    return "unknown";
}

void SerialFramer::feed(std::string_view bytes) {
    if (buffer_.size() + bytes.size() > kCapacity) {
        ++overflows_;
        discarded_bytes_ += buffer_.size();
        buffer_.clear();
        if (bytes.size() > kCapacity) {
            discarded_bytes_ += bytes.size() - kCapacity;
            bytes.remove_prefix(bytes.size() - kCapacity);
        }
    }
    buffer_.append(bytes);
}

void SerialFramer::reset() {
    buffer_.clear();
    overflows_ = 0;
    discarded_bytes_ = 0;
}

std::string SerialFramer::take(std::size_t count) {
    std::string frame = buffer_.substr(0, count);
    buffer_.erase(0, count);
    return frame;
}

void SerialFramer::discard(std::size_t count) {
    discarded_bytes_ += count;
    buffer_.erase(0, count);
}

std::optional<std::string> SerialFramer::next_frame(SerialProtocol protocol) {
    switch (protocol) {
        case SerialProtocol::MtSics:
        case SerialProtocol::Cas:
            return next_line();
        case SerialProtocol::Nci:
            return next_nci();
        case SerialProtocol::ToledoContinuous:
            return next_toledo();
    }
    return std::nullopt;
}

std::optional<std::string> SerialFramer::next_line() {
    for (;;) {
        const std::size_t end = buffer_.find(kLf);
        if (end == std::string::npos) return std::nullopt;
        const bool blank = end == 0 || (end == 1 && buffer_[0] == kCr);
        if (blank) {
            discard(end + 1);
            continue;
        }
        return take(end + 1);
    }
}

std::optional<std::string> SerialFramer::next_nci() {
    for (;;) {
        std::size_t start = 0;
        while (start < buffer_.size() && masked(buffer_[start]) != kLf)
            ++start;
        discard(start);
        if (buffer_.empty()) return std::nullopt;
        for (std::size_t i = 1; i < buffer_.size() && i < kMaxNciFrame; ++i) {
            if (masked(buffer_[i]) == kEtx) return take(i + 1);
        }
        if (buffer_.size() < kMaxNciFrame) return std::nullopt;
        discard(1);  // no ETX in time: this LF started nothing, resync on the next one
    }
}

std::optional<std::string> SerialFramer::next_toledo() {
    for (;;) {
        std::size_t start = 0;
        while (start < buffer_.size() && masked(buffer_[start]) != kStx)
            ++start;
        discard(start);
        if (buffer_.size() <= kToledoShortCr) return std::nullopt;

        std::size_t cr = 0;
        if (masked(buffer_[kToledoShortCr]) == kCr) {
            cr = kToledoShortCr;
        } else if (buffer_.size() <= kToledoFullCr) {
            return std::nullopt;
        } else if (masked(buffer_[kToledoFullCr]) == kCr) {
            cr = kToledoFullCr;
        } else {
            discard(1);  // not a frame start after all: resync on the next STX
            continue;
        }
        // Which byte follows CR decides whether a checksum was sent; wait for it.
        if (buffer_.size() <= cr + 1) return std::nullopt;
        unsigned sum = 0;
        for (std::size_t i = 0; i <= cr + 1; ++i)
            sum += static_cast<unsigned char>(masked(buffer_[i]));
        const bool has_checksum = (sum & 0x7Fu) == 0;
        return take(has_checksum ? cr + 2 : cr + 1);
    }
}

}  // namespace packline::drivers
