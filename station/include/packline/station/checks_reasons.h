// The catalogue of every reason code a check can return. Codes are stable:
// they are stored, synced to the hub and counted on the supervisor dashboard,
// so a code is never renamed or reused. docs/checks.md documents each one
// (tests/unit/checks/reasons_test.cpp keeps the two in step).
#pragma once

#include <span>
#include <string_view>

namespace packline::station {

struct ReasonInfo {
    std::string_view code;     // "contents.wrong_variant"
    std::string_view check;    // "customer", "contents" or "express"
    std::string_view summary;  // one line for people: when this code is returned
};

std::span<const ReasonInfo> all_reasons();

// The catalogue entry for `code`, or nullptr.
const ReasonInfo* find_reason(std::string_view code);

namespace reason {
// 1. Customer check
inline constexpr std::string_view order_cancelled = "customer.order_cancelled";
inline constexpr std::string_view order_on_hold = "customer.order_on_hold";
inline constexpr std::string_view order_already_packed = "customer.order_already_packed";
inline constexpr std::string_view order_already_shipped = "customer.order_already_shipped";
inline constexpr std::string_view name_missing = "customer.name_missing";
inline constexpr std::string_view name_invalid = "customer.name_invalid";
inline constexpr std::string_view phone_missing = "customer.phone_missing";
inline constexpr std::string_view phone_invalid = "customer.phone_invalid";
inline constexpr std::string_view address_missing = "customer.address_missing";
inline constexpr std::string_view address_invalid = "customer.address_invalid";
inline constexpr std::string_view city_missing = "customer.city_missing";
inline constexpr std::string_view region_missing = "customer.region_missing";
inline constexpr std::string_view postal_code_missing = "customer.postal_code_missing";
inline constexpr std::string_view postal_code_invalid = "customer.postal_code_invalid";
inline constexpr std::string_view country_invalid = "customer.country_invalid";
inline constexpr std::string_view waybill_missing = "customer.waybill_missing";
inline constexpr std::string_view waybill_mismatch = "customer.waybill_mismatch";
// 2. Contents check (items and weight)
inline constexpr std::string_view unknown_code = "contents.unknown_code";
inline constexpr std::string_view not_in_order = "contents.not_in_order";
inline constexpr std::string_view wrong_variant = "contents.wrong_variant";
inline constexpr std::string_view over_quantity = "contents.over_quantity";
inline constexpr std::string_view serial_required = "contents.serial_required";
inline constexpr std::string_view serial_repeated = "contents.serial_repeated";
inline constexpr std::string_view missing_item = "contents.missing_item";
inline constexpr std::string_view weight_unstable = "weight.unstable";
inline constexpr std::string_view weight_negative = "weight.negative";
inline constexpr std::string_view weight_overload = "weight.overload";
inline constexpr std::string_view weight_scale_fault = "weight.scale_fault";
inline constexpr std::string_view weight_empty = "weight.empty";
inline constexpr std::string_view weight_too_light = "weight.too_light";
inline constexpr std::string_view weight_too_heavy = "weight.too_heavy";
// 3. Express check
inline constexpr std::string_view tracking_missing = "express.tracking_missing";
inline constexpr std::string_view tracking_invalid = "express.tracking_invalid";
inline constexpr std::string_view carrier_unknown = "express.carrier_unknown";
inline constexpr std::string_view wrong_carrier = "express.wrong_carrier";
inline constexpr std::string_view tracking_reused = "express.tracking_reused";
inline constexpr std::string_view print_failed = "express.print_failed";
inline constexpr std::string_view print_pending = "express.print_pending";
inline constexpr std::string_view label_other_order = "express.label_other_order";
inline constexpr std::string_view label_other_tracking = "express.label_other_tracking";
inline constexpr std::string_view label_unreadable = "express.label_unreadable";
inline constexpr std::string_view label_outdated = "express.label_outdated";
}  // namespace reason

}  // namespace packline::station
