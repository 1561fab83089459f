// Test helpers for the serial family: a pty pair that stands in for a serial
// port (test-harnesses.md §3: openpty in-process, the slave kept open so the
// master never sees EIO), a scripted device on the master side, and an
// EventSink that collects events and lets a test wait for one.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <variant>
#include <vector>

#include "packline/hardware/events.h"

namespace packline::serial_test {

// One pty pair. The code under test opens `name` (the slave); the test talks
// through `master`.
struct PtyPair {
    int master = -1;
    int slave = -1;
    std::string name;

    PtyPair() {
        termios raw{};
        ::cfmakeraw(&raw);
        char path[128] = {};
        if (::openpty(&master, &slave, path, &raw, nullptr) != 0) {
            master = slave = -1;
            return;
        }
        name = path;
    }
    ~PtyPair() { close(); }
    PtyPair(const PtyPair&) = delete;
    PtyPair& operator=(const PtyPair&) = delete;

    [[nodiscard]] bool ok() const { return master >= 0; }
    void close() {
        if (master >= 0) ::close(master);
        if (slave >= 0) ::close(slave);
        master = slave = -1;
    }
    // Writes everything to the master (the device side talking).
    bool write(std::string_view bytes) const {
        while (!bytes.empty()) {
            const ssize_t count = ::write(master, bytes.data(), bytes.size());
            if (count <= 0) return false;
            bytes.remove_prefix(static_cast<std::size_t>(count));
        }
        return true;
    }
};

// A device on the master side of a pty: collects each command the code under
// test sends (bytes up to CR; LF ignored) and writes back what `answer`
// returns for it (nothing when empty, or while `silent`).
class ScriptedSerialDevice {
  public:
    using Answer = std::function<std::string(const std::string& command)>;

    ScriptedSerialDevice(int master, Answer answer)
        : master_(master), answer_(std::move(answer)), thread_([this] { run(); }) {}
    ~ScriptedSerialDevice() { stop(); }
    ScriptedSerialDevice(const ScriptedSerialDevice&) = delete;
    ScriptedSerialDevice& operator=(const ScriptedSerialDevice&) = delete;

    void stop() {
        stop_ = true;
        if (thread_.joinable()) thread_.join();
    }
    std::atomic<bool> silent{false};

    std::vector<std::string> commands() {
        std::lock_guard lock(mutex_);
        return commands_;
    }

  private:
    void run() {
        std::string pending;
        while (!stop_) {
            pollfd entry{master_, POLLIN, 0};
            if (::poll(&entry, 1, 10) <= 0) continue;
            if ((entry.revents & POLLIN) == 0) {
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
                continue;
            }
            char buffer[256];
            const ssize_t count = ::read(master_, buffer, sizeof buffer);
            if (count <= 0) continue;
            for (ssize_t i = 0; i < count; ++i) {
                const char c = buffer[i];
                if (c == '\n') continue;
                if (c != '\r') {
                    pending.push_back(c);
                    continue;
                }
                std::string command = std::move(pending);
                pending.clear();
                {
                    std::lock_guard lock(mutex_);
                    commands_.push_back(command);
                }
                if (silent) continue;
                const std::string reply = answer_(command);
                std::string_view rest = reply;
                while (!rest.empty()) {
                    const ssize_t written = ::write(master_, rest.data(), rest.size());
                    if (written <= 0) break;
                    rest.remove_prefix(static_cast<std::size_t>(written));
                }
            }
        }
    }

    int master_;
    Answer answer_;
    std::atomic<bool> stop_{false};
    std::mutex mutex_;
    std::vector<std::string> commands_;
    std::thread thread_;
};

// Collects every event; tests wait for the one they expect.
class CollectingSink final : public hardware::EventSink {
  public:
    bool post(hardware::DeviceEvent event) override { return add(std::move(event)); }
    bool try_post(hardware::DeviceEvent event) override { return add(std::move(event)); }

    std::vector<hardware::DeviceEvent> events() {
        std::lock_guard lock(mutex_);
        return events_;
    }

    // Waits (generously) until an event from index `from` on satisfies `match`;
    // returns it, or nullopt on timeout. `next` gets the index after it.
    template <typename T>
    std::optional<T> wait_for(const std::function<bool(const T&)>& match, std::size_t from = 0,
                              std::size_t* next = nullptr,
                              std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
        std::unique_lock lock(mutex_);
        std::optional<T> found;
        changed_.wait_for(lock, timeout, [&] {
            for (std::size_t i = from; i < events_.size(); ++i) {
                if (const T* event = std::get_if<T>(&events_[i]); event && match(*event)) {
                    found = *event;
                    if (next != nullptr) *next = i + 1;
                    return true;
                }
            }
            return false;
        });
        return found;
    }

    std::size_t size() {
        std::lock_guard lock(mutex_);
        return events_.size();
    }

  private:
    bool add(hardware::DeviceEvent event) {
        std::lock_guard lock(mutex_);
        events_.push_back(std::move(event));
        changed_.notify_all();
        return true;
    }

    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<hardware::DeviceEvent> events_;
};

}  // namespace packline::serial_test
