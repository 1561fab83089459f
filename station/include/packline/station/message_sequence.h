// The station's message sequence: the `sequence` of every message it sends
// (docs/mqtt/README.md, "Envelope"), so the hub can order them whatever the
// clocks say. It never goes backwards, also across restarts: numbers are
// handed out from a block reserved in the store (Store::reserve_sequence)
// before any of them is used, and a restart starts after the last block
// (numbers left in it are skipped, never reused).
//
// Threads: next() may be called from any thread (the MQTT client makes the
// will's envelope on its own); open() and replenish() only from the thread
// that owns the Store (the station loop).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>

#include "packline/error.h"

namespace packline::station {

class Store;

class MessageSequence {
  public:
    static constexpr std::int64_t kDefaultBlock = 10000;

    // Reserves the first block.
    static Result<std::unique_ptr<MessageSequence>> open(Store& store,
                                                         std::int64_t block = kDefaultBlock);

    // The next number; strictly increasing. The owner thread passes its
    // Store: should the reservation be used up, it reserves the next block
    // before handing out the number. Other threads pass nothing; they run
    // past the reservation only if more than half a block is handed out
    // between two ticks, and a crash in that moment could repeat those.
    std::int64_t next(Store* owner_store = nullptr);

    // Reserves the next block once half of the current one is used (the
    // loop's tick calls it). Should the numbers run past the reservation
    // between two ticks (thousands of messages in 50 ms), the next
    // reservation starts after the last number handed out.
    Status replenish(Store& store);

  private:
    MessageSequence(std::int64_t first, std::int64_t block);

    std::mutex mutex_;
    std::int64_t next_;
    std::int64_t reserved_until_;  // first number not reserved
    std::int64_t block_;
};

}  // namespace packline::station
