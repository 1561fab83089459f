// Label jobs: the parcel's label rendered from the station's template and
// handed to the label printer. The template is loaded at the first label;
// the date printed is the station clock's. Thread-bound like the station.
#pragma once

#include <optional>
#include <string>

#include "packline/clock.h"
#include "packline/error.h"
#include "packline/hardware/devices.h"
#include "packline/labels/render.h"
#include "packline/labels/template.h"
#include "packline/station/config.h"
#include "packline/station/domain.h"
#include "packline/station/store.h"

namespace packline::station {

class LabelJobs {
  public:
    // All four must outlive the jobs; `printer` may be null (none connected).
    LabelJobs(Store& store, const StationConfig& config, const Clock& clock,
              hardware::LabelPrinter* printer);

    // The label of parcel `next` of `order`, in the configured format.
    Result<labels::RenderedLabel> render(const Parcel& next, const Order& order);
    // Hands a rendered label to the printer: the job id. The failure is the
    // express check's (express.print_failed), ready for the packer.
    std::variant<std::string, CheckResult> submit(labels::RenderedLabel label, const Parcel& next,
                                                  const Order& order);
    bool has_printer() const { return printer_ != nullptr; }

  private:
    Store& store_;
    const StationConfig& config_;
    const Clock& clock_;
    hardware::LabelPrinter* printer_;
    std::optional<labels::LabelTemplate> template_;  // loaded at the first label
};

}  // namespace packline::station
