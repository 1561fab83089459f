// A SQLite VFS for tests that pulls the plug: it wraps the default "unix"
// VFS, is registered as the process's default (so the store and the hub open
// through it unchanged), and models what a disk keeps when the power fails.
//
// The model (docs/store.md, "Power cuts and I/O errors"):
//   - a file's content is durable up to its last xSync; every xWrite and
//     xTruncate since is recorded in an undo log (the old bytes and size), so
//     a cut rolls each file back to what its last sync made durable;
//   - a directory entry (a file created or deleted) is durable only after the
//     directory is synced: the unix VFS does that at the first xSync of a
//     file opened to create a WAL or rollback journal, and in xDelete when
//     asked (dirSync). A cut removes a file whose creation was not synced and
//     brings back, with its synced content, one whose deletion was not;
//   - the -shm file is never durable (it is deleted at the reboot);
//   - a cut happens at a chosen xSync (the sync does not happen), at a chosen
//     xWrite (that write is torn: only its first sector, or half of a short
//     write, reaches the disk), or when the test says so;
//   - the real fsync is not called: the model decides what is durable;
//   - once the power is off every read, write, sync, truncate, delete and
//     open fails, until reboot(), which needs every file closed (the test
//     destroys its stores first), puts the disk in its post-cut state and
//     powers on with everything on disk durable.
// Separately, faults: the k-th write (and, optionally, the following ones)
// fails with SQLITE_IOERR_WRITE or SQLITE_FULL and writes nothing; the k-th
// sync (and the following ones) fails with SQLITE_IOERR_FSYNC.
//
// Files opened without a name or deleted on close (temporary files) pass
// through untracked: nothing of them outlives a power cut anyway.
//
// Thread-safe: the store's checkpointer uses its own connection on its own
// thread. One mutex serialises the shim's bookkeeping and the I/O it wraps.
#pragma once

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace packline::testing {

class PowerCutVfs {
  public:
    // What reaches the disk when the power goes at a write.
    enum class Tear {
        // The disk lost everything since each file's last sync, but the torn
        // write's first sector made it.
        DropUnsynced,
        // The disk wrote in order: every earlier write made it, the torn one
        // partly, nothing after it (a crash of the kernel in mid-write).
        InOrder,
    };

    // Registers the shim as the default VFS once per process and returns it.
    static PowerCutVfs& install() {
        static PowerCutVfs* instance = [] {
            auto* created = new PowerCutVfs();  // lives as long as the process
            sqlite3_vfs_register(&created->vfs_, 1);
            return created;
        }();
        return *instance;
    }

    // Forgets the history: what is on disk now is durable. Clears plans,
    // faults and counters. False if a file is open.
    bool reset() {
        std::lock_guard lock(mutex_);
        if (open_files_ != 0) return false;
        forget();
        return true;
    }

    // The power goes at the k-th xSync (1-based, counted since reset/reboot):
    // that sync does not happen.
    void cut_at_sync(int k) {
        std::lock_guard lock(mutex_);
        cut_sync_ = k;
    }
    // The power goes during the k-th xWrite, which is torn.
    void cut_at_write(int k, Tear tear) {
        std::lock_guard lock(mutex_);
        cut_write_ = k;
        tear_ = tear;
    }
    // The power goes now (everything not synced is lost).
    void cut_now() {
        std::lock_guard lock(mutex_);
        power_off();
    }

    // Writes number `from` .. `from + count - 1` (count < 0: until
    // clear_faults) fail with `code` (SQLITE_IOERR_WRITE or SQLITE_FULL).
    void fail_writes(int from, int count, int code) {
        std::lock_guard lock(mutex_);
        fail_from_ = from;
        fail_count_ = count;
        fail_code_ = code;
    }
    // Syncs number `from` .. `from + count - 1` (count < 0: until
    // clear_faults) fail with SQLITE_IOERR_FSYNC; what they should have made
    // durable stays undurable (a cut still loses it).
    void fail_syncs(int from, int count) {
        std::lock_guard lock(mutex_);
        fail_sync_from_ = from;
        fail_sync_count_ = count;
    }
    void clear_faults() {
        std::lock_guard lock(mutex_);
        fail_from_ = 0;
        fail_count_ = 0;
        fail_sync_from_ = 0;
        fail_sync_count_ = 0;
    }

    [[nodiscard]] bool powered() const {
        std::lock_guard lock(mutex_);
        return powered_;
    }
    [[nodiscard]] int syncs() const {
        std::lock_guard lock(mutex_);
        return syncs_;
    }
    [[nodiscard]] int writes() const {
        std::lock_guard lock(mutex_);
        return writes_;
    }
    [[nodiscard]] int failed_writes() const {
        std::lock_guard lock(mutex_);
        return failed_writes_;
    }
    [[nodiscard]] int failed_syncs() const {
        std::lock_guard lock(mutex_);
        return failed_syncs_;
    }
    [[nodiscard]] int open_files() const {
        std::lock_guard lock(mutex_);
        return open_files_;
    }

    // Power on again: cuts the power first if it is still on, then puts
    // every file in the state the model says the disk kept. Every file must
    // be closed (false otherwise). Counters, plans and faults start afresh.
    bool reboot() {
        std::lock_guard lock(mutex_);
        if (open_files_ != 0) return false;
        if (powered_) power_off();
        if (!in_order_) {
            for (auto& [path, state] : paths_)
                restore(path, state);
            if (survivor_) apply_survivor(*survivor_);
        }
        // Rebuilt by SQLite from the WAL at the next open.
        for (const std::string& database : databases_) {
            std::error_code ignored;
            std::filesystem::remove(database + "-shm", ignored);
        }
        forget();
        return true;
    }

  private:
    // The old bytes at `offset` and the file's size before one write or
    // truncation: applied in reverse order they give back the synced file.
    struct Undo {
        std::int64_t offset = 0;
        std::string old_bytes;
        std::int64_t old_size = 0;
    };
    struct PathState {
        // The file there now is the durable directory entry (it was there at
        // the reset, or a directory sync followed its creation).
        bool current_durable = false;
        std::vector<Undo> undo;             // since the file's last sync
        std::optional<std::string> buried;  // synced content of a deleted, still durable entry
    };
    struct Survivor {
        std::string path;
        std::int64_t offset = 0;
        std::string bytes;
    };
    struct File {
        sqlite3_file base;
        PowerCutVfs* owner;
        // Owned (deleted by close); a plain pointer because SQLite hands the
        // struct over as raw memory, where no constructor runs.
        std::string* path;  // nullptr: not tracked
        bool directory_sync_pending;
        sqlite3_file* real() {
            return reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(this) + kRealOffset);
        }
    };
    static constexpr std::size_t kRealOffset = (sizeof(File) + 15) & ~std::size_t{15};

    PowerCutVfs() {
        real_ = sqlite3_vfs_find("unix");
        methods_.iVersion = 3;
        methods_.xClose = &PowerCutVfs::close;
        methods_.xRead = &PowerCutVfs::read;
        methods_.xWrite = &PowerCutVfs::write;
        methods_.xTruncate = &PowerCutVfs::truncate;
        methods_.xSync = &PowerCutVfs::sync;
        methods_.xFileSize = &PowerCutVfs::file_size;
        methods_.xLock = [](sqlite3_file* f, int level) {
            return real_of(f)->pMethods->xLock(real_of(f), level);
        };
        methods_.xUnlock = [](sqlite3_file* f, int level) {
            return real_of(f)->pMethods->xUnlock(real_of(f), level);
        };
        methods_.xCheckReservedLock = [](sqlite3_file* f, int* out) {
            return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
        };
        methods_.xFileControl = &PowerCutVfs::file_control;
        methods_.xSectorSize = [](sqlite3_file* f) {
            return real_of(f)->pMethods->xSectorSize(real_of(f));
        };
        methods_.xDeviceCharacteristics = [](sqlite3_file* f) {
            return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f));
        };
        methods_.xShmMap = [](sqlite3_file* f, int page, int size, int extend,
                              void volatile** out) {
            return real_of(f)->pMethods->xShmMap(real_of(f), page, size, extend, out);
        };
        methods_.xShmLock = [](sqlite3_file* f, int offset, int n, int flags) {
            return real_of(f)->pMethods->xShmLock(real_of(f), offset, n, flags);
        };
        methods_.xShmBarrier = [](sqlite3_file* f) {
            real_of(f)->pMethods->xShmBarrier(real_of(f));
        };
        methods_.xShmUnmap = [](sqlite3_file* f, int remove) {
            return real_of(f)->pMethods->xShmUnmap(real_of(f), remove);
        };
        // No memory-mapped reads: every read goes through xRead, so none
        // succeeds while the power is off.
        methods_.xFetch = [](sqlite3_file*, sqlite3_int64, int, void** out) {
            *out = nullptr;
            return SQLITE_OK;
        };
        methods_.xUnfetch = [](sqlite3_file*, sqlite3_int64, void*) { return SQLITE_OK; };

        vfs_.iVersion = 2;
        vfs_.szOsFile = static_cast<int>(kRealOffset) + real_->szOsFile;
        vfs_.mxPathname = real_->mxPathname;
        vfs_.zName = "packline-power-cut";
        vfs_.pAppData = this;
        vfs_.xOpen = &PowerCutVfs::open;
        vfs_.xDelete = &PowerCutVfs::remove;
        vfs_.xAccess = &PowerCutVfs::access;
        vfs_.xFullPathname = [](sqlite3_vfs* v, const char* name, int size, char* out) {
            return self(v).real_->xFullPathname(self(v).real_, name, size, out);
        };
        vfs_.xDlOpen = [](sqlite3_vfs* v, const char* name) {
            return self(v).real_->xDlOpen(self(v).real_, name);
        };
        vfs_.xDlError = [](sqlite3_vfs* v, int size, char* out) {
            self(v).real_->xDlError(self(v).real_, size, out);
        };
        vfs_.xDlSym = [](sqlite3_vfs* v, void* handle, const char* symbol) {
            return self(v).real_->xDlSym(self(v).real_, handle, symbol);
        };
        vfs_.xDlClose = [](sqlite3_vfs* v, void* handle) {
            self(v).real_->xDlClose(self(v).real_, handle);
        };
        vfs_.xRandomness = [](sqlite3_vfs* v, int size, char* out) {
            return self(v).real_->xRandomness(self(v).real_, size, out);
        };
        vfs_.xSleep = [](sqlite3_vfs* v, int micros) {
            return self(v).real_->xSleep(self(v).real_, micros);
        };
        vfs_.xCurrentTime = [](sqlite3_vfs* v, double* out) {
            return self(v).real_->xCurrentTime(self(v).real_, out);
        };
        vfs_.xGetLastError = [](sqlite3_vfs* v, int size, char* out) {
            return self(v).real_->xGetLastError(self(v).real_, size, out);
        };
        vfs_.xCurrentTimeInt64 = [](sqlite3_vfs* v, sqlite3_int64* out) {
            return self(v).real_->xCurrentTimeInt64(self(v).real_, out);
        };
    }

    static PowerCutVfs& self(sqlite3_vfs* vfs) { return *static_cast<PowerCutVfs*>(vfs->pAppData); }
    static File& file_of(sqlite3_file* file) { return *reinterpret_cast<File*>(file); }
    static sqlite3_file* real_of(sqlite3_file* file) { return file_of(file).real(); }

    // ---- bookkeeping (mutex held) ----------------------------------------

    void forget() {
        paths_.clear();
        databases_.clear();
        survivor_.reset();
        powered_ = true;
        in_order_ = false;
        syncs_ = writes_ = failed_writes_ = failed_syncs_ = 0;
        cut_sync_ = cut_write_ = 0;
        fail_from_ = fail_count_ = fail_sync_from_ = fail_sync_count_ = 0;
    }

    void power_off() { powered_ = false; }

    static bool exists(const std::string& path) {
        std::error_code ignored;
        return std::filesystem::exists(path, ignored);
    }

    // First sight of a path since the reset: what is there is durable.
    PathState& state_of(const std::string& path) {
        auto found = paths_.find(path);
        if (found != paths_.end()) return found->second;
        PathState& state = paths_[path];
        state.current_durable = exists(path);
        return state;
    }

    static std::int64_t size_of(sqlite3_file* real) {
        sqlite3_int64 size = 0;
        if (real->pMethods->xFileSize(real, &size) != SQLITE_OK) return 0;
        return size;
    }

    static std::string read_range(sqlite3_file* real, std::int64_t offset, std::int64_t length,
                                  std::int64_t size) {
        const std::int64_t end = std::min(offset + length, size);
        if (end <= offset) return {};
        std::string bytes(static_cast<std::size_t>(end - offset), '\0');
        (void)real->pMethods->xRead(real, bytes.data(), static_cast<int>(bytes.size()), offset);
        return bytes;
    }

    // A directory sync makes every entry of that directory durable as it is now.
    void sync_directory(const std::string& directory) {
        for (auto& [path, state] : paths_) {
            if (std::filesystem::path(path).parent_path().string() != directory) continue;
            state.current_durable = exists(path);
            state.buried.reset();
        }
    }

    static std::string read_whole(const std::string& path) {
        std::string bytes;
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return bytes;
        char buffer[65536];
        for (;;) {
            const ssize_t got = ::read(fd, buffer, sizeof buffer);
            if (got <= 0) break;
            bytes.append(buffer, static_cast<std::size_t>(got));
        }
        ::close(fd);
        return bytes;
    }

    static void write_whole(const std::string& path, const std::string& bytes) {
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) return;
        (void)!::pwrite(fd, bytes.data(), bytes.size(), 0);
        ::close(fd);
    }

    static void roll_back(std::string& content, const std::vector<Undo>& undo) {
        for (auto entry = undo.rbegin(); entry != undo.rend(); ++entry) {
            const auto offset = static_cast<std::size_t>(entry->offset);
            if (content.size() < offset + entry->old_bytes.size())
                content.resize(offset + entry->old_bytes.size(), '\0');
            content.replace(offset, entry->old_bytes.size(), entry->old_bytes);
            content.resize(static_cast<std::size_t>(entry->old_size), '\0');
        }
    }

    void restore(const std::string& path, PathState& state) {
        std::error_code ignored;
        if (exists(path) && state.current_durable) {
            std::string content = read_whole(path);
            roll_back(content, state.undo);
            write_whole(path, content);
        } else if (state.buried) {
            write_whole(path, *state.buried);  // the deletion or re-creation never reached the disk
        } else {
            std::filesystem::remove(path, ignored);  // the creation never reached the disk
        }
    }

    void apply_survivor(const Survivor& survivor) {
        if (!exists(survivor.path)) return;  // the file itself did not survive
        const int fd = ::open(survivor.path.c_str(), O_WRONLY | O_CLOEXEC);
        if (fd < 0) return;
        (void)!::pwrite(fd, survivor.bytes.data(), survivor.bytes.size(), survivor.offset);
        ::close(fd);
    }

    // ---- sqlite3_vfs ---------------------------------------------------------

    static int open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* out, int flags,
                    int* out_flags) {
        PowerCutVfs& shim = self(vfs);
        File& file = file_of(out);
        file.base.pMethods = nullptr;
        file.owner = &shim;
        file.path = nullptr;
        file.directory_sync_pending = false;
        std::lock_guard lock(shim.mutex_);
        if (!shim.powered_) return SQLITE_CANTOPEN;
        const bool tracked = name != nullptr && (flags & SQLITE_OPEN_DELETEONCLOSE) == 0;
        bool created = false;
        if (tracked) {
            shim.state_of(name);
            created = !exists(name);
        }
        sqlite3_file* real = file.real();
        std::memset(real, 0, static_cast<std::size_t>(shim.real_->szOsFile));
        const int code = shim.real_->xOpen(shim.real_, name, real, flags, out_flags);
        if (code != SQLITE_OK) {
            if (real->pMethods != nullptr) real->pMethods->xClose(real);
            return code;
        }
        file.base.pMethods = &shim.methods_;
        ++shim.open_files_;
        if (tracked) {
            file.path = new std::string(name);
            PathState& state = shim.state_of(*file.path);
            if (created) {
                // A new file: its directory entry is not durable yet. What the
                // entry held before (if it was durable) stays buried.
                state.current_durable = false;
                state.undo.clear();
            }
            if ((flags & SQLITE_OPEN_MAIN_DB) != 0) shim.databases_.insert(*file.path);
            // As the unix VFS: a journal or WAL opened to be created syncs
            // its directory at its first sync.
            constexpr int kJournals =
                SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_JOURNAL | SQLITE_OPEN_SUPER_JOURNAL;
            file.directory_sync_pending =
                (flags & SQLITE_OPEN_CREATE) != 0 && (flags & kJournals) != 0;
        }
        return SQLITE_OK;
    }

    static int remove(sqlite3_vfs* vfs, const char* name, int sync_directory_after) {
        PowerCutVfs& shim = self(vfs);
        std::lock_guard lock(shim.mutex_);
        if (!shim.powered_) return SQLITE_IOERR_DELETE;
        PathState& state = shim.state_of(name);
        if (state.current_durable && exists(name)) {
            // The entry may come back after a cut: keep its synced content.
            std::string content = read_whole(name);
            roll_back(content, state.undo);
            state.buried = std::move(content);
        }
        const int code = shim.real_->xDelete(shim.real_, name, sync_directory_after);
        state.current_durable = false;
        state.undo.clear();
        if (code == SQLITE_OK && sync_directory_after != 0)
            shim.sync_directory(std::filesystem::path(name).parent_path().string());
        return code;
    }

    static int access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
        PowerCutVfs& shim = self(vfs);
        {
            std::lock_guard lock(shim.mutex_);
            if (!shim.powered_) return SQLITE_IOERR_ACCESS;
        }
        return shim.real_->xAccess(shim.real_, name, flags, out);
    }

    // ---- sqlite3_io_methods --------------------------------------------------

    static int close(sqlite3_file* handle) {
        File& file = file_of(handle);
        PowerCutVfs& shim = *file.owner;
        std::lock_guard lock(shim.mutex_);
        const int code = file.real()->pMethods->xClose(file.real());
        delete file.path;
        file.path = nullptr;
        --shim.open_files_;
        return code;
    }

    static int read(sqlite3_file* handle, void* buffer, int amount, sqlite3_int64 offset) {
        File& file = file_of(handle);
        PowerCutVfs& shim = *file.owner;
        std::lock_guard lock(shim.mutex_);
        if (!shim.powered_) return SQLITE_IOERR_READ;
        return file.real()->pMethods->xRead(file.real(), buffer, amount, offset);
    }

    static int write(sqlite3_file* handle, const void* buffer, int amount, sqlite3_int64 offset) {
        File& file = file_of(handle);
        PowerCutVfs& shim = *file.owner;
        std::lock_guard lock(shim.mutex_);
        if (!shim.powered_) return SQLITE_IOERR_WRITE;
        const int number = ++shim.writes_;
        if (shim.fail_from_ > 0 && number >= shim.fail_from_ &&
            (shim.fail_count_ < 0 || number < shim.fail_from_ + shim.fail_count_)) {
            ++shim.failed_writes_;
            return shim.fail_code_;
        }
        sqlite3_file* real = file.real();
        int length = amount;
        const bool torn = number == shim.cut_write_;
        if (torn) length = amount > 512 ? 512 : amount / 2;
        if (file.path != nullptr && !(torn && shim.tear_ == Tear::InOrder)) {
            const std::int64_t size = size_of(real);
            shim.state_of(*file.path)
                .undo.push_back({offset, read_range(real, offset, amount, size), size});
        }
        int code = SQLITE_OK;
        if (length > 0) code = real->pMethods->xWrite(real, buffer, length, offset);
        if (torn) {
            if (file.path != nullptr && shim.tear_ == Tear::DropUnsynced)
                shim.survivor_ = Survivor{*file.path, offset,
                                          std::string(static_cast<const char*>(buffer),
                                                      static_cast<std::size_t>(length))};
            shim.in_order_ = shim.tear_ == Tear::InOrder;
            shim.power_off();
            return SQLITE_IOERR_WRITE;
        }
        return code;
    }

    static int truncate(sqlite3_file* handle, sqlite3_int64 size) {
        File& file = file_of(handle);
        PowerCutVfs& shim = *file.owner;
        std::lock_guard lock(shim.mutex_);
        if (!shim.powered_) return SQLITE_IOERR_TRUNCATE;
        sqlite3_file* real = file.real();
        if (file.path != nullptr) {
            const std::int64_t old_size = size_of(real);
            shim.state_of(*file.path)
                .undo.push_back(
                    {size, read_range(real, size, old_size - size, old_size), old_size});
        }
        return real->pMethods->xTruncate(real, size);
    }

    static int sync(sqlite3_file* handle, int flags) {
        File& file = file_of(handle);
        PowerCutVfs& shim = *file.owner;
        std::lock_guard lock(shim.mutex_);
        if (!shim.powered_) return SQLITE_IOERR_FSYNC;
        const int number = ++shim.syncs_;
        if (number == shim.cut_sync_) {
            shim.power_off();
            return SQLITE_IOERR_FSYNC;
        }
        if (shim.fail_sync_from_ > 0 && number >= shim.fail_sync_from_ &&
            (shim.fail_sync_count_ < 0 || number < shim.fail_sync_from_ + shim.fail_sync_count_)) {
            ++shim.failed_syncs_;
            return SQLITE_IOERR_FSYNC;
        }
        // The real fsync is skipped: the model, not the disk, decides what
        // survives a cut, and thousands of runs would wait on the disk.
        (void)flags;
        if (file.path == nullptr) return SQLITE_OK;
        shim.state_of(*file.path).undo.clear();
        if (file.directory_sync_pending) {
            file.directory_sync_pending = false;
            shim.sync_directory(std::filesystem::path(*file.path).parent_path().string());
        }
        return SQLITE_OK;
    }

    static int file_size(sqlite3_file* handle, sqlite3_int64* out) {
        File& file = file_of(handle);
        PowerCutVfs& shim = *file.owner;
        std::lock_guard lock(shim.mutex_);
        if (!shim.powered_) return SQLITE_IOERR_FSTAT;
        return file.real()->pMethods->xFileSize(file.real(), out);
    }

    static int file_control(sqlite3_file* handle, int op, void* argument) {
        File& file = file_of(handle);
        PowerCutVfs& shim = *file.owner;
        std::lock_guard lock(shim.mutex_);
        sqlite3_file* real = file.real();
        // A size hint may grow the file behind xWrite's back (with a chunk
        // size set): recorded like a truncation, so a cut shrinks it back.
        if (op == SQLITE_FCNTL_SIZE_HINT && file.path != nullptr) {
            if (!shim.powered_) return SQLITE_IOERR;
            const std::int64_t old_size = size_of(real);
            const int code = real->pMethods->xFileControl(real, op, argument);
            if (size_of(real) != old_size)
                shim.state_of(*file.path).undo.push_back({old_size, {}, old_size});
            return code;
        }
        return real->pMethods->xFileControl(real, op, argument);
    }

    sqlite3_vfs* real_ = nullptr;
    sqlite3_vfs vfs_{};
    sqlite3_io_methods methods_{};

    mutable std::mutex mutex_;
    std::map<std::string, PathState> paths_;
    std::set<std::string> databases_;
    std::optional<Survivor> survivor_;
    bool powered_ = true;
    bool in_order_ = false;
    Tear tear_ = Tear::DropUnsynced;
    int open_files_ = 0;
    int syncs_ = 0;
    int writes_ = 0;
    int failed_writes_ = 0;
    int failed_syncs_ = 0;
    int cut_sync_ = 0;
    int cut_write_ = 0;
    int fail_from_ = 0;
    int fail_count_ = 0;
    int fail_code_ = SQLITE_IOERR_WRITE;
    int fail_sync_from_ = 0;
    int fail_sync_count_ = 0;
};

}  // namespace packline::testing
