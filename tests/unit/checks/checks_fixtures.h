// A small catalogue and orders shared by the checks tests: a T-shirt style in
// several colours and sizes, a mug, and a phone that needs a serial number.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "packline/station/checks.h"

namespace packline::station::testing {

using SkuMap = std::map<std::string, Sku, std::less<>>;

inline Sku make_sku(std::string id, std::string name, std::string style, std::string colour,
                    std::string size, double grams, bool serial_required = false) {
    Sku sku;
    sku.sku = std::move(id);
    sku.name = std::move(name);
    sku.style = std::move(style);
    sku.colour = std::move(colour);
    sku.size = std::move(size);
    sku.unit_weight_g = grams;
    sku.serial_required = serial_required;
    return sku;
}

inline SkuMap catalogue() {
    SkuMap skus;
    for (Sku sku : {make_sku("TEE-RED-L", "Red Tee", "TEE", "Red", "L", 180.0),
                    make_sku("TEE-RED-M", "Red Tee", "TEE", "Red", "M", 170.0),
                    make_sku("TEE-BLU-M", "Blue Tee", "TEE", "Blue", "M", 170.0),
                    make_sku("TEE-BLU-L", "Blue Tee", "TEE", "Blue", "L", 180.0),
                    make_sku("TEE-GRN-S", "Green Tee", "TEE", "Green", "S", 160.0),
                    make_sku("MUG-WHT", "White Mug", "MUG", "White", "", 350.0),
                    make_sku("PHONE-X", "Phone X", "PHONE", "Black", "128 GB", 200.0, true),
                    make_sku("SOCK-BLK", "Socks", "SOCK", "Black", "42", 60.0)})
        skus.emplace(sku.sku, sku);
    return skus;
}

inline Recipient recipient(std::string name, std::string phone, std::vector<std::string> lines,
                           std::string city, std::string region, std::string postal_code,
                           std::string country) {
    Recipient result;
    result.name = std::move(name);
    result.phone = std::move(phone);
    result.address.lines = std::move(lines);
    result.address.city = std::move(city);
    result.address.region = std::move(region);
    result.address.postal_code = std::move(postal_code);
    result.address.country = std::move(country);
    return result;
}

inline Recipient london_recipient() {
    return recipient("Jane Doe", "+44 20 7946 0018", {"10 Downing Street"}, "London", "",
                     "SW1A 2AA", "GB");
}

inline Order order_with(std::vector<OrderLine> lines) {
    Order order;
    order.id = "SO-1001";
    order.site = "leeds";
    order.status = OrderStatus::Open;
    order.recipient = london_recipient();
    order.carrier = "ups";
    order.lines = std::move(lines);
    return order;
}

inline ScannedItem scanned(std::string sku, std::string serial = {}) {
    ScannedItem item;
    item.sku = std::move(sku);
    item.serial = std::move(serial);
    return item;
}

}  // namespace packline::station::testing
