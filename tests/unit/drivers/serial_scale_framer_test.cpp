// The serial framer gets bytes the way read() delivers them: split anywhere,
// several frames at once, line noise in between. These tests feed it like that.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "packline/drivers/serial_framer.h"

namespace packline::drivers {
namespace {

using namespace std::string_literals;

std::vector<std::string> drain(SerialFramer& framer, SerialProtocol protocol) {
    std::vector<std::string> frames;
    while (auto frame = framer.next_frame(protocol))
        frames.push_back(*frame);
    return frames;
}

std::vector<std::string> feed_byte_by_byte(std::string_view bytes, SerialProtocol protocol) {
    SerialFramer framer;
    std::vector<std::string> frames;
    for (const char c : bytes) {
        framer.feed(std::string_view(&c, 1));
        while (auto frame = framer.next_frame(protocol))
            frames.push_back(*frame);
    }
    return frames;
}

const std::string kToledoFull = "\x02#0 001234000000\r4"s;  // 123.4 kg stable, checksum '4'
const std::string kToledoShort = "\x02#0 001234\rT"s;       // short format with checksum 'T'
const std::string kNciWeight = "\n0001.25LB\r\n00\r\x03"s;
const std::string kNciPsUsb = "\n0001.25LB\r00\x03"s;  // PS-USB: no second LF

struct FramingCase {
    const char* name;
    SerialProtocol protocol;
    std::string bytes;
    std::vector<std::string> frames;
};

class FramingTest : public ::testing::TestWithParam<FramingCase> {};

TEST_P(FramingTest, SplitsOneReadIntoFrames) {
    SerialFramer framer;
    framer.feed(GetParam().bytes);
    EXPECT_EQ(drain(framer, GetParam().protocol), GetParam().frames);
}

TEST_P(FramingTest, SameFramesWhenFedByteByByte) {
    EXPECT_EQ(feed_byte_by_byte(GetParam().bytes, GetParam().protocol), GetParam().frames);
}

INSTANTIATE_TEST_SUITE_P(
    Protocols, FramingTest,
    ::testing::Values(
        FramingCase{
            "sics_one", SerialProtocol::MtSics, "S S     100.00 g\r\n", {"S S     100.00 g\r\n"}},
        FramingCase{"sics_two_in_one_read",
                    SerialProtocol::MtSics,
                    "S S 1.00 g\r\nS D 2.00 g\r\n",
                    {"S S 1.00 g\r\n", "S D 2.00 g\r\n"}},
        FramingCase{
            "sics_partial_tail_waits", SerialProtocol::MtSics, "Z A\r\nS S 1.0", {"Z A\r\n"}},
        FramingCase{
            "sics_blank_lines_skipped", SerialProtocol::MtSics, "\r\n\r\nZ A\r\n\n", {"Z A\r\n"}},
        FramingCase{"sics_bare_lf", SerialProtocol::MtSics, "Z A\n", {"Z A\n"}},
        FramingCase{"cas_stream",
                    SerialProtocol::Cas,
                    "ST,GS,+  1.500kg\r\nUS,GS,+  1.520kg\r\n",
                    {"ST,GS,+  1.500kg\r\n", "US,GS,+  1.520kg\r\n"}},
        FramingCase{"nci_weight", SerialProtocol::Nci, kNciWeight, {kNciWeight}},
        FramingCase{"nci_ps_usb_variant", SerialProtocol::Nci, kNciPsUsb, {kNciPsUsb}},
        FramingCase{"nci_unknown_command", SerialProtocol::Nci, "\n?\r\x03"s, {"\n?\r\x03"s}},
        FramingCase{"nci_garbage_between",
                    SerialProtocol::Nci,
                    "xx\x01" + kNciWeight + "junk" + kNciPsUsb,
                    {kNciWeight, kNciPsUsb}},
        FramingCase{"nci_parity_bits_set", SerialProtocol::Nci, "\x8A?\r\x83"s, {"\x8A?\r\x83"s}},
        FramingCase{"toledo_two_full",
                    SerialProtocol::ToledoContinuous,
                    kToledoFull + kToledoFull,
                    {kToledoFull, kToledoFull}},
        FramingCase{"toledo_garbage_between",
                    SerialProtocol::ToledoContinuous,
                    "\x7f\x20" + kToledoFull + "noise" + kToledoFull,
                    {kToledoFull, kToledoFull}},
        FramingCase{"toledo_short_with_checksum",
                    SerialProtocol::ToledoContinuous,
                    kToledoShort + kToledoShort,
                    {kToledoShort, kToledoShort}},
        FramingCase{"toledo_short_without_checksum",
                    SerialProtocol::ToledoContinuous,
                    "\x02#0 001234\r\x02#0 001234\r\x02"s,
                    {"\x02#0 001234\r"s, "\x02#0 001234\r"s}},
        FramingCase{"toledo_false_stx_resyncs",
                    SerialProtocol::ToledoContinuous,
                    "\x02garbage-garbage!" + kToledoFull,
                    {kToledoFull}}),
    [](const auto& test_case) { return std::string(test_case.param.name); });

TEST(SerialFramer, ToledoMasksParityBits) {
    std::string with_parity = kToledoFull;
    for (char& c : with_parity)
        c = static_cast<char>(static_cast<unsigned char>(c) | 0x80u);
    SerialFramer framer;
    framer.feed(with_parity + with_parity);
    EXPECT_EQ(drain(framer, SerialProtocol::ToledoContinuous),
              (std::vector<std::string>{with_parity, with_parity}));
}

TEST(SerialFramer, ToledoWaitsForTheByteAfterCr) {
    SerialFramer framer;
    framer.feed("\x02#0 001234000000\r"s);
    EXPECT_EQ(framer.next_frame(SerialProtocol::ToledoContinuous), std::nullopt);
    framer.feed("4");
    EXPECT_EQ(framer.next_frame(SerialProtocol::ToledoContinuous), kToledoFull);
}

TEST(SerialFramer, NciAbandonsAStartWithoutEtx) {
    SerialFramer framer;
    framer.feed("\n" + std::string(SerialFramer::kMaxNciFrame, 'x') + kNciWeight);
    EXPECT_EQ(drain(framer, SerialProtocol::Nci), (std::vector<std::string>{kNciWeight}));
    EXPECT_GT(framer.discarded_bytes(), SerialFramer::kMaxNciFrame);
}

TEST(SerialFramer, OverflowDropsTheBufferAndCounts) {
    SerialFramer framer;
    framer.feed(std::string(SerialFramer::kCapacity - 2, 'a'));
    EXPECT_EQ(framer.overflows(), 0u);
    framer.feed("bbbb");  // 4 KiB without a line end: not MT-SICS
    EXPECT_EQ(framer.overflows(), 1u);
    EXPECT_EQ(framer.buffered(), 4u);
    framer.feed("\r\nZ A\r\n");
    EXPECT_EQ(drain(framer, SerialProtocol::MtSics),
              (std::vector<std::string>{"bbbb\r\n", "Z A\r\n"}));
}

TEST(SerialFramer, HugeReadKeepsOnlyTheTail) {
    SerialFramer framer;
    framer.feed(std::string(3 * SerialFramer::kCapacity, 'x') + "\r\nZ A\r\n");
    EXPECT_EQ(framer.overflows(), 1u);
    EXPECT_EQ(framer.buffered(), SerialFramer::kCapacity);
    const auto frames = drain(framer, SerialProtocol::MtSics);
    ASSERT_EQ(frames.size(), 2u);
    EXPECT_EQ(frames[1], "Z A\r\n");
}

TEST(SerialFramer, NothingFromEmptyOrGarbageOnly) {
    for (const auto protocol : {SerialProtocol::MtSics, SerialProtocol::Nci,
                                SerialProtocol::ToledoContinuous, SerialProtocol::Cas}) {
        SerialFramer framer;
        EXPECT_EQ(framer.next_frame(protocol), std::nullopt) << to_string(protocol);
        framer.feed("\x01\x7f\xff noise");
        EXPECT_EQ(framer.next_frame(protocol), std::nullopt) << to_string(protocol);
        EXPECT_LE(framer.buffered(), SerialFramer::kCapacity);
    }
}

TEST(SerialFramer, ResetForgetsEverything) {
    SerialFramer framer;
    framer.feed(std::string(SerialFramer::kCapacity + 1, 'x'));
    framer.reset();
    EXPECT_EQ(framer.buffered(), 0u);
    EXPECT_EQ(framer.overflows(), 0u);
    EXPECT_EQ(framer.discarded_bytes(), 0u);
}

}  // namespace
}  // namespace packline::drivers
