#include "packline/drivers/replay_device.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "packline/drivers/registry.h"
#include "packline/drivers/registry_errors.h"
#include "packline/hardware/device_errors.h"

namespace packline::drivers {

struct ReplayDevice::State {
    Recording recording;
    std::unique_ptr<StreamDecoder> decoder;
    hardware::DeviceKind kind;
    ReplayOptions options;

    mutable std::mutex mutex;
    std::condition_variable wake;
    hardware::EventSink* sink = nullptr;
    bool closing = false;
    bool finished = false;
    std::thread thread;

    State(Recording recording_, std::unique_ptr<StreamDecoder> decoder_, hardware::DeviceKind kind_,
          ReplayOptions options_)
        : recording(std::move(recording_)),
          decoder(std::move(decoder_)),
          kind(kind_),
          options(std::move(options_)) {}

    // Sleeps until `deadline` or close(); false when closing.
    bool wait_until(std::chrono::steady_clock::time_point deadline) {
        std::unique_lock lock(mutex);
        return !wake.wait_until(lock, deadline, [&] { return closing; });
    }

    void post(std::vector<hardware::DeviceEvent>& events) {
        for (auto& event : events) {
            // Readings are high-rate and superseded by the next one.
            if (std::holds_alternative<hardware::WeightReading>(event))
                sink->try_post(std::move(event));
            else
                sink->post(std::move(event));
        }
        events.clear();
    }

    void post_health(hardware::DeviceHealth health, std::string detail) {
        sink->post(hardware::DeviceStatusEvent{options.id, kind, health, std::move(detail),
                                               hardware::now_ms()});
    }

    void run() {
        using namespace std::chrono;
        std::vector<hardware::DeviceEvent> events;
        const std::string source =
            recording.header.count("model") ? recording.header.at("model") : recording.family();
        post_health(hardware::DeviceHealth::Present, "replaying " + source);
        auto start = steady_clock::now() + milliseconds(options.start_delay_ms);
        if (!wait_until(start)) return;
        for (;;) {
            for (const RecordedChunk& chunk : recording.chunks) {
                if (options.speed > 0) {
                    auto due =
                        start + duration_cast<steady_clock::duration>(duration<double, std::milli>(
                                    static_cast<double>(chunk.offset_ms) / options.speed));
                    // Tick the decoder while waiting so inter-key timeouts
                    // end scans as they would have on the bench.
                    while (steady_clock::now() < due) {
                        auto step = std::min(due, steady_clock::now() + milliseconds(20));
                        if (!wait_until(step)) return;
                        decoder->tick(hardware::now_ms(), events);
                        post(events);
                    }
                } else {
                    std::lock_guard lock(mutex);
                    if (closing) return;
                }
                switch (chunk.kind) {
                    case RecordedChunk::Kind::Data:
                        decoder->feed(chunk.bytes, hardware::now_ms(), events);
                        post(events);
                        break;
                    case RecordedChunk::Kind::Gone:
                        decoder->reset();
                        post_health(hardware::DeviceHealth::Absent,
                                    std::string(config_word(kind)) + " unplugged (recorded)");
                        break;
                    case RecordedChunk::Kind::Back:
                        decoder->reset();
                        post_health(hardware::DeviceHealth::Present,
                                    std::string(config_word(kind)) + " back (recorded)");
                        break;
                }
            }
            // Let a trailing inter-key timeout end the last scan.
            decoder->tick(hardware::now_ms() + 60'000, events);
            post(events);
            if (!options.loop) break;
            decoder->reset();
            start = steady_clock::now();
        }
        std::lock_guard lock(mutex);
        finished = true;
    }
};

ReplayDevice::ReplayDevice(Recording recording, std::unique_ptr<StreamDecoder> decoder,
                           hardware::DeviceKind kind, ReplayOptions options)
    : state_(std::make_unique<State>(std::move(recording), std::move(decoder), kind,
                                     std::move(options))) {}

ReplayDevice::~ReplayDevice() {
    close();
}

std::string ReplayDevice::id() const {
    return state_->options.id;
}

hardware::DeviceKind ReplayDevice::kind() const {
    return state_->kind;
}

Status ReplayDevice::open(hardware::EventSink& sink) {
    std::lock_guard lock(state_->mutex);
    if (state_->sink != nullptr)
        return Error(errors::kDeviceAlreadyOpen,
                     "replay " + state_->options.id + " is already open");
    state_->sink = &sink;
    state_->closing = false;
    state_->finished = false;
    state_->decoder->reset();
    state_->thread = std::thread([state = state_.get()] { state->run(); });
    return {};
}

void ReplayDevice::close() {
    {
        std::lock_guard lock(state_->mutex);
        if (state_->sink == nullptr) return;
        state_->closing = true;
        state_->wake.notify_all();
    }
    if (state_->thread.joinable()) state_->thread.join();
    std::lock_guard lock(state_->mutex);
    state_->sink = nullptr;
}

Status ReplayDevice::zero() {
    return Error(errors::kReplayUnsupported,
                 "replay " + state_->options.id + ": a recording cannot be zeroed");
}

bool ReplayDevice::finished() const {
    std::lock_guard lock(state_->mutex);
    return state_->finished;
}

Result<std::unique_ptr<ReplayDevice>> open_replay(const std::string& path, ReplayOptions options) {
    auto recording = load_recording(path);
    if (!recording.ok()) return recording.error();
    const std::string family = recording.value().family();
    auto kind = family_kind(family);
    if (!kind.ok()) return kind.error().context("replay " + path);
    if (options.id.empty())
        options.id = recording.value().header.count("device")
                         ? recording.value().header.at("device")
                         : std::string(config_word(kind.value()));
    auto decoder = make_decoder(family, options.id, recording.value().header);
    if (!decoder.ok()) return decoder.error().context("replay " + path);
    return std::make_unique<ReplayDevice>(std::move(recording.value()), std::move(decoder.value()),
                                          kind.value(), std::move(options));
}

}  // namespace packline::drivers
