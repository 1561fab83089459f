// What the packer sees and hears after each input: every verdict, scale
// reading and device report goes to the screens that subscribed, and each
// verdict sets the light tower (working, ok, attention, error).
// Thread-bound like the station.
#pragma once

#include <memory>
#include <vector>

#include "packline/hardware/devices.h"
#include "packline/hardware/events.h"
#include "packline/station/packing_station.h"
#include "packline/station/verdict.h"

namespace packline::station {

// The light for a kind of verdict.
hardware::Signal signal_for(VerdictKind kind);

class PackerFeedback {
  public:
    // `indicator` may be null (no light tower).
    explicit PackerFeedback(hardware::Indicator* indicator) : indicator_(indicator) {}

    [[nodiscard]] ObserverSubscription subscribe(StationObserver& observer);
    void verdict(const Verdict& verdict);
    void weight(const hardware::WeightReading& reading);
    void device(const hardware::DeviceStatusEvent& event);

  private:
    // By index: an observer that ends its subscription while it is told
    // something shortens the list, and no one is called after leaving it.
    template <typename Tell>
    void notify(const Tell& tell) {
        for (std::size_t index = 0; index < observers_->size(); ++index)
            tell(*(*observers_)[index]);
    }

    hardware::Indicator* indicator_;
    // Shared with the subscriptions, which may outlive the station.
    std::shared_ptr<std::vector<StationObserver*>> observers_ =
        std::make_shared<std::vector<StationObserver*>>();
};

}  // namespace packline::station
