#include "reprint_audit.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "packline/station/messages.h"

namespace packline::station {

EventRecord reprint_audit_event(const ReprintRequest& request, const Parcel& parcel,
                                const std::string& station, std::int64_t at_ms, IdSource& ids) {
    nlohmann::json payload{
        {"requested_by", request.role == "supervisor" ? request.supervisor
                         : request.role == "station"  ? station
                                                      : request.packer},
        {"role", request.role},
        {"packer", request.packer},
        {"tracking_number", parcel.tracking_number},
        {"attempt", parcel.label_attempts + 1},
        {"previous_job", parcel.label_job_id},
        {"state", to_string(parcel.state)},
    };
    if (!request.supervisor.empty()) {
        payload["supervisor"] = request.supervisor;
        payload["supervisor_name"] = request.supervisor_name;
    }
    if (!request.reason.empty()) payload["reason"] = request.reason;
    EventRecord event;
    event.event_id = ids.next_id();
    event.at_ms = at_ms;
    event.station = station;
    event.type = std::string(kReprintRequested);
    event.order_id = parcel.order_id;
    event.parcel_id = parcel.id;
    event.payload = json_text(payload);
    return event;
}

int count_reprints(const std::vector<EventRecord>& events) {
    return static_cast<int>(
        std::count_if(events.begin(), events.end(),
                      [](const EventRecord& event) { return event.type == kReprintRequested; }));
}

}  // namespace packline::station
