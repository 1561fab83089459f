// Station configuration, loaded from TOML. Every option has a default that
// works on a bench with simulated devices (zero configuration by default).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "packline/error.h"
#include "packline/station/domain.h"

namespace packline::station {

struct OverrideReason {
    std::string code;   // scanned as "PL-REASON:<code>"
    std::string label;  // shown to the supervisor
};

struct DeviceSettings {
    std::string driver;
    std::map<std::string, std::string> options;  // values as written, numbers as text

    friend bool operator==(const DeviceSettings&, const DeviceSettings&) = default;
};

// Evidence photos of confirmed parcels (docs/checks.md, "Evidence photo").
struct EvidenceSettings {
    bool photo = true;  // photograph each confirmed parcel when a camera is configured
    std::string dir = "packline-data/evidence";  // photos go to <dir>/<YYYY-MM-DD>/ (UTC)
    int retention_days = 90;                     // photos older than this are deleted; 0 = keep

    friend bool operator==(const EvidenceSettings&, const EvidenceSettings&) = default;
};

// [sync]: the station's MQTT connection to its site's hub (issue 5). The
// options are the sync module's (mqtt_options.h: brokers, credentials, TLS
// files, timing, window); packline-stationd checks them at start. Without a
// [sync] table (or with enabled = false) the station works alone and its
// outbox keeps everything for later.
struct SyncSettings {
    bool enabled = false;
    std::map<std::string, std::string> options;  // values as text, lists joined with ','
    friend bool operator==(const SyncSettings&, const SyncSettings&) = default;
};

// [screen]: the packer screen, served by packline-stationd over HTTP
// (docs/packer-screen.md). Loopback only unless configured otherwise: the
// screen's actions (manual entry, RETRY, REPRINT...) carry no password.
struct ScreenSettings {
    bool enabled = true;
    std::string listen = "127.0.0.1:8470";  // host:port; port 0 = any free port
    std::string language = "en";            // "en" or "zh-CN"

    friend bool operator==(const ScreenSettings&, const ScreenSettings&) = default;
};

// [packers]: who packs. A packer signs in by scanning a badge (PL-PACKER:<id>).
struct PackerSettings {
    // true: until a packer signs in, nothing but a packer badge is accepted.
    bool sign_in_required = false;
    // After this long without a scan or a screen action the packer is signed
    // out and the station locked until a badge is scanned; 0 = never.
    std::int64_t idle_lock_ms = 10 * 60 * 1000;

    friend bool operator==(const PackerSettings&, const PackerSettings&) = default;
};

struct StationConfig {
    // The file the configuration came from ("" for the defaults), so that
    // what is checked later (device options) can name it too.
    std::string source;
    std::string station_id = "station-1";
    std::string site = "site-1";
    std::string database = "packline-data/station.db";
    std::string packer = "packer";  // until a packer badge is scanned

    WeightTolerance tolerance;
    std::string default_packaging;  // packaging code used when an order names none
    double default_tare_g = 150.0;  // when no packaging is known at all

    int weigh_timeout_ms = 8000;   // no stable reading for this long -> weight.unstable
    int print_timeout_ms = 20000;  // job not completed in time -> express.print_pending

    // [printing]: the label template (built-in name, a name found in
    // label_template_dir, or a .toml path) and what the printer is sent:
    // "zpl" for Zebra-style raw queues, "pdf" or "png" for CUPS driver queues
    // (Brother QL, Dymo, office printers). Checked when the config is loaded.
    std::string label_template = "shipping-4x6-203";
    std::string label_template_dir;
    std::string label_format = "zpl";
    int supervisor_timeout_ms = 30000;  // badge scanned, reason not chosen in time

    std::string sender_name = "Packline Demo Warehouse";
    std::string sender_address = "1 Bench Road, Test City";

    // Device drivers by kind (scanner, scale, printer, camera, indicator).
    // "simulated" drives the demo bench; "auto" finds real devices; "none"
    // leaves the kind out. Options are driver-specific (path, protocol,
    // layout, destination, ...) and checked by the driver registry when the
    // daemon opens its devices (docs/devices.md lists them).
    std::map<std::string, DeviceSettings> devices{{"scanner", {"simulated", {}}},
                                                  {"scale", {"simulated", {}}},
                                                  {"printer", {"simulated", {}}},
                                                  {"camera", {"none", {}}},
                                                  {"indicator", {"simulated", {}}}};

    EvidenceSettings evidence;
    SyncSettings sync;
    ScreenSettings screen;
    PackerSettings packers;

    std::map<std::string, std::string> supervisors{{"SUP-0001", "Demo Supervisor"}};
    std::vector<OverrideReason> override_reasons{
        {"verified-by-phone", "Recipient verified by phone"},
        {"scale-fault", "Scale fault, weight checked by hand"},
        {"substitute-approved", "Substitute approved by customer service"},
        {"label-verified", "Label verified by eye"},
        {"label-damaged", "Label damaged or lost, reprinted"},
        {"other", "Other (see notes)"},
    };
};

// Unknown tables and keys are refused ("config.invalid", naming the file,
// the table, the key and the nearest known key). [sync] keys are the
// station's own (enabled, status_interval_s, clock_skew_warning_ms) and the
// MQTT client's: sync_option_names().
const std::vector<std::string_view>& sync_option_names();

Result<StationConfig> parse_config(std::string_view toml_text, std::string_view source = "config");
Result<StationConfig> load_config(const std::string& path);

// The configuration a program on the station runs with, found the same way
// by every one: `path` (--config), else $PACKLINE_CONFIG, else ./packline.toml
// when there is one, else the defaults; `database` (--db) overrides the
// database path. `from_file` tells whether a file was read (without one the
// station id is a default).
struct FoundConfig {
    StationConfig config;
    bool from_file = false;
};
Result<FoundConfig> find_station_config(const std::optional<std::string>& path,
                                        const std::optional<std::string>& database);

}  // namespace packline::station
