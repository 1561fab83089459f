#include "packline/hub/catalogue.h"

#include "packline/hub/event_ids.h"
#include "packline/hub/hub_errors.h"
#include "packline/sync/objects.h"
#include "packline/sync/topics.h"

namespace packline::hub {
namespace {

sync::TopicKind topic_kind(CatalogueKind kind) {
    switch (kind) {
        case CatalogueKind::Order:
            return sync::TopicKind::Order;
        case CatalogueKind::Sku:
            return sync::TopicKind::Sku;
        case CatalogueKind::Packaging:
            return sync::TopicKind::Packaging;
    }
    return sync::TopicKind::Order;
}

struct Publication {
    HubStore& store;
    const RetainedPublisher& publish;
    std::int64_t now_ms;
    CatalogueReport report;

    // Encoded, recorded, published. An object that cannot be encoded is
    // skipped; a store or broker failure ends the import.
    Status one(CatalogueKind kind, const std::string& site, const std::string& id,
               const Result<std::string>& payload) {
        const std::string name = std::string(to_string(kind)) + " " + id + " (site " + site + ")";
        auto topic = sync::build_topic(sync::Topic{topic_kind(kind), site, "", id});
        if (!topic) {
            report.skipped.push_back(name + ": " + topic.error().message);
            return {};
        }
        if (!payload) {
            report.skipped.push_back(name + ": " + payload.error().message);
            return {};
        }
        if (auto stored = store.put_catalogue(CatalogueEntry{kind, site, id, *payload, now_ms});
            !stored)
            return stored.error().context(name);
        if (auto sent = publish(*topic, *payload); !sent) return sent.error().context(name);
        switch (kind) {
            case CatalogueKind::Order:
                ++report.orders;
                break;
            case CatalogueKind::Sku:
                ++report.skus;
                break;
            case CatalogueKind::Packaging:
                ++report.packaging;
                break;
        }
        return {};
    }

    sync::Envelope envelope() const { return sync::Envelope{new_event_id(), now_ms, 0}; }
};

}  // namespace

Result<CatalogueReport> publish_catalogue(HubStore& store, const station::ImportBatch& batch,
                                          std::span<const std::string> sites,
                                          const RetainedPublisher& publish, std::int64_t now_ms) {
    if (sites.empty()) return Error{errors::kHubOptions, "publish the catalogue: no site"};
    Publication publication{store, publish, now_ms, {}};
    // Packaging and SKUs first: an order a station receives can then be
    // packed at once.
    for (const station::Packaging& packaging : batch.packaging)
        for (const std::string& site : sites)
            if (auto done =
                    publication.one(CatalogueKind::Packaging, site, packaging.code,
                                    sync::packaging_json(site, packaging, publication.envelope()));
                !done)
                return done.error();
    for (const station::Sku& sku : batch.skus)
        for (const std::string& site : sites)
            if (auto done = publication.one(CatalogueKind::Sku, site, sku.sku,
                                            sync::sku_json(site, sku, publication.envelope()));
                !done)
                return done.error();
    for (const station::Order& order : batch.orders) {
        std::string site;
        if (!order.site.empty()) {
            for (const std::string& served : sites)
                if (served == order.site) site = served;
            if (site.empty()) {
                publication.report.skipped.push_back("order " + order.id + ": its site '" +
                                                     order.site + "' is not one of the targets");
                continue;
            }
        } else if (sites.size() == 1) {
            site = sites.front();
        } else {
            publication.report.skipped.push_back(
                "order " + order.id + ": it names no site and the hub serves several (--site)");
            continue;
        }
        if (auto done = publication.one(CatalogueKind::Order, site, order.id,
                                        sync::order_json(site, order, publication.envelope()));
            !done)
            return done.error();
    }
    return publication.report;
}

Status delete_catalogue_object(HubStore& store, CatalogueKind kind, std::string_view site,
                               std::string_view id, const RetainedPublisher& publish) {
    auto topic =
        sync::build_topic(sync::Topic{topic_kind(kind), std::string(site), "", std::string(id)});
    if (!topic) return topic.error();
    if (auto sent = publish(*topic, ""); !sent) return sent;
    auto removed = store.delete_catalogue(kind, site, id);
    if (!removed) return removed.error();
    return {};
}

}  // namespace packline::hub
