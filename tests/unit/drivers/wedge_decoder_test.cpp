// A keyboard-wedge scanner types each barcode as key presses; these tests type
// them the way a scanner does (press, release, 4 ms apart) and check the scans.
#include "packline/drivers/wedge_decoder.h"

#include <gtest/gtest.h>
#include <linux/input-event-codes.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace packline::drivers {
namespace {

constexpr std::int64_t kKeyGapUs = 4'000;

// Types key strokes into a decoder and collects every scan it gives back.
class Scanner {
  public:
    explicit Scanner(WedgeOptions options = {}) : decoder_(options) {}

    Scanner& press(std::uint16_t code) { return send(EV_KEY, code, 1); }
    Scanner& release(std::uint16_t code) { return send(EV_KEY, code, 0); }
    Scanner& repeat(std::uint16_t code) { return send(EV_KEY, code, 2); }
    Scanner& key(std::uint16_t code) { return press(code).release(code).sync(); }
    Scanner& sync() { return send(EV_SYN, SYN_REPORT, 0); }
    Scanner& shifted(std::uint16_t code) {
        return press(KEY_LEFTSHIFT).key(code).release(KEY_LEFTSHIFT);
    }
    Scanner& alt_graph(std::uint16_t code) {
        return press(KEY_RIGHTALT).key(code).release(KEY_RIGHTALT);
    }
    Scanner& control(std::uint16_t code) {
        return press(KEY_LEFTCTRL).key(code).release(KEY_LEFTCTRL);
    }
    Scanner& keys(std::initializer_list<std::uint16_t> codes) {
        for (auto code : codes)
            key(code);
        return *this;
    }
    Scanner& wait_us(std::int64_t microseconds) {
        now_us_ += microseconds;
        return *this;
    }
    Scanner& tick() {
        if (auto scan = decoder_.tick(now_us_)) scans_.push_back(*scan);
        return *this;
    }

    const std::vector<std::string>& scans() const { return scans_; }
    const WedgeDecoder& decoder() const { return decoder_; }
    WedgeDecoder& decoder() { return decoder_; }

  private:
    Scanner& send(std::uint16_t type, std::uint16_t code, std::int32_t value) {
        now_us_ += kKeyGapUs;
        if (auto scan = decoder_.feed(KeyEvent{type, code, value, now_us_}))
            scans_.push_back(*scan);
        return *this;
    }

    WedgeDecoder decoder_;
    std::int64_t now_us_ = 1'700'000'000'000'000;
    std::vector<std::string> scans_;
};

using Scans = std::vector<std::string>;

TEST(WedgeDecoder, UsShiftTypesCapitalsAndSymbols) {
    Scanner scanner;
    scanner.shifted(KEY_A).keys({KEY_B, KEY_1}).key(KEY_ENTER);
    scanner.press(KEY_RIGHTSHIFT)
        .keys({KEY_4, KEY_5, KEY_9, KEY_0, KEY_EQUAL})
        .release(KEY_RIGHTSHIFT);
    scanner.keys({KEY_MINUS, KEY_DOT, KEY_SLASH, KEY_SPACE, KEY_Z, KEY_KPENTER});
    EXPECT_EQ(scanner.scans(), (Scans{"Ab1", "$%()+-./ z"}));
    EXPECT_EQ(scanner.decoder().unknown_keys(), 0);
}

TEST(WedgeDecoder, ShiftReleaseReturnsToLowerCase) {
    Scanner scanner;
    scanner.press(KEY_LEFTSHIFT).key(KEY_A).release(KEY_LEFTSHIFT).key(KEY_A).key(KEY_ENTER);
    EXPECT_EQ(scanner.scans(), (Scans{"Aa"}));
}

TEST(WedgeDecoder, EnterAndKeypadEnterEndScans) {
    Scanner scanner;
    scanner.keys({KEY_1, KEY_2, KEY_ENTER, KEY_3, KEY_KPENTER});
    EXPECT_EQ(scanner.scans(), (Scans{"12", "3"}));
}

TEST(WedgeDecoder, TabEndsScansOnlyWhenEnabled) {
    Scanner with_tab;
    with_tab.keys({KEY_1, KEY_TAB, KEY_2, KEY_TAB});
    EXPECT_EQ(with_tab.scans(), (Scans{"1", "2"}));

    Scanner without_tab(WedgeOptions{.tab_terminates = false});
    without_tab.keys({KEY_1, KEY_TAB, KEY_2, KEY_ENTER});
    EXPECT_EQ(without_tab.scans(), (Scans{"12"}));
    EXPECT_EQ(without_tab.decoder().unknown_keys(), 0);
}

TEST(WedgeDecoder, TerminatorAloneGivesNoScan) {
    Scanner scanner;
    scanner.keys({KEY_ENTER, KEY_KPENTER, KEY_TAB});
    scanner.press(KEY_LEFTSHIFT).release(KEY_LEFTSHIFT).key(KEY_ENTER);
    EXPECT_TRUE(scanner.scans().empty());
}

TEST(WedgeDecoder, TimeoutEndsScanWithoutTerminator) {
    Scanner scanner;  // 80 ms by default
    scanner.keys({KEY_4, KEY_2}).tick();
    EXPECT_TRUE(scanner.scans().empty()) << "4 ms after the last key is not a pause";
    scanner.wait_us(70'000).tick();
    EXPECT_TRUE(scanner.scans().empty());
    scanner.wait_us(10'000).tick();
    EXPECT_EQ(scanner.scans(), (Scans{"42"}));
    scanner.wait_us(500'000).tick().key(KEY_ENTER);
    EXPECT_EQ(scanner.scans(), (Scans{"42"})) << "a scan ends once";
}

TEST(WedgeDecoder, KeyAfterPauseStartsNewScanWithoutTick) {
    Scanner scanner(WedgeOptions{.inter_key_timeout = std::chrono::milliseconds{50}});
    scanner.keys({KEY_1, KEY_2}).wait_us(60'000).keys({KEY_3, KEY_ENTER});
    EXPECT_EQ(scanner.scans(), (Scans{"12", "3"}));

    Scanner enter_after_pause(WedgeOptions{.inter_key_timeout = std::chrono::milliseconds{50}});
    enter_after_pause.keys({KEY_7}).wait_us(60'000).key(KEY_ENTER);
    EXPECT_EQ(enter_after_pause.scans(), (Scans{"7"}));
}

TEST(WedgeDecoder, AutorepeatIsIgnored) {
    Scanner scanner;
    scanner.press(KEY_A).repeat(KEY_A).repeat(KEY_A).release(KEY_A).key(KEY_ENTER);
    EXPECT_EQ(scanner.scans(), (Scans{"a"}));
}

TEST(WedgeDecoder, NonKeyEventsAreIgnored) {
    WedgeDecoder decoder({});
    EXPECT_FALSE(decoder.feed({EV_MSC, MSC_SCAN, 0x70004, 1}));
    EXPECT_FALSE(decoder.feed({EV_KEY, KEY_A, 1, 2}));
    EXPECT_FALSE(decoder.feed({EV_SYN, SYN_REPORT, 0, 3}));
    EXPECT_FALSE(decoder.feed({EV_KEY, KEY_A, 0, 4}));
    EXPECT_FALSE(decoder.feed({EV_KEY, KEY_B, 7, 5})) << "values other than 0, 1, 2 are noise";
    EXPECT_EQ(decoder.feed({EV_KEY, KEY_ENTER, 1, 6}), "a");
}

TEST(WedgeDecoder, UnknownKeysAreSkippedAndCounted) {
    Scanner scanner;
    scanner.keys({KEY_1, KEY_F1, KEY_UP, KEY_102ND, KEY_2, KEY_CAPSLOCK, KEY_ENTER});
    EXPECT_EQ(scanner.scans(), (Scans{"12"}));
    EXPECT_EQ(scanner.decoder().unknown_keys(), 3)
        << "F1, Up, and 102nd (no such key on US); CapsLock is silent";
}

TEST(WedgeDecoder, CapsLockIsIgnored) {
    Scanner scanner;
    scanner.keys({KEY_CAPSLOCK, KEY_A}).shifted(KEY_B).key(KEY_ENTER);
    EXPECT_EQ(scanner.scans(), (Scans{"aB"}));
}

TEST(WedgeDecoder, ControlRightBracketIsGroupSeparator) {
    Scanner scanner;
    scanner.keys({KEY_0, KEY_1}).control(KEY_RIGHTBRACE).keys({KEY_1, KEY_0, KEY_ENTER});
    EXPECT_EQ(scanner.scans(), (Scans{"01\x1d"
                                      "10"}));

    Scanner other_control;
    other_control.key(KEY_1).control(KEY_C).key(KEY_ENTER);
    EXPECT_EQ(other_control.scans(), (Scans{"1"}));
    EXPECT_EQ(other_control.decoder().unknown_keys(), 1);
}

TEST(WedgeDecoder, ControlRightBracketIsGroupSeparatorOnEveryLayout) {
    Scanner scanner(WedgeOptions{.layout = KeyboardLayout::German});
    scanner.key(KEY_1).control(KEY_RIGHTBRACE).key(KEY_2).key(KEY_ENTER);
    EXPECT_EQ(scanner.scans(), (Scans{"1\x1d"
                                      "2"}));
}

TEST(WedgeDecoder, SubstituteCharacterBecomesGroupSeparator) {
    Scanner scanner(WedgeOptions{.gs_substitute = '~'});
    scanner.keys({KEY_1, KEY_0}).shifted(KEY_GRAVE).keys({KEY_2, KEY_1, KEY_ENTER});
    EXPECT_EQ(scanner.scans(), (Scans{"10\x1d"
                                      "21"}));

    Scanner without_substitute;
    without_substitute.key(KEY_1).shifted(KEY_GRAVE).key(KEY_ENTER);
    EXPECT_EQ(without_substitute.scans(), (Scans{"1~"}));
}

TEST(WedgeDecoder, FunctionKeyTwelveIsGroupSeparatorWhenEnabled) {
    Scanner scanner(WedgeOptions{.gs_on_f12 = true});
    scanner.keys({KEY_1, KEY_F12, KEY_2, KEY_ENTER});
    EXPECT_EQ(scanner.scans(), (Scans{"1\x1d"
                                      "2"}));

    Scanner disabled;
    disabled.keys({KEY_1, KEY_F12, KEY_2, KEY_ENTER});
    EXPECT_EQ(disabled.scans(), (Scans{"12"}));
    EXPECT_EQ(disabled.decoder().unknown_keys(), 1);
}

TEST(WedgeDecoder, GermanLayoutSwapsYAndZAndShiftsDigitRow) {
    Scanner scanner(WedgeOptions{.layout = KeyboardLayout::German});
    // "Zy-1!" on QWERTZ: Shift+KEY_Y, KEY_Z, KEY_SLASH, KEY_1, Shift+KEY_1.
    scanner.shifted(KEY_Y).keys({KEY_Z, KEY_SLASH, KEY_1}).shifted(KEY_1).key(KEY_ENTER);
    // Payload symbols: / ( ) = $ % on shifted digits, + on KEY_RIGHTBRACE, . , on their own keys.
    scanner.press(KEY_LEFTSHIFT)
        .keys({KEY_7, KEY_8, KEY_9, KEY_0, KEY_4, KEY_5})
        .release(KEY_LEFTSHIFT);
    scanner.keys({KEY_RIGHTBRACE, KEY_DOT, KEY_COMMA, KEY_MINUS, KEY_ENTER});
    scanner.alt_graph(KEY_Q).alt_graph(KEY_RIGHTBRACE).key(KEY_ENTER);
    EXPECT_EQ(scanner.scans(), (Scans{"Zy-1!", "/()=$%+.,ß", "@~"}));
    EXPECT_EQ(scanner.decoder().unknown_keys(), 0);
}

TEST(WedgeDecoder, GermanDeadKeysAreUnknown) {
    Scanner scanner(WedgeOptions{.layout = KeyboardLayout::German});
    scanner.keys({KEY_1, KEY_GRAVE, KEY_EQUAL, KEY_ENTER});
    EXPECT_EQ(scanner.scans(), (Scans{"1"}));
    EXPECT_EQ(scanner.decoder().unknown_keys(), 2);
}

TEST(WedgeDecoder, FrenchLayoutNeedsShiftForDigits) {
    Scanner scanner(WedgeOptions{.layout = KeyboardLayout::French});
    // "Az1" on AZERTY: Shift+KEY_Q, KEY_W, Shift+KEY_1.
    scanner.shifted(KEY_Q).key(KEY_W).shifted(KEY_1).key(KEY_ENTER);
    // Unshifted top row types symbols: & é " ' ( -.
    scanner.keys({KEY_1, KEY_2, KEY_3, KEY_4, KEY_5, KEY_6, KEY_ENTER});
    // m on KEY_SEMICOLON, q on KEY_A, w on KEY_Z; . and / are shifted; $ plain, % shifted.
    scanner.keys({KEY_SEMICOLON, KEY_A, KEY_Z})
        .shifted(KEY_COMMA)
        .shifted(KEY_DOT)
        .key(KEY_RIGHTBRACE);
    scanner.shifted(KEY_APOSTROPHE).shifted(KEY_EQUAL).keys({KEY_MINUS, KEY_ENTER});
    EXPECT_EQ(scanner.scans(), (Scans{"Az1", "&é\"'(-", "mqw./$%+)"}));
}

TEST(WedgeDecoder, SameKeysTypeDifferentTextPerLayout) {
    const std::initializer_list<std::uint16_t> keys = {KEY_Q, KEY_W,         KEY_Y, KEY_Z,
                                                       KEY_A, KEY_SEMICOLON, KEY_1};
    Scanner us;
    Scanner german(WedgeOptions{.layout = KeyboardLayout::German});
    Scanner french(WedgeOptions{.layout = KeyboardLayout::French});
    us.keys(keys).key(KEY_ENTER);
    german.keys(keys).key(KEY_ENTER);
    french.keys(keys).key(KEY_ENTER);
    EXPECT_EQ(us.scans(), (Scans{"qwyza;1"}));
    EXPECT_EQ(german.scans(), (Scans{"qwzyaö1"}));
    EXPECT_EQ(french.scans(), (Scans{"azywqm&"}));
}

TEST(WedgeDecoder, KeypadDigitsTypeOnEveryLayout) {
    for (auto layout : {KeyboardLayout::Us, KeyboardLayout::German, KeyboardLayout::French}) {
        Scanner scanner(WedgeOptions{.layout = layout});
        scanner.keys({KEY_KP4, KEY_KP0, KEY_KPMINUS, KEY_KP9, KEY_KPENTER});
        EXPECT_EQ(scanner.scans(), (Scans{"40-9"})) << to_string(layout);
    }
}

TEST(WedgeDecoder, OverlongScanIsDroppedWholeAndCounted) {
    Scanner scanner(WedgeOptions{.max_length = 4});
    scanner.keys({KEY_1, KEY_2, KEY_3, KEY_4, KEY_ENTER});                // exactly the limit
    scanner.keys({KEY_1, KEY_2, KEY_3, KEY_4, KEY_5, KEY_6, KEY_ENTER});  // one too many
    scanner.keys({KEY_7, KEY_ENTER});  // the next scan is unharmed
    EXPECT_EQ(scanner.scans(), (Scans{"1234", "7"}));
    EXPECT_EQ(scanner.decoder().dropped(), 1);
}

TEST(WedgeDecoder, OverlongScanEndedByTimeoutIsDropped) {
    Scanner scanner(WedgeOptions{.max_length = 2});
    scanner.keys({KEY_1, KEY_2, KEY_3}).wait_us(100'000).tick();
    EXPECT_TRUE(scanner.scans().empty());
    EXPECT_EQ(scanner.decoder().dropped(), 1);
}

TEST(WedgeDecoder, MultiByteCharacterCountsAgainstMaxLength) {
    Scanner scanner(WedgeOptions{.layout = KeyboardLayout::German, .max_length = 2});
    scanner.keys({KEY_1, KEY_MINUS, KEY_ENTER});  // "1ß" is 3 bytes of UTF-8
    EXPECT_TRUE(scanner.scans().empty());
    EXPECT_EQ(scanner.decoder().dropped(), 1);
}

TEST(WedgeDecoder, ResetForgetsScanAndModifiers) {
    Scanner scanner;
    scanner.press(KEY_LEFTSHIFT).key(KEY_A);
    scanner.decoder().reset();
    scanner.keys({KEY_B, KEY_ENTER});
    EXPECT_EQ(scanner.scans(), (Scans{"b"}));
}

TEST(WedgeDecoder, BackwardsClockNeverEndsScan) {
    WedgeDecoder decoder({});
    EXPECT_FALSE(decoder.feed({EV_KEY, KEY_1, 1, 1'000'000}));
    EXPECT_FALSE(decoder.tick(0));
    EXPECT_FALSE(decoder.feed({EV_KEY, KEY_2, 1, 500'000}));
    EXPECT_EQ(decoder.feed({EV_KEY, KEY_ENTER, 1, 510'000}), "12");
}

TEST(KeyboardLayout, FromName) {
    EXPECT_EQ(keyboard_layout_from_name("us"), KeyboardLayout::Us);
    EXPECT_EQ(keyboard_layout_from_name("de"), KeyboardLayout::German);
    EXPECT_EQ(keyboard_layout_from_name("FR"), KeyboardLayout::French);
    EXPECT_EQ(keyboard_layout_from_name(""), std::nullopt);
    EXPECT_EQ(keyboard_layout_from_name("uk"), std::nullopt);
    EXPECT_EQ(keyboard_layout_from_name("de "), std::nullopt);
    EXPECT_EQ(keyboard_layout_from_name("german"), std::nullopt);
    for (auto layout : {KeyboardLayout::Us, KeyboardLayout::German, KeyboardLayout::French})
        EXPECT_EQ(keyboard_layout_from_name(to_string(layout)), layout);
}

// Little-endian struct input_event as the kernel writes it on x86-64/arm64.
void put_event(std::vector<std::uint8_t>& bytes, std::int64_t seconds, std::int64_t microseconds,
               std::uint16_t type, std::uint16_t code, std::int32_t value) {
    auto put = [&bytes](std::uint64_t number, int size) {
        for (int i = 0; i < size; ++i)
            bytes.push_back(static_cast<std::uint8_t>(number >> (8 * i)));
    };
    put(static_cast<std::uint64_t>(seconds), 8);
    put(static_cast<std::uint64_t>(microseconds), 8);
    put(type, 2);
    put(code, 2);
    put(static_cast<std::uint32_t>(value), 4);
}

TEST(ParseInputEvents, DecodesRecordsAndLeavesPartialTail) {
    std::vector<std::uint8_t> bytes;
    put_event(bytes, 1700000000, 100000, EV_MSC, MSC_SCAN, 0x70004);
    put_event(bytes, 1700000000, 100001, EV_KEY, KEY_A, 1);
    put_event(bytes, 1700000000, 100002, EV_SYN, SYN_REPORT, 0);
    put_event(bytes, 1700000001, 0, EV_KEY, KEY_A, -1);
    put_event(bytes, 1700000001, 5, EV_KEY, KEY_ENTER, 1);
    bytes.resize(bytes.size() - 7);  // the last record was only partly read

    const auto parsed = parse_input_events(bytes);
    EXPECT_EQ(parsed.consumed, 4 * kInputEventSize);
    ASSERT_EQ(parsed.events.size(), 4u);
    EXPECT_EQ(parsed.events[0], (KeyEvent{EV_MSC, MSC_SCAN, 0x70004, 1'700'000'000'100'000}));
    EXPECT_EQ(parsed.events[1], (KeyEvent{EV_KEY, KEY_A, 1, 1'700'000'000'100'001}));
    EXPECT_EQ(parsed.events[2], (KeyEvent{EV_SYN, SYN_REPORT, 0, 1'700'000'000'100'002}));
    EXPECT_EQ(parsed.events[3], (KeyEvent{EV_KEY, KEY_A, -1, 1'700'000'001'000'000}));
}

TEST(ParseInputEvents, EmptyAndShortInputs) {
    EXPECT_TRUE(parse_input_events({}).events.empty());
    EXPECT_EQ(parse_input_events({}).consumed, 0u);
    const std::vector<std::uint8_t> short_bytes(kInputEventSize - 1, 0xff);
    EXPECT_TRUE(parse_input_events(short_bytes).events.empty());
    EXPECT_EQ(parse_input_events(short_bytes).consumed, 0u);
}

TEST(ParseInputEvents, AbsurdTimestampsDoNotOverflow) {
    std::vector<std::uint8_t> bytes(kInputEventSize, 0xff);
    const auto parsed = parse_input_events(bytes);
    ASSERT_EQ(parsed.events.size(), 1u);
    EXPECT_EQ(parsed.events[0].type, 0xffff);
    EXPECT_EQ(parsed.events[0].value, -1);
}

TEST(ParseInputEvents, ByteStreamThroughDecoderGivesScan) {
    // Shift+A, B, 1, Enter: the evemu recording devices.md §6.2 decoded as "Ab1".
    std::vector<std::uint8_t> bytes;
    std::int64_t microseconds = 100000;
    auto key = [&](std::uint16_t code, std::int32_t value) {
        put_event(bytes, 0, microseconds, EV_KEY, code, value);
        put_event(bytes, 0, microseconds, EV_SYN, SYN_REPORT, 0);
        microseconds += 2000;
    };
    key(KEY_LEFTSHIFT, 1);
    key(KEY_A, 1);
    key(KEY_A, 0);
    key(KEY_LEFTSHIFT, 0);
    key(KEY_B, 1);
    key(KEY_B, 0);
    key(KEY_1, 1);
    key(KEY_1, 0);
    key(KEY_ENTER, 1);
    key(KEY_ENTER, 0);

    WedgeDecoder decoder({});
    std::vector<std::string> scans;
    for (const auto& event : parse_input_events(bytes).events)
        if (auto scan = decoder.feed(event)) scans.push_back(*scan);
    EXPECT_EQ(scans, (Scans{"Ab1"}));
}

}  // namespace
}  // namespace packline::drivers
