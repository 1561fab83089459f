// Checkpoints the store's WAL on a thread of its own (internal header).
//
// SQLite's automatic checkpoint runs on the connection whose commit pushed
// the WAL past 1,000 pages: for the station that is the loop thread, which
// then waits for the checkpoint's fsyncs (3-6 ms on an SSD, far more on an SD
// card) in the middle of a packer's scan, about once every hundred steps. The
// store's connection instead tells this checkpointer (its WAL commit hook),
// and a second connection on this thread runs a PASSIVE checkpoint: it never
// waits for, or blocks, a writer or a reader.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "packline/sqlite/database.h"

namespace packline::station {

class WalCheckpointer {
  public:
    // WAL pages after which a checkpoint is asked for (SQLite's default).
    static constexpr int kPages = 1000;

    // Opens its own connection to `path` and installs the hook on `store`,
    // which must outlive it. nullptr when the connection cannot be opened:
    // SQLite's automatic checkpoint stays in place then.
    static std::unique_ptr<WalCheckpointer> start(const std::string& path, sqlite::Database& store);
    ~WalCheckpointer();  // removes the hook, finishes a checkpoint under way
    WalCheckpointer(const WalCheckpointer&) = delete;
    WalCheckpointer& operator=(const WalCheckpointer&) = delete;

    // Checkpoints done so far (tests, benchmarks).
    long completed() const;

  private:
    WalCheckpointer(sqlite::Database own, sqlite::Database& store);
    void on_commit(int pages);
    void run();

    sqlite::Database own_;
    sqlite::Database& store_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool wanted_ = false;
    bool stopping_ = false;
    long completed_ = 0;
    std::thread thread_;
};

}  // namespace packline::station
