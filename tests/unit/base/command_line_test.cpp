// The programs' command-line conventions: usage lines built from the
// declared options, --help exits 0 and runs nothing, a wrong line exits 2
// with the usage of the command being typed, and the chosen command runs
// once.
#include "packline/command_line.h"

#include <gtest/gtest.h>

#include <sstream>

namespace packline::command_line {
namespace {

struct Tool {
    CLI::App root{"tool: a test program", "tool"};
    std::ostringstream out;
    std::ostringstream err;
    Invocation invocation{out, err, {}};
    StationOptions where;
    std::vector<std::string> files;
    int runs_of_import = 0;
    int runs_of_list = 0;
    int runs_of_archived = 0;

    Tool() {
        prepare_root(root);
        root.require_subcommand(1);
        CLI::App* orders = root.add_subcommand("orders", "orders");
        orders->require_subcommand(1);
        CLI::App* import = orders->add_subcommand("import", "load files");
        add_config_options(*import, where);
        import->add_option("files", files, "files")->type_name("FILE")->required();
        runs(*import, invocation, [this] { return ++runs_of_import, 0; });
        CLI::App* list = root.add_subcommand("list", "list things");
        list->add_option("--kind", kind_, "a kind")
            ->type_name("KIND")
            ->check(check_with(
                [](const std::string& kind) {
                    return kind == "order" || kind == "sku" ? std::string()
                                                            : "no kind '" + kind + "'";
                },
                "KIND"));
        runs(*list, invocation, [this] { return ++runs_of_list, 7; });
        CLI::App* archived = list->add_subcommand("archived", "archived things");
        runs(*archived, invocation, [this] { return ++runs_of_archived, 5; });
    }
    int run(std::vector<std::string> args) {
        return parse_and_run(root, std::move(args), invocation);
    }

  private:
    std::string kind_;
};

TEST(CommandLine, UsageLinesComeFromTheDeclaredOptions) {
    Tool tool;
    EXPECT_EQ(usage_lines(tool.root, "tool"),
              "usage: tool orders import [--config FILE] [--db FILE] FILE...\n"
              "       tool list [--kind KIND] [COMMAND]\n"
              "       tool list archived\n");
    const CLI::App* orders = tool.root.get_subcommand("orders");
    EXPECT_EQ(usage_line(*orders, "tool orders"), "tool orders COMMAND");
}

TEST(CommandLine, LongUsageLinesWrapUnderTheFirstOption) {
    CLI::App app{"", "tool"};
    for (const char* name :
         {"--alpha", "--bravo", "--charlie", "--delta", "--echo", "--foxtrot", "--golf", "--hotel"})
        app.add_option(name, "")->type_name("VALUE");
    const std::string line = usage_line(app, "tool", 7);
    EXPECT_NE(line.find('\n'), std::string::npos);
    std::istringstream lines(line);
    std::string text;
    // The first line follows "usage: "; the others start under --alpha.
    bool first = true;
    while (std::getline(lines, text)) {
        EXPECT_LE(text.size() + (first ? 7 : 0), 79u) << text;
        if (!first) {
            EXPECT_EQ(text.find_first_not_of(' '), 12u) << text;
        }
        first = false;
    }
}

TEST(CommandLine, RunsTheChosenCommandOnceWithItsExitCode) {
    Tool tool;
    EXPECT_EQ(tool.run({"orders", "import", "--db", "x.db", "a.json", "b.csv"}), 0);
    EXPECT_EQ(tool.runs_of_import, 1);
    EXPECT_EQ(tool.files, (std::vector<std::string>{"a.json", "b.csv"}));
    EXPECT_EQ(tool.where.database, "x.db");
    EXPECT_FALSE(tool.where.config);
    EXPECT_EQ(tool.runs_of_list, 0);
    EXPECT_TRUE(tool.err.str().empty()) << tool.err.str();
}

TEST(CommandLine, TheDeepestCommandChosenRunsNotItsParent) {
    Tool tool;
    EXPECT_EQ(tool.run({"list", "archived"}), 5);
    EXPECT_EQ(tool.runs_of_archived, 1);
    EXPECT_EQ(tool.runs_of_list, 0);
    Tool other;
    EXPECT_EQ(other.run({"list"}), 7);
    EXPECT_EQ(other.runs_of_archived, 0);
    EXPECT_EQ(other.runs_of_list, 1);
}

TEST(CommandLine, HelpAnywhereIsAQuestionAndRunsNothing) {
    for (const std::vector<std::string>& args : {std::vector<std::string>{"--help"},
                                                 {"orders", "--help"},
                                                 {"orders", "import", "--help"},
                                                 {"orders", "import", "a.json", "-h"},
                                                 {"list", "--help", "--kind", "order"}}) {
        Tool tool;
        EXPECT_EQ(tool.run(args), kExitOk) << args.back();
        EXPECT_EQ(tool.runs_of_import + tool.runs_of_list, 0);
        EXPECT_NE(tool.out.str().find("usage: tool"), std::string::npos) << tool.out.str();
        EXPECT_TRUE(tool.err.str().empty()) << tool.err.str();
    }
    Tool tool;
    tool.run({"orders", "import", "--help"});
    EXPECT_NE(tool.out.str().find("usage: tool orders import [--config FILE] [--db FILE] FILE..."),
              std::string::npos)
        << tool.out.str();
}

TEST(CommandLine, AWrongLineSaysWhatAndShowsTheUsageOfTheCommandTyped) {
    struct Case {
        std::vector<std::string> args;
        std::string says;
        std::string usage;
    };
    for (const Case& wrong : std::vector<Case>{
             {{}, "tool: A subcommand is required", "usage: tool orders import"},
             {{"orders"}, "tool orders: A subcommand is required", "usage: tool orders import"},
             {{"orders", "import"},
              "tool orders import: files is required",
              "usage: tool orders import"},
             {{"orders", "import", "--db"},
              "tool orders import: --db",
              "usage: tool orders import"},
             {{"list", "--kind", "lorry"},
              "tool list: --kind: no kind 'lorry'",
              "usage: tool list"},
             {{"list", "--frobnicate"},
              "tool list: The following argument was not expected",
              "usage: tool list"},
             {{"sort"}, "tool: 'sort' is not a command of tool", "usage: tool"},
             {{"orders", "export"},
              "tool orders: 'export' is not a command of tool orders",
              "usage: tool orders import"},
         }) {
        Tool tool;
        EXPECT_EQ(tool.run(wrong.args), kExitUsage);
        EXPECT_EQ(tool.runs_of_import + tool.runs_of_list, 0);
        EXPECT_TRUE(tool.out.str().empty());
        EXPECT_NE(tool.err.str().find(wrong.says), std::string::npos) << tool.err.str();
        EXPECT_NE(tool.err.str().find(wrong.usage), std::string::npos) << tool.err.str();
    }
}

}  // namespace
}  // namespace packline::command_line
