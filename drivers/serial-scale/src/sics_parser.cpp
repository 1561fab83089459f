#include "packline/drivers/sics_parser.h"

#include <cmath>
#include <vector>

#include "packline/drivers/serial_errors.h"
#include "packline/drivers/serial_weight.h"

namespace packline::drivers {
namespace {

using hardware::WeightReading;
using hardware::WeightStatus;

std::string_view strip_line_end(std::string_view line) {
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n'))
        line.remove_suffix(1);
    return line;
}

bool is_token_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '@' || c == '+' || c == '-';
}

bool is_word(std::string_view token) {
    if (token.empty()) return false;
    for (const char c : token) {
        if (!is_token_char(c)) return false;
    }
    return true;
}

std::vector<std::string_view> split_blanks(std::string_view text) {
    std::vector<std::string_view> tokens;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && text[i] == ' ')
            ++i;
        const std::size_t start = i;
        while (i < text.size() && text[i] != ' ')
            ++i;
        if (i > start) tokens.push_back(text.substr(start, i - start));
    }
    return tokens;
}

Error bad_reply(std::string_view line, std::string_view why) {
    return Error(errors::kSicsBadReply,
                 "MT-SICS reply \"" + std::string(line.substr(0, 40)) + "\": " + std::string(why));
}

std::optional<Error> general_error(const SicsReply& reply) {
    if (reply.command == "ES")
        return Error(errors::kSicsSyntax, "MT-SICS: balance did not recognise the command (ES)");
    if (reply.command == "ET")
        return Error(errors::kSicsTransmission, "MT-SICS: transmission error (ET)");
    if (reply.command == "EL")
        return Error(errors::kSicsLogical, "MT-SICS: command cannot be executed (EL)");
    return std::nullopt;
}

}  // namespace

Result<SicsReply> parse_sics(std::string_view line) {
    line = strip_line_end(line);
    for (const char c : line) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte > 0x7E) return bad_reply("", "control or non-ASCII byte in reply");
    }
    SicsReply reply;
    const std::size_t quote = line.find('"');
    std::string_view fields = line;
    if (quote != std::string_view::npos) {
        const std::size_t closing = line.find('"', quote + 1);
        if (closing == std::string_view::npos || closing + 1 != line.size()) {
            return bad_reply(line, "unbalanced quote");
        }
        reply.text = std::string(line.substr(quote + 1, closing - quote - 1));
        fields = line.substr(0, quote);
    }
    const std::vector<std::string_view> tokens = split_blanks(fields);
    if (tokens.empty()) {
        if (quote != std::string_view::npos) return bad_reply(line, "no command");
        return Error(errors::kSicsEmpty, "MT-SICS: empty reply line");
    }
    if (tokens.size() > 4) return bad_reply(line, "too many fields");
    if (!is_word(tokens[0])) return bad_reply(line, "command is not an MT-SICS word");
    reply.command = std::string(tokens[0]);
    if (tokens.size() == 1) {
        if (general_error(reply) || quote != std::string_view::npos) return reply;
        return bad_reply(line, "no status");
    }
    if (!is_word(tokens[1])) return bad_reply(line, "status is not an MT-SICS word");
    reply.status = std::string(tokens[1]);
    if (tokens.size() >= 3) {
        if (quote != std::string_view::npos) return bad_reply(line, "value next to a quoted field");
        const auto value = parse_serial_decimal(tokens[2]);
        if (!value) {
            return Error(
                errors::kSicsBadValue,
                "MT-SICS reply \"" + std::string(line.substr(0, 40)) + "\": value is not a number");
        }
        const double magnitude = static_cast<double>(value->mantissa) /
                                 std::pow(10.0, static_cast<double>(value->places));
        reply.value = value->negative && value->mantissa != 0 ? -magnitude : magnitude;
        reply.value_text = std::string(tokens[2]);
        if (tokens.size() == 4) reply.unit = std::string(tokens[3]);
    }
    return reply;
}

Result<WeightReading> sics_to_reading(const SicsReply& reply, std::string device) {
    if (auto error = general_error(reply)) return *error;
    if (reply.command != "S" && reply.command != "SI") {
        return Error(errors::kSicsUnexpectedReply,
                     "MT-SICS: expected a weight reply, got \"" + reply.command + "\"");
    }
    WeightReading reading;
    reading.device = std::move(device);
    if (reply.status == "I")
        return Error(errors::kSicsBusy, "MT-SICS: balance busy or not stable in time (S I)");
    if (reply.status == "L")
        return Error(errors::kSicsLogical, "MT-SICS: command cannot be executed (S L)");
    if (reply.status == "+" || reply.status == "-") {
        reading.status = reply.status == "+" ? WeightStatus::Overload : WeightStatus::UnderZero;
        if (!reply.value) return reading;
    } else if (reply.status == "S") {
        reading.status = WeightStatus::Stable;
    } else if (reply.status == "D") {
        reading.status = WeightStatus::InMotion;
    } else {
        return Error(errors::kSicsUnexpectedReply,
                     "MT-SICS: unknown weight status \"" + reply.status + "\"");
    }
    if (!reply.value) return Error(errors::kSicsBadReply, "MT-SICS: weight reply without a value");
    const auto unit = parse_serial_unit(reply.unit);
    if (!unit)
        return Error(errors::kSicsUnknownUnit,
                     "MT-SICS: unknown weight unit \"" + reply.unit + "\"");
    // From the digits as sent, so "1.000 lb" is exactly 453.59237 g; a reply
    // built in code without value_text goes through its double.
    const auto digits = parse_serial_decimal(reply.value_text);
    if (digits) {
        reading.grams = serial_to_grams(*digits, *unit);
    } else {
        SerialDecimal one;
        one.mantissa = 1;
        reading.grams = *reply.value * serial_to_grams(one, *unit);
    }
    if (!std::isfinite(reading.grams))
        return Error(errors::kSicsBadValue, "MT-SICS: weight is not finite");
    if (reading.grams < 0 && reading.status == WeightStatus::Stable)
        reading.status = WeightStatus::UnderZero;
    return reading;
}

Status sics_acknowledged(const SicsReply& reply) {
    if (auto error = general_error(reply)) return *error;
    if (reply.status == "A") return {};
    if (reply.status == "S" && reply.command == "T") return {};
    if (reply.status == "I")
        return Error(errors::kSicsBusy,
                     "MT-SICS: " + reply.command + " not executed, balance busy");
    if (reply.status == "L")
        return Error(errors::kSicsLogical, "MT-SICS: " + reply.command + " cannot be executed");
    if (reply.status == "+")
        return Error(errors::kSicsOverload, "MT-SICS: " + reply.command + ": upper limit exceeded");
    if (reply.status == "-")
        return Error(errors::kSicsUnderload,
                     "MT-SICS: " + reply.command + ": lower limit exceeded");
    return Error(errors::kSicsUnexpectedReply,
                 "MT-SICS: unexpected status \"" + reply.status + "\" for " + reply.command);
}

std::string sics_command(SicsCommand command) {
    switch (command) {
        case SicsCommand::StableWeight:
            return "S\r\n";
        case SicsCommand::ImmediateWeight:
            return "SI\r\n";
        case SicsCommand::Zero:
            return "Z\r\n";
        case SicsCommand::ZeroImmediately:
            return "ZI\r\n";
        case SicsCommand::Tare:
            return "T\r\n";
        case SicsCommand::TareWeight:
            return "TA\r\n";
        case SicsCommand::Reset:
            return "@\r\n";
    }
    return "";
}

}  // namespace packline::drivers
