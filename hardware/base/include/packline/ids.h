// Where event ids come from, as a value that can be handed in: random
// (version 4) UUIDs in production; a test hands in CountingIds and knows
// every id in advance. Ids are lower-case hex UUIDs, as the MQTT contract's
// envelope wants (docs/mqtt/schemas/envelope.schema.json).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace packline {

// Thread-safe: next_id() may be called from any thread.
class IdSource {
  public:
    virtual ~IdSource() = default;
    [[nodiscard]] virtual std::string next_id() = 0;
};

// A random version 4 UUID; one generator per thread, seeded from the
// system's entropy, so that two processes or threads never collide.
[[nodiscard]] std::string random_uuid();

class RandomIds final : public IdSource {
  public:
    [[nodiscard]] std::string next_id() override { return random_uuid(); }
};

// The one RandomIds, for code that is not handed a source of its own.
[[nodiscard]] IdSource& random_ids();

// 00000000-0000-4000-8000-000000000001, ...002, ...: ids a test can predict.
class CountingIds final : public IdSource {
  public:
    explicit CountingIds(std::uint64_t first = 1) : next_(first) {}
    [[nodiscard]] std::string next_id() override;

  private:
    std::atomic<std::uint64_t> next_;
};

}  // namespace packline
