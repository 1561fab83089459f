// The station's Store as the outbox drain's OutboxSource.
//
// It opens its own Store on the station's database the first time the drain
// uses it, on the drain's thread (a Store is thread-bound; WAL lets it write
// beside the station loop's Store). A rejected row is retired and recorded:
// an "outbox.rejected" event (payload: the event id and the hub's reason) is
// appended first, then the row is marked delivered, so a crash in between can
// only record the rejection twice, never lose it.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "packline/station/store.h"
#include "packline/sync/outbox_drain.h"

namespace packline::sync {

inline constexpr std::string_view kOutboxRejectedEvent = "outbox.rejected";

class StoreOutboxSource final : public OutboxSource {
  public:
    StoreOutboxSource(std::string database, std::string station);

    Result<std::vector<OutboxRow>> pending(int limit) override;
    Status delivered(std::string_view event_id, std::int64_t at_ms) override;
    Status rejected(std::string_view event_id, std::string_view reason,
                    std::int64_t at_ms) override;
    Status attempted(std::string_view event_id) override;

    // The Store on the drain's thread (opened on first use), for the other
    // work of that thread (status counters); nullptr with the error when it
    // cannot be opened.
    Result<station::Store*> store();

  private:
    std::string database_;
    std::string station_;
    std::unique_ptr<station::Store> store_;
};

}  // namespace packline::sync
