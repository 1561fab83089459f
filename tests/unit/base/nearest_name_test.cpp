#include "packline/nearest_name.h"

#include <gtest/gtest.h>

namespace packline::text {
namespace {

const std::vector<std::string_view> kStation{"id",     "site",        "database",
                                             "packer", "sender_name", "sender_address"};

TEST(NearestName, TyposFindTheirKey) {
    EXPECT_EQ(nearest_name("databse", kStation), "database");   // a letter missing
    EXPECT_EQ(nearest_name("datbaase", kStation), "database");  // two letters swapped
    EXPECT_EQ(nearest_name("Database", kStation), "database");  // case
    EXPECT_EQ(nearest_name("sender_adress", kStation), "sender_address");
    EXPECT_EQ(nearest_name("tolerence_g", {"tolerance_g", "tolerance_pct"}), "tolerance_g");
    EXPECT_EQ(nearest_name("printng", {"station", "weight", "printing"}), "printing");
}

TEST(NearestName, NothingNearIsNoSuggestion) {
    EXPECT_FALSE(nearest_name("colour", kStation).has_value());
    EXPECT_FALSE(nearest_name("", kStation).has_value());
    EXPECT_FALSE(nearest_name(std::string(10000, 'd'), kStation).has_value());
    EXPECT_FALSE(nearest_name("database", {}).has_value());
}

TEST(NearestName, MessageSuggestsOrLists) {
    EXPECT_EQ(unknown_name_message("key", "databse", "[station]", kStation),
              "unknown key 'databse' in [station]; did you mean 'database'?");
    EXPECT_EQ(unknown_name_message("table", "colour", "", {"station", "weight"}),
              "unknown table 'colour' (station, weight)");
}

}  // namespace
}  // namespace packline::text
