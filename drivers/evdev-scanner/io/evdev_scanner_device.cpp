#include "packline/drivers/evdev_scanner_device.h"

#include <fcntl.h>
#include <linux/input.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <thread>
#include <utility>

#include "evdev_sysfs.h"
#include "packline/base_errors.h"
#include "packline/drivers/recording.h"
#include "packline/hardware/device_errors.h"
#include "packline/unique_fd.h"

namespace packline::drivers {

namespace {

std::string describe_errno(int error) {
    return std::strerror(error);
}

std::string hex4(std::uint16_t value) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string text(4, '0');
    for (int i = 3; i >= 0; --i) {
        text[static_cast<std::size_t>(i)] = kDigits[value & 0xF];
        value = static_cast<std::uint16_t>(value >> 4);
    }
    return text;
}

// One attempt to find and open the scanner.
struct OpenAttempt {
    UniqueFd fd;
    hardware::DeviceHealth health = hardware::DeviceHealth::Absent;
    std::string detail;
};

}  // namespace

std::optional<UsbId> parse_usb_id(std::string_view text) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    auto parse = [](std::string_view part) -> std::optional<std::uint16_t> {
        if (part.empty() || part.size() > 4) return std::nullopt;
        unsigned value = 0;
        for (char c : part) {
            const auto digit = static_cast<unsigned char>(c);
            unsigned nibble = 0;
            if (digit >= '0' && digit <= '9')
                nibble = digit - '0';
            else if (digit >= 'a' && digit <= 'f')
                nibble = digit - 'a' + 10u;
            else if (digit >= 'A' && digit <= 'F')
                nibble = digit - 'A' + 10u;
            else
                return std::nullopt;
            value = value * 16u + nibble;
        }
        return static_cast<std::uint16_t>(value);
    };
    const auto vendor = parse(text.substr(0, colon));
    const auto product = parse(text.substr(colon + 1));
    if (!vendor || !product) return std::nullopt;
    return UsbId{*vendor, *product};
}

struct EvdevScannerDevice::State {
    EvdevScannerOptions options;
    EvdevDecoder decoder;
    UniqueFd wake_fd;  // eventfd: close() makes it readable
    std::atomic<bool> closing{false};
    std::mutex mutex;  // guards sink and thread against concurrent open/close
    hardware::EventSink* sink = nullptr;
    std::thread thread;

    // Device-thread only.
    UniqueFd fd;
    bool was_present = false;
    std::optional<std::pair<hardware::DeviceHealth, std::string>> last_status;
    std::optional<std::int64_t> scan_deadline_ms;

    State(EvdevScannerOptions options_, WedgeOptions wedge)
        : options(std::move(options_)), decoder(options.id, std::move(wedge)) {}

    std::string target() const {
        if (!options.path.empty()) return options.path;
        std::string text;
        if (!options.match_name.empty()) text = "name '" + options.match_name + "'";
        if (options.match_usb_id) {
            if (!text.empty()) text += " and ";
            text += "usb id " + hex4(options.match_usb_id->vendor) + ":" +
                    hex4(options.match_usb_id->product);
        }
        return text;
    }

    std::optional<std::string> resolve_path() const {
        if (!options.path.empty()) return options.path;
        const std::string wanted = evdev_internal::lower_case(options.match_name);
        for (const auto& node : evdev_internal::list_input_nodes()) {
            if (!wanted.empty() &&
                evdev_internal::lower_case(node.name).find(wanted) == std::string::npos)
                continue;
            if (options.match_usb_id && node.usb_id != options.match_usb_id) continue;
            return node.device_path;
        }
        return std::nullopt;
    }

    OpenAttempt try_open() const {
        OpenAttempt attempt;
        const auto path = resolve_path();
        if (!path) {
            attempt.detail =
                was_present ? "scanner unplugged" : "no input device matches " + target();
            return attempt;
        }
        UniqueFd opened(::open(path->c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
        if (!opened) {
            const int error = errno;
            if (error == EACCES || error == EPERM) {
                attempt.health = hardware::DeviceHealth::Faulty;
                attempt.detail = "no permission to read " + *path + ": install the udev rules";
            } else if (was_present && (error == ENOENT || error == ENODEV || error == ENXIO)) {
                attempt.detail = "scanner unplugged";
            } else {
                attempt.detail = "scanner not found: " + *path + ": " + describe_errno(error);
            }
            return attempt;
        }
        attempt.health = hardware::DeviceHealth::Present;
        attempt.detail = "scanner connected: " + *path;
        if (options.grab && ::ioctl(opened.get(), EVIOCGRAB, 1) != 0) {
            const int error = errno;
            if (error == EBUSY) {
                // Another program holds the grab, so every scan goes to it and
                // none to us (devices.md §2.2). Keep retrying until it lets go.
                attempt.health = hardware::DeviceHealth::Faulty;
                attempt.detail = "scanner " + *path +
                                 " is grabbed by another program: close it or set grab = false";
                return attempt;
            }
            // Not fatal: scans still arrive, but may also be typed elsewhere.
            attempt.detail +=
                " (not grabbed: " + describe_errno(error) + "; scans may also reach the console)";
        }
        attempt.fd = std::move(opened);
        return attempt;
    }

    void release() {
        if (!fd) return;
        if (options.grab) ::ioctl(fd.get(), EVIOCGRAB, 0);
        fd.reset();
    }

    // Sleeps up to `timeout`; returns early (true) when close() asked us to stop.
    bool wait_for_close(std::chrono::milliseconds timeout) const {
        pollfd wake{wake_fd.get(), POLLIN, 0};
        ::poll(&wake, 1, static_cast<int>(timeout.count()));
        return closing.load();
    }

    // Like hardware::post_until_stopped: a blocking post() could never be woken
    // by close() when the station loop (which drains the sink) is the caller.
    void post(const hardware::DeviceEvent& event) const {
        std::chrono::milliseconds backoff{1};
        while (!closing.load()) {
            if (sink->try_post(event)) return;
            if (wait_for_close(backoff)) return;
            backoff = std::min(backoff * 2, std::chrono::milliseconds{16});
        }
    }

    void report(hardware::DeviceHealth health, const std::string& detail) {
        auto status = std::make_pair(health, detail);
        if (last_status == status) return;
        last_status = status;
        post(hardware::DeviceStatusEvent{options.id, hardware::DeviceKind::Scanner, health, detail,
                                         hardware::now_ms()});
    }

    void lost() {
        release();
        decoder.reset();
        scan_deadline_ms.reset();
        if (options.recorder != nullptr) options.recorder->gone();
        report(hardware::DeviceHealth::Absent, "scanner unplugged");
    }

    void post_all(std::vector<hardware::DeviceEvent>& events) const {
        for (const auto& event : events)
            post(event);
        events.clear();
    }

    // Reads what is there; false when the device went away.
    bool read_available(std::vector<hardware::DeviceEvent>& events) {
        std::array<std::uint8_t, kInputEventSize * 64> buffer{};
        for (int round = 0; round < 16; ++round) {
            const ssize_t count = ::read(fd.get(), buffer.data(), buffer.size());
            if (count > 0) {
                const std::span<const std::uint8_t> bytes(buffer.data(),
                                                          static_cast<std::size_t>(count));
                if (options.recorder != nullptr) options.recorder->data(bytes);
                const std::int64_t now = hardware::now_ms();
                decoder.feed(bytes, now, events);
                scan_deadline_ms = now + options.decoding.inter_key_timeout_ms;
                continue;
            }
            if (count == 0) return false;  // EOF: a pipe's writer left
            if (errno == EINTR) continue;
            return errno == EAGAIN || errno == EWOULDBLOCK;
        }
        return true;
    }

    int poll_timeout_ms() const {
        if (!scan_deadline_ms) return -1;
        const std::int64_t left = *scan_deadline_ms - hardware::now_ms();
        return static_cast<int>(std::clamp<std::int64_t>(left + 1, 0, 10'000));
    }

    void run() {
        auto retry = options.retry_initial;
        std::vector<hardware::DeviceEvent> events;
        while (!closing.load()) {
            if (!fd) {
                OpenAttempt attempt = try_open();
                if (!attempt.fd) {
                    report(attempt.health, attempt.detail);
                    if (wait_for_close(retry)) break;
                    retry = std::min(retry * 2, options.retry_max);
                    continue;
                }
                fd = std::move(attempt.fd);
                decoder.reset();
                retry = options.retry_initial;
                if (was_present && options.recorder != nullptr) options.recorder->back();
                was_present = true;
                report(hardware::DeviceHealth::Present, attempt.detail);
            }

            std::array<pollfd, 2> fds{pollfd{fd.get(), POLLIN, 0},
                                      pollfd{wake_fd.get(), POLLIN, 0}};
            const int ready = ::poll(fds.data(), fds.size(), poll_timeout_ms());
            if (ready < 0 && errno != EINTR) {
                lost();
                continue;
            }
            if (closing.load()) break;
            bool gone = false;
            if ((fds[0].revents & POLLIN) != 0)
                gone = !read_available(events);
            else if ((fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) != 0)
                gone = true;
            const std::int64_t now = hardware::now_ms();
            if (scan_deadline_ms && now >= *scan_deadline_ms) {
                decoder.tick(now, events);
                scan_deadline_ms.reset();
            }
            post_all(events);
            if (gone) lost();
        }
        release();
    }
};

Result<std::unique_ptr<EvdevScannerDevice>> EvdevScannerDevice::create(
    EvdevScannerOptions options) {
    auto wedge = to_wedge_options(options.decoding);
    if (!wedge.ok()) return wedge.error().context("scanner " + options.id);
    // Never "any keyboard": grabbing the packer's own keyboard would lock it.
    if (options.path.empty() && options.match_name.empty() && !options.match_usb_id)
        return Error(errors::kConfigInvalid,
                     "scanner " + options.id + ": needs a path, a name to match or a usb id");
    if (options.retry_initial.count() < 1 || options.retry_max < options.retry_initial)
        return Error(errors::kConfigInvalid,
                     "scanner " + options.id + ": retry delays must be positive and ordered");
    auto state = std::make_unique<State>(std::move(options), std::move(wedge).value());
    state->wake_fd.reset(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    if (!state->wake_fd)
        return Error(errors::kDeviceIo,
                     "scanner " + state->options.id + ": eventfd: " + describe_errno(errno));
    return std::unique_ptr<EvdevScannerDevice>(new EvdevScannerDevice(std::move(state)));
}

EvdevScannerDevice::EvdevScannerDevice(std::unique_ptr<State> state) : state_(std::move(state)) {}

EvdevScannerDevice::~EvdevScannerDevice() {
    close();
}

std::string EvdevScannerDevice::id() const {
    return state_->options.id;
}

Status EvdevScannerDevice::open(hardware::EventSink& sink) {
    std::lock_guard lock(state_->mutex);
    if (state_->sink != nullptr)
        return Error(errors::kDeviceAlreadyOpen,
                     "scanner " + state_->options.id + " is already open");
    // Drain a wake-up left from the previous close().
    std::uint64_t drained = 0;
    while (::read(state_->wake_fd.get(), &drained, sizeof drained) > 0) {
    }
    state_->closing.store(false);
    state_->sink = &sink;
    state_->was_present = false;
    state_->last_status.reset();
    state_->thread = std::thread([state = state_.get()] { state->run(); });
    return {};
}

void EvdevScannerDevice::close() {
    std::lock_guard lock(state_->mutex);
    if (state_->sink == nullptr) return;
    state_->closing.store(true);
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = ::write(state_->wake_fd.get(), &one, sizeof one);
    if (state_->thread.joinable()) state_->thread.join();
    state_->sink = nullptr;
}

}  // namespace packline::drivers
