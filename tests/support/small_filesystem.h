// A small file system of the test's own, to run out of: a tmpfs of a chosen
// size mounted on a directory, in a mount namespace private to the test
// process, so the host never sees it and it goes away with the process. A
// full one is a real full disk: write() fails with ENOSPC in this process and
// in every program the test starts afterwards from the same thread (a child
// inherits the namespace of the thread that forks it).
//
//   SmallFilesystem disk(dir / "evidence", 1 << 20);
//   if (!disk.ready()) GTEST_SKIP() << disk.error();
//   disk.fill();        // a filler file takes every free byte
//   ...                 // every write under dir/evidence now fails: ENOSPC
//   disk.make_room();   // the filler goes
//
// Needs root (CAP_SYS_ADMIN for unshare and mount). unshare(CLONE_NEWNS)
// moves only the calling thread: construct it on the test's main thread
// before any thread that must see the mount is started.
//
// Thread-safety: one test thread. Not copyable.
#pragma once

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

namespace packline::testing {

class SmallFilesystem {
  public:
    SmallFilesystem(std::filesystem::path mount_point, std::size_t bytes)
        : mount_point_(std::move(mount_point)) {
        if (::geteuid() != 0) {
            error_ = "needs root to mount a small tmpfs";
            return;
        }
        if (!private_namespace()) return;
        std::error_code ignored;
        std::filesystem::create_directories(mount_point_, ignored);
        const std::string options = "size=" + std::to_string(bytes) + ",mode=0755";
        if (::mount("packline-test", mount_point_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV,
                    options.c_str()) != 0) {
            error_ = "mount tmpfs on " + mount_point_.string() + ": " + std::strerror(errno);
            return;
        }
        mounted_ = true;
    }

    ~SmallFilesystem() {
        if (mounted_) ::umount2(mount_point_.c_str(), MNT_DETACH);
    }

    SmallFilesystem(const SmallFilesystem&) = delete;
    SmallFilesystem& operator=(const SmallFilesystem&) = delete;

    bool ready() const { return mounted_; }
    const std::string& error() const { return error_; }
    const std::filesystem::path& path() const { return mount_point_; }

    // Writes a hidden filler file until the file system refuses (ENOSPC).
    void fill() {
        const std::filesystem::path filler = mount_point_ / ".filler";
        const int fd = ::open(filler.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (fd < 0) return;
        const std::vector<char> block(4096, 'x');
        while (::write(fd, block.data(), block.size()) > 0) {
        }
        // tmpfs counts whole pages: a last partial page is never left free.
        while (::write(fd, block.data(), 1) > 0) {
        }
        ::close(fd);
    }

    void make_room() {
        std::error_code ignored;
        std::filesystem::remove(mount_point_ / ".filler", ignored);
    }

    // Every file and directory in it but the filler, relative to the mount.
    std::vector<std::string> contents() const {
        std::vector<std::string> names;
        std::error_code error;
        for (auto it = std::filesystem::recursive_directory_iterator(mount_point_, error);
             !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error))
            if (it->path().filename() != ".filler")
                names.push_back(std::filesystem::relative(it->path(), mount_point_).string());
        return names;
    }

  private:
    // Once per process: the calling thread leaves the host's mount namespace,
    // and nothing mounted here propagates back.
    bool private_namespace() {
        static int made = -1;  // -1 not tried, else errno of the attempt (0: done)
        if (made < 0) {
            made = 0;
            if (::unshare(CLONE_NEWNS) != 0)
                made = errno;
            else if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
                made = errno;
        }
        if (made != 0) error_ = std::string("private mount namespace: ") + std::strerror(made);
        return made == 0;
    }

    std::filesystem::path mount_point_;
    std::string error_;
    bool mounted_ = false;
};

}  // namespace packline::testing
