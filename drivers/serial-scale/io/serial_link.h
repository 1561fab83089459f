// Private to packline_serial: what the serial scale and scanner devices share.
// SerialLink owns the port across disconnects (open with backoff, record
// gone/back, hand every chunk read to the Recorder); SerialRuntime owns the
// device thread, the sink and health reporting.
//
// Thread-bound: SerialLink to the device thread. SerialRuntime: start/stop from
// the owner's thread; wait/notify/post/set_health from the device thread;
// notify() and the mutex from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <span>
#include <string>

#include "packline/drivers/recording.h"
#include "packline/drivers/serial_errors.h"
#include "packline/drivers/serial_port.h"
#include "packline/hardware/device_thread.h"
#include "packline/hardware/events.h"

namespace packline::drivers::serial_detail {

inline std::int64_t steady_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

class SerialLink {
  public:
    SerialLink(std::string path, SerialLineSettings line, int backoff_min_ms, int backoff_max_ms,
               Recorder* recorder)
        : path_(std::move(path)),
          line_(line),
          backoff_min_ms_(backoff_min_ms < 1 ? 1 : backoff_min_ms),
          backoff_max_ms_(backoff_max_ms < backoff_min_ms ? backoff_min_ms : backoff_max_ms),
          recorder_(recorder) {}

    [[nodiscard]] bool is_open() const { return port_.is_open(); }
    [[nodiscard]] const std::string& path() const { return path_; }
    // The error of the last failed open, read or write.
    [[nodiscard]] const Error& last_error() const { return last_error_; }
    // Milliseconds until the next open attempt is due (0 = now).
    [[nodiscard]] int wait_before_attempt(std::int64_t now) const {
        return next_attempt_ > now ? static_cast<int>(next_attempt_ - now) : 0;
    }

    // Tries to open when an attempt is due; true when the port is now open.
    bool try_open(std::int64_t now) {
        if (port_.is_open()) return true;
        if (now < next_attempt_) return false;
        auto opened = SerialPort::open(path_, line_);
        if (!opened) {
            last_error_ = opened.error();
            next_attempt_ = now + backoff_ms_;
            backoff_ms_ = backoff_ms_ == 0 ? backoff_min_ms_ : backoff_ms_ * 2;
            if (backoff_ms_ > backoff_max_ms_) backoff_ms_ = backoff_max_ms_;
            return false;
        }
        port_ = std::move(opened.value());
        backoff_ms_ = backoff_min_ms_;
        if (was_gone_ && recorder_ != nullptr) recorder_->back();
        was_gone_ = false;
        return true;
    }

    Result<std::size_t> read(std::span<std::uint8_t> buffer, int timeout_ms) {
        auto count = port_.read(buffer, timeout_ms);
        if (!count) {
            lost(count.error());
            return count.error();
        }
        if (*count > 0 && recorder_ != nullptr) recorder_->data(buffer.first(*count));
        return count;
    }

    Status write(std::string_view bytes, int timeout_ms) {
        auto written = port_.write_all(bytes, timeout_ms);
        if (!written && written.error().code == errors::kSerialGone) lost(written.error());
        if (!written) last_error_ = written.error();
        return written;
    }

    void discard_input() { port_.discard_input(); }

  private:
    void lost(const Error& error) {
        last_error_ = error;
        port_.close();
        if (!was_gone_ && recorder_ != nullptr) recorder_->gone();
        was_gone_ = true;
        next_attempt_ = steady_ms() + backoff_min_ms_;
        backoff_ms_ = backoff_min_ms_;
    }

    std::string path_;
    SerialLineSettings line_;
    int backoff_min_ms_;
    int backoff_max_ms_;
    Recorder* recorder_;
    SerialPort port_;
    Error last_error_;
    std::int64_t next_attempt_ = 0;
    int backoff_ms_ = 0;
    bool was_gone_ = false;
};

class SerialRuntime {
  public:
    SerialRuntime(std::string id, hardware::DeviceKind kind) : id_(std::move(id)), kind_(kind) {}

    Status start(hardware::EventSink& sink, std::function<void()> body) {
        {
            std::lock_guard lock(mutex_);
            reported_ = false;
        }
        return thread_.start(sink, id_, std::move(body));
    }
    void stop() { thread_.stop(); }

    [[nodiscard]] bool closing() {
        std::lock_guard lock(mutex_);
        return closing_;
    }
    [[nodiscard]] bool running() {
        std::lock_guard lock(mutex_);
        return sink_ != nullptr && !closing_;
    }
    // Sleeps up to ms, or until close() or notify().
    void wait(int ms) {
        std::unique_lock lock(mutex_);
        if (closing_ || woken_) {
            woken_ = false;
            return;
        }
        wake_.wait_for(lock, std::chrono::milliseconds(ms < 0 ? 0 : ms),
                       [&] { return closing_ || woken_; });
        woken_ = false;
    }
    void notify() {
        std::lock_guard lock(mutex_);
        woken_ = true;
        wake_.notify_all();
    }

    // Posts a DeviceStatusEvent when health or detail changed (and on the first call).
    void set_health(hardware::DeviceHealth health, std::string detail) {
        if (reported_ && health == health_ && detail == detail_) return;
        reported_ = true;
        health_ = health;
        detail_ = detail;
        hardware::DeviceStatusEvent event;
        event.device = id_;
        event.kind = kind_;
        event.health = health;
        event.detail = std::move(detail);
        event.at_ms = hardware::now_ms();
        sink_->post(std::move(event));
    }
    [[nodiscard]] hardware::DeviceHealth health() const { return health_; }

    // Only from the device thread (the sink is set while it runs).
    hardware::EventSink& sink() { return *sink_; }
    std::mutex& mutex() { return mutex_; }
    std::condition_variable& wake() { return wake_; }

  private:
    std::string id_;
    hardware::DeviceKind kind_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool closing_ = false;
    bool woken_ = false;
    hardware::EventSink* sink_ = nullptr;
    hardware::DeviceThread thread_{mutex_, wake_, closing_, sink_};
    // Device thread only.
    bool reported_ = false;
    hardware::DeviceHealth health_ = hardware::DeviceHealth::Absent;
    std::string detail_;
};

}  // namespace packline::drivers::serial_detail
