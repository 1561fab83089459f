// Orders, SKUs and packaging: import, upserts and look-ups.
#include <utility>

#include "packline/store_errors.h"
#include "store_impl.h"

namespace packline::station {
namespace {

constexpr std::string_view kUpsertOrder = R"sql(
INSERT INTO orders (id, site, status, recipient_name, recipient_phone, address_city,
                    address_region, address_postal_code, address_country, carrier, service,
                    tracking_number, packaging, created_at_ms, ship_by_ms, updated_at_ms, sscc)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
ON CONFLICT (id) DO UPDATE SET
    site = excluded.site,
    -- An order the station already packed or shipped stays so: a late or
    -- replayed import must not reopen it.
    status = CASE WHEN orders.status IN ('packed', 'shipped')
                   AND excluded.status IN ('open', 'on_hold')
                  THEN orders.status ELSE excluded.status END,
    recipient_name = excluded.recipient_name,
    recipient_phone = excluded.recipient_phone,
    address_city = excluded.address_city,
    address_region = excluded.address_region,
    address_postal_code = excluded.address_postal_code,
    address_country = excluded.address_country,
    carrier = excluded.carrier,
    service = excluded.service,
    tracking_number = excluded.tracking_number,
    packaging = excluded.packaging,
    created_at_ms = excluded.created_at_ms,
    ship_by_ms = excluded.ship_by_ms,
    updated_at_ms = excluded.updated_at_ms,
    sscc = excluded.sscc
)sql";

constexpr std::string_view kSelectOrder = R"sql(
SELECT id, site, status, recipient_name, recipient_phone, address_city, address_region,
       address_postal_code, address_country, carrier, service, tracking_number, packaging,
       created_at_ms, ship_by_ms, sscc
FROM orders WHERE id = ?1
)sql";

constexpr std::string_view kUpsertSku = R"sql(
INSERT INTO skus (sku, name, style, size, colour, unit_weight_g, serial_required,
                  tolerance_abs_g, tolerance_pct, updated_at_ms)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
ON CONFLICT (sku) DO UPDATE SET
    name = excluded.name, style = excluded.style, size = excluded.size,
    colour = excluded.colour, unit_weight_g = excluded.unit_weight_g,
    serial_required = excluded.serial_required, tolerance_abs_g = excluded.tolerance_abs_g,
    tolerance_pct = excluded.tolerance_pct, updated_at_ms = excluded.updated_at_ms
)sql";

// A code claimed by another SKU moves to this one: the newest catalogue wins
// (a reused GTIN), and a code never resolves to two SKUs.
constexpr std::string_view kUpsertBarcode = R"sql(
INSERT INTO sku_barcodes (code, sku, position) VALUES (?1, ?2, ?3)
ON CONFLICT (code) DO UPDATE SET sku = excluded.sku, position = excluded.position
)sql";

Status write_order(Store::Impl& impl, const Order& order, std::int64_t now_ms) {
    auto upsert = impl.query(kUpsertOrder);
    if (!upsert) return upsert.error();
    const Recipient& recipient = order.recipient;
    upsert->bind_text(1, order.id)
        .bind_text(2, order.site)
        .bind_text(3, to_string(order.status))
        .bind_text(4, recipient.name)
        .bind_text(5, recipient.phone)
        .bind_text(6, recipient.address.city)
        .bind_text(7, recipient.address.region)
        .bind_text(8, recipient.address.postal_code)
        .bind_text(9, recipient.address.country)
        .bind_text(10, order.carrier)
        .bind_text(11, order.service)
        .bind_text(12, order.tracking_number)
        .bind_text(13, order.packaging)
        .bind_integer(14, order.created_at_ms)
        .bind_integer(15, order.ship_by_ms)
        .bind_integer(16, now_ms)
        .bind_text(17, order.sscc);
    if (auto status = upsert->run(); !status) return status;

    for (std::string_view sql : {"DELETE FROM order_lines WHERE order_id = ?1",
                                 "DELETE FROM order_address_lines WHERE order_id = ?1"}) {
        auto remove = impl.query(sql);
        if (!remove) return remove.error();
        remove->bind_text(1, order.id);
        if (auto status = remove->run(); !status) return status;
    }
    std::int64_t line_no = 0;
    for (const OrderLine& line : order.lines) {
        auto insert = impl.query(
            "INSERT INTO order_lines (order_id, line_no, sku, quantity) VALUES (?1, ?2, ?3, ?4)");
        if (!insert) return insert.error();
        insert->bind_text(1, order.id)
            .bind_integer(2, ++line_no)
            .bind_text(3, line.sku)
            .bind_integer(4, line.quantity);
        if (auto status = insert->run(); !status)
            return status.error().context("line " + std::to_string(line_no) + " (" + line.sku +
                                          ")");
    }
    line_no = 0;
    for (const std::string& text : recipient.address.lines) {
        auto insert = impl.query(
            "INSERT INTO order_address_lines (order_id, line_no, text) VALUES (?1, ?2, ?3)");
        if (!insert) return insert.error();
        insert->bind_text(1, order.id).bind_integer(2, ++line_no).bind_text(3, text);
        if (auto status = insert->run(); !status) return status;
    }
    return {};
}

Status write_sku(Store::Impl& impl, const Sku& sku, std::int64_t now_ms) {
    auto upsert = impl.query(kUpsertSku);
    if (!upsert) return upsert.error();
    upsert->bind_text(1, sku.sku)
        .bind_text(2, sku.name)
        .bind_text(3, sku.style)
        .bind_text(4, sku.size)
        .bind_text(5, sku.colour)
        .bind_real(6, sku.unit_weight_g)
        .bind_integer(7, sku.serial_required ? 1 : 0)
        .bind_optional_real(8, sku.tolerance_abs_g)
        .bind_optional_real(9, sku.tolerance_pct)
        .bind_integer(10, now_ms);
    if (auto status = upsert->run(); !status) return status;

    auto remove = impl.query("DELETE FROM sku_barcodes WHERE sku = ?1");
    if (!remove) return remove.error();
    remove->bind_text(1, sku.sku);
    if (auto status = remove->run(); !status) return status;
    std::int64_t position = 0;
    for (const std::string& code : sku.barcodes) {
        auto insert = impl.query(kUpsertBarcode);
        if (!insert) return insert.error();
        insert->bind_text(1, code).bind_text(2, sku.sku).bind_integer(3, position++);
        if (auto status = insert->run(); !status)
            return status.error().context("barcode '" + code + "'");
    }
    return {};
}

Status write_packaging(Store::Impl& impl, const Packaging& packaging, std::int64_t now_ms) {
    auto upsert = impl.query(R"sql(
INSERT INTO packaging (code, name, tare_g, updated_at_ms) VALUES (?1, ?2, ?3, ?4)
ON CONFLICT (code) DO UPDATE SET
    name = excluded.name, tare_g = excluded.tare_g, updated_at_ms = excluded.updated_at_ms
)sql");
    if (!upsert) return upsert.error();
    upsert->bind_text(1, packaging.code)
        .bind_text(2, packaging.name)
        .bind_real(3, packaging.tare_g)
        .bind_integer(4, now_ms);
    return upsert->run();
}

Result<std::optional<Order>> load_order(Store::Impl& impl, std::string_view id) {
    Order order;
    {
        auto select = impl.query(kSelectOrder);
        if (!select) return select.error();
        select->bind_text(1, id);
        auto row = select->step();
        if (!row) return row.error();
        if (!*row) return std::optional<Order>{};
        order.id = select->column_text(0);
        order.site = select->column_text(1);
        const std::string status = select->column_text(2);
        auto parsed = order_status_from_string(status);
        if (!parsed) return Error{errors::kStoreCorrupt, "unknown order status '" + status + "'"};
        order.status = *parsed;
        order.recipient.name = select->column_text(3);
        order.recipient.phone = select->column_text(4);
        order.recipient.address.city = select->column_text(5);
        order.recipient.address.region = select->column_text(6);
        order.recipient.address.postal_code = select->column_text(7);
        order.recipient.address.country = select->column_text(8);
        order.carrier = select->column_text(9);
        order.service = select->column_text(10);
        order.tracking_number = select->column_text(11);
        order.packaging = select->column_text(12);
        order.created_at_ms = select->column_integer(13);
        order.ship_by_ms = select->column_integer(14);
        order.sscc = select->column_text(15);
    }
    {
        auto lines = impl.query(
            "SELECT sku, quantity FROM order_lines WHERE order_id = ?1 ORDER BY line_no");
        if (!lines) return lines.error();
        lines->bind_text(1, id);
        for (;;) {
            auto row = lines->step();
            if (!row) return row.error();
            if (!*row) break;
            order.lines.push_back(OrderLine{lines->column_text(0), lines->column_int(1)});
        }
    }
    {
        auto address =
            impl.query("SELECT text FROM order_address_lines WHERE order_id = ?1 ORDER BY line_no");
        if (!address) return address.error();
        address->bind_text(1, id);
        for (;;) {
            auto row = address->step();
            if (!row) return row.error();
            if (!*row) break;
            order.recipient.address.lines.push_back(address->column_text(0));
        }
    }
    return std::optional<Order>(std::move(order));
}

// Runs a query that yields one text column and returns the first value.
Result<std::optional<std::string>> first_text(Store::Impl& impl, std::string_view sql,
                                              std::string_view argument) {
    auto select = impl.query(sql);
    if (!select) return select.error();
    select->bind_text(1, argument);
    auto row = select->step();
    if (!row) return row.error();
    if (!*row) return std::optional<std::string>{};
    return std::optional<std::string>(select->column_text(0));
}

std::string quoted(std::string_view text) {
    return "'" + std::string(text) + "'";
}

}  // namespace

Result<ImportCounts> Store::import(const ImportBatch& batch) {
    const std::int64_t now_ms = impl_->now_ms();
    auto result = impl_->transaction([&]() -> Result<ImportCounts> {
        ImportCounts counts;
        // SKUs first so that the order lines of the same batch find them.
        for (const Sku& sku : batch.skus) {
            if (auto status = write_sku(*impl_, sku, now_ms); !status)
                return status.error().context("sku " + quoted(sku.sku));
            ++counts.skus;
        }
        for (const Packaging& packaging : batch.packaging) {
            if (auto status = write_packaging(*impl_, packaging, now_ms); !status)
                return status.error().context("packaging " + quoted(packaging.code));
            ++counts.packaging;
        }
        for (const Order& order : batch.orders) {
            if (auto status = write_order(*impl_, order, now_ms); !status)
                return status.error().context("order " + quoted(order.id));
            ++counts.orders;
        }
        return counts;
    });
    if (!result) return result.error().context("store: import");
    return result;
}

Status Store::upsert_order(const Order& order) {
    auto status = impl_->transaction([&] { return write_order(*impl_, order, impl_->now_ms()); });
    if (!status) return status.error().context("store: upsert order " + quoted(order.id));
    return status;
}

Status Store::upsert_sku(const Sku& sku) {
    auto status = impl_->transaction([&] { return write_sku(*impl_, sku, impl_->now_ms()); });
    if (!status) return status.error().context("store: upsert sku " + quoted(sku.sku));
    return status;
}

Status Store::upsert_packaging(const Packaging& packaging) {
    auto status =
        impl_->transaction([&] { return write_packaging(*impl_, packaging, impl_->now_ms()); });
    if (!status) return status.error().context("store: upsert packaging " + quoted(packaging.code));
    return status;
}

Result<std::optional<Order>> Store::find_order(std::string_view id) {
    auto order = load_order(*impl_, id);
    if (!order) return order.error().context("store: find order " + quoted(id));
    return order;
}

Result<std::optional<Order>> Store::find_order_by_tracking(std::string_view tracking) {
    if (tracking.empty()) return std::optional<Order>{};
    const std::string where = "store: find order by tracking number " + quoted(tracking);
    // The index is partial (non-empty numbers); SQLite uses it only when the
    // query repeats that condition.
    auto id = first_text(
        *impl_,
        "SELECT id FROM orders WHERE tracking_number = ?1 AND tracking_number <> '' LIMIT 1",
        tracking);
    if (!id) return id.error().context(where);
    if (!*id) {
        // A live parcel wins over an abandoned one that carried the same number.
        id = first_text(*impl_, R"sql(
SELECT order_id FROM parcels WHERE tracking_number = ?1
ORDER BY state = 'abandoned', id DESC LIMIT 1
)sql",
                        tracking);
        if (!id) return id.error().context(where);
    }
    if (!*id) return std::optional<Order>{};
    auto order = load_order(*impl_, **id);
    if (!order) return order.error().context(where);
    return order;
}

Result<std::optional<Sku>> Store::find_sku(std::string_view sku_code) {
    const std::string where = "store: find sku " + quoted(sku_code);
    Sku sku;
    {
        auto select = impl_->query(R"sql(
SELECT sku, name, style, size, colour, unit_weight_g, serial_required, tolerance_abs_g, tolerance_pct
FROM skus WHERE sku = ?1
)sql");
        if (!select) return select.error().context(where);
        select->bind_text(1, sku_code);
        auto row = select->step();
        if (!row) return row.error().context(where);
        if (!*row) return std::optional<Sku>{};
        sku.sku = select->column_text(0);
        sku.name = select->column_text(1);
        sku.style = select->column_text(2);
        sku.size = select->column_text(3);
        sku.colour = select->column_text(4);
        sku.unit_weight_g = select->column_real(5);
        sku.serial_required = select->column_integer(6) != 0;
        sku.tolerance_abs_g = select->column_optional_real(7);
        sku.tolerance_pct = select->column_optional_real(8);
    }
    auto codes = impl_->query("SELECT code FROM sku_barcodes WHERE sku = ?1 ORDER BY position");
    if (!codes) return codes.error().context(where);
    codes->bind_text(1, sku_code);
    for (;;) {
        auto row = codes->step();
        if (!row) return row.error().context(where);
        if (!*row) break;
        sku.barcodes.push_back(codes->column_text(0));
    }
    return std::optional<Sku>(std::move(sku));
}

Result<std::optional<Sku>> Store::find_sku_by_barcode(std::string_view code) {
    auto sku = first_text(*impl_, "SELECT sku FROM sku_barcodes WHERE code = ?1", code);
    if (!sku) return sku.error().context("store: find sku by barcode " + quoted(code));
    if (!*sku) return std::optional<Sku>{};
    return find_sku(**sku);
}

Result<std::optional<Packaging>> Store::find_packaging(std::string_view code) {
    auto select = impl_->query("SELECT code, name, tare_g FROM packaging WHERE code = ?1");
    if (!select) return select.error().context("store: find packaging");
    select->bind_text(1, code);
    auto row = select->step();
    if (!row) return row.error().context("store: find packaging " + quoted(code));
    if (!*row) return std::optional<Packaging>{};
    return std::optional<Packaging>(
        Packaging{select->column_text(0), select->column_text(1), select->column_real(2)});
}

Result<std::vector<Order>> Store::open_orders(int limit) {
    std::vector<std::string> ids;
    {
        // Orders without a deadline (ship_by_ms = 0) come after those with one.
        auto select = impl_->query(R"sql(
SELECT id FROM orders WHERE status = 'open'
ORDER BY ship_by_ms = 0, ship_by_ms, created_at_ms, id LIMIT ?1
)sql");
        if (!select) return select.error().context("store: open orders");
        select->bind_integer(1, limit);
        for (;;) {
            auto row = select->step();
            if (!row) return row.error().context("store: open orders");
            if (!*row) break;
            ids.push_back(select->column_text(0));
        }
    }
    std::vector<Order> orders;
    orders.reserve(ids.size());
    for (const std::string& id : ids) {
        auto order = load_order(*impl_, id);
        if (!order) return order.error().context("store: open orders");
        if (*order) orders.push_back(std::move(**order));
    }
    return orders;
}

Result<std::optional<Order>> Store::remove_order(std::string_view id) {
    const std::string where = "store: remove order " + quoted(id);
    auto result = impl_->transaction([&]() -> Result<std::optional<Order>> {
        auto parcels = impl_->query("SELECT count(*) FROM parcels WHERE order_id = ?1");
        if (!parcels) return parcels.error();
        parcels->bind_text(1, id);
        auto row = parcels->step();
        if (!row) return row.error();
        if (*row && parcels->column_integer(0) > 0) {
            // Its parcels' history needs the order; it can no longer be packed.
            auto cancel = impl_->query(R"sql(
UPDATE orders SET status = 'cancelled', updated_at_ms = ?2
WHERE id = ?1 AND status IN ('open', 'on_hold')
)sql");
            if (!cancel) return cancel.error();
            cancel->bind_text(1, id).bind_integer(2, impl_->now_ms());
            if (auto status = cancel->run(); !status) return status.error();
            return load_order(*impl_, id);
        }
        auto remove = impl_->query("DELETE FROM orders WHERE id = ?1");
        if (!remove) return remove.error();
        remove->bind_text(1, id);
        if (auto status = remove->run(); !status) return status.error();
        return std::optional<Order>{};
    });
    if (!result) return result.error().context(where);
    return result;
}

Status Store::remove_sku(std::string_view sku) {
    auto remove = impl_->query("DELETE FROM skus WHERE sku = ?1");
    if (!remove) return remove.error().context("store: remove sku " + quoted(sku));
    remove->bind_text(1, sku);
    if (auto status = remove->run(); !status)
        return status.error().context("store: remove sku " + quoted(sku));
    return {};
}

Status Store::remove_packaging(std::string_view code) {
    auto remove = impl_->query("DELETE FROM packaging WHERE code = ?1");
    if (!remove) return remove.error().context("store: remove packaging " + quoted(code));
    remove->bind_text(1, code);
    if (auto status = remove->run(); !status)
        return status.error().context("store: remove packaging " + quoted(code));
    return {};
}

}  // namespace packline::station
