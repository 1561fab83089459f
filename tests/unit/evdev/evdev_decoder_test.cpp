// EvdevDecoder: raw /dev/input/eventN bytes in any split -> ScanEvents, with
// the inter-key timeout in the caller's clock (not the kernel's).
#include "packline/drivers/evdev_decoder.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "evdev_events.h"

namespace packline::drivers {
namespace {

using testing::EvdevEventWriter;

std::vector<std::string> scans_of(const std::vector<hardware::DeviceEvent>& events) {
    std::vector<std::string> scans;
    for (const auto& event : events)
        if (const auto* scan = std::get_if<hardware::ScanEvent>(&event))
            scans.push_back(scan->data);
    return scans;
}

std::unique_ptr<StreamDecoder> decoder_for(const EvdevDecoderOptions& options = {}) {
    auto made = make_evdev_decoder("front", options);
    EXPECT_TRUE(made.ok()) << (made.ok() ? "" : made.error().message);
    return std::move(made).value();
}

TEST(EvdevDecoder, DecodesShiftedCharactersUpToEnter) {
    EvdevEventWriter writer;
    writer.type("Ab1!");
    writer.enter();
    auto decoder = decoder_for();
    std::vector<hardware::DeviceEvent> out;
    decoder->feed(writer.bytes(), 5000, out);
    ASSERT_EQ(out.size(), 1u);
    const auto& scan = std::get<hardware::ScanEvent>(out[0]);
    EXPECT_EQ(scan.device, "front");
    EXPECT_EQ(scan.data, "Ab1!");
    EXPECT_EQ(scan.at_ms, 5000);
}

TEST(EvdevDecoder, EveryTwoWaySplitGivesTheSameScans) {
    EvdevEventWriter writer;
    writer.type("SKU-42");
    writer.enter();
    writer.type("x9");
    writer.enter();
    const auto& bytes = writer.bytes();
    for (std::size_t cut = 0; cut <= bytes.size(); ++cut) {
        auto decoder = decoder_for();
        std::vector<hardware::DeviceEvent> out;
        const std::span<const std::uint8_t> all(bytes);
        decoder->feed(all.first(cut), 1000, out);
        decoder->feed(all.subspan(cut), 1001, out);
        EXPECT_EQ(scans_of(out), (std::vector<std::string>{"SKU-42", "x9"})) << "cut at " << cut;
    }
}

TEST(EvdevDecoder, RandomSplitsAndByteByByteKeepTheRemainder) {
    EvdevEventWriter writer;
    for (const char* code : {"]C1012345", "ABC-def", "0042"}) {
        writer.type(code);
        writer.enter();
    }
    const std::vector<std::string> expected{"]C1012345", "ABC-def", "0042"};
    const auto& bytes = writer.bytes();
    std::mt19937 random(7);
    for (int round = 0; round < 50; ++round) {
        auto decoder = decoder_for();
        std::vector<hardware::DeviceEvent> out;
        std::size_t at = 0;
        const std::int64_t now = 1000;  // all read within one millisecond
        while (at < bytes.size()) {
            const std::size_t size = round == 0 ? 1 : 1 + random() % 60;
            const std::size_t take = std::min(size, bytes.size() - at);
            decoder->feed(std::span(bytes).subspan(at, take), now, out);
            at += take;
        }
        EXPECT_EQ(scans_of(out), expected) << "round " << round;
    }
}

TEST(EvdevDecoder, InterKeyTimeoutEndsAScanInTheCallersClock) {
    // Kernel stamps from 2001 and a caller clock from 2026: only the caller's
    // clock decides when the scan ends.
    EvdevEventWriter writer(1'000'000'000'000'000);
    writer.type("NOEND7");
    EvdevDecoderOptions options;
    options.inter_key_timeout_ms = 80;
    auto decoder = decoder_for(options);
    std::vector<hardware::DeviceEvent> out;
    const std::int64_t at = 1'795'000'000'000;
    decoder->feed(writer.bytes(), at, out);
    decoder->tick(at + 79, out);
    EXPECT_TRUE(out.empty());
    decoder->tick(at + 80, out);
    ASSERT_EQ(scans_of(out), std::vector<std::string>{"NOEND7"});
    EXPECT_EQ(std::get<hardware::ScanEvent>(out[0]).at_ms, at + 80);
}

TEST(EvdevDecoder, GapInsideOneChunkEndsTheFirstScan) {
    // Two scans read late in one chunk: the kernel's 300 ms gap still splits them.
    EvdevEventWriter writer;
    writer.type("12");
    writer.pause_ms(300);
    writer.type("34");
    writer.enter();
    auto decoder = decoder_for();
    std::vector<hardware::DeviceEvent> out;
    decoder->feed(writer.bytes(), 9000, out);
    EXPECT_EQ(scans_of(out), (std::vector<std::string>{"12", "34"}));
}

TEST(EvdevDecoder, ResetDropsPartialRecordAndScan) {
    EvdevEventWriter first;
    first.type("LOST");
    auto decoder = decoder_for();
    std::vector<hardware::DeviceEvent> out;
    const auto& lost = first.bytes();
    decoder->feed(std::span(lost).first(lost.size() - 5), 100, out);
    auto* evdev = dynamic_cast<EvdevDecoder*>(decoder.get());
    ASSERT_NE(evdev, nullptr);
    EXPECT_EQ(evdev->pending_bytes(), kInputEventSize - 5);
    decoder->reset();
    EXPECT_EQ(evdev->pending_bytes(), 0u);

    EvdevEventWriter second;
    second.type("KEPT");
    second.enter();
    decoder->feed(second.bytes(), 101, out);
    EXPECT_EQ(scans_of(out), std::vector<std::string>{"KEPT"});
}

TEST(EvdevDecoder, TabTerminatesOnlyWhenAsked) {
    EvdevEventWriter writer;
    writer.type("A1");
    writer.tap(KEY_TAB);
    writer.type("B2");
    writer.enter();
    std::vector<hardware::DeviceEvent> with_tab;
    decoder_for()->feed(writer.bytes(), 1, with_tab);
    EXPECT_EQ(scans_of(with_tab), (std::vector<std::string>{"A1", "B2"}));

    EvdevDecoderOptions options;
    options.tab_terminates = false;
    std::vector<hardware::DeviceEvent> without_tab;
    decoder_for(options)->feed(writer.bytes(), 1, without_tab);
    EXPECT_EQ(scans_of(without_tab), std::vector<std::string>{"A1B2"});
}

TEST(EvdevDecoder, LayoutsMoveKeys) {
    // Keys pressed: Y, Z, Shift+1 (positions, not characters).
    EvdevEventWriter writer;
    writer.tap(KEY_Y);
    writer.tap(KEY_Z);
    writer.tap(KEY_1, true);
    writer.enter();
    const std::vector<std::pair<std::string, std::string>> expected{
        {"us", "yz!"}, {"de", "zy!"}, {"fr", "yw1"}};
    for (const auto& [layout, text] : expected) {
        EvdevDecoderOptions options;
        options.layout = layout;
        std::vector<hardware::DeviceEvent> out;
        decoder_for(options)->feed(writer.bytes(), 1, out);
        EXPECT_EQ(scans_of(out), std::vector<std::string>{text}) << layout;
    }
}

TEST(EvdevDecoder, RestoresGsFromSubstitute) {
    EvdevEventWriter writer;
    writer.type("]d201123~10AB");
    writer.enter();
    EvdevDecoderOptions options;
    options.gs_substitute = "~";
    std::vector<hardware::DeviceEvent> out;
    decoder_for(options)->feed(writer.bytes(), 1, out);
    EXPECT_EQ(scans_of(out), std::vector<std::string>{"]d201123\x1d"
                                                      "10AB"});
}

TEST(EvdevDecoder, RejectsBadSettings) {
    EvdevDecoderOptions layout;
    layout.layout = "xx";
    auto bad_layout = make_evdev_decoder("s", layout);
    ASSERT_FALSE(bad_layout.ok());
    EXPECT_NE(bad_layout.error().message.find("layout"), std::string::npos);

    EvdevDecoderOptions substitute;
    substitute.gs_substitute = "~~";
    EXPECT_FALSE(make_evdev_decoder("s", substitute).ok());

    EvdevDecoderOptions timeout;
    timeout.inter_key_timeout_ms = 0;
    EXPECT_FALSE(make_evdev_decoder("s", timeout).ok());

    EvdevDecoderOptions german;
    german.layout = "DE";
    EXPECT_TRUE(make_evdev_decoder("s", german).ok());
}

}  // namespace
}  // namespace packline::drivers
