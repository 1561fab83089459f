// Keyboard-wedge scanners on Linux: a scanner that pretends to be a keyboard
// "types" each barcode as key presses on /dev/input/eventN. This header is the
// pure half of that driver: bytes -> key events -> scans. No file descriptors,
// no clocks; the transport reads the device (with EVIOCGRAB) and feeds us.
// Source for the event format and key codes: shared reference devices.md §2.2,
// §2.4 (GS through a keyboard).
//
// Thread-bound: a WedgeDecoder is plain state, owned by one thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace packline::drivers {

// One record of the kernel's `struct input_event`, with the timeval folded into
// microseconds. Event types: EV_SYN 0, EV_KEY 1, EV_MSC 4. For EV_KEY, value 1
// is a press, 0 a release, 2 an autorepeat.
struct KeyEvent {
    std::uint16_t type = 0;
    std::uint16_t code = 0;
    std::int32_t value = 0;
    std::int64_t at_us = 0;

    friend bool operator==(const KeyEvent&, const KeyEvent&) = default;
};

// Size of `struct input_event` on 64-bit Linux (x86-64, arm64): timeval as two
// int64 (16 bytes), u16 type, u16 code, s32 value, little-endian. 32-bit
// userspace uses a different layout and is not supported here.
inline constexpr std::size_t kInputEventSize = 24;

struct ParsedInputEvents {
    std::vector<KeyEvent> events;  // every whole record, of any event type
    std::size_t consumed = 0;      // bytes used: a multiple of kInputEventSize
};

// Decodes whole 24-byte records; a trailing partial record is left unconsumed
// so the caller can keep it and prepend the next read.
ParsedInputEvents parse_input_events(std::span<const std::uint8_t> bytes);

// The keyboard country the scanner is set to; it decides which key carries
// which character (devices.md §2.2: "layout follows the scanner's
// keyboard-country setting").
enum class KeyboardLayout { Us, German, French };

// "us", "de", "fr" (ASCII case-insensitive); anything else gives nullopt.
std::optional<KeyboardLayout> keyboard_layout_from_name(std::string_view name);
std::string_view to_string(KeyboardLayout layout);

struct WedgeOptions {
    KeyboardLayout layout = KeyboardLayout::Us;
    // A scan with no terminator ends after this much silence (devices.md §2.2
    // suggests 50-100 ms as a fallback terminator).
    std::chrono::milliseconds inter_key_timeout{80};
    // Scanners are often set to end scans with Tab instead of Enter. When
    // false, Tab is ignored (it is neither data nor an unknown key).
    bool tab_terminates = true;
    // GS (0x1D) has no key (devices.md §2.4): a scanner may be set to send a
    // printable stand-in (e.g. '~'); the decoder turns it back into 0x1D.
    std::optional<char> gs_substitute = std::nullopt;
    // "Function key emulation": the scanner sends F12 for GS.
    bool gs_on_f12 = false;
    // Longer scans are dropped whole (counted in dropped()).
    std::size_t max_length = 4096;
};

// Turns key events into scans.
//
// - Enter and KP-Enter (and Tab when tab_terminates) end a scan; an empty scan
//   (a terminator alone) gives nothing.
// - A scan also ends after inter_key_timeout without a key press: tick() reports
//   it, and so does feed() when the next press arrives after the gap.
// - Shift (left/right) selects the shifted character, AltGr (right Alt) the
//   third level (German '@' '{' '~', French '#' '@' ...). Ctrl+] (Ctrl plus
//   KEY_RIGHTBRACE, the US ']' key, on every layout) gives GS.
// - CapsLock is ignored: the decoder cannot know the lock state the keyboard
//   started in, and scanners send explicit Shift for capitals.
// - Autorepeat is ignored; releases only matter for modifiers.
// - Keys with no character (in this layout and modifier state) are ignored and
//   counted in unknown_keys(); dead keys (^ ` ´) count there too.
// - Non-ASCII characters a layout types (German ß ä ö ü §, French é è à ç ù)
//   are emitted as UTF-8.
class WedgeDecoder {
  public:
    explicit WedgeDecoder(WedgeOptions options);

    std::optional<std::string> feed(const KeyEvent& event);
    std::optional<std::string> tick(std::int64_t now_us);

    // Forgets the scan in progress and the modifier state (e.g. after the device
    // was reopened); counters are kept.
    void reset();

    int dropped() const { return dropped_; }            // over-long scans
    int unknown_keys() const { return unknown_keys_; }  // presses with no character

    const WedgeOptions& options() const { return options_; }

  private:
    std::optional<std::string> finish_scan();
    void append(std::string_view text);
    bool timed_out(std::int64_t now_us) const;

    WedgeOptions options_;
    std::uint64_t timeout_us_ = 0;
    std::string scan_;
    bool overflowed_ = false;
    bool in_scan_ = false;
    std::int64_t last_press_us_ = 0;
    bool left_shift_ = false;
    bool right_shift_ = false;
    bool left_ctrl_ = false;
    bool right_ctrl_ = false;
    bool alt_graph_ = false;
    int dropped_ = 0;
    int unknown_keys_ = 0;
};

}  // namespace packline::drivers
