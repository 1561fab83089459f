#include "packline/clock.h"

#include <chrono>

namespace packline {

std::int64_t wall_clock_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

const Clock& system_clock() {
    static const SystemClock clock;
    return clock;
}

}  // namespace packline
