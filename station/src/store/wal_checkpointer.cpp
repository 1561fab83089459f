#include "wal_checkpointer.h"

namespace packline::station {

std::unique_ptr<WalCheckpointer> WalCheckpointer::start(const std::string& path, sqlite3* store) {
    sqlite3* raw = nullptr;
    const int code = sqlite3_open_v2(
        path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
        nullptr);
    sqlite::Connection own(raw);
    if (code != SQLITE_OK) return nullptr;
    sqlite3_busy_timeout(raw, 1000);
    // The checkpointer's connection commits nothing, so its own automatic
    // checkpoint never fires; its fsyncs follow the store's setting.
    if (!sqlite::execute_script(raw, "PRAGMA synchronous = NORMAL")) return nullptr;
    return std::unique_ptr<WalCheckpointer>(new WalCheckpointer(std::move(own), store));
}

WalCheckpointer::WalCheckpointer(sqlite::Connection own, sqlite3* store)
    : own_(std::move(own)), store_(store) {
    thread_ = std::thread([this] { run(); });
    // Replaces SQLite's automatic checkpoint on the store's connection.
    sqlite3_wal_hook(store_, &WalCheckpointer::on_commit, this);
}

WalCheckpointer::~WalCheckpointer() {
    sqlite3_wal_hook(store_, nullptr, nullptr);
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

long WalCheckpointer::completed() const {
    std::lock_guard lock(mutex_);
    return completed_;
}

int WalCheckpointer::on_commit(void* self, sqlite3*, const char*, int pages) {
    if (pages < kPages) return SQLITE_OK;
    auto* checkpointer = static_cast<WalCheckpointer*>(self);
    {
        std::lock_guard lock(checkpointer->mutex_);
        checkpointer->wanted_ = true;
    }
    checkpointer->wake_.notify_one();
    return SQLITE_OK;
}

void WalCheckpointer::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return wanted_ || stopping_; });
        if (stopping_) return;
        wanted_ = false;
        lock.unlock();
        int log_pages = 0;
        int checkpointed = 0;
        // PASSIVE: copies what no reader still needs; a busy database is
        // simply tried again at the next request.
        const int code = sqlite3_wal_checkpoint_v2(own_.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                                   &log_pages, &checkpointed);
        lock.lock();
        if (code == SQLITE_OK) ++completed_;
    }
}

}  // namespace packline::station
