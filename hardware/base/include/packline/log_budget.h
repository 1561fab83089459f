// A budget for log lines of one kind: at most `lines` per `period`; the
// rest are counted and told in one line when the next period starts. A flood
// of garbage messages or a disk that fails every batch must not fill the
// journal of a station that lives on an SD card, nor bury the first lines
// that say what went wrong.
//
//   LogBudget refusals(20, std::chrono::minutes(1));
//   const auto admitted = refusals.admit(std::chrono::steady_clock::now());
//   if (admitted.held_back > 0) log(std::to_string(admitted.held_back) + " more ... not logged");
//   if (admitted.write) log("refused ...");
//
// Thread-bound: one thread calls admit().
#pragma once

#include <chrono>
#include <cstdint>

namespace packline {

class LogBudget {
  public:
    using Clock = std::chrono::steady_clock;

    LogBudget(int lines, Clock::duration period) : lines_(lines), period_(period) {}

    struct Admission {
        bool write = false;          // this line may be written
        std::int64_t held_back = 0;  // lines held back in the period that just ended
    };

    Admission admit(Clock::time_point now) {
        Admission admission;
        if (!started_ || now >= period_end_) {
            admission.held_back = held_back_;
            held_back_ = 0;
            written_ = 0;
            period_end_ = now + period_;
            started_ = true;
        }
        admission.write = written_ < lines_;
        if (admission.write)
            ++written_;
        else
            ++held_back_;
        return admission;
    }

  private:
    int lines_;
    Clock::duration period_;
    bool started_ = false;
    Clock::time_point period_end_{};
    int written_ = 0;
    std::int64_t held_back_ = 0;
};

}  // namespace packline
