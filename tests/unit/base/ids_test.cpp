// Event ids as a value handed in: random version 4 UUIDs in production, a
// counted sequence in tests.
#include "packline/ids.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace packline {
namespace {

const std::regex kUuid4("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

TEST(Ids, RandomIdsAreVersion4UuidsThatDoNotRepeat) {
    std::set<std::string> seen;
    for (int index = 0; index < 20'000; ++index) {
        const std::string id = random_ids().next_id();
        ASSERT_TRUE(std::regex_match(id, kUuid4)) << id;
        ASSERT_TRUE(seen.insert(id).second) << id;
    }
}

TEST(Ids, ThreadsDrawDifferentIds) {
    std::vector<std::vector<std::string>> drawn(4);
    std::vector<std::thread> threads;
    for (auto& ids : drawn)
        threads.emplace_back([&ids] {
            for (int index = 0; index < 2'000; ++index)
                ids.push_back(random_uuid());
        });
    for (std::thread& thread : threads)
        thread.join();
    std::set<std::string> seen;
    for (const auto& ids : drawn)
        for (const std::string& id : ids)
            EXPECT_TRUE(seen.insert(id).second) << id;
}

TEST(Ids, CountingIdsAreValidAndPredictable) {
    CountingIds ids{41};
    EXPECT_EQ(ids.next_id(), "00000000-0000-4000-8000-000000000029");
    const std::string next = ids.next_id();
    EXPECT_EQ(next, "00000000-0000-4000-8000-00000000002a");
    EXPECT_TRUE(std::regex_match(next, kUuid4));
}

}  // namespace
}  // namespace packline
