// The station's domain: orders, SKUs, packaging and parcels. Plain data;
// behaviour lives in the checks (pure functions) and the packing state machine.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace packline::station {

enum class OrderStatus { Open, OnHold, Cancelled, Packed, Shipped };
std::string_view to_string(OrderStatus status);
std::optional<OrderStatus> order_status_from_string(std::string_view text);

struct Address {
    std::vector<std::string> lines;  // street lines, in the order printed
    std::string city;
    std::string region;  // state / province / prefecture; optional in some countries
    std::string postal_code;
    std::string country;  // ISO 3166-1 alpha-2, upper case
};

struct Recipient {
    std::string name;
    std::string phone;
    Address address;
};

struct OrderLine {
    std::string sku;
    int quantity = 0;
};

struct Order {
    std::string id;
    std::string site;
    std::int64_t created_at_ms = 0;
    std::int64_t ship_by_ms = 0;  // 0 = no deadline
    OrderStatus status = OrderStatus::Open;
    Recipient recipient;
    std::string carrier;          // "ups", "usps", "fedex", "dhl", "upu", "sf", ...
    std::string service;          // carrier service level, free text
    std::string tracking_number;  // assigned centrally; empty = take one from the pool
    std::string packaging;        // packaging code; empty = site default
    std::string sscc;             // GS1 SSCC (18 digits) when the order asks for one on its label
    std::vector<OrderLine> lines;
};

struct Sku {
    std::string sku;
    std::string name;
    std::string style;
    std::string size;
    std::string colour;
    double unit_weight_g = 0.0;
    std::vector<std::string> barcodes;  // GTIN/EAN/UPC or internal codes
    bool serial_required = false;
    // Per-SKU weight tolerance; when set it widens the site tolerance.
    std::optional<double> tolerance_abs_g;
    std::optional<double> tolerance_pct;
};

struct Packaging {
    std::string code;
    std::string name;
    double tare_g = 0.0;
};

// Site-wide weight tolerance: max(abs_g, pct% of expected).
struct WeightTolerance {
    double abs_g = 20.0;
    double pct = 5.0;
};

struct ScannedItem {
    std::string sku;
    std::string barcode;  // the normalised code that resolved to the SKU
    std::string serial;   // empty when the SKU does not require one
    std::string lot;
    std::int64_t at_ms = 0;
    bool manual = false;  // typed on the packer screen, not scanned
};

enum class CheckStatus { Pending, Passed, Failed, Overridden };
std::string_view to_string(CheckStatus status);
std::optional<CheckStatus> check_status_from_string(std::string_view text);

// A detail of a failed check: what was expected and what was seen.
struct Detail {
    std::string key;
    std::string value;
};

// The result of one check. `reason` is a stable code documented in
// docs/checks.md ("contents.wrong_variant"); `message` is for the packer.
struct CheckResult {
    bool passed = true;
    std::string reason;
    std::string message;
    std::vector<Detail> details;

    static CheckResult pass() { return {}; }
    static CheckResult fail(std::string reason, std::string message,
                            std::vector<Detail> details = {}) {
        return CheckResult{false, std::move(reason), std::move(message), std::move(details)};
    }
};

enum class ParcelState {
    Scanning,          // order identified, items being scanned
    Weighing,          // all lines for this parcel scanned, waiting for a stable weight
    Printing,          // label handed to the printer, waiting for the job to complete
    AwaitingScanBack,  // label printed, waiting for it to be scanned back
    Exception,         // a check failed; fix and retry, or supervisor override
    Confirmed,         // all three checks passed (or overridden); confirmation in the outbox
    Abandoned,         // packer/supervisor abandoned the parcel; nothing ships
};
std::string_view to_string(ParcelState state);
std::optional<ParcelState> parcel_state_from_string(std::string_view text);

struct ParcelException {
    std::string check;   // "customer", "contents", "express"
    std::string reason;  // stable reason code
    std::string message;
    std::vector<Detail> details;
};

// The evidence photo of a confirmed parcel. The record outlives the file:
// retention deletes the JPEG and sets pruned_at_ms, the hash stays.
struct EvidencePhoto {
    std::string path;    // the JPEG as written (absolute)
    std::string sha256;  // lower-case hex of the file's bytes
    std::int64_t taken_at_ms = 0;
    std::int64_t pruned_at_ms = 0;  // 0 = the file is kept

    friend bool operator==(const EvidencePhoto&, const EvidencePhoto&) = default;
};

struct Parcel {
    std::int64_t id = 0;  // store row id
    std::string order_id;
    int sequence = 1;  // parcel number within the order (multi-parcel orders)
    std::string station;
    std::string packer;
    ParcelState state = ParcelState::Scanning;
    std::vector<ScannedItem> items;
    std::optional<double> weight_g;
    double expected_weight_g = 0.0;
    std::string packaging;
    std::string carrier;
    std::string tracking_number;
    std::string label_job_id;
    int label_attempts = 0;
    CheckStatus customer = CheckStatus::Pending;
    CheckStatus contents = CheckStatus::Pending;
    CheckStatus express = CheckStatus::Pending;
    std::optional<ParcelException> exception;
    bool closed_partial = false;  // closed with remaining lines carried to the next parcel
    std::int64_t created_at_ms = 0;
    std::int64_t updated_at_ms = 0;
    std::int64_t confirmed_at_ms = 0;
    std::optional<EvidencePhoto> photo;  // taken at confirmation when a camera is there
};

}  // namespace packline::station
