// The SHA-256 of a file by the system's sha256sum: an implementation
// independent of the camera driver's, for tests that check a photo's hash.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>

namespace packline::testing {

inline std::string sha256sum(const std::filesystem::path& file) {
    const std::string command = "sha256sum '" + file.string() + "'";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return {};
    char digest[65] = {};
    const std::size_t read = std::fread(digest, 1, 64, pipe);
    ::pclose(pipe);
    return std::string(digest, read);
}

}  // namespace packline::testing
