// The longest text each field of an order, SKU or packaging record may hold,
// in characters (code points), and the most entries of its lists: the MQTT
// contract's maxLength and maxItems (docs/mqtt/schemas/). The importer
// applies the same table, so a file cannot load what the hub could never
// send; a test holds the schemas to it (tests/unit/sync/schemas_test.cpp).
// Beyond these, a label would take seconds to render and a screen would
// scroll for ever.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace packline::station::limits {

inline constexpr std::size_t kIdCharacters = 128;    // order id, site, sku, packaging code
inline constexpr std::size_t kNameCharacters = 256;  // recipient, SKU, packaging names
inline constexpr std::size_t kAddressLineCharacters = 256;
inline constexpr std::size_t kAddressLines = 8;
inline constexpr std::size_t kPhoneCharacters = 64;
inline constexpr std::size_t kCityCharacters = 128;
inline constexpr std::size_t kRegionCharacters = 128;
inline constexpr std::size_t kPostalCodeCharacters = 32;
inline constexpr std::size_t kCountryCharacters = 2;
inline constexpr std::size_t kCarrierCharacters = 32;
inline constexpr std::size_t kServiceCharacters = 64;
inline constexpr std::size_t kTrackingNumberCharacters = 64;
inline constexpr std::size_t kSsccCharacters = 18;
inline constexpr std::size_t kOrderLines = 1000;
inline constexpr std::size_t kStyleCharacters = 128;
inline constexpr std::size_t kSizeCharacters = 64;
inline constexpr std::size_t kColourCharacters = 64;
inline constexpr std::size_t kBarcodesPerSku = 64;

// Where each limit stands in the contract: schema name (docs/mqtt/schemas/
// <schema>.schema.json), the JSON pointer of the member, the limit.
struct ContractLimit {
    std::string_view schema;
    std::string_view pointer;
    std::size_t limit;
};

inline const std::vector<ContractLimit>& contract_limits() {
    static const std::vector<ContractLimit> table{
        {"order", "/order_id", kIdCharacters},
        {"order", "/site", kIdCharacters},
        {"order", "/recipient/name", kNameCharacters},
        {"order", "/recipient/phone", kPhoneCharacters},
        {"order", "/recipient/address/lines", kAddressLines},
        {"order", "/recipient/address/lines/0", kAddressLineCharacters},
        {"order", "/recipient/address/city", kCityCharacters},
        {"order", "/recipient/address/region", kRegionCharacters},
        {"order", "/recipient/address/postal_code", kPostalCodeCharacters},
        {"order", "/recipient/address/country", kCountryCharacters},
        {"order", "/carrier", kCarrierCharacters},
        {"order", "/service", kServiceCharacters},
        {"order", "/tracking_number", kTrackingNumberCharacters},
        {"order", "/packaging", kIdCharacters},
        {"order", "/sscc", kSsccCharacters},
        {"order", "/lines", kOrderLines},
        {"order", "/lines/0/sku", kIdCharacters},
        {"sku", "/sku", kIdCharacters},
        {"sku", "/name", kNameCharacters},
        {"sku", "/style", kStyleCharacters},
        {"sku", "/size", kSizeCharacters},
        {"sku", "/colour", kColourCharacters},
        {"sku", "/barcodes", kBarcodesPerSku},
        {"packaging", "/code", kIdCharacters},
        {"packaging", "/name", kNameCharacters},
    };
    return table;
}

}  // namespace packline::station::limits
