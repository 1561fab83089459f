#include "wal_checkpointer.h"

namespace packline::station {

std::unique_ptr<WalCheckpointer> WalCheckpointer::start(const std::string& path,
                                                        sqlite::Database& store) {
    sqlite::OpenOptions options;
    options.create = false;
    options.busy_timeout_ms = 1000;
    auto own = sqlite::Database::open(path, options);
    if (!own) return nullptr;
    // The checkpointer's connection commits nothing, so its own automatic
    // checkpoint never fires; its fsyncs follow the store's setting.
    if (!own->execute("PRAGMA synchronous = NORMAL")) return nullptr;
    return std::unique_ptr<WalCheckpointer>(new WalCheckpointer(std::move(own).value(), store));
}

WalCheckpointer::WalCheckpointer(sqlite::Database own, sqlite::Database& store)
    : own_(std::move(own)), store_(store) {
    thread_ = std::thread([this] { run(); });
    // Replaces SQLite's automatic checkpoint on the store's connection.
    store_.on_wal_commit([this](int pages) { on_commit(pages); });
}

WalCheckpointer::~WalCheckpointer() {
    store_.on_wal_commit({});
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

void WalCheckpointer::on_commit(int pages) {
    if (pages < kPages) return;
    {
        std::lock_guard lock(mutex_);
        wanted_ = true;
    }
    wake_.notify_one();
}

void WalCheckpointer::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return wanted_ || stopping_; });
        if (stopping_) return;
        wanted_ = false;
        lock.unlock();
        // PASSIVE: copies what no reader still needs; a busy database is
        // simply tried again at the next request.
        const bool done = static_cast<bool>(own_.checkpoint_passive());
        lock.lock();
        if (done) ++completed_;
    }
}

}  // namespace packline::station
