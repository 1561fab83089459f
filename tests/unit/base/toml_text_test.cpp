#include "packline/toml_text.h"

#include <gtest/gtest.h>

namespace packline::text {
namespace {

TEST(TomlText, NonAsciiInsideStringsAndCommentsIsFine) {
    EXPECT_FALSE(toml_text_problem("name = \"王小明\" # 中文\n").has_value());
    EXPECT_FALSE(toml_text_problem("a = 'Zoë'\nb = \"\"\"\nŁódź \\\" \"\"\"\nc = '''ﻟ'''\n"));
    EXPECT_FALSE(toml_text_problem("\"ключ\" = 1\n").has_value());
    EXPECT_FALSE(toml_text_problem("s = \"a\\\"ﻟ\"\n").has_value());  // escaped quote
}

TEST(TomlText, NonAsciiOutsideStringsIsRefusedWithItsLine) {
    // U+FEDF where toml++ 3.3 looks for whitespace: undefined behaviour there.
    auto problem = toml_text_problem("a = 1\n\xEF\xBB\x9F");
    ASSERT_TRUE(problem.has_value());
    EXPECT_EQ(*problem, "line 2: a non-ASCII character outside a string (quote it)");
    EXPECT_TRUE(toml_text_problem("key\xC3\xA9 = 1\n").has_value());
    EXPECT_TRUE(toml_text_problem("s = \"unterminated\nx\xC3\xA9 = 1").has_value());
    // A quote inside a bare value opens no string (toml++ reads on past it).
    EXPECT_EQ(toml_text_problem("width = 40x'\xEF\xBB\x9F"), "line 1: a quote inside a bare value");
    EXPECT_TRUE(toml_text_problem("f = -slip\"x e='''\xEF\xBB\x9F'''").has_value());
    EXPECT_FALSE(toml_text_problem("[\"a b\".c]\nk = [\"x\", 'y']\n").has_value());
    EXPECT_FALSE(toml_text_problem("a = [ 'x\xC3\xA9', { b = \"\xC3\xA9\" } ]\n").has_value());
}

TEST(TomlText, TheAsciiShadowKeepsLinesAndColumns) {
    EXPECT_EQ(toml_ascii_shadow("a = \"\xE7\x8E\x8B\xC3\xA9\"\nb = 1"), "a = \"xx\"\nb = 1");
    EXPECT_EQ(toml_ascii_shadow("\xff"), "x");
}

TEST(TomlText, BadUtf8IsRefusedWithItsLine) {
    auto problem = toml_text_problem("a = 1\nb = \"\xff\"\n");
    ASSERT_TRUE(problem.has_value());
    EXPECT_EQ(*problem, "line 2: not UTF-8");
}

}  // namespace
}  // namespace packline::text
