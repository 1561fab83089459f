// Shared by the benchmarks (tests/bench): where their databases go and how
// their latency percentiles are taken.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace packline::testing {

// A fresh, empty directory packline-<name>-<pid> under $PACKLINE_BENCH_DIR
// (put it on the disk whose figures you want) or the temp directory.
inline std::filesystem::path bench_dir(std::string_view name) {
    const char* base = std::getenv("PACKLINE_BENCH_DIR");
    std::filesystem::path dir =
        base != nullptr ? std::filesystem::path(base) : std::filesystem::temp_directory_path();
    dir /= "packline-" + std::string(name) + "-" + std::to_string(::getpid());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

// The sample at `fraction` (0.5 = median, 0.99 = p99) by nearest rank.
inline double percentile(std::vector<double> samples, double fraction) {
    if (samples.empty()) return 0.0;
    std::sort(samples.begin(), samples.end());
    const auto index =
        static_cast<std::size_t>(fraction * static_cast<double>(samples.size() - 1) + 0.5);
    return samples[std::min(index, samples.size() - 1)];
}

}  // namespace packline::testing
