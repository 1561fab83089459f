#include <optional>

#include "packline/station/address_rules.h"
#include "packline/station/checks_customer.h"
#include "packline/station/checks_reasons.h"
#include "packline/station/tracking.h"
#include "text.h"

namespace packline::station {
namespace {

constexpr std::size_t kMaxNameLength = 100;
constexpr std::size_t kMaxAddressFieldLength = 200;
constexpr std::size_t kMaxPhoneLength = 40;

CheckResult fail(std::string_view code, std::string message, std::vector<Detail> details) {
    return CheckResult::fail(std::string(code), std::move(message), std::move(details));
}

std::string quoted(std::string_view value) {
    return "\"" + text::printable(value) + "\"";
}

std::string capitalised(std::string_view label) {
    std::string out(label);
    if (!out.empty() && out[0] >= 'a' && out[0] <= 'z')
        out[0] = static_cast<char>(out[0] - 'a' + 'A');
    return out;
}

// Why a free-text field cannot go on a label, or nullopt when it can.
std::optional<std::string_view> text_problem(std::string_view value, std::size_t max_length) {
    const text::Utf8Scan scan = text::scan_utf8(value);
    if (!scan.valid) return "encoding";
    if (scan.has_control) return "control_character";
    if (scan.code_points > max_length) return "too_long";
    return std::nullopt;
}

std::string problem_phrase(std::string_view problem) {
    if (problem == "too_long") return "is too long";
    return "has unreadable characters";
}

CheckResult address_field_invalid(std::string_view field, std::string_view label,
                                  std::string_view value, std::string_view problem) {
    return fail(reason::address_invalid,
                capitalised(label) + " " + problem_phrase(problem) + ": " + quoted(value),
                {{"field", std::string(field)},
                 {"value", text::printable(value, 200)},
                 {"problem", std::string(problem)}});
}

std::string country_display(const CountryRules& rules, std::string_view iso2) {
    return rules.name.empty() ? text::to_upper_ascii(iso2) : std::string(rules.name);
}

CheckResult check_name(std::string_view raw) {
    const std::string_view name = text::trim(raw);
    if (name.empty())
        return fail(reason::name_missing, "Recipient name is missing", {{"field", "name"}});
    const text::Utf8Scan scan = text::scan_utf8(name);
    auto invalid = [&name](std::string message, std::string_view problem) {
        return fail(reason::name_invalid, std::move(message),
                    {{"field", "name"},
                     {"value", text::printable(name, 200)},
                     {"problem", std::string(problem)}});
    };
    if (!scan.valid) return invalid("Recipient name has unreadable characters", "encoding");
    if (scan.has_control)
        return invalid("Recipient name has unreadable characters", "control_character");
    if (scan.code_points > kMaxNameLength)
        return invalid("Recipient name is too long (" + std::to_string(scan.code_points) +
                           " characters, max " + std::to_string(kMaxNameLength) + ")",
                       "too_long");
    if (!scan.has_letter)
        return invalid("Recipient name " + quoted(name) + " is not a name", "no_letters");
    return CheckResult::pass();
}

CheckResult check_country(std::string_view raw) {
    const std::string_view country = text::trim(raw);
    if (country.empty())
        return fail(reason::country_invalid, "Country is missing",
                    {{"field", "country"}, {"value", ""}});
    if (is_known_country(country)) return CheckResult::pass();
    std::string message = "Country " + quoted(country) + " is not a country code";
    if (text::to_upper_ascii(country) == "UK") message += " (United Kingdom is GB)";
    return fail(reason::country_invalid, std::move(message),
                {{"field", "country"}, {"value", text::printable(country, 200)}});
}

}  // namespace

CheckResult check_order_status(const Order& order) {
    const std::string id = text::printable(order.id);
    std::vector<Detail> details{{"order_id", order.id},
                                {"status", std::string(to_string(order.status))}};
    switch (order.status) {
        case OrderStatus::Open:
            return CheckResult::pass();
        case OrderStatus::Cancelled:
            return fail(reason::order_cancelled,
                        "STOP — order " + id + " is CANCELLED. Do not pack; put the items back.",
                        std::move(details));
        case OrderStatus::OnHold:
            return fail(reason::order_on_hold,
                        "STOP — order " + id + " is ON HOLD. Do not pack; call a supervisor.",
                        std::move(details));
        case OrderStatus::Packed:
            return fail(reason::order_already_packed,
                        "Order " + id + " is already packed — is this a duplicate?",
                        std::move(details));
        case OrderStatus::Shipped:
            return fail(reason::order_already_shipped,
                        "Order " + id + " has already shipped — do not pack it again.",
                        std::move(details));
    }
    return fail(reason::order_on_hold,
                "Order " + id + " has an unknown status — call a supervisor.", std::move(details));
}

CheckResult check_recipient(const Recipient& recipient) {
    if (CheckResult name = check_name(recipient.name); !name.passed) return name;

    const Address& address = recipient.address;
    if (CheckResult country = check_country(address.country); !country.passed) return country;
    const std::string_view iso2 = text::trim(address.country);
    const CountryRules& rules = rules_for_country(iso2);
    const std::string country_name = country_display(rules, iso2);

    bool has_street = false;
    for (std::size_t i = 0; i < address.lines.size(); ++i) {
        const std::string_view line = text::trim(address.lines[i]);
        if (line.empty()) continue;
        if (const auto problem = text_problem(line, kMaxAddressFieldLength))
            return address_field_invalid("address_line_" + std::to_string(i + 1),
                                         "address line " + std::to_string(i + 1), line, *problem);
        has_street = true;
    }
    if (!has_street)
        return fail(reason::address_missing, "Street address is missing",
                    {{"field", "address_line_1"}});

    const std::string_view city = text::trim(address.city);
    if (city.empty()) return fail(reason::city_missing, "City is missing", {{"field", "city"}});
    if (const auto problem = text_problem(city, kMaxAddressFieldLength))
        return address_field_invalid("city", "city", city, *problem);

    const std::string_view region = text::trim(address.region);
    if (region.empty() && rules.region_required)
        return fail(reason::region_missing,
                    capitalised(rules.region_label) + " is missing — required for " + country_name,
                    {{"field", "region"}, {"country", text::to_upper_ascii(iso2)}});
    if (const auto problem = text_problem(region, kMaxAddressFieldLength))
        return address_field_invalid("region", rules.region_label, region, *problem);

    const std::string_view postal_code = text::trim(address.postal_code);
    if (postal_code.empty()) {
        if (country_uses_postal_codes(iso2))
            return fail(reason::postal_code_missing,
                        capitalised(rules.postal_label) + " is missing",
                        {{"field", "postal_code"}, {"country", text::to_upper_ascii(iso2)}});
    } else if (!valid_postal_code(iso2, postal_code)) {
        std::string message = capitalised(rules.postal_label) + " " + quoted(postal_code) +
                              " is not valid for " + country_name;
        if (!rules.postal_example.empty())
            message += " — like " + std::string(rules.postal_example);
        return fail(reason::postal_code_invalid, std::move(message),
                    {{"field", "postal_code"},
                     {"value", text::printable(postal_code, 200)},
                     {"country", text::to_upper_ascii(iso2)},
                     {"expected", std::string(rules.postal_example)}});
    }

    const std::string_view phone = text::trim(recipient.phone);
    if (phone.empty())
        return fail(reason::phone_missing, "Recipient phone number is missing",
                    {{"field", "phone"}});
    if (phone.size() > kMaxPhoneLength || text_problem(phone, kMaxPhoneLength) ||
        !valid_phone(iso2, phone)) {
        std::string message =
            "Phone " + quoted(phone) + " is not a valid number for " + country_name;
        if (!rules.phone_example.empty()) message += " — like " + std::string(rules.phone_example);
        return fail(reason::phone_invalid, std::move(message),
                    {{"field", "phone"},
                     {"value", text::printable(phone, 200)},
                     {"country", text::to_upper_ascii(iso2)},
                     {"expected", std::string(rules.phone_example)}});
    }
    return CheckResult::pass();
}

CheckResult check_customer(const Order& order) {
    if (CheckResult status = check_order_status(order); !status.passed) return status;
    return check_recipient(order.recipient);
}

CheckResult check_waybill(const Order& order, std::string_view parcel_tracking,
                          std::string_view scanned_waybill) {
    const std::string_view assigned = text::trim(parcel_tracking).empty()
                                          ? text::trim(order.tracking_number)
                                          : text::trim(parcel_tracking);
    if (assigned.empty())
        return fail(reason::waybill_missing,
                    "No tracking number is assigned to order " + text::printable(order.id) +
                        " — cannot check the waybill",
                    {{"order_id", order.id}});
    const std::string expected = normalize_tracking_number(assigned);
    const std::string seen = normalize_tracking_number(scanned_waybill);
    if (seen == expected) return CheckResult::pass();
    std::vector<Detail> details{
        {"order_id", order.id}, {"expected", expected}, {"seen", text::printable(seen, 200)}};
    if (seen.empty())
        return fail(reason::waybill_mismatch,
                    "Nothing read from the waybill — scan its barcode again", std::move(details));
    return fail(
        reason::waybill_mismatch,
        "Wrong waybill: it says " + text::printable(seen) + ", this parcel needs " + expected,
        std::move(details));
}

}  // namespace packline::station
