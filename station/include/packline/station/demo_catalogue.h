// Deterministic demo data: a catalogue, a tracking-number pool and a shift of
// orders with planted mistakes, all derived from one seed.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "packline/station/import_batch.h"
#include "packline/station/shift.h"

namespace packline::station::demo {

struct PlannedOrder {
    Order order;
    Mistake mistake = Mistake::None;
};

struct DemoData {
    ImportBatch batch;
    std::map<std::string, std::vector<std::string>> pool;  // carrier -> numbers
    std::vector<PlannedOrder> plan;
};

DemoData make_demo_data(int orders, std::uint64_t seed, double mistake_share);

// Returns a number valid for `carrier` built from `body` by trying each check
// character at the check position; the station's own validator is the oracle.
std::string with_check_digit(const std::string& carrier, const std::string& before,
                             const std::string& after);

}  // namespace packline::station::demo
