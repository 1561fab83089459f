// A station's outbox as the tests that judge sync read it: every row of the
// station's database (read-only, beside the running daemon: WAL), and the
// verdict "everything arrived" against a FakeHub.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "mqtt_fake_hub.h"

namespace packline::testing {

struct OutboxRow {
    std::string event_id;
    std::string topic;
    std::int64_t sequence = -1;
    bool delivered = false;
};

// Every outbox row of the station's database, in outbox order (a test
// failure, and nothing, when the database cannot be opened).
inline std::vector<OutboxRow> read_outbox(const std::filesystem::path& database) {
    std::vector<OutboxRow> rows;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(database.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        ADD_FAILURE() << "cannot open " << database;
        sqlite3_close(db);
        return rows;
    }
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db,
                       "SELECT event_id, topic, payload, delivered_at_ms IS NOT NULL FROM outbox "
                       "ORDER BY seq",
                       -1, &statement, nullptr);
    while (statement != nullptr && sqlite3_step(statement) == SQLITE_ROW) {
        OutboxRow row;
        row.event_id = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
        row.topic = reinterpret_cast<const char*>(sqlite3_column_text(statement, 1));
        const auto payload = nlohmann::json::parse(
            reinterpret_cast<const char*>(sqlite3_column_text(statement, 2)), nullptr, false);
        if (payload.is_object()) row.sequence = payload.value("sequence", std::int64_t{-1});
        row.delivered = sqlite3_column_int(statement, 3) != 0;
        rows.push_back(std::move(row));
    }
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return rows;
}

// Every outbox row is retired at the station and arrived at the hub at least
// once (redelivery is allowed: the hub stores by event id); the hub heard of
// nothing else; sequences only grow; there were shipments.
inline void expect_everything_arrived(const std::filesystem::path& database, const FakeHub& hub) {
    const auto rows = read_outbox(database);
    ASSERT_FALSE(rows.empty());
    std::int64_t last_sequence = -1;
    int shipments = 0;
    for (const OutboxRow& row : rows) {
        EXPECT_TRUE(row.delivered) << row.event_id << " on " << row.topic;
        EXPECT_GE(hub.arrival_count(row.event_id), 1u) << row.event_id << " never arrived";
        EXPECT_GT(row.sequence, last_sequence) << row.event_id;
        last_sequence = row.sequence;
        if (row.topic.ends_with("/shipments")) ++shipments;
    }
    EXPECT_GT(shipments, 0);
    EXPECT_EQ(hub.distinct_count(), rows.size());
    // Nothing the hub heard of that the outbox never held.
    std::set<std::string> held;
    for (const OutboxRow& row : rows)
        held.insert(row.event_id);
    for (const auto& arrival : hub.arrivals())
        EXPECT_TRUE(held.contains(arrival.event_id))
            << "the hub received \"" << arrival.event_id << "\" on " << arrival.topic
            << ", which the station's outbox never held";
    // Damaged copies the hub refused (see FakeHub::arrived): told, not failed.
    for (const std::string& payload : hub.unreadable())
        std::cout << "the hub refused a damaged copy (" << payload.size()
                  << " bytes) and the station sent the message again\n";
}

}  // namespace packline::testing
