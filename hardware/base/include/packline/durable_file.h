// Files that survive a power cut whole: the evidence photo a confirmation
// names, a label or an export a person asked for. A file is written beside
// its final name, synced, renamed over it, and its directory synced (POSIX
// makes a rename durable only once the directory is), so after a cut the
// name holds either the old file or the whole new one, never a torn one.
//
// Errors are values with the codes below; on any failure nothing is left at
// `path` that was not there before, and no temporary file either.
//
// Thread-safe: any thread may write files (each call uses its own
// descriptors).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string_view>

#include "packline/error.h"

namespace packline {

namespace file_errors {
inline constexpr const char* kFull = "file.full";  // ENOSPC or EDQUOT: the disk or quota is full
inline constexpr const char* kIo = "file.io";      // any other failure, with the system's words
}  // namespace file_errors

Status write_file_durably(const std::filesystem::path& path, std::string_view bytes);

// The system calls write_file_durably makes, replaceable for fault-injection
// tests the way SQLite's unix VFS lets its tests replace its own
// (xSetSystemCall). Production code never sets them.
struct FileSystemCalls {
    int (*open)(const char* path, int flags, mode_t mode);
    ssize_t (*write)(int fd, const void* bytes, size_t count);
    int (*fsync)(int fd);
    int (*close)(int fd);
    int (*rename)(const char* from, const char* to);
};

// The real calls.
const FileSystemCalls& system_file_calls();

// Replaces the calls for the whole process until reset with nullptr. Tests
// only; `calls` must outlive its use.
void set_file_system_calls_for_testing(const FileSystemCalls* calls);

}  // namespace packline
