#include "packline/drivers/serial_scanner_device.h"

#include <array>
#include <utility>
#include <vector>

#include "packline/drivers/serial_decoders.h"
#include "packline/drivers/serial_errors.h"
#include "serial_link.h"

namespace packline::drivers {

using hardware::DeviceHealth;
using serial_detail::steady_ms;

struct SerialScannerDevice::Impl {
    SerialScannerOptions options;
    serial_detail::SerialLink link;
    serial_detail::SerialRuntime runtime;
    LineScannerDecoder decoder;

    Impl(SerialScannerOptions options_, SerialLineSettings line)
        : options(std::move(options_)),
          link(options.path, line, options.reconnect_min_ms, options.reconnect_max_ms,
               options.recorder),
          runtime(options.id, hardware::DeviceKind::Scanner),
          decoder(options.id) {}

    void run();
};

void SerialScannerDevice::Impl::run() {
    std::array<std::uint8_t, 512> buffer{};
    std::vector<hardware::DeviceEvent> events;
    while (!runtime.closing()) {
        if (!link.is_open()) {
            if (!link.try_open(steady_ms())) {
                const Error& error = link.last_error();
                if (error.code == errors::kSerialGone) {
                    runtime.set_health(DeviceHealth::Absent,
                                       "scanner disconnected (" + options.path + ")");
                } else {
                    runtime.set_health(DeviceHealth::Faulty,
                                       "scanner cannot be opened: " + error.message);
                }
                runtime.wait(link.wait_before_attempt(steady_ms()));
                continue;
            }
            decoder.reset();  // a half line from before the disconnect is no scan
        }
        auto count = link.read(buffer, 50);
        if (!count) continue;  // the top of the loop reports the loss and reopens
        if (*count > 0) {
            const std::int64_t at_ms = hardware::now_ms();
            events.clear();
            decoder.feed(std::span<const std::uint8_t>(buffer.data(), *count), at_ms, events);
            for (auto& event : events) {
                if (std::holds_alternative<hardware::ScanEvent>(event)) {
                    runtime.sink().post(std::move(event));
                }
            }
        }
        if (decoder.unreadable()) {
            runtime.set_health(DeviceHealth::Faulty, "unreadable data; check protocol/baud (" +
                                                         decoder.last_problem() + ")");
        } else {
            runtime.set_health(DeviceHealth::Present, "scanner connected (" + options.path + ")");
        }
    }
}

Result<std::unique_ptr<SerialScannerDevice>> SerialScannerDevice::create(
    SerialScannerOptions options) {
    const std::string where = "scanner " + options.id;
    if (options.path.empty()) return Error(errors::kSerialNoPath, where + ": no serial port path");
    auto line = parse_line_framing(options.framing, options.baud);
    if (!line) return line.error().context(where);
    auto impl = std::make_unique<Impl>(std::move(options), *line);
    return std::unique_ptr<SerialScannerDevice>(new SerialScannerDevice(std::move(impl)));
}

SerialScannerDevice::SerialScannerDevice(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SerialScannerDevice::~SerialScannerDevice() {
    close();
}

std::string SerialScannerDevice::id() const {
    return impl_->options.id;
}

Status SerialScannerDevice::open(hardware::EventSink& sink) {
    Impl* impl = impl_.get();
    return impl->runtime.start(sink, [impl] { impl->run(); });
}

void SerialScannerDevice::close() {
    impl_->runtime.stop();
}

}  // namespace packline::drivers
