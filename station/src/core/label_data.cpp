#include "packline/station/label_data.h"

#include <ctime>

#include "packline/station/tracking.h"

namespace packline::station {

labels::LabelData make_label_data(const Order& order, const LabelParcel& parcel,
                                  const LabelSender& sender, const SkuLookup& lookup) {
    labels::LabelData data;
    data.order_id = order.id;
    data.parcel_sequence = parcel.sequence;
    data.parcel_count = parcel.count;
    data.recipient_name = order.recipient.name;
    data.phone = order.recipient.phone;
    data.address_lines = order.recipient.address.lines;
    data.city = order.recipient.address.city;
    data.region = order.recipient.address.region;
    data.postal_code = order.recipient.address.postal_code;
    data.country = order.recipient.address.country;
    data.sender_name = sender.name;
    data.sender_address = sender.address;
    const std::string& carrier_code = parcel.carrier.empty() ? order.carrier : parcel.carrier;
    auto carrier = carrier_from_code(carrier_code);
    data.carrier_name = carrier ? std::string(carrier_display_name(*carrier)) : carrier_code;
    data.service = order.service;
    data.tracking_number = parcel.tracking_number;
    data.weight_g = parcel.weight_g;
    data.station = sender.station;
    data.date = sender.date;
    data.sscc = parcel.sscc;
    for (const OrderLine& line : order.lines) {
        labels::LabelItem item;
        item.sku = line.sku;
        item.quantity = line.quantity;
        if (lookup) {
            if (auto sku = lookup(line.sku)) {
                item.description = sku->name;
                item.style = sku->style;
                item.size = sku->size;
                item.colour = sku->colour;
            }
        }
        data.items.push_back(std::move(item));
    }
    return data;
}

std::string label_date_today() {
    return label_date(static_cast<std::int64_t>(std::time(nullptr)) * 1000);
}

std::string label_date(std::int64_t at_ms) {
    const auto now = static_cast<std::time_t>(at_ms / 1000);
    std::tm local{};
    localtime_r(&now, &local);
    char buffer[16];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &local);
    return buffer;
}

}  // namespace packline::station
