#include <algorithm>
#include <cmath>
#include <set>

#include "packline/station/checks_reasons.h"
#include "packline/station/checks_weight.h"
#include "text.h"

namespace packline::station {
namespace {

// Readings under half a gram display as 0 g: nothing is on the scale.
constexpr double kEmptyBelowG = 0.5;
// Sums of doubles (unit weights, percentages) carry representation error; a
// reading exactly at the tolerance must pass.
constexpr double kEpsilonG = 1e-6;

double non_negative(double value) {
    return std::isfinite(value) && value > 0.0 ? value : 0.0;
}

double tolerance_from(double expected_g, double abs_g, double pct) {
    return std::max(non_negative(abs_g), non_negative(pct) / 100.0 * non_negative(expected_g));
}

CheckResult fail(std::string_view code, std::string message, std::vector<Detail> details) {
    return CheckResult::fail(std::string(code), std::move(message), std::move(details));
}

}  // namespace

double expected_weight_g(const std::vector<ScannedItem>& items,
                         const std::map<std::string, Sku, std::less<>>& skus, double tare_g) {
    double total = non_negative(tare_g);
    for (const ScannedItem& item : items) {
        const auto found = skus.find(item.sku);
        if (found != skus.end()) total += non_negative(found->second.unit_weight_g);
    }
    return total;
}

double weight_tolerance_g(double expected_g, const WeightTolerance& site,
                          const std::vector<ScannedItem>& items,
                          const std::map<std::string, Sku, std::less<>>& skus) {
    double tolerance = tolerance_from(expected_g, site.abs_g, site.pct);
    std::set<std::string_view> seen;
    for (const ScannedItem& item : items) {
        if (!seen.insert(item.sku).second) continue;
        const auto found = skus.find(item.sku);
        if (found == skus.end()) continue;
        const Sku& sku = found->second;
        if (!sku.tolerance_abs_g && !sku.tolerance_pct) continue;
        tolerance =
            std::max(tolerance, tolerance_from(expected_g, sku.tolerance_abs_g.value_or(0.0),
                                               sku.tolerance_pct.value_or(0.0)));
    }
    return tolerance;
}

CheckResult check_weight(double expected_g, double tolerance_g,
                         const hardware::WeightReading& reading) {
    const double measured = reading.grams;
    std::vector<Detail> seen{{"measured_g", text::format_number(measured)},
                             {"status", std::string(hardware::to_string(reading.status))},
                             {"device", reading.device}};
    switch (reading.status) {
        case hardware::WeightStatus::InMotion:
            return fail(reason::weight_unstable, "Scale is still settling — keep the parcel still",
                        std::move(seen));
        case hardware::WeightStatus::UnderZero:
            return fail(reason::weight_negative,
                        "Scale shows a negative weight — take everything off and zero it",
                        std::move(seen));
        case hardware::WeightStatus::Overload:
            return fail(reason::weight_overload, "Too heavy for this scale — use a bigger scale",
                        std::move(seen));
        case hardware::WeightStatus::Fault:
            return fail(reason::weight_scale_fault,
                        "Scale fault — empty it, re-zero it, or call a supervisor",
                        std::move(seen));
        case hardware::WeightStatus::AtZero:
            return fail(reason::weight_empty, "Scale shows 0 g — put the parcel on the scale",
                        std::move(seen));
        case hardware::WeightStatus::Stable:
            break;
    }
    if (!std::isfinite(measured))
        return fail(reason::weight_scale_fault,
                    "Scale fault — empty it, re-zero it, or call a supervisor", std::move(seen));
    if (measured < 0.0)
        return fail(reason::weight_negative,
                    "Scale shows a negative weight — take everything off and zero it",
                    std::move(seen));
    if (measured < kEmptyBelowG)
        return fail(reason::weight_empty, "Scale shows 0 g — put the parcel on the scale",
                    std::move(seen));

    const double expected = non_negative(expected_g);
    const double tolerance = non_negative(tolerance_g);
    const double difference = measured - expected;
    if (std::fabs(difference) <= tolerance + kEpsilonG) return CheckResult::pass();

    const bool light = difference < 0.0;
    std::vector<Detail> details{{"expected_g", text::format_number(expected)},
                                {"tolerance_g", text::format_number(tolerance)},
                                {"measured_g", text::format_number(measured)},
                                {"difference_g", text::format_number(difference)}};
    const std::string summary = "Parcel weighs " + text::format_grams(measured) + ", expected " +
                                text::format_grams(expected) + " ± " +
                                text::format_grams(tolerance);
    if (light)
        return fail(reason::weight_too_light, summary + " — something is missing?",
                    std::move(details));
    return fail(reason::weight_too_heavy, summary + " — something extra inside?",
                std::move(details));
}

}  // namespace packline::station
