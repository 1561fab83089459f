// A pause a supervisor ordered from the hub outlives a restart: it is kept
// in the store's station values until the supervisor resumes the station.
#pragma once

#include <optional>

#include "packline/error.h"
#include "packline/station/packer_session.h"
#include "packline/station/store.h"

namespace packline::station {

Status save_pause(Store& store, const PackerSession::Pause& pause);
Status clear_pause(Store& store);
// The pause on record, if any.
Result<std::optional<PackerSession::Pause>> load_pause(Store& store);

}  // namespace packline::station
