// A scale on a serial line (RS-232 behind a USB-serial adapter, or a pty in
// tests) speaking MT-SICS, NCI/SCP, Toledo continuous or CAS (devices.md §3).
//
// One thread per device owns the port: it opens it (and reopens it with
// backoff after it went away), polls request/response scales (MT-SICS "SI",
// NCI "W"), feeds every byte to the optional Recorder and then to the
// protocol's SerialScaleDecoder, and posts readings (try_post) and health
// changes (post):
//   Present "scale connected (<path>)"            while it answers
//   Faulty  "scale not answering"                 N polls in a row unanswered,
//                                                 or no frame for a while (continuous)
//   Faulty  "unreadable data; check protocol/baud (...)"  garbage only
//   Faulty  "scale cannot be opened: ..."         e.g. permission denied
//   Absent  "scale disconnected (<path>)"         the tty is gone (EIO/ENXIO/ENOENT/HUP)
// A scale absent at open() is not an error: open() succeeds and the thread
// keeps trying.
//
// Threading: open(), close() and zero() from the station loop thread; zero()
// hands the command to the device thread and waits for its answer.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "packline/drivers/recording.h"
#include "packline/drivers/serial_framer.h"
#include "packline/drivers/serial_port.h"
#include "packline/hardware/devices.h"

namespace packline::drivers {

struct SerialScaleOptions {
    std::string id;    // device id on every event ("scale")
    std::string path;  // "/dev/ttyUSB0", "/dev/serial/by-id/usb-FTDI_...-if00-port0"
    std::string protocol = "mt-sics";  // "mt-sics" | "nci" | "toledo" | "cas"
    // Line settings; unset -> the protocol's default: MT-SICS 9600 8N1, NCI 9600
    // 7E1, Toledo 9600 7E1, CAS 9600 8N1.
    std::optional<int> baud;
    std::string framing;                  // "8N1", "7E1", ...; empty -> protocol default
    int poll_interval_ms = 200;           // request/response protocols: time between requests
    int response_timeout_ms = 1000;       // one request unanswered after this is a timeout
    int timeouts_before_faulty = 3;       // request/response: timeouts in a row -> "not answering"
    int silence_before_faulty_ms = 3000;  // continuous protocols: no frame for this long
    int zero_timeout_ms = 5000;           // MT-SICS Z waits for stability before it answers
    int reconnect_min_ms = 250;           // reopen backoff, doubling up to reconnect_max_ms
    int reconnect_max_ms = 2000;
    Recorder* recorder = nullptr;  // not owned; gets every chunk read, gone() and back()
};

// Protocol default line settings (above). Error: "serial.unknown_protocol".
Result<SerialLineSettings> default_line_settings(std::string_view protocol);

class SerialScaleDevice final : public hardware::Scale {
  public:
    // Checks the options (protocol name, baud, framing, path not empty).
    static Result<std::unique_ptr<SerialScaleDevice>> create(SerialScaleOptions options);
    ~SerialScaleDevice() override;

    std::string id() const override;
    Status open(hardware::EventSink& sink) override;
    void close() override;
    // MT-SICS "Z" (expects "Z A"; "Z I", "Z +", "Z -", ES/ET/EL become
    // errors), NCI "Z" (any reply but "?" is success). Continuous protocols:
    // "serial.unsupported". Not open or disconnected: "serial.not_connected".
    // No answer in time: "serial.timeout".
    Status zero() override;

    struct Impl;

  private:
    explicit SerialScaleDevice(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace packline::drivers
