// Shared by the store tests: a fresh temporary directory per test, a raw
// SQLite connection for poking at the file behind the store's back, and
// sample orders, SKUs and parcels that look like a real shift.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "packline/station/store.h"

namespace packline::station::testing {

class TempDir {
  public:
    TempDir() {
        std::string pattern =
            (std::filesystem::path(::testing::TempDir()) / "packline-store-XXXXXX").string();
        std::vector<char> buffer(pattern.begin(), pattern.end());
        buffer.push_back('\0');
        const char* made = mkdtemp(buffer.data());
        if (made == nullptr) {
            ADD_FAILURE() << "mkdtemp failed for " << pattern;
            return;
        }
        path_ = made;
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    [[nodiscard]] std::string file(const std::string& name) const {
        return (path_ / name).string();
    }

  private:
    std::filesystem::path path_;
};

// A second, raw connection to the same file, as another process would have.
class RawConnection {
  public:
    explicit RawConnection(const std::string& path) {
        if (sqlite3_open_v2(path.c_str(), &connection_, SQLITE_OPEN_READWRITE, nullptr) !=
            SQLITE_OK)
            ADD_FAILURE() << "cannot open " << path << ": " << sqlite3_errmsg(connection_);
    }
    ~RawConnection() { sqlite3_close_v2(connection_); }
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    // Returns the SQLite result code; the message is kept in last_error().
    int exec(const std::string& sql) {
        char* message = nullptr;
        const int code = sqlite3_exec(connection_, sql.c_str(), nullptr, nullptr, &message);
        last_error_ = message != nullptr ? message : "";
        sqlite3_free(message);
        return code;
    }
    std::string text(const std::string& sql) {
        sqlite3_stmt* statement = nullptr;
        std::string value;
        if (sqlite3_prepare_v2(connection_, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK &&
            sqlite3_step(statement) == SQLITE_ROW) {
            const auto* bytes = sqlite3_column_text(statement, 0);
            if (bytes != nullptr) value = reinterpret_cast<const char*>(bytes);
        } else {
            ADD_FAILURE() << "query failed: " << sql << ": " << sqlite3_errmsg(connection_);
        }
        sqlite3_finalize(statement);
        return value;
    }
    std::int64_t integer(const std::string& sql) { return std::stoll(text(sql)); }
    [[nodiscard]] const std::string& last_error() const { return last_error_; }

  private:
    sqlite3* connection_ = nullptr;
    std::string last_error_;
};

inline std::unique_ptr<Store> open_store(const std::string& path,
                                         const StoreOptions& options = {}) {
    auto store = Store::open(path, options);
    if (!store) {
        ADD_FAILURE() << "open " << path << ": " << store.error().to_string();
        return nullptr;
    }
    return std::move(store).value();
}

inline Order chinese_order(const std::string& id) {
    Order order;
    order.id = id;
    order.site = "sh-01";
    order.created_at_ms = 1'700'000'000'000;
    order.ship_by_ms = 1'700'086'400'000;
    order.status = OrderStatus::Open;
    order.recipient.name = "王小明";
    order.recipient.phone = "+86 138 0013 8000";
    order.recipient.address.lines = {"浦东新区世纪大道100号", "上海环球金融中心 12层"};
    order.recipient.address.city = "上海市";
    order.recipient.address.region = "上海";
    order.recipient.address.postal_code = "200120";
    order.recipient.address.country = "CN";
    order.carrier = "sf";
    order.service = "standard";
    order.packaging = "BOX-S";
    order.lines = {{"TSHIRT-RED-L", 2}, {"MUG-WHITE", 1}};
    return order;
}

inline Sku tshirt(const std::string& sku = "TSHIRT-RED-L") {
    Sku value;
    value.sku = sku;
    value.name = "T-shirt 红色";
    value.style = "TSHIRT";
    value.size = "L";
    value.colour = "Red";
    value.unit_weight_g = 180.5;
    value.barcodes = {"4006381333931", "INT-0042"};
    value.tolerance_pct = 8.0;
    return value;
}

inline Sku mug() {
    Sku value;
    value.sku = "MUG-WHITE";
    value.name = "Mug";
    value.style = "MUG";
    value.colour = "White";
    value.unit_weight_g = 350.0;
    value.barcodes = {"0012345678905"};
    value.serial_required = true;
    value.tolerance_abs_g = 15.0;
    return value;
}

inline Parcel new_parcel(const std::string& order_id, const std::string& station = "bench-1") {
    Parcel parcel;
    parcel.order_id = order_id;
    parcel.station = station;
    parcel.packer = "packer-7";
    parcel.state = ParcelState::Scanning;
    parcel.packaging = "BOX-S";
    parcel.carrier = "sf";
    parcel.created_at_ms = 1'700'000'100'000;
    parcel.updated_at_ms = parcel.created_at_ms;
    return parcel;
}

inline EventRecord event(const std::string& id, std::string_view type, std::int64_t at_ms,
                         const std::string& station = "bench-1") {
    EventRecord record;
    record.event_id = id;
    record.at_ms = at_ms;
    record.station = station;
    record.type = std::string(type);
    record.payload = R"({"source":"test"})";
    return record;
}

inline Transition step(Parcel parcel, EventRecord record) {
    Transition transition;
    transition.parcel = std::move(parcel);
    transition.event = std::move(record);
    return transition;
}

}  // namespace packline::station::testing
