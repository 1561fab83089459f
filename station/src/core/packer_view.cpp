#include "packline/station/packer_view.h"

#include <map>
#include <utility>

namespace packline::station {

StationSnapshot make_snapshot(const PackerSession& session, const std::string& packer,
                              const std::optional<Parcel>& parcel, const DeviceBoard& devices) {
    StationSnapshot view;
    const auto& paused = session.paused();
    const bool active = parcel && !flow::is_terminal(parcel->state);
    if (paused)
        view.state = "paused";
    else if (!active)
        view.state = "idle";
    else
        view.state = std::string(to_string(parcel->state));
    view.locked = session.locked();
    view.packer = view.locked ? std::string() : packer;
    view.packer_since_ms = view.locked ? 0 : session.since_ms();
    if (active) view.current_order = parcel->order_id;
    if (paused) {
        view.paused_by = paused->by;
        view.pause_reason = paused->reason;
    }
    for (const auto& [name, state] : devices.states())
        view.devices.push_back({name, state.kind, state.health, state.detail});
    return view;
}

void describe_parcel(PackerView& view, const flow::OrderContext& context, const Parcel& parcel) {
    view.parcel = parcel;
    if (context.order != nullptr) view.order = *context.order;
    const bool active = !flow::is_terminal(parcel.state);
    if (parcel.exception && parcel.state == ParcelState::Exception)
        view.overridable = is_overridable(parcel.exception->reason);
    std::map<std::string, std::pair<int, int>, std::less<>> counts;  // scanned, manual
    for (const ScannedItem& item : parcel.items) {
        ++counts[item.sku].first;
        if (item.manual) ++counts[item.sku].second;
    }
    const ContentsView contents = flow::contents_view(context, parcel);
    for (const OrderLine& line : contents.open_lines) {
        PackerLineView entry;
        entry.sku = line.sku;
        entry.required = line.quantity;
        if (auto found = context.skus->find(line.sku); found != context.skus->end()) {
            entry.name = found->second.name;
            entry.style = found->second.style;
            entry.size = found->second.size;
            entry.colour = found->second.colour;
            entry.serial_required = found->second.serial_required;
        }
        if (auto found = counts.find(line.sku); found != counts.end()) {
            entry.scanned = found->second.first;
            entry.manual = found->second.second;
        }
        view.lines.push_back(std::move(entry));
    }
    if (parcel.expected_weight_g > 0.0 && parcel.state != ParcelState::Scanning)
        view.weight =
            WeightBand{parcel.expected_weight_g, flow::weight_tolerance_of(context, parcel)};
    if (active) {
        view.commands.retry = parcel.state == ParcelState::Exception;
        view.commands.reprint = flow::is_reprintable(parcel);
        view.commands.split = parcel.state == ParcelState::Scanning && !parcel.items.empty();
        view.commands.close = parcel.state == ParcelState::Scanning;
        view.commands.abandon = true;
    }
}

}  // namespace packline::station
