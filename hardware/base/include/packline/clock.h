// Time as a value that can be handed in. Everything that stamps or compares
// times takes a Clock, so a test sets the time instead of sleeping for it.
// Times are milliseconds since the Unix epoch (wall clock), as the event log
// stores them.
#pragma once

#include <atomic>
#include <cstdint>

namespace packline {

// Thread-safe: now_ms() may be called from any thread.
class Clock {
  public:
    virtual ~Clock() = default;
    [[nodiscard]] virtual std::int64_t now_ms() const = 0;
};

// The machine's wall clock.
[[nodiscard]] std::int64_t wall_clock_ms();

class SystemClock final : public Clock {
  public:
    [[nodiscard]] std::int64_t now_ms() const override { return wall_clock_ms(); }
};

// The one SystemClock, for code that is not handed a clock of its own.
[[nodiscard]] const Clock& system_clock();

// A clock that moves only when told to: the tests' clock, and the replay of a
// recorded shift.
class ManualClock final : public Clock {
  public:
    explicit ManualClock(std::int64_t start_ms = 0) : now_(start_ms) {}
    [[nodiscard]] std::int64_t now_ms() const override { return now_.load(); }
    void set(std::int64_t ms) { now_.store(ms); }
    void advance(std::int64_t ms) { now_.fetch_add(ms); }

  private:
    std::atomic<std::int64_t> now_;
};

}  // namespace packline
