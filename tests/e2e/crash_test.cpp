// Kill the station daemon with SIGKILL at random points of a shift, restart
// it each time, and check that the store never lies: integrity holds, every
// confirmation announced before a kill survived, nothing is confirmed twice,
// and the outbox holds exactly one row per confirmation.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "packline/station/store.h"
#include "process.h"

namespace packline::station {
namespace {

namespace fs = std::filesystem;

struct Announced {
    std::string order;
    std::string tracking;
};

void collect(const std::string& text, std::map<std::int64_t, Announced>& announced) {
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        std::istringstream words(line);
        std::string word;
        std::int64_t parcel = 0;
        Announced entry;
        // A line cut by the kill is ignored: only whole lines are promises.
        if (words >> word && word == "CONFIRMED" &&
            words >> parcel >> entry.order >> entry.tracking && !entry.tracking.empty())
            announced[parcel] = entry;
    }
}

TEST(CrashEndToEnd, KilledAtRandomPointsTheStoreNeverLies) {
    const fs::path dir =
        fs::temp_directory_path() / ("packline-e2e-crash-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const fs::path db = dir / "station.db";
    const std::vector<std::string> daemon{testing::binary("packline-stationd"),
                                          "--db",
                                          db.string(),
                                          "--shift",
                                          "120",
                                          "--seed",
                                          "7",
                                          "--log-confirmations"};

    std::mt19937 random(20261123);
    std::uniform_int_distribution<int> delay_ms(40, 400);
    std::map<std::int64_t, Announced> announced;
    int kills = 0;
    for (int attempt = 0; attempt < 60 && kills < 24; ++attempt) {
        const fs::path out = dir / ("run-" + std::to_string(attempt) + ".txt");
        testing::Child child(daemon, out);
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
        int code = 0;
        if (child.finished(code)) {
            collect(testing::read_file(out), announced);
            break;  // the shift completed before this kill
        }
        child.kill_hard();
        EXPECT_EQ(child.wait(), 128 + SIGKILL);
        ++kills;
        collect(testing::read_file(out), announced);

        // After every kill: the database opens, passes its checks and still
        // holds every confirmation that was announced.
        auto store = Store::open(db.string());
        ASSERT_TRUE(store.ok()) << "after kill " << kills << ": " << store.error().message;
        ASSERT_TRUE(store.value()->integrity_check().ok());
        for (const auto& [parcel_id, entry] : announced) {
            auto parcel = store.value()->find_parcel(parcel_id);
            ASSERT_TRUE(parcel.ok() && parcel.value())
                << "announced parcel " << parcel_id << " is gone";
            EXPECT_EQ(parcel.value()->state, ParcelState::Confirmed) << "parcel " << parcel_id;
            EXPECT_EQ(parcel.value()->order_id, entry.order);
            EXPECT_EQ(parcel.value()->tracking_number, entry.tracking);
        }
    }
    EXPECT_GE(kills, 20) << "the shift finished too fast to be killed 20 times";

    // The last run goes to the end of the shift.
    const fs::path final_out = dir / "final.txt";
    const int code = testing::run(daemon, final_out);
    const std::string final_text = testing::read_file(final_out);
    EXPECT_TRUE(code == 0 || code == 1)
        << final_text;  // 1: some resumed mistakes were not re-planted
    collect(final_text, announced);

    auto store = Store::open(db.string());
    ASSERT_TRUE(store.ok()) << store.error().message;
    EXPECT_TRUE(store.value()->integrity_check().ok());
    const std::int64_t confirmations = store.value()->count_confirmations().value();
    // Station events (packing started, exceptions, overrides) share the outbox.
    auto outbox = store.value()->pending_outbox(1000000);
    ASSERT_TRUE(outbox.ok());
    const auto shipments = std::count_if(
        outbox->begin(), outbox->end(),
        [](const OutboxMessage& message) { return message.topic.ends_with("/shipments"); });
    EXPECT_EQ(shipments, confirmations)
        << "the outbox must hold exactly one shipment row per confirmation";
    // A kill between the commit and the printed line loses the line, never
    // the confirmation.
    EXPECT_LE(static_cast<std::int64_t>(announced.size()), confirmations);
    // Nothing shipped twice: no order has more confirmed units than it asked for.
    std::int64_t confirmed_parcels = 0;
    for (int number = 10001; number <= 10120; ++number) {
        const std::string order_id = "SO-" + std::to_string(number);
        auto order = store.value()->find_order(order_id);
        ASSERT_TRUE(order.ok() && order.value()) << order_id;
        std::map<std::string, int> wanted;
        for (const OrderLine& line : order.value()->lines)
            wanted[line.sku] += line.quantity;
        auto parcels = store.value()->parcels_for_order(order_id);
        ASSERT_TRUE(parcels.ok());
        for (const Parcel& parcel : parcels.value()) {
            if (parcel.state != ParcelState::Confirmed) continue;
            ++confirmed_parcels;
            for (const ScannedItem& item : parcel.items)
                --wanted[item.sku];
        }
        for (const auto& [sku, left] : wanted)
            EXPECT_GE(left, 0) << order_id << " shipped too many " << sku;
    }
    EXPECT_EQ(confirmed_parcels, confirmations);
    std::cout << "kills: " << kills << ", confirmations: " << confirmations
              << ", announced before/at the end: " << announced.size() << std::endl;
    std::set<std::string> tracking_numbers;
    for (const auto& [parcel_id, entry] : announced)
        EXPECT_TRUE(tracking_numbers.insert(entry.tracking).second)
            << "tracking number used twice: " << entry.tracking;
    // No parcel is left half-done once the shift has run to its end.
    auto active = store.value()->active_parcel("station-1");
    ASSERT_TRUE(active.ok());
    EXPECT_FALSE(active.value().has_value());
    fs::remove_all(dir);
}

}  // namespace
}  // namespace packline::station
