#include "packline/command_line.h"

#include <algorithm>
#include <memory>
#include <ostream>

namespace packline::command_line {
namespace {

// The option's value as the help names it ("FILE"), without the ":..." that
// CLI11 appends for validators.
std::string value_name(const CLI::Option& option) {
    std::string name = option.get_type_name();
    if (const std::size_t colon = name.find(':'); colon != std::string::npos) name.resize(colon);
    return name;
}

std::vector<const CLI::App*> commands_under(const CLI::App& command) {
    return command.get_subcommands([](const CLI::App* sub) { return !sub->get_name().empty(); });
}

void collect_usage(const CLI::App& command, const std::string& path,
                   std::vector<std::string>& lines) {
    const std::vector<const CLI::App*> subcommands = commands_under(command);
    // A command with optional subcommands runs on its own too.
    if (subcommands.empty() || command.get_require_subcommand_min() == 0)
        lines.push_back(usage_line(command, path, 7));
    for (const CLI::App* sub : subcommands)
        collect_usage(*sub, path + " " + sub->get_name(), lines);
}

class UsageFormatter final : public CLI::Formatter {
  public:
    std::string make_usage(const CLI::App* app, std::string name) const override {
        return "usage: " + usage_line(*app, name, 7) + "\n";
    }
};

}  // namespace

std::string usage_line(const CLI::App& command, const std::string& path, std::size_t indent) {
    // The options, then the positional arguments, then the subcommand.
    std::vector<std::string> words;
    std::vector<std::string> positionals;
    for (const CLI::Option* option : command.get_options()) {
        if (option == command.get_help_ptr() || option->get_group().empty()) continue;
        // "NAME..." for a list without a bound; a bounded form ("KIND ID")
        // is spelled out by its value name.
        const bool repeats = option->get_expected_max() >= CLI::detail::expected_max_vector_size;
        const std::string value = value_name(*option);
        if (option->get_positional()) {
            const std::string name = value + (repeats ? "..." : "");
            positionals.push_back(option->get_required() ? name : "[" + name + "]");
            continue;
        }
        std::string text = option->get_name();
        if (option->get_type_size() > 0 && !value.empty()) text += " " + value;
        text = option->get_required() ? text : "[" + text + "]";
        words.push_back(text + (repeats ? "..." : ""));
    }
    words.insert(words.end(), positionals.begin(), positionals.end());
    if (!commands_under(command).empty())
        words.push_back(command.get_require_subcommand_min() == 0 ? "[COMMAND]" : "COMMAND");
    // Lines of at most kWidth columns; continuation lines start under the
    // first option.
    constexpr std::size_t kWidth = 79;
    std::string line = path;
    std::size_t column = indent + path.size();
    const std::size_t hang = std::min<std::size_t>(column + 1, 40);
    for (const std::string& word : words) {
        if (column + 1 + word.size() > kWidth && column > hang) {
            line += "\n" + std::string(hang, ' ');
            column = hang;
        } else {
            line += ' ';
            ++column;
        }
        line += word;
        column += word.size();
    }
    return line;
}

std::string usage_lines(const CLI::App& command, const std::string& path) {
    std::vector<std::string> lines;
    collect_usage(command, path, lines);
    std::string text;
    for (std::size_t index = 0; index < lines.size(); ++index)
        text += (index == 0 ? "usage: " : "       ") + lines[index] + "\n";
    return text;
}

void prepare_root(CLI::App& root) {
    root.formatter(std::make_shared<UsageFormatter>());
    // Subcommands inherit these when they are added after this call.
    root.get_formatter()->column_width(26);
}

void runs(CLI::App& command, Invocation& invocation, std::function<int()> action) {
    // CLI11 calls a subcommand's callback before its parent's: the deepest
    // command chosen runs, not a parent that runs on its own too
    // (`packline devices` and `packline devices record`).
    command.callback([&invocation, action = std::move(action)] {
        if (!invocation.run) invocation.run = action;
    });
}

std::optional<int> parse(CLI::App& root, std::vector<std::string> args, std::ostream& out,
                         std::ostream& err) {
    std::reverse(args.begin(), args.end());  // CLI11 takes the words last first
    try {
        root.parse(args);
    } catch (const CLI::CallForHelp&) {
        out << root.help();
        return kExitOk;
    } catch (const CLI::CallForAllHelp&) {
        out << root.help("", CLI::AppFormatMode::All);
        return kExitOk;
    } catch (const CLI::ParseError& error) {
        // The error concerns the deepest command typed so far.
        const CLI::App* command = &root;
        std::string path = root.get_name();
        while (!command->get_subcommands().empty()) {
            command = command->get_subcommands().front();
            path += " " + command->get_name();
        }
        std::string what = error.what();
        // CLI11 says "A subcommand is required" of a word that is none.
        if (const auto extra = command->remaining();
            !extra.empty() && !extra.front().starts_with('-') && !commands_under(*command).empty())
            what = "'" + extra.front() + "' is not a command of " + path;
        err << path << ": " << what << "\n"
            << usage_lines(*command, path) << "'" << path << " --help' says more.\n";
        return kExitUsage;
    }
    return std::nullopt;
}

int parse_and_run(CLI::App& root, std::vector<std::string> args, Invocation& invocation) {
    if (auto done = parse(root, std::move(args), invocation.out, invocation.err)) return *done;
    if (!invocation.run) {
        invocation.err << usage_lines(root, root.get_name());
        return kExitUsage;
    }
    return invocation.run();
}

void add_config_options(CLI::App& command, StationOptions& options, const std::string& config_help,
                        const std::string& database_help) {
    command
        .add_option_function<std::string>(
            "--config", [&options](const std::string& path) { options.config = path; }, config_help)
        ->type_name("FILE");
    command
        .add_option_function<std::string>(
            "--db", [&options](const std::string& path) { options.database = path; }, database_help)
        ->type_name("FILE");
}

CLI::Validator check_with(std::function<std::string(const std::string&)> accepts,
                          const std::string& name) {
    return CLI::Validator(
        [accepts = std::move(accepts)](std::string& value) { return accepts(value); }, "", name);
}

}  // namespace packline::command_line
