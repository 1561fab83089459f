#include "label_jobs.h"

#include <utility>

#include "packline/labels/label_errors.h"
#include "packline/station/label_data.h"

namespace packline::station {

LabelJobs::LabelJobs(Store& store, const StationConfig& config, const Clock& clock,
                     hardware::LabelPrinter* printer)
    : store_(store), config_(config), clock_(clock), printer_(printer) {}

Result<labels::RenderedLabel> LabelJobs::render(const Parcel& next, const Order& order) {
    if (!template_) {
        auto loaded = labels::load_template(config_.label_template, config_.label_template_dir);
        if (!loaded.ok()) return loaded.error();
        template_ = std::move(loaded.value());
    }
    const auto format = labels::parse_label_format(config_.label_format);
    if (!format)
        return Error(errors::kLabelUnsupportedFormat,
                     "unknown label format " + config_.label_format);
    LabelParcel label_parcel;
    label_parcel.sequence = next.sequence;
    label_parcel.tracking_number = next.tracking_number;
    label_parcel.carrier = next.carrier;
    label_parcel.weight_g = next.weight_g.value_or(0.0);
    label_parcel.sscc = order.sscc;
    const LabelSender sender{config_.sender_name, config_.sender_address, config_.station_id,
                             label_date(clock_.now_ms())};
    const labels::LabelData data = make_label_data(
        order, label_parcel, sender, [this](const std::string& code) -> std::optional<Sku> {
            auto found = store_.find_sku(code);
            return found.ok() ? found.value() : std::nullopt;
        });
    return labels::render_label(*template_, data, *format);
}

std::variant<std::string, CheckResult> LabelJobs::submit(labels::RenderedLabel label,
                                                         const Parcel& next, const Order& order) {
    if (printer_ == nullptr)
        return CheckResult::fail("express.print_failed", "No label printer is connected.");
    auto job = printer_->submit(hardware::PrintJob{
        "order " + order.id + " parcel " + std::to_string(next.sequence),
        std::string(labels::content_type(label.format)), std::move(label.bytes)});
    if (!job.ok())
        return CheckResult::fail("express.print_failed",
                                 "The printer refused the label: " + job.error().message,
                                 {{"error", job.error().code}});
    return std::move(job.value());
}

}  // namespace packline::station
