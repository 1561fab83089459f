// What a label says: the order, the parcel and its shipment, independent of
// any layout. Templates (template.h) place these fields; render.h turns a
// template plus this data into ZPL II, PNG or PDF.
#pragma once

#include <string>
#include <vector>

namespace packline::labels {

// One order line as a packing slip lists it.
struct LabelItem {
    std::string sku;
    std::string description;
    std::string style, size, colour;
    int quantity = 1;

    friend bool operator==(const LabelItem&, const LabelItem&) = default;
};

struct LabelData {
    std::string order_id;
    int parcel_sequence = 1;
    int parcel_count = 0;  // 0 = not known yet
    std::string recipient_name, phone;
    std::vector<std::string> address_lines;
    std::string city, region, postal_code;
    std::string country;  // ISO 3166-1 alpha-2 ("CN") or a name as the order gave it
    std::string sender_name, sender_address;
    std::string carrier_name;
    std::string service;
    std::string tracking_number;
    double weight_g = 0;  // 0 = not weighed; the weight field stays empty
    std::string station;
    std::string date;  // as printed, e.g. "2026-11-23"
    std::vector<LabelItem> items;
    // Serial Shipping Container Code: 18 digits with a valid GS1 check digit,
    // printed as GS1-128 with AI (00) by templates that place it. Empty = none.
    std::string sscc;
};

}  // namespace packline::labels
