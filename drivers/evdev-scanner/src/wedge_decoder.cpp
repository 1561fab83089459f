#include "packline/drivers/wedge_decoder.h"

#include <linux/input-event-codes.h>

#include <algorithm>
#include <cctype>
#include <limits>
#include <utility>

namespace packline::drivers {

namespace {

constexpr std::string_view kGroupSeparator = "\x1d";

// What one key types at each level. An empty cell means the key types nothing
// usable there (a dead key, or no character at all).
struct KeyCell {
    std::uint16_t code;
    std::string_view plain;
    std::string_view shifted;
    std::string_view alt_graph;
};

// US QWERTY.
constexpr KeyCell kUsKeys[] = {
    {KEY_GRAVE, "`", "~", ""},      {KEY_1, "1", "!", ""},         {KEY_2, "2", "@", ""},
    {KEY_3, "3", "#", ""},          {KEY_4, "4", "$", ""},         {KEY_5, "5", "%", ""},
    {KEY_6, "6", "^", ""},          {KEY_7, "7", "&", ""},         {KEY_8, "8", "*", ""},
    {KEY_9, "9", "(", ""},          {KEY_0, "0", ")", ""},         {KEY_MINUS, "-", "_", ""},
    {KEY_EQUAL, "=", "+", ""},      {KEY_Q, "q", "Q", ""},         {KEY_W, "w", "W", ""},
    {KEY_E, "e", "E", ""},          {KEY_R, "r", "R", ""},         {KEY_T, "t", "T", ""},
    {KEY_Y, "y", "Y", ""},          {KEY_U, "u", "U", ""},         {KEY_I, "i", "I", ""},
    {KEY_O, "o", "O", ""},          {KEY_P, "p", "P", ""},         {KEY_LEFTBRACE, "[", "{", ""},
    {KEY_RIGHTBRACE, "]", "}", ""}, {KEY_A, "a", "A", ""},         {KEY_S, "s", "S", ""},
    {KEY_D, "d", "D", ""},          {KEY_F, "f", "F", ""},         {KEY_G, "g", "G", ""},
    {KEY_H, "h", "H", ""},          {KEY_J, "j", "J", ""},         {KEY_K, "k", "K", ""},
    {KEY_L, "l", "L", ""},          {KEY_SEMICOLON, ";", ":", ""}, {KEY_APOSTROPHE, "'", "\"", ""},
    {KEY_BACKSLASH, "\\", "|", ""}, {KEY_Z, "z", "Z", ""},         {KEY_X, "x", "X", ""},
    {KEY_C, "c", "C", ""},          {KEY_V, "v", "V", ""},         {KEY_B, "b", "B", ""},
    {KEY_N, "n", "N", ""},          {KEY_M, "m", "M", ""},         {KEY_COMMA, ",", "<", ""},
    {KEY_DOT, ".", ">", ""},        {KEY_SLASH, "/", "?", ""},     {KEY_SPACE, " ", " ", ""},
    {KEY_KPDOT, ".", ".", ""},
};

// German QWERTZ (xkb "de"): Y and Z swapped, symbols on the shifted digit row,
// AltGr for @ { [ ] } \ ~ |. Dead keys (^ on KEY_GRAVE, ´ ` on KEY_EQUAL) are
// left empty.
constexpr KeyCell kGermanKeys[] = {
    {KEY_GRAVE, "", "°", ""},      {KEY_1, "1", "!", ""},          {KEY_2, "2", "\"", "²"},
    {KEY_3, "3", "§", "³"},        {KEY_4, "4", "$", ""},          {KEY_5, "5", "%", ""},
    {KEY_6, "6", "&", ""},         {KEY_7, "7", "/", "{"},         {KEY_8, "8", "(", "["},
    {KEY_9, "9", ")", "]"},        {KEY_0, "0", "=", "}"},         {KEY_MINUS, "ß", "?", "\\"},
    {KEY_Q, "q", "Q", "@"},        {KEY_W, "w", "W", ""},          {KEY_E, "e", "E", "€"},
    {KEY_R, "r", "R", ""},         {KEY_T, "t", "T", ""},          {KEY_Y, "z", "Z", ""},
    {KEY_U, "u", "U", ""},         {KEY_I, "i", "I", ""},          {KEY_O, "o", "O", ""},
    {KEY_P, "p", "P", ""},         {KEY_LEFTBRACE, "ü", "Ü", ""},  {KEY_RIGHTBRACE, "+", "*", "~"},
    {KEY_A, "a", "A", ""},         {KEY_S, "s", "S", ""},          {KEY_D, "d", "D", ""},
    {KEY_F, "f", "F", ""},         {KEY_G, "g", "G", ""},          {KEY_H, "h", "H", ""},
    {KEY_J, "j", "J", ""},         {KEY_K, "k", "K", ""},          {KEY_L, "l", "L", ""},
    {KEY_SEMICOLON, "ö", "Ö", ""}, {KEY_APOSTROPHE, "ä", "Ä", ""}, {KEY_BACKSLASH, "#", "'", ""},
    {KEY_102ND, "<", ">", "|"},    {KEY_Z, "y", "Y", ""},          {KEY_X, "x", "X", ""},
    {KEY_C, "c", "C", ""},         {KEY_V, "v", "V", ""},          {KEY_B, "b", "B", ""},
    {KEY_N, "n", "N", ""},         {KEY_M, "m", "M", "µ"},         {KEY_COMMA, ",", ";", ""},
    {KEY_DOT, ".", ":", ""},       {KEY_SLASH, "-", "_", ""},      {KEY_SPACE, " ", " ", ""},
};

// French AZERTY (xkb "fr"): A/Q and Z/W swapped, M on KEY_SEMICOLON, and the
// top row types symbols plain and digits only with Shift. Dead keys (^ ¨ on
// KEY_LEFTBRACE, AltGr ~ and `) are left empty.
constexpr KeyCell kFrenchKeys[] = {
    {KEY_GRAVE, "²", "", ""},      {KEY_1, "&", "1", ""},          {KEY_2, "é", "2", ""},
    {KEY_3, "\"", "3", "#"},       {KEY_4, "'", "4", "{"},         {KEY_5, "(", "5", "["},
    {KEY_6, "-", "6", "|"},        {KEY_7, "è", "7", ""},          {KEY_8, "_", "8", "\\"},
    {KEY_9, "ç", "9", "^"},        {KEY_0, "à", "0", "@"},         {KEY_MINUS, ")", "°", "]"},
    {KEY_EQUAL, "=", "+", "}"},    {KEY_Q, "a", "A", ""},          {KEY_W, "z", "Z", ""},
    {KEY_E, "e", "E", "€"},        {KEY_R, "r", "R", ""},          {KEY_T, "t", "T", ""},
    {KEY_Y, "y", "Y", ""},         {KEY_U, "u", "U", ""},          {KEY_I, "i", "I", ""},
    {KEY_O, "o", "O", ""},         {KEY_P, "p", "P", ""},          {KEY_RIGHTBRACE, "$", "£", "¤"},
    {KEY_A, "q", "Q", ""},         {KEY_S, "s", "S", ""},          {KEY_D, "d", "D", ""},
    {KEY_F, "f", "F", ""},         {KEY_G, "g", "G", ""},          {KEY_H, "h", "H", ""},
    {KEY_J, "j", "J", ""},         {KEY_K, "k", "K", ""},          {KEY_L, "l", "L", ""},
    {KEY_SEMICOLON, "m", "M", ""}, {KEY_APOSTROPHE, "ù", "%", ""}, {KEY_BACKSLASH, "*", "µ", ""},
    {KEY_102ND, "<", ">", ""},     {KEY_Z, "w", "W", ""},          {KEY_X, "x", "X", ""},
    {KEY_C, "c", "C", ""},         {KEY_V, "v", "V", ""},          {KEY_B, "b", "B", ""},
    {KEY_N, "n", "N", ""},         {KEY_M, ",", "?", ""},          {KEY_COMMA, ";", ".", ""},
    {KEY_DOT, ":", "/", ""},       {KEY_SLASH, "!", "§", ""},      {KEY_SPACE, " ", " ", ""},
};

// The keypad types the same on every layout (with NumLock on, which scanners
// that use it assume). KP-Enter is a terminator, handled apart.
constexpr KeyCell kKeypadKeys[] = {
    {KEY_KP0, "0", "0", ""},    {KEY_KP1, "1", "1", ""},        {KEY_KP2, "2", "2", ""},
    {KEY_KP3, "3", "3", ""},    {KEY_KP4, "4", "4", ""},        {KEY_KP5, "5", "5", ""},
    {KEY_KP6, "6", "6", ""},    {KEY_KP7, "7", "7", ""},        {KEY_KP8, "8", "8", ""},
    {KEY_KP9, "9", "9", ""},    {KEY_KPASTERISK, "*", "*", ""}, {KEY_KPMINUS, "-", "-", ""},
    {KEY_KPPLUS, "+", "+", ""}, {KEY_KPSLASH, "/", "/", ""},
};

// Keys that change no state we track and type nothing: not "unknown".
constexpr std::uint16_t kSilentKeys[] = {
    KEY_CAPSLOCK, KEY_NUMLOCK, KEY_SCROLLLOCK, KEY_LEFTALT, KEY_LEFTMETA, KEY_RIGHTMETA,
};

std::span<const KeyCell> layout_keys(KeyboardLayout layout) {
    switch (layout) {
        case KeyboardLayout::German:
            return kGermanKeys;
        case KeyboardLayout::French:
            return kFrenchKeys;
        case KeyboardLayout::Us:
            break;
    }
    return kUsKeys;
}

const KeyCell* find_key(std::span<const KeyCell> keys, std::uint16_t code) {
    const auto found = std::find_if(keys.begin(), keys.end(),
                                    [code](const KeyCell& cell) { return cell.code == code; });
    return found == keys.end() ? nullptr : &*found;
}

std::uint64_t read_little_endian(const std::uint8_t* bytes, std::size_t count) {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < count; ++i)
        value |= std::uint64_t{bytes[i]} << (8 * i);
    return value;
}

}  // namespace

ParsedInputEvents parse_input_events(std::span<const std::uint8_t> bytes) {
    ParsedInputEvents parsed;
    const std::size_t records = bytes.size() / kInputEventSize;
    parsed.events.reserve(records);
    for (std::size_t i = 0; i < records; ++i) {
        const std::uint8_t* record = bytes.data() + i * kInputEventSize;
        const std::uint64_t seconds = read_little_endian(record, 8);
        const std::uint64_t microseconds = read_little_endian(record + 8, 8);
        KeyEvent event;
        // Device clocks are trusted for ordering only; unsigned arithmetic keeps
        // absurd timevals from overflowing (they wrap instead).
        event.at_us = static_cast<std::int64_t>(seconds * 1'000'000u + microseconds);
        event.type = static_cast<std::uint16_t>(read_little_endian(record + 16, 2));
        event.code = static_cast<std::uint16_t>(read_little_endian(record + 18, 2));
        event.value = static_cast<std::int32_t>(
            static_cast<std::uint32_t>(read_little_endian(record + 20, 4)));
        parsed.events.push_back(event);
    }
    parsed.consumed = records * kInputEventSize;
    return parsed;
}

std::optional<KeyboardLayout> keyboard_layout_from_name(std::string_view name) {
    std::string lower;
    for (char c : name)
        lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "us") return KeyboardLayout::Us;
    if (lower == "de") return KeyboardLayout::German;
    if (lower == "fr") return KeyboardLayout::French;
    return std::nullopt;
}

std::string_view to_string(KeyboardLayout layout) {
    switch (layout) {
        case KeyboardLayout::German:
            return "de";
        case KeyboardLayout::French:
            return "fr";
        case KeyboardLayout::Us:
            break;
    }
    return "us";
}

WedgeDecoder::WedgeDecoder(WedgeOptions options) : options_(std::move(options)) {
    const auto milliseconds = std::max<std::int64_t>(options_.inter_key_timeout.count(), 0);
    constexpr auto limit = std::numeric_limits<std::int64_t>::max() / 1000;
    timeout_us_ = static_cast<std::uint64_t>(std::min<std::int64_t>(milliseconds, limit)) * 1000u;
}

void WedgeDecoder::reset() {
    scan_.clear();
    overflowed_ = false;
    in_scan_ = false;
    last_press_us_ = 0;
    left_shift_ = right_shift_ = left_ctrl_ = right_ctrl_ = alt_graph_ = false;
}

bool WedgeDecoder::timed_out(std::int64_t now_us) const {
    // A clock that runs backwards never ends a scan by itself.
    if (now_us < last_press_us_) return false;
    const auto elapsed =
        static_cast<std::uint64_t>(now_us) - static_cast<std::uint64_t>(last_press_us_);
    return elapsed >= timeout_us_;
}

void WedgeDecoder::append(std::string_view text) {
    in_scan_ = true;
    if (overflowed_) return;
    if (text.size() > options_.max_length || scan_.size() > options_.max_length - text.size()) {
        // Keep reading to the end of this scan so its tail does not start a
        // new one; then drop it whole.
        overflowed_ = true;
        scan_.clear();
        scan_.shrink_to_fit();
        return;
    }
    scan_ += text;
}

std::optional<std::string> WedgeDecoder::finish_scan() {
    if (!in_scan_) return std::nullopt;
    std::optional<std::string> result;
    if (overflowed_)
        ++dropped_;
    else if (!scan_.empty())
        result = std::move(scan_);
    scan_.clear();
    overflowed_ = false;
    in_scan_ = false;
    return result;
}

std::optional<std::string> WedgeDecoder::tick(std::int64_t now_us) {
    if (!in_scan_ || !timed_out(now_us)) return std::nullopt;
    return finish_scan();
}

std::optional<std::string> WedgeDecoder::feed(const KeyEvent& event) {
    if (event.type != EV_KEY) return std::nullopt;
    // Autorepeat (2) would duplicate characters: a scanner never holds a key.
    if (event.value != 0 && event.value != 1) return std::nullopt;
    const bool pressed = event.value == 1;

    switch (event.code) {
        case KEY_LEFTSHIFT:
            left_shift_ = pressed;
            break;
        case KEY_RIGHTSHIFT:
            right_shift_ = pressed;
            break;
        case KEY_LEFTCTRL:
            left_ctrl_ = pressed;
            break;
        case KEY_RIGHTCTRL:
            right_ctrl_ = pressed;
            break;
        case KEY_RIGHTALT:
            alt_graph_ = pressed;
            break;
        default:
            break;
    }
    if (!pressed) return std::nullopt;

    // A press after the idle gap ends the previous scan first; the terminator
    // branch below then sees an empty scan, so one feed yields at most one scan.
    std::optional<std::string> ended;
    if (in_scan_ && timed_out(event.at_us)) ended = finish_scan();
    last_press_us_ = event.at_us;

    const std::uint16_t code = event.code;
    if (code == KEY_LEFTSHIFT || code == KEY_RIGHTSHIFT || code == KEY_LEFTCTRL ||
        code == KEY_RIGHTCTRL || code == KEY_RIGHTALT)
        return ended;
    if (std::find(std::begin(kSilentKeys), std::end(kSilentKeys), code) != std::end(kSilentKeys))
        return ended;

    if (code == KEY_ENTER || code == KEY_KPENTER || code == KEY_TAB) {
        if (code == KEY_TAB && !options_.tab_terminates) return ended;
        auto scan = finish_scan();
        return ended ? std::move(ended) : std::move(scan);
    }

    if (left_ctrl_ || right_ctrl_) {
        // devices.md §2.4: scanners send GS as Ctrl+] (the ']' key of a US
        // keyboard, HID usage 0x30, whatever the country setting).
        if (code == KEY_RIGHTBRACE)
            append(kGroupSeparator);
        else
            ++unknown_keys_;
        return ended;
    }
    if (options_.gs_on_f12 && code == KEY_F12) {
        append(kGroupSeparator);
        return ended;
    }

    const KeyCell* cell = find_key(layout_keys(options_.layout), code);
    if (cell == nullptr) cell = find_key(kKeypadKeys, code);
    std::string_view text;
    if (cell != nullptr) {
        if (alt_graph_)
            text = cell->alt_graph;
        else
            text = (left_shift_ || right_shift_) ? cell->shifted : cell->plain;
    }
    if (text.empty()) {
        ++unknown_keys_;
        return ended;
    }
    if (options_.gs_substitute && text.size() == 1 && text.front() == *options_.gs_substitute)
        text = kGroupSeparator;
    append(text);
    return ended;
}

}  // namespace packline::drivers
