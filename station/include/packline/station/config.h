// Station configuration, loaded from TOML. Every option has a default that
// works on a bench with simulated devices (zero configuration by default).
#pragma once

#include <map>
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

struct StationConfig {
    std::string station_id = "station-1";
    std::string site = "site-1";
    std::string database = "packline-data/station.db";
    std::string packer = "packer";  // until a packer badge is scanned

    WeightTolerance tolerance;
    std::string default_packaging;  // packaging code used when an order names none
    double default_tare_g = 150.0;  // when no packaging is known at all

    int weigh_timeout_ms = 8000;        // no stable reading for this long -> weight.unstable
    int print_timeout_ms = 20000;       // job not completed in time -> express.print_pending
    int supervisor_timeout_ms = 30000;  // badge scanned, reason not chosen in time

    std::string sender_name = "Packline Demo Warehouse";
    std::string sender_address = "1 Bench Road, Test City";

    // Device drivers by kind: "simulated" is the only driver until issue 3.
    std::map<std::string, std::string> devices{{"scanner", "simulated"},
                                               {"scale", "simulated"},
                                               {"printer", "simulated"},
                                               {"indicator", "simulated"}};

    std::map<std::string, std::string> supervisors{{"SUP-0001", "Demo Supervisor"}};
    std::vector<OverrideReason> override_reasons{
        {"verified-by-phone", "Recipient verified by phone"},
        {"scale-fault", "Scale fault, weight checked by hand"},
        {"substitute-approved", "Substitute approved by customer service"},
        {"label-verified", "Label verified by eye"},
        {"other", "Other (see notes)"},
    };
};

Result<StationConfig> parse_config(std::string_view toml_text, std::string_view source = "config");
Result<StationConfig> load_config(const std::string& path);

}  // namespace packline::station
