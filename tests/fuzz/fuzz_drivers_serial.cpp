// Arbitrary bytes from a serial port through the framer in every protocol and
// every frame through its parser: nothing may crash, the buffer stays bounded,
// frames end as their protocol says, and every reading is finite. The first
// input byte picks the read size so that frames get split at every position.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "packline/drivers/cas_parser.h"
#include "packline/drivers/nci_parser.h"
#include "packline/drivers/serial_framer.h"
#include "packline/drivers/sics_parser.h"
#include "packline/drivers/toledo_parser.h"

namespace {
using namespace packline::drivers;
using packline::hardware::WeightReading;

void require(bool condition) {
    if (!condition) std::abort();
}

template <typename T>
void check_reading(const packline::Result<T>& reading) {
    if (reading.ok()) require(std::isfinite(reading->grams));
    if (!reading.ok()) require(!reading.error().code.empty());
}

char masked_back(const std::string& frame) {
    return static_cast<char>(static_cast<unsigned char>(frame.back()) & 0x7Fu);
}

void parse(SerialProtocol protocol, std::string_view frame) {
    switch (protocol) {
        case SerialProtocol::MtSics: {
            const auto reply = parse_sics(frame);
            if (reply.ok()) {
                check_reading(sics_to_reading(*reply, "fuzz"));
                (void)sics_acknowledged(*reply);
            } else {
                require(!reply.error().code.empty());
            }
            break;
        }
        case SerialProtocol::Nci: {
            const auto reply = parse_nci(frame);
            if (reply.ok()) check_reading(nci_to_reading(*reply, "fuzz"));
            break;
        }
        case SerialProtocol::ToledoContinuous: {
            const auto parsed = parse_toledo(frame);
            if (parsed.ok()) {
                require(std::isfinite(parsed->grams));
                require(std::isfinite(toledo_to_reading(*parsed, "fuzz").grams));
            }
            break;
        }
        case SerialProtocol::Cas: {
            const auto reply = parse_cas(frame);
            if (reply.ok()) check_reading(cas_to_reading(*reply, "fuzz"));
            break;
        }
    }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::size_t chunk = static_cast<std::size_t>(data[0] % 32u) + 1u;
    const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);

    for (const auto protocol : {SerialProtocol::MtSics, SerialProtocol::Nci,
                                SerialProtocol::ToledoContinuous, SerialProtocol::Cas}) {
        parse(protocol, bytes);  // parsers must also survive unframed bytes
        SerialFramer framer;
        for (std::size_t offset = 0; offset < bytes.size(); offset += chunk) {
            framer.feed(bytes.substr(offset, chunk));
            require(framer.buffered() <= SerialFramer::kCapacity);
            while (auto frame = framer.next_frame(protocol)) {
                require(!frame->empty());
                switch (protocol) {
                    case SerialProtocol::MtSics:
                    case SerialProtocol::Cas:
                        require(frame->back() == '\n');
                        break;
                    case SerialProtocol::Nci:
                        require(masked_back(*frame) == '\x03');
                        break;
                    case SerialProtocol::ToledoContinuous:
                        require(frame->size() == 11 || frame->size() == 12 || frame->size() == 17 ||
                                frame->size() == 18);
                        // Whatever the framer accepts as a Toledo frame the parser must
                        // frame-accept too.
                        {
                            const auto parsed = parse_toledo(*frame);
                            require(parsed.ok() || parsed.error().code != "toledo.bad_frame");
                            require(parsed.ok() || parsed.error().code != "toledo.bad_checksum");
                        }
                        break;
                }
                parse(protocol, *frame);
            }
        }
    }
    return 0;
}
