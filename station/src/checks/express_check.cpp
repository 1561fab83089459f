#include "packline/station/checks_express.h"
#include "packline/station/checks_reasons.h"
#include "packline/station/tracking.h"
#include "text.h"

namespace packline::station {
namespace {

CheckResult fail(std::string_view code, std::string message, std::vector<Detail> details) {
    return CheckResult::fail(std::string(code), std::move(message), std::move(details));
}

}  // namespace

CheckResult check_tracking(std::string_view tracking_number, std::string_view carrier_code_text,
                           bool used_by_other_parcel) {
    const std::string_view requested_carrier = text::trim(carrier_code_text);
    const std::string number = normalize_tracking_number(tracking_number);
    if (number.empty())
        return fail(reason::tracking_missing,
                    "No tracking number for this parcel — print or scan a label",
                    {{"carrier", std::string(requested_carrier)}});

    const std::optional<Carrier> carrier = carrier_from_code(requested_carrier);
    if (!carrier || *carrier == Carrier::Unknown)
        return fail(reason::carrier_unknown,
                    requested_carrier.empty()
                        ? std::string("No carrier set for this parcel — call a supervisor")
                        : "Carrier \"" + text::printable(requested_carrier) +
                              "\" is not known — call a supervisor",
                    {{"carrier", text::printable(requested_carrier, 200)},
                     {"tracking_number", text::printable(number, 200)}});

    const TrackingCheck result = check_tracking_number(tracking_number, *carrier);
    const std::string expected_carrier(carrier_code(*carrier));
    if (!result.valid) {
        if (result.reason == "tracking.empty")
            return fail(reason::tracking_missing,
                        "No tracking number for this parcel — print or scan a label",
                        {{"carrier", expected_carrier}});
        std::vector<Detail> details{{"tracking_number", text::printable(number, 200)},
                                    {"expected_carrier", expected_carrier},
                                    {"tracking_reason", result.reason},
                                    {"tracking_message", result.message}};
        if (result.reason == "tracking.wrong_carrier") {
            details.push_back({"seen_carrier", std::string(carrier_code(result.carrier))});
            details.push_back({"format", result.format});
            return fail(reason::wrong_carrier,
                        result.message.empty()
                            ? "This is a " + std::string(carrier_display_name(result.carrier)) +
                                  " number — the parcel ships with " +
                                  std::string(carrier_display_name(*carrier))
                            : result.message,
                        std::move(details));
        }
        if (!result.format.empty()) details.push_back({"format", result.format});
        return fail(reason::tracking_invalid,
                    result.message.empty()
                        ? "Tracking number " + text::printable(number) + " is not a valid " +
                              std::string(carrier_display_name(*carrier)) + " number"
                        : result.message,
                    std::move(details));
    }

    if (used_by_other_parcel)
        return fail(reason::tracking_reused,
                    "Tracking number " + result.number +
                        " is already on another parcel — never ship two parcels on one number",
                    {{"tracking_number", result.number}, {"carrier", expected_carrier}});
    return CheckResult::pass();
}

CheckResult check_label_printed(hardware::PrintJobState state, std::string_view detail) {
    const std::string_view why = text::trim(detail);
    std::vector<Detail> details{{"state", std::string(hardware::to_string(state))},
                                {"detail", text::printable(why, 200)}};
    switch (state) {
        case hardware::PrintJobState::Completed:
            return CheckResult::pass();
        case hardware::PrintJobState::Failed:
            return fail(reason::print_failed,
                        why.empty()
                            ? std::string("Label did not print — check the printer, then reprint")
                            : "Label did not print (" + text::printable(why, 60) +
                                  ") — check the printer, then reprint",
                        std::move(details));
        case hardware::PrintJobState::Queued:
        case hardware::PrintJobState::Printing:
            break;
    }
    return fail(reason::print_pending, "Label is still printing — wait for it", std::move(details));
}

CheckResult check_scan_back(std::string_view expected_order, std::string_view expected_tracking,
                            std::string_view decoded_order, std::string_view decoded_tracking) {
    const std::string_view order = text::trim(decoded_order);
    const std::string_view wanted_order = text::trim(expected_order);
    const std::string tracking = normalize_tracking_number(decoded_tracking);
    const std::string wanted_tracking = normalize_tracking_number(expected_tracking);
    if (order.empty() && tracking.empty())
        return fail(reason::label_unreadable, "Could not read the label — scan it again",
                    {{"expected_order", std::string(wanted_order)},
                     {"expected_tracking", wanted_tracking}});
    if (!order.empty() && order != wanted_order)
        return fail(reason::label_other_order,
                    "This label belongs to order " + text::printable(order) + ", not " +
                        text::printable(wanted_order) + " — find the right label",
                    {{"expected_order", std::string(wanted_order)},
                     {"seen_order", text::printable(order, 200)},
                     {"seen_tracking", text::printable(tracking, 200)}});
    if (tracking != wanted_tracking)
        return fail(reason::label_other_tracking,
                    tracking.empty()
                        ? std::string("This label has no tracking number — reprint it")
                        : "This label has tracking number " + text::printable(tracking) +
                              ", this parcel needs " + wanted_tracking + " — find the right label",
                    {{"expected_tracking", wanted_tracking},
                     {"seen_tracking", text::printable(tracking, 200)},
                     {"expected_order", std::string(wanted_order)}});
    return CheckResult::pass();
}

CheckResult check_label_recipient(std::string_view order_id, const Recipient& printed_for,
                                  const Recipient& now) {
    const bool same = printed_for.name == now.name && printed_for.phone == now.phone &&
                      printed_for.address.lines == now.address.lines &&
                      printed_for.address.city == now.address.city &&
                      printed_for.address.region == now.address.region &&
                      printed_for.address.postal_code == now.address.postal_code &&
                      printed_for.address.country == now.address.country;
    if (same) return CheckResult::pass();
    const std::string id(order_id);
    return fail(reason::label_outdated,
                "The address of order " + id +
                    " changed after its label was printed: scan REPRINT and stick on the new "
                    "label.",
                {{"order", id}});
}

}  // namespace packline::station
