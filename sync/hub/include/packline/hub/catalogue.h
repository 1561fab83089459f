// Publishing the catalogue: orders, SKUs and packaging from an import (the
// station's importer: JSON and CSV files, docs/import-format.md) become
// retained messages on their per-object topics (orders/{id}, skus/{sku},
// packaging/{code}), recorded in the HubStore as published so they can be
// published again. An empty retained payload deletes an object.
//
// Sites: SKUs and packaging go to every target site; an order goes to its
// own `site` when it names one (it must be a target), else to the only
// target site. Objects that cannot travel (an id that cannot be a topic
// level, a value the schema refuses, an order for another site) are
// reported and skipped; the others are published.
//
// Thread-bound, like the HubStore it writes.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "packline/error.h"
#include "packline/hub/hub_store.h"
#include "packline/station/import_batch.h"

namespace packline::hub {

// Publishes one retained message (QoS 1) and returns when the broker has it.
using RetainedPublisher =
    std::function<Status(const std::string& topic, const std::string& payload)>;

struct CatalogueReport {
    std::int64_t orders = 0;
    std::int64_t skus = 0;
    std::int64_t packaging = 0;
    // "order 1/2: cannot be a topic level ...", one per object skipped.
    std::vector<std::string> skipped;
};

// Stops at the first failed publication (the broker is gone): what was
// published stays published and recorded; running the import again
// publishes everything again.
Result<CatalogueReport> publish_catalogue(HubStore& store, const station::ImportBatch& batch,
                                          std::span<const std::string> sites,
                                          const RetainedPublisher& publish, std::int64_t now_ms);

// Publishes the empty retained payload on the object's topic and forgets it.
// Error "sync.bad_topic" for an id that cannot be a topic level.
Status delete_catalogue_object(HubStore& store, CatalogueKind kind, std::string_view site,
                               std::string_view id, const RetainedPublisher& publish);

}  // namespace packline::hub
