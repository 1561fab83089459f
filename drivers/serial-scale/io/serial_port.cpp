#include "packline/drivers/serial_port.h"

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <utility>

#include "packline/drivers/serial_errors.h"

namespace packline::drivers {
namespace {

speed_t to_speed(int baud) {
    switch (baud) {
        case 1200:
            return B1200;
        case 2400:
            return B2400;
        case 4800:
            return B4800;
        case 9600:
            return B9600;
        case 19200:
            return B19200;
        case 38400:
            return B38400;
        case 57600:
            return B57600;
        case 115200:
            return B115200;
        default:
            return B0;
    }
}

// Errors that mean the device behind the path is gone, not that it misbehaved.
bool means_gone(int error_number) {
    return error_number == ENOENT || error_number == ENXIO || error_number == ENODEV ||
           error_number == EIO || error_number == ENOTDIR;
}

std::int64_t steady_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

}  // namespace

Result<SerialLineSettings> parse_line_framing(std::string_view framing, int baud) {
    const auto bad = [&](std::string_view why) {
        return Error(
            errors::kSerialBadFraming,
            "serial line \"" + std::string(framing.substr(0, 16)) + "\": " + std::string(why));
    };
    SerialLineSettings settings;
    if (to_speed(baud) == B0) {
        return Error(errors::kSerialBadBaud,
                     "serial baud rate " + std::to_string(baud) +
                         " is not one of 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200");
    }
    settings.baud = baud;
    if (framing.size() != 3) return bad("want data bits, parity, stop bits such as 8N1 or 7E1");
    if (framing[0] < '5' || framing[0] > '8') return bad("data bits must be 5 to 8");
    settings.data_bits = framing[0] - '0';
    const char parity = framing[1];
    if (parity == 'N' || parity == 'n') {
        settings.parity = 'N';
    } else if (parity == 'E' || parity == 'e') {
        settings.parity = 'E';
    } else if (parity == 'O' || parity == 'o') {
        settings.parity = 'O';
    } else {
        return bad("parity must be N, E or O");
    }
    if (framing[2] != '1' && framing[2] != '2') return bad("stop bits must be 1 or 2");
    settings.stop_bits = framing[2] - '0';
    return settings;
}

std::string to_string(const SerialLineSettings& settings) {
    return std::to_string(settings.baud) + " " + std::to_string(settings.data_bits) +
           settings.parity + std::to_string(settings.stop_bits);
}

void SerialPort::close() {
    fd_.reset();
}

Error SerialPort::failure(std::string_view what, int error_number) const {
    std::string code;
    if (means_gone(error_number)) {
        code = errors::kSerialGone;
    } else {
        code = "serial." + std::string(what);
    }
    return Error(code,
                 "serial " + path_ + ": " + std::string(what) + ": " + std::strerror(error_number));
}

Result<SerialPort> SerialPort::open(const std::string& path, const SerialLineSettings& settings) {
    SerialPort port(UniqueFd(), path);
    const speed_t speed = to_speed(settings.baud);
    if (speed == B0) {
        return Error(errors::kSerialSettings, "serial " + path + ": baud rate " +
                                                  std::to_string(settings.baud) +
                                                  " is not supported");
    }
    // O_NOCTTY: a scale must never become our controlling terminal; O_NONBLOCK:
    // open() must not wait for carrier detect, and reads are driven by poll().
    const int fd = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        const int error_number = errno;
        return port.failure("open", error_number);
    }
    port.fd_.reset(fd);
    termios tio{};
    if (::tcgetattr(fd, &tio) != 0) {
        const int error_number = errno;
        if (means_gone(error_number)) return port.failure("open", error_number);
        return Error(errors::kSerialSettings,
                     "serial " + path + ": not a terminal (" + std::strerror(error_number) + ")");
    }
    ::cfmakeraw(&tio);
    tio.c_cflag |= CLOCAL | CREAD;
    tio.c_cflag &= ~static_cast<tcflag_t>(CSIZE | PARENB | PARODD | CSTOPB | CRTSCTS);
    switch (settings.data_bits) {
        case 5:
            tio.c_cflag |= CS5;
            break;
        case 6:
            tio.c_cflag |= CS6;
            break;
        case 7:
            tio.c_cflag |= CS7;
            break;
        default:
            tio.c_cflag |= CS8;
            break;
    }
    if (settings.parity == 'E') tio.c_cflag |= PARENB;
    if (settings.parity == 'O') tio.c_cflag |= PARENB | PARODD;
    if (settings.stop_bits == 2) tio.c_cflag |= CSTOPB;
    tio.c_cc[VMIN] = 0;
    tio.c_cc[VTIME] = 0;
    if (::cfsetispeed(&tio, speed) != 0 || ::cfsetospeed(&tio, speed) != 0 ||
        ::tcsetattr(fd, TCSANOW, &tio) != 0) {
        const int error_number = errno;
        if (means_gone(error_number)) return port.failure("open", error_number);
        return Error(errors::kSerialSettings, "serial " + path + ": cannot set " +
                                                  to_string(settings) + ": " +
                                                  std::strerror(error_number));
    }
    return port;
}

Result<std::size_t> SerialPort::read(std::span<std::uint8_t> buffer, int timeout_ms) {
    if (!fd_) return Error(errors::kSerialGone, "serial " + path_ + ": read: port is closed");
    pollfd entry{fd_.get(), POLLIN, 0};
    const int ready = ::poll(&entry, 1, timeout_ms < 0 ? 0 : timeout_ms);
    if (ready < 0) {
        if (errno == EINTR) return std::size_t{0};
        return failure("read", errno);
    }
    if (ready == 0) return std::size_t{0};
    if ((entry.revents & POLLNVAL) != 0) return failure("read", EBADF);
    // Read first even on POLLHUP: the last bytes a device sent may still be queued.
    const ssize_t count = ::read(fd_.get(), buffer.data(), buffer.size());
    if (count > 0) return static_cast<std::size_t>(count);
    if (count == 0 || (entry.revents & (POLLHUP | POLLERR)) != 0) {
        // A tty returns 0 (or EIO) once its other end is gone.
        return Error(errors::kSerialGone, "serial " + path_ + ": read: device hung up");
    }
    const int error_number = errno;
    if (error_number == EAGAIN || error_number == EINTR) return std::size_t{0};
    return failure("read", error_number);
}

Status SerialPort::write_all(std::string_view bytes, int timeout_ms) {
    if (!fd_) return Error(errors::kSerialGone, "serial " + path_ + ": write: port is closed");
    const std::int64_t deadline = steady_ms() + timeout_ms;
    while (!bytes.empty()) {
        const ssize_t count = ::write(fd_.get(), bytes.data(), bytes.size());
        if (count > 0) {
            bytes.remove_prefix(static_cast<std::size_t>(count));
            continue;
        }
        const int error_number = count < 0 ? errno : EAGAIN;
        if (error_number == EINTR) continue;
        if (error_number != EAGAIN) return failure("write", error_number);
        const std::int64_t left = deadline - steady_ms();
        if (left <= 0) {
            return Error(errors::kSerialWrite, "serial " + path_ + ": write: timeout after " +
                                                   std::to_string(timeout_ms) + " ms");
        }
        pollfd entry{fd_.get(), POLLOUT, 0};
        if (::poll(&entry, 1, static_cast<int>(left)) < 0 && errno != EINTR) {
            return failure("write", errno);
        }
        if ((entry.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0) {
            return Error(errors::kSerialGone, "serial " + path_ + ": write: device hung up");
        }
    }
    return {};
}

void SerialPort::discard_input() {
    if (fd_) ::tcflush(fd_.get(), TCIFLUSH);
}

}  // namespace packline::drivers
