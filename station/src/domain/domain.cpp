#include "packline/station/domain.h"

#include <array>
#include <utility>

namespace packline::station {
namespace {

template <typename Enum, std::size_t N>
std::optional<Enum> lookup(const std::array<std::pair<Enum, std::string_view>, N>& table,
                           std::string_view text) {
    for (const auto& [value, name] : table)
        if (name == text) return value;
    return std::nullopt;
}

template <typename Enum, std::size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& table,
                         Enum value) {
    for (const auto& [candidate, name] : table)
        if (candidate == value) return name;
    return "unknown";
}

constexpr std::array<std::pair<OrderStatus, std::string_view>, 5> kOrderStatus{{
    {OrderStatus::Open, "open"},
    {OrderStatus::OnHold, "on_hold"},
    {OrderStatus::Cancelled, "cancelled"},
    {OrderStatus::Packed, "packed"},
    {OrderStatus::Shipped, "shipped"},
}};

constexpr std::array<std::pair<CheckStatus, std::string_view>, 4> kCheckStatus{{
    {CheckStatus::Pending, "pending"},
    {CheckStatus::Passed, "passed"},
    {CheckStatus::Failed, "failed"},
    {CheckStatus::Overridden, "overridden"},
}};

constexpr std::array<std::pair<ParcelState, std::string_view>, 7> kParcelState{{
    {ParcelState::Scanning, "scanning"},
    {ParcelState::Weighing, "weighing"},
    {ParcelState::Printing, "printing"},
    {ParcelState::AwaitingScanBack, "awaiting_scan_back"},
    {ParcelState::Exception, "exception"},
    {ParcelState::Confirmed, "confirmed"},
    {ParcelState::Abandoned, "abandoned"},
}};

}  // namespace

std::string_view to_string(OrderStatus status) {
    return name_of(kOrderStatus, status);
}
std::optional<OrderStatus> order_status_from_string(std::string_view text) {
    // "on-hold" and "hold" are common spellings in shop exports.
    if (text == "on-hold" || text == "hold") return OrderStatus::OnHold;
    if (text == "canceled") return OrderStatus::Cancelled;
    return lookup(kOrderStatus, text);
}

std::string_view to_string(CheckStatus status) {
    return name_of(kCheckStatus, status);
}
std::optional<CheckStatus> check_status_from_string(std::string_view text) {
    return lookup(kCheckStatus, text);
}

std::string_view to_string(ParcelState state) {
    return name_of(kParcelState, state);
}
std::optional<ParcelState> parcel_state_from_string(std::string_view text) {
    return lookup(kParcelState, text);
}

}  // namespace packline::station
