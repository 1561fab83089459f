// What a station did in a span of time, counted from its event log. The
// store counts it (Store::counters), the packer screen and the console show
// it, and sync sends it in the station status (sync/outbound.h): one type for
// all of them.
#pragma once

#include <cstdint>
#include <string>

namespace packline::station {

struct ShiftCounters {
    std::int64_t parcels_started = 0;
    std::int64_t confirmed = 0;
    std::int64_t exceptions = 0;
    std::int64_t overrides = 0;
    std::int64_t abandoned = 0;
    std::int64_t scans = 0;  // item.accepted + item.rejected
    // parcel.exception events by the check that failed.
    std::int64_t exceptions_customer = 0;
    std::int64_t exceptions_contents = 0;
    std::int64_t exceptions_express = 0;
};

// Tracking numbers of one carrier in the station's pool that no parcel has
// taken.
struct PoolStock {
    std::string carrier;
    std::int64_t available = 0;
};

}  // namespace packline::station
