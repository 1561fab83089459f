// Builds the bytes a keyboard-wedge scanner produces on /dev/input/eventN:
// 24-byte input_event records (x86-64 layout, devices.md §2.2), typed as a US
// keyboard would (press, SYN, release, SYN; Shift around shifted characters).
#pragma once

#include <linux/input-event-codes.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace packline::testing {

class EvdevEventWriter {
  public:
    explicit EvdevEventWriter(std::int64_t start_us = 1'700'000'000'000'000,
                              std::int64_t step_us = 2000)
        : now_us_(start_us), step_us_(step_us) {}

    void event(std::uint16_t type, std::uint16_t code, std::int32_t value) {
        const auto seconds = static_cast<std::uint64_t>(now_us_ / 1'000'000);
        const auto micros = static_cast<std::uint64_t>(now_us_ % 1'000'000);
        put(seconds, 8);
        put(micros, 8);
        put(type, 2);
        put(code, 2);
        put(static_cast<std::uint32_t>(value), 4);
    }

    // Press and release one key (with SYN reports), then advance the clock.
    void tap(std::uint16_t code, bool shift = false) {
        if (shift) key(KEY_LEFTSHIFT, 1);
        key(code, 1);
        key(code, 0);
        if (shift) key(KEY_LEFTSHIFT, 0);
        now_us_ += step_us_;
    }

    void key(std::uint16_t code, std::int32_t value) {
        event(EV_KEY, code, value);
        event(EV_SYN, SYN_REPORT, 0);
    }

    // Types ASCII text on a US layout.
    void type(std::string_view text) {
        for (char c : text) {
            const auto [code, shift] = us_key(c);
            tap(code, shift);
        }
    }

    void enter() { tap(KEY_ENTER); }
    void pause_ms(std::int64_t ms) { now_us_ += ms * 1000; }

    const std::vector<std::uint8_t>& bytes() const { return bytes_; }
    std::int64_t now_us() const { return now_us_; }

    static std::pair<std::uint16_t, bool> us_key(char c) {
        static constexpr std::string_view kRow = "1234567890";
        static constexpr std::string_view kShiftedRow = "!@#$%^&*()";
        static constexpr std::string_view kLetters = "qwertyuiopasdfghjklzxcvbnm";
        static constexpr std::uint16_t kLetterCodes[] = {
            KEY_Q, KEY_W, KEY_E, KEY_R, KEY_T, KEY_Y, KEY_U, KEY_I, KEY_O,
            KEY_P, KEY_A, KEY_S, KEY_D, KEY_F, KEY_G, KEY_H, KEY_J, KEY_K,
            KEY_L, KEY_Z, KEY_X, KEY_C, KEY_V, KEY_B, KEY_N, KEY_M};
        if (const auto at = kRow.find(c); at != std::string_view::npos)
            return {static_cast<std::uint16_t>(KEY_1 + at), false};
        if (const auto at = kShiftedRow.find(c); at != std::string_view::npos)
            return {static_cast<std::uint16_t>(KEY_1 + at), true};
        if (c >= 'a' && c <= 'z') return {kLetterCodes[kLetters.find(c)], false};
        if (c >= 'A' && c <= 'Z')
            return {kLetterCodes[kLetters.find(static_cast<char>(c - 'A' + 'a'))], true};
        switch (c) {
            case '-':
                return {KEY_MINUS, false};
            case '_':
                return {KEY_MINUS, true};
            case '.':
                return {KEY_DOT, false};
            case '/':
                return {KEY_SLASH, false};
            case ' ':
                return {KEY_SPACE, false};
            case '~':
                return {KEY_GRAVE, true};
            case '+':
                return {KEY_EQUAL, true};
            case '=':
                return {KEY_EQUAL, false};
            case '[':
                return {KEY_LEFTBRACE, false};
            case ']':
                return {KEY_RIGHTBRACE, false};
            case ':':
                return {KEY_SEMICOLON, true};
            default:
                break;
        }
        throw std::invalid_argument(std::string("no US key for '") + c + "'");
    }

  private:
    void put(std::uint64_t value, int count) {
        for (int i = 0; i < count; ++i)
            bytes_.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
    }

    std::int64_t now_us_;
    std::int64_t step_us_;
    std::vector<std::uint8_t> bytes_;
};

}  // namespace packline::testing
