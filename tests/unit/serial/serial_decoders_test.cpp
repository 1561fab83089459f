// The serial stream decoders get bytes the way read() delivers them: split
// anywhere, several frames at once, noise in between. Every stream here is fed
// whole, byte by byte and at every split point, and must decode the same.
#include "packline/drivers/serial_decoders.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace packline::drivers {
namespace {

using namespace std::string_literals;
using hardware::DeviceEvent;
using hardware::DeviceHealth;
using hardware::DeviceStatusEvent;
using hardware::ScanEvent;
using hardware::WeightReading;
using hardware::WeightStatus;

std::span<const std::uint8_t> as_bytes(std::string_view text) {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::unique_ptr<SerialDecoder> make(std::string_view protocol) {
    auto decoder = make_serial_decoder(protocol, "dev-1");
    EXPECT_TRUE(decoder.ok()) << decoder.error().to_string();
    return std::move(decoder.value());
}

// Feeds `stream` in pieces of `chunk` bytes (0 = whole); at_ms is the piece index.
std::vector<DeviceEvent> feed(std::string_view protocol, std::string_view stream,
                              std::size_t chunk = 0) {
    auto decoder = make(protocol);
    std::vector<DeviceEvent> out;
    if (chunk == 0) chunk = stream.size() + 1;
    std::int64_t at = 1000;
    for (std::size_t offset = 0; offset < stream.size(); offset += chunk) {
        decoder->feed(as_bytes(stream.substr(offset, chunk)), at++, out);
    }
    return out;
}

std::vector<WeightReading> readings(const std::vector<DeviceEvent>& events) {
    std::vector<WeightReading> found;
    for (const auto& event : events)
        if (const auto* reading = std::get_if<WeightReading>(&event)) found.push_back(*reading);
    return found;
}

std::vector<std::string> scans(const std::vector<DeviceEvent>& events) {
    std::vector<std::string> found;
    for (const auto& event : events)
        if (const auto* scan = std::get_if<ScanEvent>(&event)) found.push_back(scan->data);
    return found;
}

std::vector<DeviceStatusEvent> statuses(const std::vector<DeviceEvent>& events) {
    std::vector<DeviceStatusEvent> found;
    for (const auto& event : events)
        if (const auto* status = std::get_if<DeviceStatusEvent>(&event)) found.push_back(*status);
    return found;
}

std::string toledo_frame(char swb, const std::string& weight, bool checksum = true) {
    std::string bytes = "\x02"s + '\x22' + swb + ' ' + weight + "000000" + '\r';
    if (checksum) {
        unsigned sum = 0;
        for (const char c : bytes)
            sum += static_cast<unsigned char>(c);
        bytes += static_cast<char>((0x80u - (sum & 0x7Fu)) & 0x7Fu);
    }
    return bytes;
}

struct StreamCase {
    const char* name;
    const char* protocol;
    std::string stream;
    std::vector<double> grams;
    std::vector<WeightStatus> status;
};

class EverySplit : public testing::TestWithParam<StreamCase> {};

TEST_P(EverySplit, DecodesTheSameWhateverTheSplit) {
    const StreamCase& c = GetParam();
    for (std::size_t chunk = 0; chunk <= c.stream.size(); ++chunk) {
        const auto found = readings(feed(c.protocol, c.stream, chunk));
        ASSERT_EQ(found.size(), c.grams.size()) << "chunk " << chunk;
        for (std::size_t i = 0; i < found.size(); ++i) {
            EXPECT_DOUBLE_EQ(found[i].grams, c.grams[i]) << "chunk " << chunk << " #" << i;
            EXPECT_EQ(found[i].status, c.status[i]) << "chunk " << chunk << " #" << i;
            EXPECT_EQ(found[i].device, "dev-1");
            EXPECT_GE(found[i].at_ms, 1000);
        }
    }
}

INSTANTIATE_TEST_SUITE_P(
    Serial, EverySplit,
    testing::Values(
        StreamCase{"MtSics",
                   "mt-sics",
                   "S S     100.00 g\r\nS D      12.5 g\r\nS +\r\nS -\r\nS I\r\nZ A\r\n",
                   {100.0, 12.5, 0.0, 0.0},
                   {WeightStatus::Stable, WeightStatus::InMotion, WeightStatus::Overload,
                    WeightStatus::UnderZero}},
        StreamCase{"MtSicsNoiseBetween",
                   "mt-sics",
                   "\r\n\r\nS S 1.000 kg\r\nS S -2 g\r\n",
                   {1000.0, -2.0},
                   {WeightStatus::Stable, WeightStatus::UnderZero}},
        StreamCase{"Nci",
                   "nci",
                   "junk\n0001.00LB\r\n00\r\x03\n0000.00LB\r\n20\r\x03\n1.5KG\r10\x03",
                   {453.59237, 0.0, 1500.0},
                   {WeightStatus::Stable, WeightStatus::AtZero, WeightStatus::InMotion}},
        StreamCase{"ToledoWithBadChecksumAndPartial",
                   "toledo",
                   toledo_frame(0x30, "001234") + "\x02\x22\x30 0099" +       // cut short
                       toledo_frame(0x30, "000500").substr(0, 17) + "\x7F" +  // bad checksum
                       toledo_frame(0x38, "000042") + toledo_frame(0x30, "000007", false) + "\x02",
                   {1'234'000.0, 42'000.0, 7'000.0},
                   {WeightStatus::Stable, WeightStatus::InMotion, WeightStatus::Stable}},
        StreamCase{"Cas",
                   "cas",
                   "ST,GS,+  1.500kg\r\nUS,NT,-  0.250kg\r\nST,GS,\x01\x40,0000013.5 kg\r\n"
                   "OL,GS,        kg\r\n",
                   {1500.0, -250.0, 13500.0, 0.0},
                   {WeightStatus::Stable, WeightStatus::UnderZero, WeightStatus::Stable,
                    WeightStatus::Overload}}),
    [](const testing::TestParamInfo<StreamCase>& param) { return std::string(param.param.name); });

TEST(SerialDecoders, MtSicsRepliesAreKeptForTheDevice) {
    auto decoder = make("mt-sics");
    std::vector<DeviceEvent> out;
    decoder->feed(as_bytes("S S 5 g\r\nZ A\r\nZ I\r\nES\r\n"), 7, out);
    const auto replies = decoder->take_replies();
    ASSERT_EQ(replies.size(), 4u);
    EXPECT_EQ(replies[0].command, "S");
    EXPECT_TRUE(replies[0].status.ok());
    EXPECT_EQ(replies[1].command, "Z");
    EXPECT_TRUE(replies[1].status.ok());
    EXPECT_EQ(replies[2].status.error().code, "sics.busy");
    EXPECT_EQ(replies[3].command, "ES");
    EXPECT_EQ(replies[3].status.error().code, "sics.syntax");
    EXPECT_EQ(replies[3].at_ms, 7);
    EXPECT_TRUE(decoder->take_replies().empty());
}

TEST(SerialDecoders, ToledoBadChecksumNeverBecomesAReading) {
    std::string bad = toledo_frame(0x30, "000999");
    bad.back() = static_cast<char>(bad.back() ^ 0x01);
    const auto events = feed("toledo", toledo_frame(0x30, "000001") + bad + bad + bad);
    const auto found = readings(events);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_DOUBLE_EQ(found[0].grams, 1000.0);
    const auto status = statuses(events);
    ASSERT_EQ(status.size(), 1u);
    EXPECT_EQ(status[0].health, DeviceHealth::Faulty);
    EXPECT_NE(status[0].detail.find("checksum"), std::string::npos) << status[0].detail;
}

TEST(SerialDecoders, GarbageIsReportedAndRecoveryToo) {
    auto decoder = make("mt-sics");
    std::vector<DeviceEvent> out;
    decoder->feed(as_bytes("\x01\x02garbage\r\n###\r\n%%%%%\r\n"), 1, out);
    EXPECT_TRUE(readings(out).empty());
    ASSERT_TRUE(decoder->unreadable());
    auto status = statuses(out);
    ASSERT_EQ(status.size(), 1u);
    EXPECT_EQ(status[0].health, DeviceHealth::Faulty);
    EXPECT_NE(status[0].detail.find("unreadable data; check protocol/baud"), std::string::npos);
    out.clear();
    decoder->feed(as_bytes("S S 1 g\r\n"), 2, out);
    EXPECT_FALSE(decoder->unreadable());
    status = statuses(out);
    ASSERT_EQ(status.size(), 1u);
    EXPECT_EQ(status[0].health, DeviceHealth::Present);
    EXPECT_EQ(readings(out).size(), 1u);
}

TEST(SerialDecoders, BytesThatFrameAsNothingAreReported) {
    // Toledo on a line that never carries STX: no frame is ever found.
    const auto events = feed("toledo", std::string(600, 'x'), 16);
    EXPECT_TRUE(readings(events).empty());
    const auto status = statuses(events);
    ASSERT_EQ(status.size(), 1u);
    EXPECT_NE(status[0].detail.find("frame as nothing"), std::string::npos) << status[0].detail;
}

TEST(LineScanner, EndsLinesOnCrLfOrCrLfKeepingAimAndGs) {
    const std::string stream =
        "]C1011234567890123\r"
        "]d2011231231231233310ABC123\x1d"
        "99TESTING\r\n"
        "plain\n"
        "\r\n\n"
        "last\r\n";
    for (std::size_t chunk = 0; chunk <= stream.size(); ++chunk) {
        const auto found = scans(feed("line-scanner", stream, chunk));
        ASSERT_EQ(found.size(), 4u) << "chunk " << chunk;
        EXPECT_EQ(found[0], "]C1011234567890123");
        EXPECT_EQ(found[1],
                  "]d2011231231231233310ABC123\x1d"
                  "99TESTING");
        EXPECT_EQ(found[2], "plain");
        EXPECT_EQ(found[3], "last");
    }
}

TEST(LineScanner, ScanCarriesDeviceAndTimeOfTheTerminator) {
    auto decoder = make("line-scanner");
    std::vector<DeviceEvent> out;
    decoder->feed(as_bytes("ABC"), 100, out);
    EXPECT_TRUE(out.empty());
    decoder->feed(as_bytes("D\r"), 250, out);
    ASSERT_EQ(out.size(), 1u);
    const auto& scan = std::get<ScanEvent>(out[0]);
    EXPECT_EQ(scan.data, "ABCD");
    EXPECT_EQ(scan.device, "dev-1");
    EXPECT_EQ(scan.at_ms, 250);
}

TEST(LineScanner, OverlongLinesAndControlBytesAreGarbage) {
    std::string stream(LineScannerDecoder::kMaxLine + 10, 'A');
    stream += "\r\nok1\r\n";
    stream += "bad\x01line\r\nbad\x02\r\nbad\x03\r\nok2\r\n";
    auto decoder = make("line-scanner");
    std::vector<DeviceEvent> out;
    decoder->feed(as_bytes(stream), 1, out);
    const auto found = scans(out);
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0], "ok1");
    EXPECT_EQ(found[1], "ok2");
    EXPECT_EQ(decoder->bad_frames(), 4u);
    const auto status = statuses(out);
    ASSERT_EQ(status.size(), 2u);  // Faulty after three bad lines, Present on "ok2"
    EXPECT_EQ(status[0].health, DeviceHealth::Faulty);
    EXPECT_NE(status[0].detail.find("control byte 0x03"), std::string::npos) << status[0].detail;
    EXPECT_EQ(status[1].health, DeviceHealth::Present);
}

TEST(LineScanner, ResetForgetsAHalfLine) {
    auto decoder = make("line-scanner");
    std::vector<DeviceEvent> out;
    decoder->feed(as_bytes("half"), 1, out);
    decoder->reset();
    decoder->feed(as_bytes("whole\r"), 2, out);
    ASSERT_EQ(scans(out), std::vector<std::string>{"whole"});
}

TEST(SerialDecoders, FactoryKnowsTheProtocolNames) {
    for (const char* name :
         {"mt-sics", "nci", "toledo", "toledo-continuous", "cas", "line-scanner"}) {
        EXPECT_TRUE(make_serial_decoder(name, "x").ok()) << name;
    }
    const auto unknown = make_serial_decoder("sics", "x");
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, "serial.unknown_protocol");
    EXPECT_NE(unknown.error().message.find("line-scanner"), std::string::npos);
}

}  // namespace
}  // namespace packline::drivers
