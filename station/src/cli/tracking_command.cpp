// `packline tracking check NUMBER... [--carrier CODE]`: the express check's
// number rules from the command line, for support staff and label debugging.
#include <algorithm>
#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "commands.h"
#include "packline/station/tracking.h"

namespace packline::cli {
namespace {

constexpr const char* kUsage =
    "usage: packline tracking check [--carrier CODE] NUMBER...\n"
    "\n"
    "Prints one line per number: the number as given, the carrier, valid or\n"
    "invalid, and the matching format or the reason. Exit status 0 when every\n"
    "number is valid, 1 when any is invalid, 2 for a usage error.\n"
    "\n"
    "  --carrier CODE   the number must be valid for this carrier\n"
    "                   (upu, ups, usps, fedex, dhl, sf, zto, yto, jd, ems)\n";

int usage_error(std::ostream& err, const std::string& problem) {
    if (!problem.empty()) err << "packline tracking: " << problem << "\n\n";
    err << kUsage;
    return 2;
}

}  // namespace

int tracking_command(const Args& args, std::ostream& out, std::ostream& err) {
    if (args.empty()) return usage_error(err, "missing subcommand");
    if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        out << kUsage;
        return 0;
    }
    if (args[0] != "check") return usage_error(err, "unknown subcommand '" + args[0] + "'");

    std::optional<station::Carrier> expected;
    std::vector<std::string> numbers;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& arg = args[i];
        std::string carrier_code;
        if (arg == "--carrier") {
            if (i + 1 >= args.size()) return usage_error(err, "--carrier needs a carrier code");
            carrier_code = args[++i];
        } else if (arg.rfind("--carrier=", 0) == 0) {
            carrier_code = arg.substr(10);
        } else {
            numbers.push_back(arg);
            continue;
        }
        expected = station::carrier_from_code(carrier_code);
        if (!expected) return usage_error(err, "unknown carrier '" + carrier_code + "'");
    }
    if (numbers.empty()) return usage_error(err, "no tracking numbers given");

    std::vector<station::TrackingCheck> checks;
    std::size_t number_width = 0;
    std::size_t carrier_width = 0;
    for (const std::string& number : numbers) {
        checks.push_back(station::check_tracking_number(number, expected));
        number_width = std::max(number_width, number.size());
        carrier_width =
            std::max(carrier_width, station::carrier_code(checks.back().carrier).size());
    }

    bool all_valid = true;
    for (std::size_t i = 0; i < checks.size(); ++i) {
        const station::TrackingCheck& check = checks[i];
        const std::string carrier(station::carrier_code(check.carrier));
        all_valid = all_valid && check.valid;
        out << numbers[i] << std::string(number_width - numbers[i].size() + 2, ' ') << carrier
            << std::string(carrier_width - carrier.size() + 2, ' ')
            << (check.valid ? "valid  " : "invalid") << "  "
            << (check.valid ? check.format : check.message);
        if (!check.valid) out << " [" << check.reason << "]";
        out << '\n';
    }
    return all_valid ? 0 : 1;
}

}  // namespace packline::cli
