#include "packline/durable_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>

namespace packline {
namespace {

int system_open(const char* path, int flags, mode_t mode) {
    return ::open(path, flags, mode);
}

const FileSystemCalls kSystemCalls{system_open, ::write, ::fsync, ::close, ::rename};

std::atomic<const FileSystemCalls*> active_calls{&kSystemCalls};

Error failure(std::string_view step, const std::filesystem::path& path, int error_number) {
    const bool full = error_number == ENOSPC || error_number == EDQUOT;
    std::string message = std::string(step) + " " + path.string() + ": ";
    message += full ? "the disk is full (" + std::string(std::strerror(error_number)) + ")"
                    : std::string(std::strerror(error_number));
    return Error(full ? file_errors::kFull : file_errors::kIo, std::move(message));
}

// Closes a descriptor on every path out; a failed close after a write is an
// error the caller must hear (NFS and some FUSE file systems report a lost
// write only there), so the success path closes explicitly.
class Descriptor {
  public:
    Descriptor(const FileSystemCalls& calls, int fd) : calls_(calls), fd_(fd) {}
    ~Descriptor() {
        if (fd_ >= 0) calls_.close(fd_);
    }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;

    int get() const { return fd_; }
    int close() {
        const int result = calls_.close(fd_);
        fd_ = -1;
        return result;
    }

  private:
    const FileSystemCalls& calls_;
    int fd_;
};

Status write_and_sync(const FileSystemCalls& calls, const std::filesystem::path& temporary,
                      std::string_view bytes) {
    Descriptor file(calls,
                    calls.open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (file.get() < 0) return failure("create", temporary, errno);
    while (!bytes.empty()) {
        const ssize_t written = calls.write(file.get(), bytes.data(), bytes.size());
        if (written < 0) {
            if (errno == EINTR) continue;
            return failure("write", temporary, errno);
        }
        // A short write is not an error by itself; the next call says why.
        bytes.remove_prefix(static_cast<std::size_t>(written));
    }
    if (calls.fsync(file.get()) != 0) return failure("sync", temporary, errno);
    if (file.close() != 0) return failure("close", temporary, errno);
    return {};
}

Status sync_directory(const FileSystemCalls& calls, const std::filesystem::path& directory) {
    Descriptor handle(calls, calls.open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0));
    if (handle.get() < 0) return failure("open directory", directory, errno);
    if (calls.fsync(handle.get()) != 0) return failure("sync directory", directory, errno);
    return {};
}

}  // namespace

const FileSystemCalls& system_file_calls() {
    return kSystemCalls;
}

void set_file_system_calls_for_testing(const FileSystemCalls* calls) {
    active_calls.store(calls != nullptr ? calls : &kSystemCalls);
}

Status write_file_durably(const std::filesystem::path& path, std::string_view bytes) {
    const FileSystemCalls& calls = *active_calls.load();
    std::filesystem::path directory = path.parent_path();
    if (directory.empty()) directory = ".";
    // Hidden, and unique per process and call: two writers of the same name
    // never share a temporary.
    static std::atomic<unsigned> counter{0};
    const std::filesystem::path temporary =
        directory / ("." + path.filename().string() + "." + std::to_string(::getpid()) + "." +
                     std::to_string(counter.fetch_add(1)) + ".part");
    if (Status written = write_and_sync(calls, temporary, bytes); !written.ok()) {
        ::unlink(temporary.c_str());
        return written;
    }
    if (calls.rename(temporary.c_str(), path.c_str()) != 0) {
        const int error_number = errno;
        ::unlink(temporary.c_str());
        return failure("rename to", path, error_number);
    }
    // The file is whole under its name, but until the directory is synced a
    // power cut may still forget the name: a caller must not record a file
    // that may vanish, so a failure here takes it away.
    if (Status synced = sync_directory(calls, directory); !synced.ok()) {
        ::unlink(path.c_str());
        return synced;
    }
    return {};
}

}  // namespace packline
