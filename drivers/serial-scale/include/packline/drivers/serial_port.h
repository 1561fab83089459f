// A termios serial port (USB-serial adapters /dev/ttyUSB*, CDC-ACM
// /dev/ttyACM*, ptys in tests), and the search for such ports.
//
// The port is opened O_NOCTTY | O_CLOEXEC | O_NONBLOCK in raw mode (cfmakeraw)
// with the requested baud rate and character framing; reads wait with poll().
// Errors name the port: "serial /dev/ttyUSB0: open: No such file or directory".
// A port that went away (unplugged adapter, closed pty) gives code
// "serial.gone" so that a device can tell it from other errors.
//
// Thread-bound: one SerialPort is used by one thread (the device's).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "packline/drivers/detected_device.h"
#include "packline/error.h"
#include "packline/unique_fd.h"

namespace packline::drivers {

// Line settings: baud rate and character framing such as "8N1" or "7E1".
struct SerialLineSettings {
    int baud = 9600;    // 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200
    int data_bits = 8;  // 5..8
    char parity = 'N';  // 'N' none, 'E' even, 'O' odd
    int stop_bits = 1;  // 1 or 2
};

// "8N1", "7E1", "7O1", "8E2"... (case-insensitive). Error: "serial.bad_framing".
Result<SerialLineSettings> parse_line_framing(std::string_view framing, int baud);
// "9600 8N1".
std::string to_string(const SerialLineSettings& settings);

class SerialPort {
  public:
    SerialPort() = default;  // closed
    SerialPort(SerialPort&& other) noexcept = default;
    SerialPort& operator=(SerialPort&& other) noexcept = default;

    // Errors: "serial.gone" (no such file, no device behind it), "serial.open"
    // (permission, busy...), "serial.settings" (baud or framing refused).
    static Result<SerialPort> open(const std::string& path, const SerialLineSettings& settings);

    // Waits up to timeout_ms for bytes and reads what is there (at most
    // buffer.size()). Returns 0 on timeout. Errors: "serial.gone" (EIO, ENXIO,
    // ENODEV, hang-up), "serial.read".
    Result<std::size_t> read(std::span<std::uint8_t> buffer, int timeout_ms);

    // Writes every byte, waiting up to timeout_ms in total for the line to take
    // them. Errors: "serial.gone", "serial.write" (including a timeout).
    Status write_all(std::string_view bytes, int timeout_ms);

    // Discards bytes received but not read (stale replies).
    void discard_input();

    [[nodiscard]] bool is_open() const { return fd_.valid(); }
    [[nodiscard]] const std::string& path() const { return path_; }
    void close();

  private:
    SerialPort(UniqueFd fd, std::string path) : fd_(std::move(fd)), path_(std::move(path)) {}
    Error failure(std::string_view what, int error_number) const;

    UniqueFd fd_;
    std::string path_;
};

// Serial ports on this machine: /dev/serial/by-id/* (preferred, stable names)
// and any /dev/ttyUSB* and /dev/ttyACM* not reached through a by-id link, with
// USB vid:pid from sysfs where there is one. A port the current user cannot
// read and write is reported Faulty with a hint (group dialout, udev rules).
// ttyACM (CDC-ACM) ports are listed as scanners, the others as scales: a guess
// the configuration overrides. `dev_root` and `sys_root` let tests point at a
// fake tree.
std::vector<DetectedDevice> detect_serial_ports(const std::string& dev_root = "/dev",
                                                const std::string& sys_root = "/sys");

}  // namespace packline::drivers
