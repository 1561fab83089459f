// Faults for the files Packline writes itself (packline/durable_file.h), the
// way power_cut_vfs.h injects them into SQLite: the k-th system call of a
// durable write (create, write, sync, close, rename, open directory, sync
// directory, counted from 1 across the process) fails with a chosen errno.
//
//   FileFaults faults(3, EIO);  // the third call fails: the sync
//   ... code that writes files ...
//   faults.calls()              // how many calls were made
//   // the destructor puts the real calls back
//
// FileFaults counting(0, 0) fails nothing and only counts: run the code once
// that way to learn how many calls there are to fail.
//
// Thread-safety: one instance at a time in the process; the counted calls
// may come from any thread.
#pragma once

#include <atomic>
#include <cerrno>

#include "packline/durable_file.h"

namespace packline::testing {

class FileFaults {
  public:
    FileFaults(int failing_call, int error_number) {
        failing_call_ = failing_call;
        error_number_ = error_number;
        calls_ = 0;
        set_file_system_calls_for_testing(&kCalls);
    }
    ~FileFaults() { set_file_system_calls_for_testing(nullptr); }
    FileFaults(const FileFaults&) = delete;
    FileFaults& operator=(const FileFaults&) = delete;

    int calls() const { return calls_.load(); }
    // Stops failing (the disk is well again); calls are still counted.
    void heal() { failing_call_ = 0; }

  private:
    // True when this call is the one to fail (errno is set).
    static bool fails() {
        const int call = ++calls_;
        if (call != failing_call_.load()) return false;
        errno = error_number_;
        return true;
    }
    static int open(const char* path, int flags, mode_t mode) {
        return fails() ? -1 : system_file_calls().open(path, flags, mode);
    }
    static ssize_t write(int fd, const void* bytes, size_t count) {
        return fails() ? -1 : system_file_calls().write(fd, bytes, count);
    }
    static int fsync(int fd) { return fails() ? -1 : system_file_calls().fsync(fd); }
    static int close(int fd) {
        // A failed close still releases the descriptor (Linux close(2)).
        const bool failing = fails();
        const int saved = errno;
        const int result = system_file_calls().close(fd);
        if (!failing) return result;
        errno = saved;
        return -1;
    }
    static int rename(const char* from, const char* to) {
        return fails() ? -1 : system_file_calls().rename(from, to);
    }

    static inline std::atomic<int> calls_{0};
    static inline std::atomic<int> failing_call_{0};
    static inline std::atomic<int> error_number_{0};
    static constexpr FileSystemCalls kCalls{open, write, fsync, close, rename};
};

}  // namespace packline::testing
