// A long shift through the real `packline` program: every planted mistake is
// caught, every good parcel confirmed, and the counters agree with the store.
#include <gtest/gtest.h>

#include <regex>

#include "packline/station/store.h"
#include "process.h"

namespace packline::station {
namespace {

namespace fs = std::filesystem;

TEST(ShiftEndToEnd, ThousandParcelsWithPlantedMistakes) {
    const fs::path dir =
        fs::temp_directory_path() / ("packline-e2e-shift-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const fs::path db = dir / "station.db";
    const fs::path out = dir / "demo.txt";

    const int code = testing::run({testing::binary("packline"), "demo", "--orders", "1000",
                                   "--seed", "42", "--db", db.string()},
                                  out);
    const std::string text = testing::read_file(out);
    ASSERT_EQ(code, 0) << text.substr(text.size() > 4000 ? text.size() - 4000 : 0);

    std::smatch match;
    const std::regex summary(
        R"(orders: (\d+)\s+parcels confirmed: (\d+)\s+planted mistakes caught: (\d+)/(\d+)\s+good orders confirmed: (\d+)/(\d+))");
    ASSERT_TRUE(std::regex_search(text, match, summary)) << text;
    const int orders = std::stoi(match[1]);
    const int parcels_confirmed = std::stoi(match[2]);
    EXPECT_EQ(orders, 1000);
    EXPECT_EQ(match[3], match[4]) << "not every planted mistake was caught";
    EXPECT_GE(std::stoi(match[4]), 250);
    EXPECT_EQ(match[5], match[6]) << "not every good order was confirmed";
    EXPECT_GE(parcels_confirmed, 1000 - std::stoi(match[4]));

    auto store = Store::open(db.string());
    ASSERT_TRUE(store.ok()) << store.error().message;
    EXPECT_TRUE(store.value()->integrity_check().ok());
    EXPECT_EQ(store.value()->count_confirmations().value(), parcels_confirmed);
    auto counters = store.value()->counters("", 0, INT64_MAX);
    ASSERT_TRUE(counters.ok());
    EXPECT_EQ(counters.value().confirmed, parcels_confirmed);
    // One outbox row per confirmation and per station event the hub hears of
    // (packing started, exception, override, abandoned); none delivered
    // without sync.
    const std::int64_t announced = counters.value().confirmed + counters.value().parcels_started +
                                   counters.value().exceptions + counters.value().overrides +
                                   counters.value().abandoned;
    EXPECT_EQ(store.value()->count_outbox().value(), announced);
    EXPECT_EQ(counters.value().outbox_pending, announced);
    EXPECT_EQ(counters.value().exceptions_customer + counters.value().exceptions_contents +
                  counters.value().exceptions_express,
              counters.value().exceptions);
    EXPECT_GE(counters.value().exceptions, std::stoi(match[4]));

    // `packline status` reads the same numbers from the store.
    const fs::path status_out = dir / "status.txt";
    ASSERT_EQ(testing::run({testing::binary("packline"), "status", "--all", "--db", db.string()},
                           status_out),
              0);
    const std::string status = testing::read_file(status_out);
    EXPECT_NE(status.find("confirmed " + std::to_string(parcels_confirmed)), std::string::npos)
        << status;
    fs::remove_all(dir);
}

}  // namespace
}  // namespace packline::station
