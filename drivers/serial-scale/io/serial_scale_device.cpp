#include "packline/drivers/serial_scale_device.h"

#include <array>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "packline/drivers/nci_parser.h"
#include "packline/drivers/serial_decoders.h"
#include "packline/drivers/serial_errors.h"
#include "packline/drivers/sics_parser.h"
#include "serial_link.h"

namespace packline::drivers {
namespace {

using hardware::DeviceHealth;
using serial_detail::steady_ms;

bool is_request_response(SerialProtocol protocol) {
    return protocol == SerialProtocol::MtSics || protocol == SerialProtocol::Nci;
}

bool is_general_error(const std::string& command) {
    return command == "ES" || command == "ET" || command == "EL";
}

struct ZeroRequest {
    bool done = false;
    Status result;
};

constexpr int kReadSliceMs = 50;  // how often the thread looks at close() and zero()

}  // namespace

Result<SerialLineSettings> default_line_settings(std::string_view protocol) {
    const auto parsed = parse_serial_protocol(protocol);
    if (!parsed) return parsed.error();
    switch (*parsed) {
        case SerialProtocol::MtSics:  // devices.md §3.1
        case SerialProtocol::Cas:     // §3.4 (CAS manuals)
            return parse_line_framing("8N1", 9600);
        case SerialProtocol::Nci:               // §3.2
        case SerialProtocol::ToledoContinuous:  // §3.3
            return parse_line_framing("7E1", 9600);
    }
    return parse_line_framing("8N1", 9600);
}

struct SerialScaleDevice::Impl {
    SerialScaleOptions options;
    SerialProtocol protocol;
    serial_detail::SerialLink link;
    serial_detail::SerialRuntime runtime;
    SerialScaleDecoder decoder;

    // Guarded by runtime.mutex(): the zero command waiting for the device thread.
    std::shared_ptr<ZeroRequest> zero_request;
    std::condition_variable zero_done;

    Impl(SerialScaleOptions options_, SerialProtocol protocol_, SerialLineSettings line)
        : options(std::move(options_)),
          protocol(protocol_),
          link(options.path, line, options.reconnect_min_ms, options.reconnect_max_ms,
               options.recorder),
          runtime(options.id, hardware::DeviceKind::Scale),
          decoder(protocol_, options.id) {}

    void run();
    void finish_zero(std::shared_ptr<ZeroRequest>& request, Status result);
    std::shared_ptr<ZeroRequest> take_zero_request();
    std::string poll_command() const {
        return protocol == SerialProtocol::MtSics ? sics_command(SicsCommand::ImmediateWeight)
                                                  : nci_command(NciCommand::Weight);
    }
    std::string zero_command() const {
        return protocol == SerialProtocol::MtSics ? sics_command(SicsCommand::Zero)
                                                  : nci_command(NciCommand::Zero);
    }
};

void SerialScaleDevice::Impl::finish_zero(std::shared_ptr<ZeroRequest>& request, Status result) {
    if (!request) return;
    {
        std::lock_guard lock(runtime.mutex());
        request->done = true;
        request->result = std::move(result);
    }
    zero_done.notify_all();
    request.reset();
}

std::shared_ptr<ZeroRequest> SerialScaleDevice::Impl::take_zero_request() {
    std::lock_guard lock(runtime.mutex());
    return std::exchange(zero_request, nullptr);
}

void SerialScaleDevice::Impl::run() {
    enum class Awaiting { Nothing, Poll, Zero };
    const bool requests = is_request_response(protocol);
    const std::string where = "scale " + options.id + ": zero";
    std::array<std::uint8_t, 512> buffer{};
    std::vector<hardware::DeviceEvent> events;
    Awaiting awaiting = Awaiting::Nothing;
    std::shared_ptr<ZeroRequest> zero_in_flight;
    std::int64_t sent_at = 0;
    std::int64_t next_poll = 0;
    std::int64_t last_answer = 0;
    int timeouts = 0;
    bool not_answering = false;
    bool ever_open = false;

    while (!runtime.closing()) {
        std::int64_t now = steady_ms();
        if (!link.is_open()) {
            if (!link.try_open(now)) {
                const Error& error = link.last_error();
                if (error.code == errors::kSerialGone) {
                    runtime.set_health(DeviceHealth::Absent,
                                       "scale disconnected (" + options.path + ")");
                } else {
                    runtime.set_health(DeviceHealth::Faulty,
                                       "scale cannot be opened: " + error.message);
                }
                auto request = take_zero_request();
                finish_zero(request, Error(errors::kSerialNotConnected,
                                           where + ": scale disconnected (" + options.path + ")"));
                runtime.wait(link.wait_before_attempt(steady_ms()));
                continue;
            }
            // Fresh start on every (re)open: partial frames and stale replies belong
            // to the old connection.
            if (ever_open) link.discard_input();
            ever_open = true;
            decoder.reset();
            awaiting = Awaiting::Nothing;
            timeouts = 0;
            not_answering = false;
            last_answer = now;
            next_poll = now;
        }

        if (requests && awaiting == Awaiting::Nothing) {
            if (auto request = take_zero_request()) {
                zero_in_flight = std::move(request);
                auto written = link.write(zero_command(), options.response_timeout_ms);
                if (!written) {
                    finish_zero(zero_in_flight, written.error().context(where));
                    continue;
                }
                awaiting = Awaiting::Zero;
                sent_at = now;
            } else if (now >= next_poll) {
                if (!link.write(poll_command(), options.response_timeout_ms)) {
                    // A line that takes no bytes answers nothing either.
                    next_poll = steady_ms() + options.poll_interval_ms;
                    if (++timeouts >= options.timeouts_before_faulty) not_answering = true;
                    continue;
                }
                awaiting = Awaiting::Poll;
                sent_at = now;
            }
        }

        int slice = kReadSliceMs;
        if (requests && awaiting == Awaiting::Nothing) {
            slice = static_cast<int>(std::min<std::int64_t>(slice, next_poll - now));
        }
        auto count = link.read(buffer, slice < 1 ? 1 : slice);
        if (!count) {
            finish_zero(zero_in_flight, count.error().context(where));
            awaiting = Awaiting::Nothing;
            continue;  // the top of the loop reports the loss and reopens
        }
        now = steady_ms();
        if (*count > 0) {
            const std::int64_t at_ms = hardware::now_ms();
            events.clear();
            decoder.feed(std::span<const std::uint8_t>(buffer.data(), *count), at_ms, events);
            for (auto& event : events) {
                // Decoder health events are folded into ours below.
                if (std::holds_alternative<hardware::WeightReading>(event)) {
                    runtime.sink().try_post(std::move(event));
                }
            }
        }
        for (auto& reply : decoder.take_replies()) {
            last_answer = now;
            timeouts = 0;
            not_answering = false;
            const bool nci = protocol == SerialProtocol::Nci;
            const bool general = is_general_error(reply.command);
            if (awaiting == Awaiting::Poll &&
                (nci || general || reply.command == "S" || reply.command == "SI")) {
                awaiting = Awaiting::Nothing;
                next_poll = sent_at + options.poll_interval_ms;
            } else if (awaiting == Awaiting::Zero && (nci || general || reply.command == "Z")) {
                Status result = reply.status;
                finish_zero(zero_in_flight, result.ok() ? result : result.error().context(where));
                awaiting = Awaiting::Nothing;
                next_poll = now;
            }
        }
        if (awaiting == Awaiting::Poll && now - sent_at >= options.response_timeout_ms) {
            awaiting = Awaiting::Nothing;
            next_poll = now;
            if (++timeouts >= options.timeouts_before_faulty) not_answering = true;
        }
        if (awaiting == Awaiting::Zero && now - sent_at >= options.zero_timeout_ms) {
            finish_zero(zero_in_flight, Error(errors::kSerialTimeout,
                                              where + ": no answer within " +
                                                  std::to_string(options.zero_timeout_ms) + " ms"));
            awaiting = Awaiting::Nothing;
            next_poll = now;
        }
        if (!requests && now - last_answer >= options.silence_before_faulty_ms) {
            not_answering = true;
        }

        if (decoder.unreadable()) {
            runtime.set_health(DeviceHealth::Faulty, "unreadable data; check protocol/baud (" +
                                                         decoder.last_problem() + ")");
        } else if (not_answering) {
            runtime.set_health(DeviceHealth::Faulty, "scale not answering");
        } else {
            runtime.set_health(DeviceHealth::Present, "scale connected (" + options.path + ")");
        }
    }
    finish_zero(zero_in_flight, Error(errors::kSerialClosed, where + ": device closed"));
    auto request = take_zero_request();
    finish_zero(request, Error(errors::kSerialClosed, where + ": device closed"));
}

Result<std::unique_ptr<SerialScaleDevice>> SerialScaleDevice::create(SerialScaleOptions options) {
    const std::string where = "scale " + options.id;
    if (options.path.empty()) return Error(errors::kSerialNoPath, where + ": no serial port path");
    const auto protocol = parse_serial_protocol(options.protocol);
    if (!protocol) return protocol.error().context(where);
    auto line = default_line_settings(options.protocol);
    if (!line) return line.error().context(where);
    if (options.baud || !options.framing.empty()) {
        const std::string framing =
            options.framing.empty()
                ? std::to_string(line->data_bits) + line->parity + std::to_string(line->stop_bits)
                : options.framing;
        line = parse_line_framing(framing, options.baud.value_or(line->baud));
        if (!line) return line.error().context(where);
    }
    if (options.poll_interval_ms < 1 || options.response_timeout_ms < 1 ||
        options.timeouts_before_faulty < 1 || options.silence_before_faulty_ms < 1 ||
        options.zero_timeout_ms < 1) {
        return Error(errors::kSerialBadOption,
                     where + ": intervals, timeouts and counts must be > 0");
    }
    auto impl = std::make_unique<Impl>(std::move(options), *protocol, *line);
    return std::unique_ptr<SerialScaleDevice>(new SerialScaleDevice(std::move(impl)));
}

SerialScaleDevice::SerialScaleDevice(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SerialScaleDevice::~SerialScaleDevice() {
    close();
}

std::string SerialScaleDevice::id() const {
    return impl_->options.id;
}

Status SerialScaleDevice::open(hardware::EventSink& sink) {
    Impl* impl = impl_.get();
    return impl->runtime.start(sink, [impl] { impl->run(); });
}

void SerialScaleDevice::close() {
    impl_->runtime.stop();
}

Status SerialScaleDevice::zero() {
    Impl& impl = *impl_;
    const std::string where = "scale " + impl.options.id + ": zero";
    if (!is_request_response(impl.protocol)) {
        return Error(errors::kSerialUnsupported,
                     where + ": not supported by " + impl.options.protocol +
                         " (continuous output takes no commands); zero on the indicator");
    }
    if (!impl.runtime.running())
        return Error(errors::kSerialNotConnected, where + ": device not open");
    auto request = std::make_shared<ZeroRequest>();
    std::unique_lock lock(impl.runtime.mutex());
    if (impl.zero_request) return Error(errors::kSerialBusy, where + ": a zero is already pending");
    impl.zero_request = request;
    lock.unlock();
    impl.runtime.notify();
    lock.lock();
    const auto limit = std::chrono::milliseconds(impl.options.zero_timeout_ms +
                                                 impl.options.response_timeout_ms + 500);
    if (!impl.zero_done.wait_for(lock, limit, [&] { return request->done; })) {
        if (impl.zero_request == request) impl.zero_request.reset();
        return Error(errors::kSerialTimeout, where + ": the device thread did not answer in time");
    }
    return request->result;
}

}  // namespace packline::drivers
