#include "packline/hub/event_ids.h"

#include "packline/clock.h"
#include "packline/ids.h"

namespace packline::hub {

std::string new_event_id() {
    return random_uuid();
}

std::int64_t wall_clock_ms() {
    return packline::wall_clock_ms();
}

}  // namespace packline::hub
