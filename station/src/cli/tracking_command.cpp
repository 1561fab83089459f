// `packline tracking check NUMBER... [--carrier CODE]`: the express check's
// number rules from the command line, for support staff and label debugging.
#include <algorithm>
#include <cstddef>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "commands.h"
#include "packline/station/tracking.h"

namespace packline::cli {
namespace {

struct CheckOptions {
    std::optional<station::Carrier> carrier;
    std::vector<std::string> numbers;
};

// Prints one line per number; 0 when every number is valid, 1 otherwise.
int check_numbers(const CheckOptions& options, std::ostream& out) {
    std::vector<station::TrackingCheck> checks;
    std::size_t number_width = 0;
    std::size_t carrier_width = 0;
    for (const std::string& number : options.numbers) {
        checks.push_back(station::check_tracking_number(number, options.carrier));
        number_width = std::max(number_width, number.size());
        carrier_width =
            std::max(carrier_width, station::carrier_code(checks.back().carrier).size());
    }

    bool all_valid = true;
    for (std::size_t i = 0; i < checks.size(); ++i) {
        const station::TrackingCheck& check = checks[i];
        const std::string& number = options.numbers[i];
        const std::string carrier(station::carrier_code(check.carrier));
        all_valid = all_valid && check.valid;
        out << number << std::string(number_width - number.size() + 2, ' ') << carrier
            << std::string(carrier_width - carrier.size() + 2, ' ')
            << (check.valid ? "valid  " : "invalid") << "  "
            << (check.valid ? check.format : check.message);
        if (!check.valid) out << " [" << check.reason << "]";
        out << '\n';
    }
    return all_valid ? command_line::kExitOk : command_line::kExitFailed;
}

}  // namespace

CLI::Validator carrier_code_check() {
    return command_line::check_with(
        [](const std::string& code) {
            return station::carrier_from_code(code) ? std::string()
                                                    : "unknown carrier '" + code + "'";
        },
        "CARRIER");
}

void add_tracking_check(CLI::App& tracking, Invocation& invocation) {
    auto options = std::make_shared<CheckOptions>();
    CLI::App* check = tracking.add_subcommand(
        "check", "validate tracking numbers (carrier, format, check digit)");
    check->footer(
        "Prints one line per number: the number as given, the carrier, valid or\n"
        "invalid, and the matching format or the reason. Exit status 0 when every\n"
        "number is valid, 1 when any is invalid, 2 for a usage error.");
    check
        ->add_option_function<std::string>(
            "--carrier",
            [options](const std::string& code) {
                options->carrier = station::carrier_from_code(code);
            },
            "the number must be valid for this carrier\n"
            "(upu, ups, usps, fedex, dhl, sf, zto, yto, jd, ems)")
        ->type_name("CODE")
        ->check(carrier_code_check());
    check->add_option("numbers", options->numbers, "the tracking numbers")
        ->type_name("NUMBER")
        ->required();
    command_line::runs(*check, invocation,
                       [options, &invocation] { return check_numbers(*options, invocation.out); });
}

int tracking_command(const Args& args, std::ostream& out, std::ostream& err) {
    CLI::App root{"packline: the packing station's command-line tool", "packline"};
    command_line::prepare_root(root);
    root.require_subcommand(1);
    Invocation invocation{out, err, {}};
    CLI::App* tracking = root.add_subcommand("tracking", "tracking numbers");
    tracking->require_subcommand(1);
    add_tracking_check(*tracking, invocation);
    Args line{"tracking"};
    line.insert(line.end(), args.begin(), args.end());
    return command_line::parse_and_run(root, std::move(line), invocation);
}

}  // namespace packline::cli
