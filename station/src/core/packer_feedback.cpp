#include "packer_feedback.h"

namespace packline::station {

hardware::Signal signal_for(VerdictKind kind) {
    switch (kind) {
        case VerdictKind::Accepted:
            return hardware::Signal::Working;
        case VerdictKind::Confirmed:
            return hardware::Signal::Ok;
        case VerdictKind::Info:
            return hardware::Signal::Attention;
        case VerdictKind::Rejected:
        case VerdictKind::Exception:
            return hardware::Signal::Error;
    }
    return hardware::Signal::Attention;
}

ObserverSubscription PackerFeedback::subscribe(StationObserver& observer) {
    observers_->push_back(&observer);
    return ObserverSubscription(observers_, &observer);
}

void PackerFeedback::verdict(const Verdict& verdict) {
    if (indicator_ != nullptr) indicator_->show(signal_for(verdict.kind));
    notify([&](StationObserver& observer) { observer.on_verdict(verdict); });
}

void PackerFeedback::weight(const hardware::WeightReading& reading) {
    notify([&](StationObserver& observer) { observer.on_weight(reading); });
}

void PackerFeedback::device(const hardware::DeviceStatusEvent& event) {
    notify([&](StationObserver& observer) { observer.on_device(event); });
}

}  // namespace packline::station
