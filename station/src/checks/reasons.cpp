#include <array>

#include "packline/station/checks_reasons.h"

namespace packline::station {
namespace {

constexpr std::array kReasons{
    ReasonInfo{reason::order_cancelled, "customer",
               "The order was cancelled; nothing may be packed."},
    ReasonInfo{reason::order_on_hold, "customer", "The order is on hold; nothing may be packed."},
    ReasonInfo{reason::order_already_packed, "customer", "The order is already packed."},
    ReasonInfo{reason::order_already_shipped, "customer", "The order has already shipped."},
    ReasonInfo{reason::name_missing, "customer", "The recipient has no name."},
    ReasonInfo{reason::name_invalid, "customer",
               "The recipient name has no letters, bad characters, or over 100 characters."},
    ReasonInfo{reason::phone_missing, "customer", "The recipient has no phone number."},
    ReasonInfo{reason::phone_invalid, "customer",
               "The phone number does not fit the destination country's format."},
    ReasonInfo{reason::address_missing, "customer", "The address has no street line."},
    ReasonInfo{reason::address_invalid, "customer",
               "A street line, city or region has bad characters or is too long."},
    ReasonInfo{reason::city_missing, "customer", "The address has no city."},
    ReasonInfo{reason::region_missing, "customer",
               "The address has no state / province / prefecture where the country needs one."},
    ReasonInfo{reason::postal_code_missing, "customer",
               "The address has no postal code in a country that uses them."},
    ReasonInfo{reason::postal_code_invalid, "customer",
               "The postal code does not fit the destination country's format."},
    ReasonInfo{reason::country_invalid, "customer",
               "The country is missing or not an ISO 3166-1 alpha-2 code."},
    ReasonInfo{reason::waybill_missing, "customer",
               "A waybill was scanned but no tracking number is assigned to the parcel or order."},
    ReasonInfo{reason::waybill_mismatch, "customer",
               "The pre-printed waybill carries another tracking number."},
    ReasonInfo{reason::unknown_code, "contents", "The scanned code resolves to no SKU."},
    ReasonInfo{reason::not_in_order, "contents",
               "The SKU is not on the order, nor any variant of its style."},
    ReasonInfo{reason::wrong_variant, "contents",
               "The order has this style in another size and/or colour."},
    ReasonInfo{reason::over_quantity, "contents",
               "Every unit of this SKU is already scanned for this parcel."},
    ReasonInfo{reason::serial_required, "contents",
               "The SKU needs a serial number and none was scanned."},
    ReasonInfo{reason::serial_repeated, "contents",
               "This serial number is already in this parcel or another parcel."},
    ReasonInfo{reason::missing_item, "contents",
               "Order lines of this parcel still have items to scan."},
    ReasonInfo{reason::weight_unstable, "contents", "The scale is still in motion."},
    ReasonInfo{reason::weight_negative, "contents", "The scale reads below zero."},
    ReasonInfo{reason::weight_overload, "contents", "The parcel is over the scale's capacity."},
    ReasonInfo{reason::weight_scale_fault, "contents",
               "The scale reports a fault or no usable number."},
    ReasonInfo{reason::weight_empty, "contents", "The scale reads zero: nothing is on it."},
    ReasonInfo{reason::weight_too_light, "contents",
               "The parcel is lighter than expected minus tolerance."},
    ReasonInfo{reason::weight_too_heavy, "contents",
               "The parcel is heavier than expected plus tolerance."},
    ReasonInfo{reason::tracking_missing, "express", "The parcel has no tracking number."},
    ReasonInfo{reason::tracking_invalid, "express",
               "The tracking number fails its carrier's format or check digit."},
    ReasonInfo{reason::carrier_unknown, "express",
               "The parcel's carrier code is empty or not known."},
    ReasonInfo{reason::wrong_carrier, "express", "The tracking number belongs to another carrier."},
    ReasonInfo{reason::tracking_reused, "express",
               "The tracking number is already used by another parcel."},
    ReasonInfo{reason::print_failed, "express", "The label print job failed."},
    ReasonInfo{reason::print_pending, "express", "The label print job has not completed yet."},
    ReasonInfo{reason::label_other_order, "express",
               "The label scanned back belongs to another order."},
    ReasonInfo{reason::label_other_tracking, "express",
               "The label scanned back carries another (or no) tracking number."},
    ReasonInfo{reason::label_unreadable, "express",
               "The label scanned back carried neither order nor tracking."},
    ReasonInfo{reason::label_outdated, "express",
               "The recipient changed centrally after the label was printed: reprint."},
};

}  // namespace

std::span<const ReasonInfo> all_reasons() {
    return kReasons;
}

const ReasonInfo* find_reason(std::string_view code) {
    for (const ReasonInfo& info : kReasons)
        if (info.code == code) return &info;
    return nullptr;
}

}  // namespace packline::station
